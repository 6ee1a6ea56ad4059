/**
 * `npm run demo`: evaluates the reference's example experiments from the bundled goal table
 * (fixtures/ep-stats/goals_agg.csv, read through the `ep-stats/testing` data access object) and prints a
 * scorecard per experiment.
 */
import { type Evaluation, Experiment, Metric, SrmCheck } from '../src/index.js';
import { TestDaoFactory } from '../src/testing/index.js';

const unit = 'test_unit_type';
const exposure = `count(${unit}.global.exposure)`;
const srm = new SrmCheck({ id: 1, name: 'SRM', denominator: exposure });

const experiments = [
  new Experiment({
    id: 'test-conversion',
    controlVariant: 'a',
    unitType: unit,
    metrics: [
      new Metric({
        id: 1,
        name: 'Click-through Rate',
        nominator: `count(${unit}.unit.click)`,
        denominator: exposure,
      }),
    ],
    checks: [srm],
  }),
  new Experiment({
    id: 'test-conversion-with-minimum-effect',
    controlVariant: 'a',
    unitType: unit,
    metrics: [
      new Metric({
        id: 1,
        name: 'Click-through Rate',
        nominator: `count(${unit}.unit.click)`,
        denominator: exposure,
        minimumEffect: 0.1,
      }),
    ],
  }),
  new Experiment({
    id: 'test-real-valued',
    controlVariant: 'a',
    unitType: unit,
    metrics: [
      new Metric({
        id: 2,
        name: 'Average Bookings',
        nominator: `value(${unit}.unit.conversion)`,
        denominator: exposure,
      }),
    ],
    checks: [srm],
  }),
  new Experiment({
    id: 'test-dimension',
    controlVariant: 'a',
    unitType: unit,
    variants: ['a', 'b'],
    nullHypothesisRate: 0.1,
    metrics: [
      new Metric({
        id: 1,
        name: 'Views per User of Screen button-1',
        nominator: `count(${unit}.unit.view(element=button-1))`,
        denominator: exposure,
      }),
      new Metric({
        id: 2,
        name: 'Views per User of Screen button-%',
        nominator: `count(${unit}.unit.view(element=button-%))`,
        denominator: exposure,
      }),
    ],
    checks: [srm],
  }),
  new Experiment({
    id: 'test-sequential-v2',
    controlVariant: 'a',
    unitType: unit,
    dateFrom: '2020-01-01',
    dateTo: '2020-01-14',
    dateFor: '2020-01-10',
    metrics: [
      new Metric({
        id: 1,
        name: 'Average Bookings',
        nominator: `value(${unit}.unit.conversion)`,
        denominator: exposure,
      }),
    ],
  }),
];

// The bundled test data access object plays the warehouse: it returns each experiment's goal rows,
// restricted to its date range and filters.
const daoFactory = new TestDaoFactory();
for (const experiment of experiments) {
  const dao = await daoFactory.getDao();
  try {
    printScorecard(experiment, experiment.evaluateAgg(await dao.getAggGoals(experiment)));
  } finally {
    await dao.close();
  }
}

function printScorecard(experiment: Experiment, evaluation: Evaluation): void {
  console.log(
    `\n${experiment.id}  (control ${experiment.controlVariant}, confidence level ${evaluation.confidenceLevel})`,
  );
  const header = ['metric', 'variant', 'count', 'mean', 'diff', 'CI', 'p-value', 'df', 'power', 'req. n'];
  const rows = evaluation.metrics.map((row) => [
    row.metricName,
    row.expVariantId,
    String(row.count),
    format(row.mean, 4),
    percent(row.diff),
    `±${percent(row.confidenceInterval).replace(/^\+/, '')}`,
    row.pValue < 1e-4 ? row.pValue.toExponential(2) : format(row.pValue, 4),
    String(row.degreesOfFreedom),
    format(row.power, 3),
    String(row.requiredSampleSize),
  ]);
  printTable(header, rows);
  for (const check of evaluation.checks) {
    console.log(`  check ${check.checkName}: ${check.variableId} = ${format(check.value, 6)}`);
  }
  console.log(
    `  exposures: ${evaluation.exposures.map((row) => `${row.expVariantId}=${row.exposures}`).join(', ')}`,
  );
  for (const warning of evaluation.warnings) console.log(`  warning: ${warning.message}`);
}

function format(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%` : String(value);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`;
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}
