/**
 * What an `npm install` of the packed tarball put on disk: the installed packages, their size, their install
 * scripts and the dependency closure of ep-stats, read from the consumer's `node_modules`. Shared by the
 * install tests and `bench/package.bench.ts`.
 */
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { ROOT } from '../../support/packed-package.js';

/** The fields of a package.json that these checks read. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly engines?: Readonly<Record<string, string>>;
  readonly gypfile?: boolean;
}

/** The repository's package.json. */
export const REPOSITORY_MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** One package folder under a `node_modules` tree. */
export interface InstalledPackage {
  readonly name: string;
  /** The package's folder. */
  readonly dir: string;
  readonly manifest: Manifest;
}

/** The lifecycle scripts npm runs when it installs a package. */
export const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

/**
 * Every package folder (one with a package.json) under `nodeModules`, nested `node_modules` included;
 * `.bin`, `.cache` and other dot entries are not packages.
 */
export function installedPackages(nodeModules: string): InstalledPackage[] {
  if (!existsSync(nodeModules)) return [];
  const found: InstalledPackage[] = [];
  const visit = (dir: string): void => {
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) return;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    found.push({ name: manifest.name, dir, manifest });
    found.push(...installedPackages(join(dir, 'node_modules')));
  };
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || !entry.isDirectory()) continue;
    const path = join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(path, { withFileTypes: true })) {
        if (scoped.isDirectory()) visit(join(path, scoped.name));
      }
    } else {
      visit(path);
    }
  }
  return found;
}

/** The total size in bytes of the files under `path` (symbolic links counted as links, not followed). */
export function treeBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of readdirSync(path)) total += treeBytes(join(path, name));
  return total;
}

/**
 * What npm would run on installing each package: its preinstall, install and postinstall scripts, and the
 * implicit `node-gyp rebuild` of a package with a binding.gyp and no install script.
 */
export function installScripts(packages: readonly InstalledPackage[]): string[] {
  return packages.flatMap(({ name, dir, manifest }) => {
    const scripts = INSTALL_SCRIPTS.filter((script) => manifest.scripts?.[script] !== undefined).map(
      (script) => `${name}: ${script}: ${manifest.scripts?.[script]}`,
    );
    const implicitGyp =
      manifest.gypfile !== false &&
      existsSync(join(dir, 'binding.gyp')) &&
      manifest.scripts?.install === undefined &&
      manifest.scripts?.preinstall === undefined;
    return implicitGyp ? [...scripts, `${name}: binding.gyp (node-gyp rebuild)`] : scripts;
  });
}

/** The folder Node would load package `name` from, for code in `from` (not above `root`). */
function resolvePackageDir(name: string, from: string, root: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

/**
 * The names of the packages that installed package `name` can load: its `dependencies` and
 * `optionalDependencies`, transitively (peer dependencies excluded: they are the user's to install).
 *
 * @param root - The consumer project's folder.
 */
export function dependencyClosure(root: string, name: string): Set<string> {
  const closure = new Set<string>();
  const start = resolvePackageDir(name, root, root);
  if (start === undefined) throw new Error(`${name} is not installed in ${root}`);
  const pending = [start];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const found = resolvePackageDir(dependency, dir, root);
      if (found === undefined) continue;
      closure.add(dependency);
      pending.push(found);
    }
  }
  return closure;
}

/** The package that a file in a `node_modules` tree belongs to (by its last `node_modules` segment). */
export function packageOfFile(file: string): string | undefined {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const first = parts[at + 1];
  if (first === undefined) return undefined;
  return first.startsWith('@') ? `${first}/${parts[at + 2] ?? ''}` : first;
}

/** A copy of a consumer project outside every other `node_modules`. */
export interface IsolatedCopy {
  readonly dir: string;
  dispose(): void;
}

/**
 * Copies a consumer's package.json and node_modules into a new folder under the system's temporary
 * directory. The consumers live under the repository's `node_modules/.cache`, from where Node's resolution
 * would walk up into the repository's own `node_modules` (with commander, fastify, ...) and find packages
 * that a user's project does not have.
 */
export function isolatedCopy(consumerDir: string, label: string): IsolatedCopy {
  const dir = mkdtempSync(join(realpathSync(tmpdir()), `ep-stats-${label}-`));
  for (let current = dirname(dir); ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules'))) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the temporary folder ${dir} is below ${current}/node_modules`);
    }
    if (dirname(current) === current) break;
  }
  cpSync(join(consumerDir, 'package.json'), join(dir, 'package.json'));
  cpSync(join(consumerDir, 'node_modules'), join(dir, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The environment for a user's fresh process: this one's without the variables that would change how Node
 * starts or loads modules (NODE_OPTIONS from a test runner, NODE_PATH) or how the server is set up
 * (EP_STATS_*).
 */
export function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => key !== 'NODE_OPTIONS' && key !== 'NODE_PATH' && !key.startsWith('EP_STATS_'),
    ),
  );
}

/** `npm install` specs of the command's peer dependencies, each at the repository's devDependencies version. */
export function devDependencySpecs(names: readonly string[]): string[] {
  return names.map((name) => {
    const version = REPOSITORY_MANIFEST.devDependencies?.[name];
    if (version === undefined) throw new Error(`${name} is not a devDependency of ep-stats`);
    return `${name}@${version}`;
  });
}
