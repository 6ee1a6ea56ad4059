/**
 * The package as users install it, from the packed tarball (test/package/support/packed-package.ts): what
 * `npm install ep-stats` adds (packages, megabytes), how long `import('ep-stats')` takes in a fresh process,
 * the tarball's size, and how large the README's quick start is when bundled for the browser. Each figure's
 * name says its goal (from test/package/install/support/budgets.ts, which the install tests check) and
 * whether it is met; `report` marks figures without a goal.
 *
 * Run alone with `npm run bench -- package`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  MAX_CORE_NODE_MODULES_BYTES,
  MAX_CORE_PACKAGES,
  MAX_IMPORT_MILLISECONDS,
  PACKED_BUDGET_BYTES,
  UNPACKED_BUDGET_BYTES,
} from '../test/package/install/support/budgets.js';
import {
  installedPackages,
  isolatedCopy,
  treeBytes,
  userEnv,
} from '../test/package/install/support/installed-tree.js';
import { consumer, packedTarball, run } from '../test/package/support/packed-package.js';
import type { Measurement } from './measure.js';
import { withGoal } from './measure.js';

/** Fresh processes per timing. */
const PROCESSES = 10;

const MEGABYTE = 1024 * 1024;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Runs `node ...args` in `dir` and returns its stdout. */
function node(dir: string, args: readonly string[]): string {
  return execFileSync(process.execPath, [...args], { cwd: dir, env: userEnv(), encoding: 'utf8' });
}

/** Median over fresh processes of `await import('ep-stats')`, timed inside each with performance.now(). */
function importMilliseconds(dir: string): number {
  const program =
    "const start = performance.now(); await import('ep-stats'); process.stdout.write(String(performance.now() - start));";
  node(dir, ['--input-type=module', '-e', program]); // warm the file system cache
  const times = Array.from({ length: PROCESSES }, () =>
    Number(node(dir, ['--input-type=module', '-e', program])),
  );
  return median(times);
}

/** Median wall time, seen from this process, of `node ...args` in `dir` (process start-up included). */
function wallMilliseconds(dir: string, args: readonly string[]): number {
  const once = () => {
    const start = performance.now();
    const result = spawnSync(process.execPath, [...args], { cwd: dir, env: userEnv() });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${result.stderr}`);
    return performance.now() - start;
  };
  once();
  return median(Array.from({ length: PROCESSES }, once));
}

/** Gzipped size in bytes of the quick start bundled for the browser (minified) from the consumer `dir`. */
async function quickStartBundleBytes(dir: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    entryPoints: [join(dir, 'node_modules', 'ep-stats', 'fixtures', 'examples', 'quick-start.mjs')],
    absWorkingDir: dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents;
  if (code === undefined) throw new Error('esbuild wrote no bundle');
  return { minified: code.length, gzipped: gzipSync(code).length };
}

/**
 * Measures the installed package (see the file's comment).
 *
 * @returns One row per figure.
 */
export async function runPackageBench(): Promise<Measurement[]> {
  const tarball = packedTarball();
  const [pack] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', tarball], join(tarball, '..'))) as [
    { size: number; unpackedSize: number },
  ];
  const core = consumer('core');
  const packages = installedPackages(join(core.dir, 'node_modules')).length;
  const nodeModulesBytes = treeBytes(join(core.dir, 'node_modules'));

  // Outside the repository's node_modules, so that nothing resolves from there.
  const copy = isolatedCopy(core.dir, 'bench-package');
  try {
    const importMs = importMilliseconds(copy.dir);
    const importWallMs = wallMilliseconds(copy.dir, [
      '--input-type=module',
      '-e',
      "await import('ep-stats');",
    ]);
    const emptyWallMs = wallMilliseconds(copy.dir, ['-e', '']);
    const bundle = await quickStartBundleBytes(copy.dir);
    const megabytes = nodeModulesBytes / MEGABYTE;
    return [
      {
        name: withGoal('core install: packages in node_modules', packages, MAX_CORE_PACKAGES, 'packages'),
        value: packages,
        unit: 'packages',
      },
      {
        name: withGoal(
          'core install: node_modules size',
          megabytes,
          MAX_CORE_NODE_MODULES_BYTES / MEGABYTE,
          'MB',
        ),
        value: megabytes,
        unit: 'MB',
      },
      {
        name: withGoal(
          `await import('ep-stats') in a fresh process, median of ${PROCESSES}`,
          importMs,
          MAX_IMPORT_MILLISECONDS,
          'ms',
        ),
        value: importMs,
        unit: 'ms',
      },
      {
        name: `node -e "await import('ep-stats')" wall time with start-up, median of ${PROCESSES} (report)`,
        value: importWallMs,
        unit: 'ms',
      },
      {
        name: `node -e "" wall time (start-up alone), median of ${PROCESSES} (report)`,
        value: emptyWallMs,
        unit: 'ms',
      },
      {
        name: withGoal('tarball: packed size', pack.size / 1000, PACKED_BUDGET_BYTES / 1000, 'kB'),
        value: pack.size / 1000,
        unit: 'kB',
      },
      {
        name: withGoal(
          'tarball: unpacked size',
          pack.unpackedSize / 1000,
          UNPACKED_BUDGET_BYTES / 1000,
          'kB',
        ),
        value: pack.unpackedSize / 1000,
        unit: 'kB',
      },
      {
        name: 'quick start bundled for the browser (esbuild, minified), gzip (report)',
        value: bundle.gzipped / 1000,
        unit: 'kB',
      },
      {
        name: 'quick start bundled for the browser (esbuild, minified), raw (report)',
        value: bundle.minified / 1000,
        unit: 'kB',
      },
    ];
  } finally {
    copy.dispose();
  }
}
