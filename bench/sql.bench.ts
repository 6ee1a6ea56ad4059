/**
 * Benchmark of the SQL data access: 1,000,000 units and 10,000,000 events generated inside DuckDB (SQL
 * `range()`, no rows through JavaScript), then `SqlDao.getAggGoals` (one statement) and
 * `Experiment.evaluateAgg` on its rows. Reports the times and the peak resident set size of the process.
 */
import { pathToFileURL } from 'node:url';
import { Experiment, Filter, Metric, SrmCheck } from '../src/index.js';
import { DuckDbClient, duckdbDialect, SqlDao } from '../src/sql/index.js';
import { type Measurement, meanMilliseconds } from './measure.js';

const UNITS = 1_000_000;
const EVENTS_PER_UNIT = 10;

/**
 * Per unit (variant a or b by parity, first day by hash): event 0 is the exposure (with a country), 1-5
 * views, 6-8 clicks (element and product drawn by hash), 9 a conversion with a log-normal value.
 */
const GENERATE = `
CREATE TABLE events AS
WITH draws AS (
  SELECT i, i // ${EVENTS_PER_UNIT} AS unit, i % ${EVENTS_PER_UNIT} AS k,
    (hash(i, 2) % 1000000 + 0.5) / 1000000 AS u1, (hash(i, 3) % 1000000) / 1000000 AS u2
  FROM range(${UNITS * EVENTS_PER_UNIT}) AS t(i)
)
SELECT
  'bench' AS exp_id,
  CASE WHEN unit % 2 = 0 THEN 'a' ELSE 'b' END AS exp_variant_id,
  'user' AS unit_type,
  CAST(unit AS VARCHAR) AS unit_id,
  strftime(DATE '2024-01-01' + CAST(hash(unit, 1) % 14 AS INTEGER), '%Y-%m-%d') AS date,
  CASE WHEN k = 0 THEN 'exposure' WHEN k <= 5 THEN 'view' WHEN k <= 8 THEN 'click' ELSE 'conversion' END AS goal,
  1 AS count,
  CASE WHEN k = 9 THEN round(exp(3.5 + 0.9 * sqrt(-2 * ln(u1)) * cos(2 * pi() * u2)), 2) ELSE 0 END AS value,
  CASE WHEN k BETWEEN 1 AND 8 THEN ['button-1', 'button-2', 'button-10', 'link-1'][1 + CAST(hash(i, 4) % 4 AS INTEGER)] ELSE '' END AS element,
  CASE WHEN k >= 1 THEN ['1', '2', '3', '10', 'p-1', 'p_1'][1 + CAST(hash(i, 5) % 6 AS INTEGER)] ELSE '' END AS product,
  CASE WHEN k = 0 THEN ['CZ', 'DE', 'FR', 'SK', 'US'][1 + CAST(unit % 5 AS INTEGER)] ELSE '' END AS country
FROM draws`;

const exposure = 'count(user.global.exposure)';
const experiment = new Experiment({
  id: 'bench',
  controlVariant: 'a',
  unitType: 'user',
  dateFrom: '2024-01-01',
  dateTo: '2024-01-14',
  dateFor: '2024-01-14',
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
      name: 'Product clicks',
      nominator: 'count(user.unit.click(product>2))',
      denominator: exposure,
    }),
    new Metric({ id: 5, name: 'Revenue', nominator: 'value(user.unit.conversion)', denominator: exposure }),
    new Metric({
      id: 6,
      name: 'Buyers',
      nominator: 'unique(user.unit.conversion(product=p_%))',
      denominator: exposure,
    }),
  ],
  checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: exposure })],
});
const filtered = new Experiment({
  id: experiment.id,
  controlVariant: experiment.controlVariant,
  unitType: experiment.unitType,
  metrics: experiment.metrics,
  checks: experiment.checks,
  filters: [
    new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'DE'] }),
    new Filter({ scope: 'trigger', goal: 'click', dimension: 'element', values: ['link-1'] }),
  ],
});

async function meanAsyncMilliseconds(
  run: () => Promise<unknown>,
  warmUp: number,
  iterations: number,
): Promise<number> {
  for (let index = 0; index < warmUp; index++) await run();
  const start = performance.now();
  for (let index = 0; index < iterations; index++) await run();
  return (performance.now() - start) / iterations;
}

/** Generates the events in an in-memory DuckDB and times the goal query and the evaluation. */
export async function runSqlBench(): Promise<Measurement[]> {
  const client = await DuckDbClient.open();
  try {
    const generateStart = performance.now();
    await client.query(GENERATE, []);
    const generateMilliseconds = performance.now() - generateStart;
    const [{ n } = { n: 0 }] = await client.query('SELECT COUNT(*) AS n FROM events', []);
    const dao = new SqlDao({
      client,
      dialect: duckdbDialect,
      schema: { table: 'events', dimensions: ['element', 'product', 'country'] },
    });
    const rows = await dao.getAggGoals(experiment);
    const queryMilliseconds = await meanAsyncMilliseconds(() => dao.getAggGoals(experiment), 0, 3);
    const filteredMilliseconds = await meanAsyncMilliseconds(() => dao.getAggGoals(filtered), 1, 3);
    const evaluateMilliseconds = meanMilliseconds(() => experiment.evaluateAgg(rows), 10, 200);
    return [
      { name: 'events generated in DuckDB', value: Number(n), unit: 'rows' },
      { name: 'generate 10M events (SQL range)', value: generateMilliseconds, unit: 'ms' },
      { name: 'getAggGoals, 6 metrics + SRM, 8 goals', value: queryMilliseconds, unit: 'ms' },
      { name: 'getAggGoals with exposure + trigger filters', value: filteredMilliseconds, unit: 'ms' },
      { name: 'goal rows returned', value: rows.length, unit: 'rows' },
      { name: 'evaluateAgg on the goal rows', value: evaluateMilliseconds, unit: 'ms' },
      { name: 'peak RSS', value: (process.resourceUsage().maxRSS * 1024) / 1024 / 1024, unit: 'MB' },
    ];
  } finally {
    await client.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const measurement of await runSqlBench()) console.log(measurement);
}
