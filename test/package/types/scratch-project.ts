/**
 * Scratch TypeScript projects over an installed consumer (see `../support/packed-package.ts`), compiled with
 * the repository's `tsc`.
 *
 * The consumer's `node_modules` is copied into a fresh folder under the system's temporary directory: a
 * consumer lives under the repository's `node_modules/.cache`, and from there TypeScript's module resolution
 * and its automatic `@types` inclusion would walk up into the repository's own `node_modules` (with
 * `@types/ndarray`, `@types/node`, fastify, ...) and hide a package whose types do not stand alone.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ROOT } from '../support/packed-package.js';

/** The repository's TypeScript compiler. */
export const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The folder of TypeScript's own `lib.*.d.ts` files (the only files a compilation may read from outside). */
const TYPESCRIPT_LIB = join(ROOT, 'node_modules', 'typescript', 'lib');

/** A folder with a copy of a consumer's `node_modules`, outside any other `node_modules`. */
export interface IsolatedRoot {
  readonly dir: string;
  /** Deletes the folder. */
  dispose(): void;
}

function isInside(file: string, folder: string): boolean {
  const path = relative(folder, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

/** Ancestors of `dir` (itself excluded) that hold a `node_modules` folder. */
function ancestorNodeModules(dir: string): string[] {
  const found: string[] = [];
  for (let current = dirname(dir); ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules'))) found.push(join(current, 'node_modules'));
    if (dirname(current) === current) return found;
  }
}

/**
 * Copies `consumerDir/node_modules` into a new temporary folder.
 *
 * @param consumerDir - An installed consumer's folder.
 * @param label - Part of the temporary folder's name.
 * @param extra - Further folders to copy into the new `node_modules`, by package name (e.g. `expect-type`
 *   from the repository).
 */
export function isolatedRoot(
  consumerDir: string,
  label: string,
  extra: Readonly<Record<string, string>> = {},
): IsolatedRoot {
  const dir = mkdtempSync(join(realpathSync(tmpdir()), `ep-stats-${label}-`));
  const leaks = ancestorNodeModules(dir);
  if (leaks.length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the temporary folder ${dir} is below ${leaks.join(', ')}: its types would leak in`);
  }
  cpSync(join(consumerDir, 'node_modules'), join(dir, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  for (const [name, source] of Object.entries(extra)) {
    cpSync(source, join(dir, 'node_modules', ...name.split('/')), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `files` (paths relative to `dir`, contents as text or JSON values) and returns `dir`. */
export function writeProject(dir: string, files: Readonly<Record<string, string | object>>): string {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return dir;
}

/** What `tsc -p` did. */
export interface Compilation {
  /** The exit code (0: no diagnostics). */
  readonly status: number;
  /** The diagnostics, one per line (`--pretty false`). */
  readonly diagnostics: string;
  /** Every file the compilation read (`--listFiles`). */
  readonly files: readonly string[];
  /** Files read from outside `root` and TypeScript's lib folder: types that would not reach a user. */
  readonly outsideFiles: readonly string[];
}

/**
 * Runs `node <repo>/node_modules/typescript/bin/tsc -p <dir> --listFiles --pretty false`.
 *
 * @param dir - The project folder (with its tsconfig.json).
 * @param root - The folder every read file must be in (besides TypeScript's libs).
 */
export function compile(dir: string, root: string): Promise<Compilation> {
  return limited(() => runTsc(dir, root));
}

/** At most this many compilers at once (each takes a core and a few hundred MB). */
const MAX_COMPILERS = Math.max(2, availableParallelism() - 1);
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(task: () => Promise<T>): Promise<T> {
  // A finishing task hands its slot to the next waiting one, so `running` counts the slots in use.
  if (running >= MAX_COMPILERS) await new Promise<void>((start) => waiting.push(start));
  else running += 1;
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next === undefined) running -= 1;
    else next();
  }
}

function runTsc(dir: string, root: string): Promise<Compilation> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [TSC, '-p', dir, '--listFiles', '--pretty', 'false'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const lines = `${stdout}${stderr}`.split(/\r?\n/).filter((line) => line.trim() !== '');
        // --listFiles prints absolute paths; diagnostics start with a path relative to the project.
        const isListedFile = (line: string) => isAbsolute(line) && existsSync(line);
        const files = lines.filter(isListedFile).map((line) => resolve(line));
        const diagnostics = lines.filter((line) => !isListedFile(line)).join('\n');
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        const outsideFiles = files.filter((file) => !isInside(file, root) && !isInside(file, TYPESCRIPT_LIB));
        done({ status, diagnostics, files, outsideFiles });
      },
    );
  });
}

/** A compilation's diagnostics and the files it read (but those of other packages), for a failure message. */
export function describeCompilation(name: string, compilation: Compilation): string {
  const shown = compilation.files.filter(
    (file) =>
      !file.includes(`${sep}node_modules${sep}`) || file.includes(`${sep}node_modules${sep}ep-stats${sep}`),
  );
  const read = shown.map((file) => `  ${file}`).join('\n');
  const others = compilation.files.length - shown.length;
  return (
    `tsc ${name} exited with ${compilation.status}:\n${compilation.diagnostics}\n` +
    `files read (and ${others} of other packages or TypeScript's libs):\n${read}`
  );
}

/** Whether `file` is in some package's folder under `root/node_modules` (`name` like `@types/node`). */
export function isPackageFile(file: string, root: string, name: string): boolean {
  return file.startsWith(`${join(root, 'node_modules', ...name.split('/'))}${sep}`);
}
