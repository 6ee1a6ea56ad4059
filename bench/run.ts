/**
 * Runs the benchmarks (`npm run bench`), prints one table per module with the memory in use after it, and
 * writes every result to `bench/results.json`. `npm run bench -- package parse` runs only the named modules
 * (a module's name is its file name without `.bench.ts`).
 *
 * Each benchmark module exports a function that returns (or resolves to) a list of
 * `{ name, value, unit }` measurements. A module that does not exist yet is skipped with a note.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Measurement } from './measure.js';

/** A benchmark module and the function it exports. */
export interface BenchModule {
  /** Path relative to this folder. */
  readonly path: string;
  readonly exportName: string;
}

/** The benchmark modules, run in this order. */
export const BENCH_MODULES: readonly BenchModule[] = [
  { path: './parse.bench.ts', exportName: 'runParseBench' },
  { path: './statistics.bench.ts', exportName: 'runStatisticsBench' },
  { path: './evaluate.bench.ts', exportName: 'runEvaluateBench' },
  { path: './by-unit.bench.ts', exportName: 'runByUnitBench' },
  { path: './many-metrics.bench.ts', exportName: 'runManyMetricsBench' },
  { path: './server.bench.ts', exportName: 'runServerBench' },
  // the `ep-stats serve` command in a child process, loaded from this one
  { path: './service-load.bench.ts', exportName: 'runServiceLoadBench' },
  // builds, packs and installs the package (the first run after a change of the sources takes a minute)
  { path: './package.bench.ts', exportName: 'runPackageBench' },
  // 10 million events from a Parquet file (generated once, cached in node_modules/.cache), in a child process
  { path: './sql-scale.bench.ts', exportName: 'runSqlScaleBench' },
  // last: it holds 10 million events in DuckDB
  { path: './sql.bench.ts', exportName: 'runSqlBench' },
];

interface ModuleResult {
  readonly module: string;
  readonly measurements: readonly Measurement[];
  /** Largest resident set size of the process so far, in bytes. */
  readonly peakRssBytes: number;
  /** V8 heap in use after the module ran, in bytes. */
  readonly heapUsedBytes: number;
}

function isMeasurement(value: unknown): value is Measurement {
  if (typeof value !== 'object' || value === null) return false;
  const { name, value: number, unit } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof number === 'number' && typeof unit === 'string';
}

/** `value` with three significant digits, without exponent notation for ordinary magnitudes. */
function threeSignificantDigits(value: number): string {
  if (!Number.isFinite(value) || value === 0) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e15) return String(Number(value.toPrecision(3)));
  return value.toPrecision(3);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function printTable(measurements: readonly Measurement[]): void {
  const rows = measurements.map((m) => [m.name, threeSignificantDigits(m.value), m.unit]);
  const header = ['name', 'value', 'unit'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 1 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

async function runModule(bench: BenchModule): Promise<Measurement[] | undefined> {
  const url = new URL(bench.path, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    console.log(`\n${bench.path}: not found, skipped`);
    return undefined;
  }
  const module: Record<string, unknown> = await import(url.href);
  const run = module[bench.exportName];
  if (typeof run !== 'function')
    throw new Error(`${bench.path} does not export a function ${bench.exportName}`);
  const measurements: unknown = await run();
  if (!Array.isArray(measurements) || !measurements.every(isMeasurement)) {
    throw new Error(`${bench.exportName} must return { name: string; value: number; unit: string }[]`);
  }
  return measurements;
}

/** A module's name on the command line: its file name without `.bench.ts`. */
function moduleName(bench: BenchModule): string {
  return bench.path.replace(/^.*\//, '').replace(/\.bench\.ts$/, '');
}

/** The modules named on the command line, or all of them. */
function selectedModules(names: readonly string[]): readonly BenchModule[] {
  if (names.length === 0) return BENCH_MODULES;
  const known = BENCH_MODULES.map(moduleName);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark module ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  return BENCH_MODULES.filter((bench) => names.includes(moduleName(bench)));
}

async function main(): Promise<void> {
  let modules: readonly BenchModule[];
  try {
    modules = selectedModules(process.argv.slice(2).filter((argument) => argument !== '--check'));
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
    return;
  }
  const collectGarbage = (globalThis as { gc?: () => void }).gc;
  const results: ModuleResult[] = [];
  const skipped: string[] = [];
  const failed: { module: string; error: string }[] = [];

  for (const bench of modules) {
    collectGarbage?.();
    let measurements: Measurement[] | undefined;
    try {
      measurements = await runModule(bench);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`\n${bench.path}: failed\n${message}`);
      failed.push({ module: bench.path, error: message });
      continue;
    }
    if (measurements === undefined) {
      skipped.push(bench.path);
      continue;
    }
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    const { heapUsed } = process.memoryUsage();
    console.log(`\n${bench.path} (${bench.exportName})`);
    printTable(measurements);
    console.log(`peak RSS ${megabytes(peakRssBytes)}, heap used ${megabytes(heapUsed)}`);
    results.push({ module: bench.path, measurements, peakRssBytes, heapUsedBytes: heapUsed });
  }

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    gcExposed: collectGarbage !== undefined,
    results,
    skipped,
    failed,
  };
  const output = new URL('./results.json', import.meta.url);
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${fileURLToPath(output)}`);
  if (failed.length > 0) process.exitCode = 1;
  // --check (CI): a figure that misses its goal fails the run.
  const missed = results.flatMap((result) => result.measurements).filter((m) => m.name.includes(': MISSED)'));
  if (process.argv.includes('--check') && missed.length > 0) {
    console.error(`goals missed: ${missed.map((m) => m.name).join('; ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
