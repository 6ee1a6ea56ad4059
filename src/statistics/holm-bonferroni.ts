import type { Alternative } from './alternative.js';
import { tHalfWidthAt } from './t-half-width.js';

/**
 * Holm-Bonferroni step-down adjustment of p-values for multiple comparisons.
 *
 * @remarks
 * Sort the `m` p-values ascending, `NaN` last (a `NaN` counts in `m` and stays `NaN`). The adjusted
 * p-value of the `i`-th smallest (1-based) is the running maximum of `min(1, (m - i + 1) p_(i))`; results
 * are returned in input order. Equal to statsmodels' `multipletests(method="holm")`. Holm, S. (1979), "A
 * simple sequentially rejective multiple test procedure", Scandinavian Journal of Statistics 6(2).
 *
 * @param pValues - The raw p-values of one family of tests (the treatments of one metric).
 * @returns The adjusted p-values, each at least its raw value, in input order.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { holmBonferroni } from 'ep-stats';
 * [...holmBonferroni([0.01, 0.04, 0.03])]; // => [0.03, 0.06, 0.06]
 * [...holmBonferroni([0.2, Number.NaN])]; // => [0.4, Number.NaN]
 * ```
 * @public
 */
export function holmBonferroni(pValues: ArrayLike<number>): Float64Array {
  const m = pValues.length;
  const adjusted = new Float64Array(m);
  holmAdjustInto(pValues, m, new Int32Array(m), adjusted);
  return adjusted;
}

/**
 * Holm-adjusts the first `m` values of `pValues` into `adjusted` (input order), ordering them in `order`
 * (scratch space of at least `m` cells): {@link holmBonferroni} without allocations, for families taken
 * one after another.
 * @internal
 */
export function holmAdjustInto(
  pValues: ArrayLike<number>,
  m: number,
  order: Int32Array,
  adjusted: Float64Array,
): void {
  ascendingOrder(pValues, m, order);
  let runningMax = 0;
  for (let rank = 0; rank < m; rank += 1) {
    const index = order[rank]!;
    const p = pValues[index]!;
    if (Number.isNaN(p)) {
      adjusted[index] = Number.NaN;
      continue;
    }
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * p));
    adjusted[index] = runningMax;
  }
}

/** Lists up to which an insertion sort beats a comparison sort with its allocations (one metric's variants). */
const INSERTION_SORT_LIMIT = 32;

/**
 * The indices of the first `m` values in ascending order into `order`, NaN last, ties in index order (stable).
 * @internal
 */
export function ascendingOrder(values: ArrayLike<number>, m: number, order: Int32Array): void {
  if (m > INSERTION_SORT_LIMIT) {
    const sorted = Array.from({ length: m }, (_, index) => index);
    sorted.sort((a, b) => ascendingNaNLast(values[a]!, values[b]!));
    order.set(sorted);
    return;
  }
  for (let index = 0; index < m; index += 1) {
    let position = index;
    while (position > 0 && ascendingNaNLast(values[order[position - 1]!]!, values[index]!) > 0) {
      order[position] = order[position - 1]!;
      position -= 1;
    }
    order[position] = index;
  }
}

function ascendingNaNLast(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

/**
 * Cells of a Welch test whose confidence intervals are widened to match Holm-adjusted p-values.
 *
 * @example
 * ```ts
 * import { adjustIntervalsForHolm, type HolmIntervalInput } from 'ep-stats';
 * const input: HolmIntervalInput = {
 *   pValues: [0.3],
 *   adjustedPValues: [0.3],
 *   standardErrors: [0.5],
 *   degreesOfFreedom: [Number.POSITIVE_INFINITY],
 *   confidenceLevel: 0.95,
 * };
 * adjustIntervalsForHolm(input)[0]; // => ~0.979981992270027
 * ```
 * @public
 */
export interface HolmIntervalInput {
  /** Raw p-values of the cells. */
  readonly pValues: ArrayLike<number>;
  /** Holm-adjusted p-values of the same cells ({@link holmBonferroni}). */
  readonly adjustedPValues: ArrayLike<number>;
  /** Standard errors of the same cells. */
  readonly standardErrors: ArrayLike<number>;
  /** Degrees of freedom of the same cells. */
  readonly degreesOfFreedom: ArrayLike<number>;
  /** Confidence level before the adjustment, e.g. 0.95. */
  readonly confidenceLevel: number;
  /**
   * Alternative of the tests whose p-values these are, default `'two-sided'`; one-sided p-values get the
   * one-sided quantile `t_f^-1(1 - alpha_i)` (the half-width is then the distance to the finite bound).
   */
  readonly alternative?: Alternative;
}

/**
 * Confidence-interval half-widths consistent with Holm-adjusted p-values.
 *
 * @remarks
 * Per cell: `ratio = p / p_adj` (a `NaN` ratio, e.g. `0 / 0`, counts as 1), `alpha_i = ratio (1 - cl)` and
 * `ci = se * t_f^-1(1 - alpha_i / 2)` (`t_f^-1(1 - alpha_i)` for one-sided p-values). A cell whose p-value
 * Holm multiplied by `k` gets the interval of level `1 - (1 - cl) / k`. Apply it to the treatment cells of one metric, with the p-values that
 * {@link holmBonferroni} adjusted together.
 *
 * @param input - Raw and adjusted p-values, standard errors and degrees of freedom of the same cells.
 * @returns The adjusted half-widths, one per cell, in input order.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { adjustIntervalsForHolm } from 'ep-stats';
 * const ci = adjustIntervalsForHolm({
 *   pValues: [0.01, 0.04],
 *   adjustedPValues: [0.02, 0.04],
 *   standardErrors: [1, 1],
 *   degreesOfFreedom: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
 *   confidenceLevel: 0.95,
 * });
 * ci[0]; // => ~2.241402727604947
 * ci[1]; // => ~1.959963984540054
 * ```
 * @public
 */
export function adjustIntervalsForHolm(input: HolmIntervalInput): Float64Array {
  const { pValues, adjustedPValues, standardErrors, degreesOfFreedom, confidenceLevel } = input;
  const intervals = new Float64Array(pValues.length);
  for (let cell = 0; cell < pValues.length; cell += 1) {
    intervals[cell] = holmInterval(
      pValues[cell]!,
      adjustedPValues[cell]!,
      standardErrors[cell]!,
      degreesOfFreedom[cell]!,
      confidenceLevel,
      input.alternative,
    );
  }
  return intervals;
}

/**
 * The half-width of one cell's interval at the level its Holm adjustment implies (see
 * {@link adjustIntervalsForHolm}), two-sided unless `alternative` says otherwise.
 * @internal
 */
export function holmInterval(
  pValue: number,
  adjustedPValue: number,
  standardError: number,
  degreesOfFreedom: number,
  confidenceLevel: number,
  alternative: Alternative = 'two-sided',
): number {
  let ratio = pValue / adjustedPValue;
  if (Number.isNaN(ratio)) {
    ratio = 1;
  }
  return tHalfWidthAt(standardError, degreesOfFreedom, ratio * (1 - confidenceLevel), alternative);
}
