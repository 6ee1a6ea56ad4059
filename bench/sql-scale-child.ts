/**
 * The measured process of bench/sql-scale.bench.ts: opens an events file the way `ep-stats evaluate
 * --events` and `serve --events` do (`openEventsTable`: a view over the file, its columns checked), runs
 * `SqlDao.getAggGoals` for a realistic experiment and `evaluateAgg` on its rows, and prints one JSON line
 * with the times, the DuckDB version and its own peak RSS (VmHWM of /proc/<pid>/status).
 *
 * Usage: `node --import tsx bench/sql-scale-child.ts <events.parquet> [repetitions]`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { openEventsTable } from '../src/cli/event-goals.js';
import { Experiment, Metric, SrmCheck } from '../src/index.js';
import { SqlDao } from '../src/sql/index.js';

const exposure = 'count(user.global.exposure)';

/** Seven metrics and an SRM check over views, clicks, conversions and refunds, two of them by dimension. */
export const SCALE_EXPERIMENT = new Experiment({
  id: 'scale',
  controlVariant: 'a',
  unitType: 'user',
  dateFrom: '2024-01-01',
  dateTo: '2024-01-21',
  dateFor: '2024-01-21',
  metrics: [
    new Metric({ id: 1, name: 'Views', nominator: 'count(user.unit.view)', denominator: exposure }),
    new Metric({
      id: 2,
      name: 'CTR',
      nominator: 'count(user.unit.click)',
      denominator: 'count(user.unit.view)',
    }),
    new Metric({
      id: 3,
      name: 'Button clicks',
      nominator: 'count(user.unit.click(element=^button))',
      denominator: exposure,
    }),
    new Metric({
      id: 4,
      name: 'Conversion rate',
      nominator: 'unique(user.unit.conversion)',
      denominator: exposure,
    }),
    new Metric({ id: 5, name: 'Revenue', nominator: 'value(user.unit.conversion)', denominator: exposure }),
    new Metric({
      id: 6,
      name: 'Revenue of product 10 and up',
      nominator: 'value(user.unit.conversion(product>=10))',
      denominator: exposure,
    }),
    new Metric({ id: 7, name: 'Refunds', nominator: 'value(user.unit.refund)', denominator: exposure }),
  ],
  checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: exposure })],
});

/** What the child prints. */
export interface ScaleChildResult {
  readonly duckdbVersion: string;
  readonly openMilliseconds: number;
  /** Each `getAggGoals` in turn (the first is what one `evaluate --events` runs). */
  readonly queryMilliseconds: readonly number[];
  readonly evaluateMilliseconds: number;
  readonly goalRows: number;
  /** Units exposed in all variants. */
  readonly exposedUnits: number;
  readonly peakRssBytes: number;
}

function peakRssBytes(): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${process.pid}/status`, 'utf8'));
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
}

async function main(path: string, repetitions: number): Promise<ScaleChildResult> {
  const openStart = performance.now();
  const table = await openEventsTable({ kind: 'file', path });
  const openMilliseconds = performance.now() - openStart;
  try {
    const [version] = await table.client.query('SELECT version() AS v', []);
    const dao = new SqlDao({ client: table.client, dialect: table.dialect, schema: table.schema });
    const queryMilliseconds: number[] = [];
    let rows: Awaited<ReturnType<SqlDao['getAggGoals']>> = [];
    for (let index = 0; index < repetitions; index++) {
      const start = performance.now();
      rows = await dao.getAggGoals(SCALE_EXPERIMENT);
      queryMilliseconds.push(performance.now() - start);
    }
    const evaluateStart = performance.now();
    const evaluation = SCALE_EXPERIMENT.evaluateAgg(rows);
    const evaluateMilliseconds = performance.now() - evaluateStart;
    return {
      duckdbVersion: String(version?.v),
      openMilliseconds,
      queryMilliseconds,
      evaluateMilliseconds,
      goalRows: rows.length,
      exposedUnits: evaluation.exposures.reduce((sum, row) => sum + row.exposures, 0),
      peakRssBytes: peakRssBytes(),
    };
  } finally {
    await table.client.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path, repetitions = '3'] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: sql-scale-child.ts <events.parquet> [repetitions]');
  process.stdout.write(`${JSON.stringify(await main(path, Number(repetitions)))}\n`);
}
