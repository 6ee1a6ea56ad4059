import type { CheckRow, Evaluation } from '../../index.js';

/**
 * The `p_value` rows of the checks of an evaluation that failed: whose p-value is below
 * `1 - confidence_level` of the same check (0.001 for the SRM check's default level of 0.999). A failed SRM
 * check means the split of exposures does not match the plan, and the metric results are not trustworthy.
 *
 * @param evaluation - The evaluation.
 * @returns The failed checks' `p_value` rows, in the evaluation's order.
 *
 * @example
 * ```ts
 * import { Experiment, SrmCheck } from 'ep-stats';
 * import { failedChecks } from 'ep-stats/report';
 * const experiment = new Experiment({
 *   id: 'e', controlVariant: 'a', unitType: 'u', variants: ['a', 'b'],
 *   checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' })],
 * });
 * const exposures = (a: number, b: number) => [a, b].map((count, v) => ({
 *   exp_id: 'e', exp_variant_id: v === 0 ? 'a' : 'b', unit_type: 'u', agg_type: 'global', goal: 'exposure',
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * }));
 * failedChecks(experiment.evaluateAgg(exposures(10_000, 10_100))).length; // => 0
 * failedChecks(experiment.evaluateAgg(exposures(10_000, 11_000)))[0]?.checkName; // => 'SRM'
 * ```
 * @public
 */
export function failedChecks(evaluation: Evaluation): CheckRow[] {
  return evaluation.checks.filter((check) => {
    if (check.variableId !== 'p_value' || !Number.isFinite(check.value)) return false;
    const level = evaluation.checks.find(
      (row) => row.checkId === check.checkId && row.variableId === 'confidence_level',
    )?.value;
    return level !== undefined && check.value < 1 - level;
  });
}
