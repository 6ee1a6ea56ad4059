/**
 * `npm run demo`: evaluates the reference's example experiments from the bundled goal table
 * (fixtures/ep-stats/goals_agg.csv) and prints a scorecard per experiment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { type AggregatedGoalRow, type Evaluation, Experiment, Metric, SrmCheck } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const goals = parse(readFileSync(join(root, 'fixtures', 'ep-stats', 'goals_agg.csv')), {
  columns: true,
  skip_empty_lines: true,
}) as AggregatedGoalRow[];

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

for (const experiment of experiments) {
  // What a data access layer does: this experiment's rows, within its date range.
  const dated = goals.filter(
    (row) =>
      row.exp_id === experiment.id &&
      (experiment.dateTo === undefined ||
        row.date === '' ||
        (String(row.date) >= (experiment.dateFrom ?? '') && String(row.date) <= experiment.dateFor)),
  );
  printScorecard(experiment, experiment.evaluateAgg(dated));
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
