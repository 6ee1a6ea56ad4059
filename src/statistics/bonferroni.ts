/**
 * Bonferroni adjustment of p-values for multiple comparisons.
 *
 * @remarks
 * Each of the `m` p-values is multiplied by `m` and capped at 1: `p_adj = min(1, m p)`. A `NaN` counts in `m`
 * and stays `NaN`, as in {@link holmBonferroni} (so the result equals R's
 * `p.adjust(p[!is.na(p)], "bonferroni", n = length(p))`). Rejecting where `p_adj <= alpha` controls the
 * family-wise error rate at `alpha` under any dependence; {@link holmBonferroni} rejects at least as much
 * with the same guarantee. Dunn, O. J. (1961), "Multiple comparisons among means", Journal of the American
 * Statistical Association 56(293).
 *
 * @param pValues - The raw p-values of one family of tests.
 * @returns The adjusted p-values, each at least its raw value, in input order.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { bonferroni } from 'ep-stats';
 * [...bonferroni([0.01, 0.04, 0.5])]; // => ~[0.03, 0.12, 1]
 * [...bonferroni([0.2, Number.NaN])]; // => [0.4, Number.NaN]
 * ```
 * @public
 */
export function bonferroni(pValues: ArrayLike<number>): Float64Array {
  const m = pValues.length;
  const adjusted = new Float64Array(m);
  bonferroniAdjustInto(pValues, m, adjusted);
  return adjusted;
}

/**
 * Bonferroni-adjusts the first `m` values of `pValues` into `adjusted` (input order): {@link bonferroni}
 * without allocations.
 * @internal
 */
export function bonferroniAdjustInto(pValues: ArrayLike<number>, m: number, adjusted: Float64Array): void {
  for (let index = 0; index < m; index += 1) {
    adjusted[index] = Math.min(1, m * pValues[index]!);
  }
}
