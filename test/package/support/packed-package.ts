/**
 * The package as users get it: `npm run build` then `npm pack`, once per change of the sources (cached under
 * node_modules/.cache/ep-stats-package, keyed by a hash of everything that goes into the tarball), and
 * scratch consumer projects that install the tarball with npm, as `npm i ep-stats` would. Safe to call from
 * several test files and workers at once (a lock directory serialises the work).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

const CACHE = join(ROOT, 'node_modules', '.cache', 'ep-stats-package');

/** Files and folders whose content decides the tarball. */
const INPUTS = [
  'src',
  'build',
  'fixtures/ep-stats',
  'fixtures/examples',
  'fixtures/events/demo-events.parquet',
  'package.json',
  'tsup.config.ts',
  'tsconfig.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
];

function filesUnder(path: string): string[] {
  const absolute = join(ROOT, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [path];
  return readdirSync(absolute)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash
      .update(relative(ROOT, join(ROOT, file)))
      .update('\0')
      .update(readFileSync(join(ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `make` at most once for `target` across processes: the target exists when the call returns. */
function once(target: string, make: () => void, lock = `${target}.lock`): void {
  if (existsSync(target)) return;
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(target)) return;
      if (waited > 600_000) throw new Error(`timed out waiting for ${lock}`);
      sleep(200);
    }
  }
  try {
    if (!existsSync(target)) make();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Output of a command, with its stderr on failure. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): string {
  try {
    return execFileSync(command, [...args], {
      cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stderr ?? ''}\n${failed.stdout ?? ''}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * The path of the packed tarball of the current sources (built and packed on first use).
 */
export function packedTarball(): string {
  const folder = join(CACHE, inputsHash());
  const done = join(folder, 'packed');
  once(
    done,
    () => {
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      run('npm', ['run', 'build'], ROOT);
      const output = run('npm', ['pack', '--json', '--pack-destination', folder], ROOT);
      const [{ filename, files }] = JSON.parse(output) as [{ filename: string; files: { path: string }[] }];
      // A build that ran beside this one (outside the lock) could have emptied dist/ before the pack.
      const packed = new Set(files.map((file) => file.path));
      const expected = [
        'dist/index.js',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.d.cts',
        'dist/cli.js',
      ];
      const missing = expected.filter((path) => !packed.has(path));
      if (missing.length > 0)
        throw new Error(`the packed tarball lacks ${missing.join(', ')}: dist/ changed during the build`);
      writeFileSync(done, join(folder, filename));
      // One lock for every build: builds of different sources would write the same dist/.
    },
    join(CACHE, 'build.lock'),
  );
  return readFileSync(done, 'utf8');
}

/** What installing into a scratch consumer printed, and where it is. */
export interface Consumer {
  /** The consumer project's folder (with package.json and node_modules). */
  readonly dir: string;
  /** What `npm install` printed on stderr (warnings). */
  readonly installLog: string;
}

/**
 * A scratch project that installed the packed tarball and `extra` packages (for example the server's peer
 * dependencies) with `npm install`, created once per tarball and list of packages.
 *
 * @param name - Names the consumer (one folder per name).
 * @param extra - Further packages to install, as `npm install` takes them.
 * @param packageJson - Fields merged into the consumer's package.json (e.g. `{ type: 'module' }`).
 */
export function consumer(
  name: string,
  extra: readonly string[] = [],
  packageJson: Record<string, unknown> = {},
): Consumer {
  const tarball = packedTarball();
  // One set of consumers per Node version: .ci/run installs and runs them on each supported version.
  const dir = join(tarball, '..', 'consumers', process.version, name);
  const done = join(dir, '.installed');
  once(
    done,
    () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify(
          { name: `consumer-${name}`, version: '1.0.0', private: true, ...packageJson },
          null,
          2,
        ),
      );
      const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', tarball, ...extra], {
        cwd: dir,
        encoding: 'utf8',
      });
      if (install.status !== 0) throw new Error(`npm install in ${dir} failed:\n${install.stderr}`);
      writeFileSync(join(dir, '.install-log'), install.stderr);
      writeFileSync(done, '');
      // The lock lives beside the folder, which make() deletes and recreates.
    },
    `${dir}.lock`,
  );
  return { dir, installLog: readFileSync(join(dir, '.install-log'), 'utf8') };
}
