import { type Evaluation, type MetricRow, ValidationError } from '../index.js';
import type { AssertEvaluationOptions, ExpectedRow } from './expected-row.js';
import { idOf, MismatchReport, rowsOfExperiment } from './mismatch-report.js';

/** Numeric metric columns (snake_case, as in the reference) and the `MetricRow` fields holding them. */
const METRIC_FIELDS = {
  count: 'count',
  mean: 'mean',
  std: 'std',
  sum_value: 'sumValue',
  confidence_level: 'confidenceLevel',
  diff: 'diff',
  test_stat: 'testStat',
  p_value: 'pValue',
  confidence_interval: 'confidenceInterval',
  standard_error: 'standardError',
  degrees_of_freedom: 'degreesOfFreedom',
  minimum_effect: 'minimumEffect',
  sample_size: 'sampleSize',
  required_sample_size: 'requiredSampleSize',
  power: 'power',
  false_positive_risk: 'falsePositiveRisk',
} as const satisfies Record<string, keyof MetricRow>;

type MetricColumn = keyof typeof METRIC_FIELDS;

/** The columns the reference's own tests compare. */
const REFERENCE_COLUMNS: readonly MetricColumn[] = [
  'sum_value',
  'diff',
  'mean',
  'p_value',
  'confidence_interval',
  'confidence_level',
  'sample_size',
  'required_sample_size',
  'power',
  'false_positive_risk',
  'minimum_effect',
];

/**
 * Checks an evaluation's metrics against expected rows; throws an `Error` listing every difference.
 *
 * @remarks
 * Expected rows are those of the evaluation's experiment (rows with another `exp_id` are ignored), matched
 * by `metric_id` and `exp_variant_id`. Like the reference's `assert_metrics`: every metric of the evaluation
 * must have expected rows, with the same variants; expected metrics the evaluation does not have are
 * skipped (the spreadsheet lists metrics of several definitions of one experiment). Each compared cell
 * must satisfy `|actual - expected| <= tolerance` (ten times the tolerance for `p_value` and
 * `confidence_interval`); NaN, `N/A` and `null` only match NaN, infinities only themselves.
 *
 * @param evaluation - What `Experiment.evaluateAgg` (or by unit, or wide) returned.
 * @param expected - Rows such as `TestData.loadEvaluations().metrics` or the reference's metrics table.
 * @param options - `tolerance` (default 1e-3) and `columns` (default: the reference's compared columns).
 * @throws `Error` naming metric, variant, column, expected and actual value and the difference of every
 *   mismatch; also when nothing could be compared. `ValidationError` for invalid options.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { TestData, assertMetrics } from 'ep-stats/testing';
 * const experiment = new Experiment({
 *   id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type',
 *   metrics: [new Metric({ id: 1, name: 'Click-through Rate', nominator: 'count(test_unit_type.unit.click)', denominator: 'count(test_unit_type.global.exposure)' })],
 * });
 * const evaluation = experiment.evaluateAgg(TestData.loadGoalsAgg('test-conversion'));
 * const expected = TestData.loadEvaluations('test-conversion').metrics;
 * assertMetrics(evaluation, expected); // => undefined
 * assertMetrics(evaluation, expected.map((row) => ({ ...row, mean: 0.25 }))); // throws Error
 * ```
 * @public
 */
export function assertMetrics(
  evaluation: Evaluation,
  expected: readonly ExpectedRow[],
  options: AssertEvaluationOptions = {},
): void {
  const report = new MismatchReport(options);
  collectMetricMismatches(report, evaluation, expected, options);
  report.throwIfAny('Metrics', evaluation.expId);
}

/** Adds the metric differences to a report (see {@link assertMetrics}). @internal */
export function collectMetricMismatches(
  report: MismatchReport,
  evaluation: Evaluation,
  expected: readonly ExpectedRow[],
  options: AssertEvaluationOptions,
): void {
  const columns = metricColumns(options.columns);
  const expectedRows = rowsOfExperiment(expected, evaluation.expId);
  const byMetric = new Map<string, Map<string, ReadonlyMap<string, unknown>>>();
  for (const row of expectedRows) {
    const metric = idOf(row, 'metric_id', 'metric');
    const variants = byMetric.get(metric) ?? new Map<string, ReadonlyMap<string, unknown>>();
    variants.set(idOf(row, 'exp_variant_id', 'metric'), row);
    byMetric.set(metric, variants);
  }
  const actualByMetric = new Map<string, MetricRow[]>();
  for (const row of evaluation.metrics) {
    const metric = String(row.metricId);
    actualByMetric.set(metric, [...(actualByMetric.get(metric) ?? []), row]);
  }
  for (const [metric, actualRows] of actualByMetric) {
    const expectedVariants = byMetric.get(metric);
    if (expectedVariants === undefined) {
      report.add(`metric ${metric}: no expected rows`);
      continue;
    }
    const actualVariants = new Set(actualRows.map((row) => row.expVariantId));
    for (const variant of expectedVariants.keys()) {
      if (!actualVariants.has(variant))
        report.add(`metric ${metric}, variant ${variant}: missing from the evaluation`);
    }
    for (const actual of actualRows) {
      const label = `metric ${metric}, variant ${actual.expVariantId}`;
      const row = expectedVariants.get(actual.expVariantId);
      if (row === undefined) {
        report.add(`${label}: not in the expected rows`);
        continue;
      }
      for (const column of columns) {
        if (!row.has(column)) continue;
        report.compare(label, column, actual[METRIC_FIELDS[column]] as number, row.get(column));
      }
    }
  }
}

function metricColumns(columns: readonly string[] | undefined): readonly MetricColumn[] {
  if (columns === undefined) return REFERENCE_COLUMNS;
  const unknown = columns.filter((column) => !Object.hasOwn(METRIC_FIELDS, column));
  if (unknown.length > 0) {
    throw new ValidationError(
      `Unknown metric column(s) ${unknown.map((column) => `\`${column}\``).join(', ')}; expected some of ` +
        Object.keys(METRIC_FIELDS).join(', '),
      ['columns'],
    );
  }
  return columns as readonly MetricColumn[];
}
