/**
 * From events to a scorecard with a ratio metric (revenue per order, by the delta method) and a CUPED metric
 * (revenue per user adjusted with each user's revenue over the 14 days before the experiment). Walked
 * through in docs/guide-ratio-and-cuped.md.
 *
 * Run from the repository root with `npx tsx docs/examples/ratio-and-cuped.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Evaluation,
  Experiment,
  formatWideTable,
  Metric,
  type MetricRow,
  renderTerminalTable,
  SrmCheck,
  toWideTable,
} from '../../src/index.js';
import {
  DuckDbClient,
  duckdbDialect,
  EventsSchema,
  generateEvents,
  SqlDao,
  SYNTHETIC_DIMENSIONS,
  writeEventsCsv,
} from '../../src/sql/index.js';

// 1. Events: 10,000 users over 14 days, with the 14 days before the experiment. Users differ in how much
//    they buy, before and during the experiment alike; variant b raises order values by 8 %.
const events = generateEvents({
  seed: 7,
  units: 10_000,
  days: 14,
  preDays: 14,
  startDate: '2024-03-01',
  variants: [{ id: 'a' }, { id: 'b', effects: { value: 0.08 } }],
});
//    Written to CSV and loaded by DuckDB in bulk, as a warehouse export would be.
const folder = mkdtempSync(join(tmpdir(), 'ep-stats-guide-'));
const csv = join(folder, 'events.csv');
writeEventsCsv(events, csv, SYNTHETIC_DIMENSIONS);
const client = await DuckDbClient.open();
await client.query(
  `CREATE TABLE events AS SELECT * FROM read_csv($1, header = true, columns = {'exp_id': 'VARCHAR', ` +
    `'exp_variant_id': 'VARCHAR', 'unit_type': 'VARCHAR', 'unit_id': 'VARCHAR', 'date': 'DATE', 'goal': 'VARCHAR', ` +
    `'count': 'BIGINT', 'value': 'DOUBLE', 'element': 'VARCHAR', 'product': 'VARCHAR', 'country': 'VARCHAR'})`,
  [csv],
);
rmSync(folder, { recursive: true, force: true });
const schema = new EventsSchema({ table: 'events', dimensions: SYNTHETIC_DIMENSIONS, dateType: 'date' });
const dao = new SqlDao({ client, dialect: duckdbDialect, schema });

// 2. The experiment. Revenue per order divides by orders, which vary per user: a ratio metric (its kind is
//    derived from the denominator). The CUPED metric names the length of its pre-period.
const exposures = 'count(user.unit.exposure)';
const revenuePerOrder = new Metric({
  id: 1,
  name: 'Revenue per order',
  nominator: 'value(user.unit.conversion)',
  denominator: 'count(user.unit.conversion)',
  metricFormat: '{:,.2f}',
});
const revenuePerUser = new Metric({
  id: 2,
  name: 'Revenue per user',
  nominator: 'value(user.unit.conversion)',
  denominator: exposures,
  metricFormat: '{:,.2f}',
});
const revenuePerUserCuped = new Metric({
  id: 3,
  name: 'Revenue per user (CUPED)',
  nominator: 'value(user.unit.conversion)',
  denominator: exposures,
  metricFormat: '{:,.2f}',
  cuped: { preDays: 14 },
});
const experiment = new Experiment({
  id: 'demo',
  controlVariant: 'a',
  unitType: 'user',
  dateFrom: '2024-03-01',
  dateTo: '2024-03-14',
  metrics: [revenuePerOrder, revenuePerUser, revenuePerUserCuped],
  checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: exposures })],
});

// 3. One statement returns the metric sums: per variant and metric, the exposed users and the sums of their
//    per-user values (and of the pre-period values for the CUPED metric).
const sums = await dao.getMetricSums(experiment);
const evaluation = experiment.evaluateMetricSums(sums);

// 4. The scorecard.
const table = formatWideTable(toWideTable(evaluation), experiment.metrics);
console.log(renderTerminalTable(table, { color: false }));
console.log();

// 5. What CUPED did: the same lift, measured more precisely.
const row = (result: Evaluation, id: number, variant: string): MetricRow =>
  result.metrics.find((r) => r.metricId === id && r.expVariantId === variant)!;
const percent = (value: number) => `${(100 * value).toFixed(2)} %`;
const plain = row(evaluation, 2, 'b');
const adjusted = row(evaluation, 3, 'b');
console.log(`CUPED theta: ${adjusted.cupedTheta?.toFixed(4)}`);
console.log(`CUPED variance reduction (variant b): ${percent(adjusted.varianceReduction ?? Number.NaN)}`);
console.log(
  `Revenue per user, b vs a: ${percent(plain.diff)} +- ${percent(plain.confidenceInterval)} (p ${plain.pValue.toFixed(4)}); ` +
    `with CUPED ${percent(adjusted.diff)} +- ${percent(adjusted.confidenceInterval)} (p ${adjusted.pValue.toFixed(4)})`,
);

// 6. Revenue per order from goals summed per variant (evaluateAgg): the reference's formula spreads the
//    variance of per-user revenue over the orders, which is not the variance of the ratio; the delta method's
//    interval is the one with its nominal coverage (docs/statistics.md).
const perOrder = new Experiment({
  id: 'demo',
  controlVariant: 'a',
  unitType: 'user',
  metrics: [revenuePerOrder],
});
const naive = row(perOrder.evaluateAgg(await dao.getAggGoals(perOrder)), 1, 'b');
const delta = row(evaluation, 1, 'b');
console.log(
  `Revenue per order, b vs a: ${percent(delta.diff)} +- ${percent(delta.confidenceInterval)} by the delta method; ` +
    `from goals summed per variant +- ${percent(naive.confidenceInterval)}`,
);
await dao.close();
