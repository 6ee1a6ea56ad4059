/**
 * Vitest global setup of the full suite: bundles the `ep-stats` command once (esbuild, ESM, packages left
 * external and resolved from the repository's node_modules) and provides the path of its entry as
 * `epStatsCommand` (`inject('epStatsCommand')`).
 *
 * The command tests start the program a few hundred times; from this bundle each start takes about 0.3 s
 * instead of about 0.7 s under tsx, which compiles the sources again in every process. The bundle is built
 * from the same sources at every run, into a folder of its own, node_modules/.cache/ep-stats-command-<random>
 * (so that two runs at once do not remove each other's bundle; with a package.json saying
 * `"type": "module"`, as Node reads files under node_modules as CommonJS otherwise), next to the statistics
 * worker module the server loads from its own folder (and, run from the sources, through
 * `EP_STATS_DEV_STATISTICS_WORKER`). The unit suite (vitest.unit.config.ts) has no such
 * setup: there `runCli` uses tsx, as do the tests that check which source modules the program loads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `ep-stats` command (`node <path> ...args`), or `''` when bundling failed. */
    epStatsCommand: string;
  }
}

const ROOT = join(import.meta.dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache');
let OUT = '';

export async function setup(project: TestProject): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  OUT = mkdtempSync(join(CACHE, 'ep-stats-command-'));
  writeFileSync(join(OUT, 'package.json'), '{ "type": "module", "private": true }\n');
  await build({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'src/cli/main.ts', 'statistics-worker': 'src/server/statistics-worker.ts' },
    outdir: OUT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  project.provide('epStatsCommand', join(OUT, 'cli.js'));
  // The server's statistics worker, run from the sources, loads this bundle instead of registering tsx in
  // each worker thread (src/server/statistics-worker-source.mjs); test workers inherit the variable.
  process.env.EP_STATS_DEV_STATISTICS_WORKER = join(OUT, 'statistics-worker.js');
}

export function teardown(): void {
  if (OUT !== '') rmSync(OUT, { recursive: true, force: true });
}
