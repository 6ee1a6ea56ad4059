import type { Evaluation } from '../index.js';
import type { AssertEvaluationOptions, ExpectedRow } from './expected-row.js';
import { expectedNumber, idOf, MismatchReport, rowsOfExperiment } from './mismatch-report.js';

/**
 * Checks an evaluation's exposures against expected rows; throws an `Error` listing every difference.
 *
 * @remarks
 * Expected rows are those of the evaluation's experiment; rows with a `goal` column count only when it is
 * `exposure`, rows with an `agg_type` column only when it is `global`, and with the `unitType` option rows
 * with a `unit_type` column only of that unit type (as the reference's `assert_exposures`). The exposures
 * are the `exposures` column or else the `count` column, summed per `exp_variant_id`. The evaluation must
 * have exactly the expected variants, each within the tolerance.
 *
 * @param evaluation - An evaluation.
 * @param expected - Rows such as `TestData.loadEvaluations().exposures` or the reference's exposures table.
 * @param options - `tolerance` (default 1e-3) and `unitType`.
 * @throws `Error` naming variant, expected and actual exposures of every mismatch; also when nothing could
 *   be compared. `ValidationError` for an invalid tolerance.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { TestData, assertExposures } from 'ep-stats/testing';
 * const experiment = new Experiment({ id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type' });
 * const evaluation = experiment.evaluateAgg(TestData.loadGoalsAgg('test-conversion'));
 * evaluation.exposures.map((row) => row.exposures); // => [21, 26, 30]
 * assertExposures(evaluation, TestData.loadEvaluations().exposures); // => undefined
 * assertExposures(evaluation, [{ exp_variant_id: 'a', exposures: 21 }]); // throws Error
 * ```
 * @public
 */
export function assertExposures(
  evaluation: Evaluation,
  expected: readonly ExpectedRow[],
  options: AssertEvaluationOptions = {},
): void {
  const report = new MismatchReport(options);
  collectExposureMismatches(report, evaluation, expected, options);
  report.throwIfAny('Exposures', evaluation.expId);
}

/** Adds the exposure differences to a report (see {@link assertExposures}). @internal */
export function collectExposureMismatches(
  report: MismatchReport,
  evaluation: Evaluation,
  expected: readonly ExpectedRow[],
  options: AssertEvaluationOptions,
): void {
  const totals = new Map<string, number>();
  for (const row of rowsOfExperiment(expected, evaluation.expId)) {
    if (row.has('goal') && row.get('goal') !== 'exposure') continue;
    if (row.has('agg_type') && row.get('agg_type') !== 'global') continue;
    if (options.unitType !== undefined && row.has('unit_type') && row.get('unit_type') !== options.unitType) {
      continue;
    }
    const variant = idOf(row, 'exp_variant_id', 'exposure');
    const cell = row.has('exposures') ? row.get('exposures') : row.get('count');
    const exposures = expectedNumber(cell, `exposures, variant ${variant}`);
    totals.set(variant, (totals.get(variant) ?? 0) + exposures);
  }
  if (totals.size === 0) return;
  const actualVariants = new Set(evaluation.exposures.map((row) => row.expVariantId));
  for (const variant of totals.keys()) {
    if (!actualVariants.has(variant)) report.add(`variant ${variant}: missing from the evaluation`);
  }
  for (const actual of evaluation.exposures) {
    const total = totals.get(actual.expVariantId);
    if (total === undefined) report.add(`variant ${actual.expVariantId}: not in the expected rows`);
    else report.compare(`variant ${actual.expVariantId}`, 'exposures', actual.exposures, total);
  }
}
