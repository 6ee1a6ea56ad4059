/**
 * A drill-down by country and a daily timeline of the demo events: the scorecard of every country segment
 * (with the SRM check of each), then the cumulative lift of one metric day by day with the O'Brien-Fleming
 * level of each day. Walked through in docs/guide-drill-down-and-timeline.md.
 *
 * Run from the repository root with `npx tsx docs/examples/drill-down-and-timeline.ts`.
 */
import { join } from 'node:path';
import {
  type Evaluation,
  Experiment,
  type ExperimentOptions,
  Metric,
  pythonFormatter,
  SrmCheck,
  type Timeline,
} from '../../src/index.js';
import {
  DuckDbClient,
  duckdbDialect,
  EventsSchema,
  SqlDao,
  SYNTHETIC_DIMENSIONS,
} from '../../src/sql/index.js';

// 1. The demo events (800 users in variants a, b, c over 2024-01-01 ... 2024-01-10, the country on each
//    exposure), loaded by DuckDB from the CSV export.
const csv = join(import.meta.dirname, '..', '..', 'fixtures', 'events', 'demo-events.csv');
const client = await DuckDbClient.open();
await client.query(
  `CREATE TABLE events AS SELECT * FROM read_csv($1, header = true, columns = {'exp_id': 'VARCHAR', ` +
    `'exp_variant_id': 'VARCHAR', 'unit_type': 'VARCHAR', 'unit_id': 'VARCHAR', 'date': 'DATE', 'goal': 'VARCHAR', ` +
    `'count': 'BIGINT', 'value': 'DOUBLE', 'element': 'VARCHAR', 'product': 'VARCHAR', 'country': 'VARCHAR'})`,
  [csv],
);
const schema = new EventsSchema({ table: 'events', dimensions: SYNTHETIC_DIMENSIONS, dateType: 'date' });
const dao = new SqlDao({ client, dialect: duckdbDialect, schema });

// 2. The experiment: two of the demo's metrics and its SRM check, drilled down by country. The three largest
//    countries keep their own segment; the others are evaluated together as '(other)'.
const exposures = 'count(user.global.exposure)';
const definition: ExperimentOptions = {
  id: 'demo',
  controlVariant: 'a',
  unitType: 'user',
  dateFrom: '2024-01-01',
  dateTo: '2024-01-10',
  dateFor: '2024-01-10',
  metrics: [
    new Metric({
      id: 1,
      name: 'Conversion rate',
      nominator: 'unique(user.unit.conversion)',
      denominator: exposures,
    }),
    new Metric({
      id: 2,
      name: 'Revenue per user',
      nominator: 'value(user.unit.conversion)',
      denominator: exposures,
      metricFormat: '{:,.2f}',
    }),
  ],
  checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: exposures })],
  breakdowns: ['country'],
  breakdownTop: 3,
};
const experiment = new Experiment(definition);
const timestamp = 1_704_931_200; // 2024-01-11T00:00:00Z: a fixed evaluation time keeps the output the same

// 3. The drill-down: one statement returns the goals of the totals and of every country; each block is an
//    ordinary evaluation.
const segmented = experiment.evaluateAggSegments(await dao.getAggGoalSegments(experiment), { timestamp });

const percent = (value: number) => `${value >= 0 ? '+' : ''}${(100 * value).toFixed(1)}%`;

/** A text table: the first column left-aligned, the others right-aligned, two spaces apart. */
function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** One block: per metric and variant, the mean, the difference to the control with its interval, the p-value. */
function scorecard(evaluation: Evaluation): string {
  const rows = evaluation.metrics.map((row) => {
    const metric = experiment.metrics.find((m) => m.id === row.metricId)!;
    const mean = pythonFormatter(metric.metricFormat)(row.mean * metric.metricValueMultiplier);
    const control = row.expVariantId === experiment.controlVariant;
    return [
      row.metricName,
      row.expVariantId,
      String(row.count),
      mean,
      control ? '' : percent(row.diff),
      control ? '' : `[${percent(row.confidenceLower)}, ${percent(row.confidenceUpper)}]`,
      control ? '' : row.pValue.toFixed(3),
    ];
  });
  return textTable(['Metric', 'Variant', 'Users', 'Mean', 'Diff', 'Interval', 'p-value'], rows);
}

const srm = (evaluation: Evaluation) =>
  evaluation.checks.find((row) => row.checkId === 1 && row.variableId === 'p_value')!.value.toFixed(3);
const users = (evaluation: Evaluation) =>
  evaluation.exposures.map((row) => `${row.expVariantId} ${row.exposures}`).join(', ');

const blocks = [
  { title: 'Overall', evaluation: segmented.overall },
  ...segmented.segments.map((segment) => ({
    title: `country = ${segment.value}${segment.folded ? ` (${segment.folded.join(', ')})` : ''}`,
    evaluation: segment.evaluation,
  })),
];
for (const { title, evaluation } of blocks) {
  console.log(`${title}: users ${users(evaluation)}; SRM p-value ${srm(evaluation)}`);
  console.log(scorecard(evaluation));
  console.log();
}

// 4. The same drill-down with `correctionScope: 'report'`: the treatments of every metric in every block form
//    one family of the experiment's correction (Holm), instead of each block being corrected alone. Shown:
//    the comparisons significant at 5 % before that correction.
const reportWide = new Experiment({ ...definition, correctionScope: 'report' }).evaluateAggSegments(
  await dao.getAggGoalSegments(experiment),
  { timestamp },
);
const comparisons = blocks.flatMap(({ title, evaluation }, b) =>
  evaluation.metrics.flatMap((row, r) => {
    const corrected = (b === 0 ? reportWide.overall : reportWide.segments[b - 1]!.evaluation).metrics[r]!;
    if (row.expVariantId === experiment.controlVariant || !(row.pValue < 0.05)) return [];
    const interval = `[${percent(corrected.confidenceLower)}, ${percent(corrected.confidenceUpper)}]`;
    return [
      [
        b === 0 ? title : `country = ${segmented.segments[b - 1]!.value}`,
        row.metricName,
        row.expVariantId,
        row.pValue.toFixed(3),
        corrected.pValue.toFixed(3),
        interval,
      ],
    ];
  }),
);
const family = blocks.reduce(
  (count, { evaluation }) => count + evaluation.metrics.filter((row) => row.expVariantId !== 'a').length,
  0,
);
console.log(`Corrected across the report: ${family} comparisons, Holm`);
console.log(
  textTable(
    ['Block', 'Metric', 'Variant', 'p-value alone', 'p-value report', 'Interval report'],
    comparisons,
  ),
);
console.log();

// 5. The timeline: one statement returns, for every day, the goals summed over the events up to that day;
//    each day is evaluated as it would have been on that day, with that day's O'Brien-Fleming level.
const timeline: Timeline = experiment.evaluateTimeline(await dao.getTimelineGoals(experiment), { timestamp });
const days = timeline.metrics
  .filter((row) => row.metricId === 1 && row.expVariantId === 'b')
  .map((row) => [
    row.day,
    row.confidenceLevel.toFixed(4),
    String(row.count),
    pythonFormatter('{:.2%}')(row.mean),
    percent(row.diff),
    `[${percent(row.confidenceLower)}, ${percent(row.confidenceUpper)}]`,
    row.pValue.toFixed(3),
  ]);
console.log('Conversion rate, b vs a, cumulative');
console.log(textTable(['Day', 'Level', 'Users b', 'Mean b', 'Diff', 'Interval', 'p-value'], days));
await dao.close();
