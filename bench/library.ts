/**
 * The library as the benchmarks measure it: the sources bundled with esbuild (ESM, dependencies external,
 * no keep-names helper), as `npm run build` ships them, into node_modules/.cache/ep-stats-bench. The
 * TypeScript sources loaded through tsx run 5-40 % slower than the built package (tsx keeps function names
 * with a helper call per function), which would measure the loader rather than the library.
 * `EP_STATS_BENCH_SOURCES=1` measures the sources under tsx instead.
 *
 * Each process bundles once (about 0.3 s) into a folder of its own, removed when the process exits.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

type Library = typeof import('../src/index.js');

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'node_modules', '.cache', 'ep-stats-bench-library', String(process.pid));

async function loadLibrary(): Promise<Library> {
  if (process.env.EP_STATS_BENCH_SOURCES === '1') return import('../src/index.js');
  mkdirSync(OUT, { recursive: true });
  process.once('exit', () => rmSync(OUT, { recursive: true, force: true }));
  writeFileSync(join(OUT, 'package.json'), '{ "type": "module", "private": true }\n');
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: { index: 'src/index.ts' },
    outdir: OUT,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return (await import(pathToFileURL(join(OUT, 'index.js')).href)) as Library;
}

/** The library under measurement (see the module comment). */
export const library: Library = await loadLibrary();

/** Which code the figures measure, for the benchmark output. */
export const LIBRARY_LABEL = process.env.EP_STATS_BENCH_SOURCES === '1' ? 'sources under tsx' : 'bundled';
