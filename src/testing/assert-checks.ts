import type { CheckRow, Evaluation } from '../index.js';
import type { AssertEvaluationOptions, ExpectedRow } from './expected-row.js';
import { idOf, MismatchReport, rowsOfExperiment } from './mismatch-report.js';

/**
 * Checks an evaluation's check results against expected rows; throws an `Error` listing every difference.
 *
 * @remarks
 * Expected rows (`check_id`, `variable_id`, `value`) are those of the evaluation's experiment. Like the
 * reference's `assert_checks`: every check of the evaluation must have expected rows with the same
 * variables; expected checks the evaluation does not have are skipped. Values must satisfy
 * `|actual - expected| <= tolerance` (ten times the tolerance for the `p_value` variable); NaN, `N/A` and
 * `null` only match NaN.
 *
 * @param evaluation - An evaluation.
 * @param expected - Rows such as `TestData.loadEvaluations().checks` or the reference's checks table.
 * @param options - `tolerance` (default 1e-3).
 * @throws `Error` naming check, variable, expected and actual value and the difference of every mismatch;
 *   also when nothing could be compared. `ValidationError` for an invalid tolerance.
 *
 * @example
 * ```ts
 * import { Experiment, SrmCheck } from 'ep-stats';
 * import { TestData, assertChecks } from 'ep-stats/testing';
 * const experiment = new Experiment({
 *   id: 'test-srm', controlVariant: 'a', unitType: 'test_unit_type',
 *   checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' })],
 * });
 * const evaluation = experiment.evaluateAgg(TestData.loadGoalsAgg('test-srm'));
 * assertChecks(evaluation, TestData.loadEvaluations('test-srm').checks); // => undefined
 * ```
 * @public
 */
export function assertChecks(
  evaluation: Evaluation,
  expected: readonly ExpectedRow[],
  options: AssertEvaluationOptions = {},
): void {
  const report = new MismatchReport(options);
  collectCheckMismatches(report, evaluation, expected);
  report.throwIfAny('Checks', evaluation.expId);
}

/** Adds the check differences to a report (see {@link assertChecks}). @internal */
export function collectCheckMismatches(
  report: MismatchReport,
  evaluation: Evaluation,
  expected: readonly ExpectedRow[],
): void {
  const byCheck = new Map<string, Map<string, ReadonlyMap<string, unknown>>>();
  for (const row of rowsOfExperiment(expected, evaluation.expId)) {
    const check = idOf(row, 'check_id', 'check');
    const variables = byCheck.get(check) ?? new Map<string, ReadonlyMap<string, unknown>>();
    variables.set(idOf(row, 'variable_id', 'check'), row);
    byCheck.set(check, variables);
  }
  const actualByCheck = new Map<string, CheckRow[]>();
  for (const row of evaluation.checks) {
    const check = String(row.checkId);
    actualByCheck.set(check, [...(actualByCheck.get(check) ?? []), row]);
  }
  for (const [check, actualRows] of actualByCheck) {
    const expectedVariables = byCheck.get(check);
    if (expectedVariables === undefined) {
      report.add(`check ${check}: no expected rows`);
      continue;
    }
    const actualVariables = new Set(actualRows.map((row) => row.variableId));
    for (const variable of expectedVariables.keys()) {
      if (!actualVariables.has(variable))
        report.add(`check ${check}, ${variable}: missing from the evaluation`);
    }
    for (const actual of actualRows) {
      const row = expectedVariables.get(actual.variableId);
      if (row === undefined) {
        report.add(`check ${check}, ${actual.variableId}: not in the expected rows`);
        continue;
      }
      report.compare(`check ${check}`, actual.variableId, actual.value, row.get('value'));
    }
  }
}
