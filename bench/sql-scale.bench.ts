/**
 * The SQL path at scale, from Parquet on disk: 1,000,000 units / about 10,000,000 events of
 * `generateEvents` in one Parquet file (bench/sql-scale-events.ts; generated once, then cached under
 * node_modules/.cache/ep-stats-bench), queried in a child process (bench/sql-scale-child.ts) that opens
 * the file as `ep-stats evaluate --events` does and runs `SqlDao.getAggGoals` (7 metrics and an SRM
 * check) three times and `evaluateAgg` once.
 *
 * Reported: generation time (0 when cached), the child's open time, first and median query time, events
 * per second of the median query, evaluation time, and the child's peak RSS (VmHWM of /proc/<pid>/status,
 * Linux only; goal <= 1.5 GB). The DuckDB version is printed.
 *
 * Run alone with `npm run bench -- sql-scale`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Measurement } from './measure.js';
import { withGoal } from './measure.js';
import type { ScaleChildResult } from './sql-scale-child.js';
import { scaleEventsFile } from './sql-scale-events.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PEAK_RSS_GOAL_GB = 1.5;

/** Runs the child on `path` and parses its JSON line. */
function runChild(path: string): Promise<ScaleChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sql-scale-child.ts', path], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') {
        reject(new Error(`the query process exited with ${code}:\n${stderr}${stdout}`));
        return;
      }
      resolve(JSON.parse(line) as ScaleChildResult);
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Generates (or finds) the events file, then measures the query in a child process. */
export async function runSqlScaleBench(): Promise<Measurement[]> {
  const file = await scaleEventsFile();
  const result = await runChild(file.path);
  console.log(
    `sql-scale: DuckDB ${result.duckdbVersion}, ${file.path} (${file.cached ? 'cached' : 'generated'})`,
  );
  const first = result.queryMilliseconds[0] ?? Number.NaN;
  const query = median(result.queryMilliseconds);
  const peakGb = result.peakRssBytes / 1024 ** 3;
  return [
    { name: 'sql-scale: events in the Parquet file', value: file.events, unit: 'rows' },
    { name: 'sql-scale: Parquet file size', value: file.bytes / 1024 / 1024, unit: 'MB' },
    { name: 'sql-scale: exposed units', value: result.exposedUnits, unit: 'units' },
    {
      name: `sql-scale: generate 1M units to Parquet (report${file.cached ? '; 0 = cached' : ''})`,
      value: file.generateMilliseconds,
      unit: 'ms',
    },
    {
      name: 'sql-scale: open the file as --events does (view, column checks)',
      value: result.openMilliseconds,
      unit: 'ms',
    },
    { name: 'sql-scale: first getAggGoals, 7 metrics + SRM (report)', value: first, unit: 'ms' },
    { name: 'sql-scale: getAggGoals, median of 3 (report)', value: query, unit: 'ms' },
    {
      name: 'sql-scale: events/s of the median query (report)',
      value: file.events / (query / 1000),
      unit: 'events/s',
    },
    { name: 'sql-scale: goal rows returned', value: result.goalRows, unit: 'rows' },
    { name: 'sql-scale: evaluateAgg on the goal rows', value: result.evaluateMilliseconds, unit: 'ms' },
    {
      name: withGoal('sql-scale: query process peak RSS (VmHWM)', peakGb, PEAK_RSS_GOAL_GB, 'GB'),
      value: peakGb,
      unit: 'GB',
    },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const measurement of await runSqlScaleBench()) console.log(measurement);
}
