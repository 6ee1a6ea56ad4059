import type { Evaluation } from '../index.js';
import { collectCheckMismatches } from './assert-checks.js';
import { collectExposureMismatches } from './assert-exposures.js';
import { collectMetricMismatches } from './assert-metrics.js';
import type { AssertEvaluationOptions, ExpectedEvaluations } from './expected-row.js';
import { MismatchReport } from './mismatch-report.js';

/**
 * Checks a whole evaluation (metrics, checks, exposures) against expected rows and throws one `Error`
 * listing every difference.
 *
 * @remarks
 * {@link assertMetrics}, {@link assertChecks} and {@link assertExposures} in one go, as the reference's
 * `assert_experiment`; the rows of a part that is absent from `expected` are not compared. Evaluations with
 * no checks need no check rows.
 *
 * @param evaluation - An evaluation.
 * @param expected - Expected rows, e.g. {@link TestData.loadEvaluations} (all experiments or one).
 * @param options - `tolerance`, metric `columns`, exposure `unitType`.
 * @throws `Error` listing every mismatch (metric or check or variant, column, expected, actual, delta).
 *
 * @example
 * ```ts
 * import { Experiment, Metric, SrmCheck } from 'ep-stats';
 * import { TestData, assertEvaluation } from 'ep-stats/testing';
 * const experiment = new Experiment({
 *   id: 'test-real-valued', controlVariant: 'a', unitType: 'test_unit_type',
 *   metrics: [new Metric({ id: 2, name: 'Average Bookings', nominator: 'value(test_unit_type.unit.conversion)', denominator: 'count(test_unit_type.global.exposure)' })],
 *   checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' })],
 * });
 * const evaluation = experiment.evaluateAgg(TestData.loadGoalsAgg('test-real-valued'));
 * assertEvaluation(evaluation, TestData.loadEvaluations()); // => undefined
 * ```
 * @public
 */
export function assertEvaluation(
  evaluation: Evaluation,
  expected: Partial<ExpectedEvaluations>,
  options: AssertEvaluationOptions = {},
): void {
  const report = new MismatchReport(options);
  if (expected.metrics !== undefined) collectMetricMismatches(report, evaluation, expected.metrics, options);
  if (expected.checks !== undefined) collectCheckMismatches(report, evaluation, expected.checks);
  if (expected.exposures !== undefined) {
    collectExposureMismatches(report, evaluation, expected.exposures, options);
  }
  report.throwIfAny('Results', evaluation.expId);
}
