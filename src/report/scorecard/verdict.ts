import type { Metric, MetricRow } from '../../index.js';

/**
 * What a treatment row of a scorecard says, in words:
 *
 * - `'better'` / `'worse'`: significant, in the direction the metric should move or against it (its
 *   `preferredDirection`, declared or implied by a one-sided `alternative`);
 * - `'increase'` / `'decrease'`: significant, for a metric without a declared direction;
 * - `'non-inferior'`: a non-inferiority test passed: the treatment is not worse by more than the margin;
 * - `'inconclusive'`: the interval contains the null value (0, or the margin);
 * - `'untested'`: no test was possible (a p-value or a bound is NaN, e.g. no units in a variant).
 *
 * @example
 * ```ts
 * import type { Verdict } from 'ep-stats/report';
 * const verdict: Verdict = 'inconclusive';
 * verdict; // => 'inconclusive'
 * ```
 * @public
 */
export type Verdict =
  | 'better'
  | 'worse'
  | 'increase'
  | 'decrease'
  | 'non-inferior'
  | 'inconclusive'
  | 'untested';

/**
 * Every {@link Verdict}, from the significant ones to those without a conclusion: the order legends and
 * summaries list them in.
 *
 * @example
 * ```ts
 * import { VERDICTS } from 'ep-stats/report';
 * VERDICTS.length; // => 7
 * ```
 * @public
 */
export const VERDICTS: readonly Verdict[] = Object.freeze([
  'better',
  'worse',
  'increase',
  'decrease',
  'non-inferior',
  'inconclusive',
  'untested',
]);

/**
 * The verdict of a treatment row (see {@link Verdict}).
 *
 * @param row - A treatment row of an evaluation (not the control's).
 * @param metric - Its metric (for `preferredDirection` and `nonInferiorityMargin`); without it, no direction
 *   is declared and no margin set.
 * @returns The verdict.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { verdictOf } from 'ep-stats/report';
 * const refunds = new Metric({ id: 1, name: 'Refunds', nominator: 'count(u.unit.refund)', denominator: 'count(u.global.exposure)', preferredDirection: 'lower' });
 * const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [refunds] });
 * const row = (variant: string, goal: string, count: number) => ({
 *   exp_id: 'e', exp_variant_id: variant, unit_type: 'u', agg_type: goal === 'exposure' ? 'global' : 'unit', goal,
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * });
 * const evaluation = experiment.evaluateAgg([
 *   row('a', 'exposure', 5000), row('b', 'exposure', 5000), row('a', 'refund', 250), row('b', 'refund', 400),
 * ]);
 * verdictOf(evaluation.metrics[1]!, refunds); // => 'worse'
 * ```
 * @public
 */
export function verdictOf(
  row: MetricRow,
  metric?: Pick<Metric, 'preferredDirection' | 'nonInferiorityMargin'>,
): Verdict {
  if (
    Number.isNaN(row.pValue) ||
    Number.isNaN(row.confidenceLower) ||
    Number.isNaN(row.confidenceUpper) ||
    Number.isNaN(row.diff)
  ) {
    return 'untested';
  }
  if (!row.significant) return 'inconclusive';
  if (metric?.nonInferiorityMargin !== undefined) return 'non-inferior';
  if (row.diff === 0) return 'inconclusive';
  const direction = metric?.preferredDirection;
  const up = row.diff > 0;
  if (direction === undefined) return up ? 'increase' : 'decrease';
  return up === (direction === 'higher') ? 'better' : 'worse';
}
