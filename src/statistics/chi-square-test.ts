import { chiSquareUpperTail } from './distributions.js';

/**
 * Result of {@link chiSquareGoodnessOfFit}.
 *
 * @example
 * ```ts
 * import { chiSquareGoodnessOfFit, type ChiSquareTestResult } from 'ep-stats';
 * const result: ChiSquareTestResult = chiSquareGoodnessOfFit([10, 10]);
 * result; // => { statistic: 0, pValue: 1, degreesOfFreedom: 1 }
 * ```
 * @public
 */
export interface ChiSquareTestResult {
  /** Pearson's statistic `sum((observed - expected)^2 / expected)`. */
  readonly statistic: number;
  /** `P[X > statistic]` for a chi-square distribution with `degreesOfFreedom`. */
  readonly pValue: number;
  /** Number of categories minus one. */
  readonly degreesOfFreedom: number;
}

/**
 * Pearson's chi-square goodness-of-fit test against equal expected counts.
 *
 * @remarks
 * With `k` categories and `e = sum(observed) / k`: `statistic = sum((o - e)^2 / e)`, `df = k - 1`,
 * `p = P[chi^2_df > statistic]`, the upper tail itself (not `1 - cdf`), so that tiny p-values are
 * reported. Same as SciPy's `scipy.stats.chisquare(observed)`. The sample ratio mismatch check compares
 * the exposures of the variants this way. All counts zero give a `NaN` statistic and p-value; a single
 * category gives `NaN` p-value (no degrees of freedom).
 *
 * @param observed - Observed counts per category (e.g. exposures per variant).
 * @returns The statistic, p-value and degrees of freedom.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { chiSquareGoodnessOfFit } from 'ep-stats';
 * const srm = chiSquareGoodnessOfFit([21, 26]);
 * srm.statistic; // => ~0.5319148936170213
 * srm.pValue; // => ~0.46580290924184414
 * srm.degreesOfFreedom; // => 1
 * ```
 * @public
 */
export function chiSquareGoodnessOfFit(observed: ArrayLike<number>): ChiSquareTestResult {
  const categories = observed.length;
  let total = 0;
  for (let index = 0; index < categories; index += 1) {
    total += observed[index]!;
  }
  const expected = total / categories;
  let statistic = 0;
  for (let index = 0; index < categories; index += 1) {
    const deviation = observed[index]! - expected;
    statistic += (deviation * deviation) / expected;
  }
  const degreesOfFreedom = categories - 1;
  return Object.freeze({
    statistic,
    pValue: chiSquareUpperTail(statistic, degreesOfFreedom),
    degreesOfFreedom,
  });
}
