import { ascendingOrder } from './holm-bonferroni.js';

/**
 * Benjamini-Hochberg step-up adjustment of p-values, controlling the false discovery rate.
 *
 * @remarks
 * Sort the `m` p-values ascending, `NaN` last. The adjusted p-value of the `i`-th smallest (1-based) is the
 * running minimum from the largest down of `min(1, (m / i) p_(i))`, so adjusted values are monotone in the
 * raw ones and capped at 1; results are returned in input order. A `NaN` counts in `m` and stays `NaN`, as
 * in {@link holmBonferroni} (the result equals R's `p.adjust(p[!is.na(p)], "BH", n = length(p))`, which
 * treats the untested hypotheses as p-values of 1). Rejecting where `p_adj <= alpha` is the step-up
 * procedure: reject the `R` smallest p-values for the largest `R` with `p_(R) <= R alpha / m`. It keeps the
 * expected share of false rejections among the rejections at most `alpha` (exactly `m0 alpha / m` with
 * `m0` true null hypotheses) for independent or positively dependent tests; it never adjusts more than
 * {@link holmBonferroni}, which never adjusts more than {@link bonferroni}. Equal to statsmodels'
 * `multipletests(method="fdr_bh")`. Benjamini, Y. and Hochberg, Y. (1995), "Controlling the false discovery
 * rate: a practical and powerful approach to multiple testing", Journal of the Royal Statistical Society B
 * 57(1).
 *
 * @param pValues - The raw p-values of one family of tests.
 * @returns The adjusted p-values, each at least its raw value, in input order.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { benjaminiHochberg } from 'ep-stats';
 * // sorted 0.01 (x 3/1), 0.03 (x 3/2), 0.04 (x 3/3); the running minimum from the largest down
 * [...benjaminiHochberg([0.01, 0.04, 0.03])]; // => ~[0.03, 0.04, 0.04]
 * [...benjaminiHochberg([0.2, Number.NaN])]; // => [0.4, Number.NaN]
 * ```
 * @public
 */
export function benjaminiHochberg(pValues: ArrayLike<number>): Float64Array {
  const m = pValues.length;
  const adjusted = new Float64Array(m);
  benjaminiHochbergAdjustInto(pValues, m, new Int32Array(m), adjusted);
  return adjusted;
}

/**
 * Benjamini-Hochberg-adjusts the first `m` values of `pValues` into `adjusted` (input order), ordering them
 * in `order` (scratch space of at least `m` cells): {@link benjaminiHochberg} without allocations.
 * @internal
 */
export function benjaminiHochbergAdjustInto(
  pValues: ArrayLike<number>,
  m: number,
  order: Int32Array,
  adjusted: Float64Array,
): void {
  ascendingOrder(pValues, m, order);
  let runningMin = 1;
  for (let rank = m - 1; rank >= 0; rank -= 1) {
    const index = order[rank]!;
    const p = pValues[index]!;
    if (Number.isNaN(p)) {
      adjusted[index] = Number.NaN;
      continue;
    }
    runningMin = Math.min(runningMin, (m / (rank + 1)) * p);
    adjusted[index] = runningMin;
  }
}
