import { ValidationError } from '../errors/validation-error.js';
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
 * Pearson's chi-square goodness-of-fit test against equal expected counts or planned proportions.
 *
 * @remarks
 * With `k` categories, `n = sum(observed)` and expected counts `e_i = n / k` (or, with `expectedWeights`,
 * `e_i = n * w_i / sum(w)`): `statistic = sum((o_i - e_i)^2 / e_i)`, `df = k - 1`,
 * `p = P[chi^2_df > statistic]`, the upper tail itself (not `1 - cdf`), so that tiny p-values are
 * reported. Same as SciPy's `scipy.stats.chisquare(observed)`, and with weights
 * `scipy.stats.chisquare(observed, f_exp=n * w / sum(w))`. The sample ratio mismatch check compares
 * the exposures of the variants this way. All counts zero give a `NaN` statistic and p-value; a single
 * category gives `NaN` p-value (no degrees of freedom). Without weights the expected count is computed
 * as `n / k` exactly as before weights existed, so default results do not change in the last bit.
 *
 * @param observed - Observed counts per category (e.g. exposures per variant).
 * @param expectedWeights - Planned weights per category, in the order of `observed` (positive and
 *   finite; only their proportions matter: `[9, 1]` and `[0.9, 0.1]` are the same). Default: equal.
 * @returns The statistic, p-value and degrees of freedom.
 * @throws {@link ValidationError} when `expectedWeights` has another length than `observed` (path
 *   `['expectedWeights']`) or a weight that is not a positive finite number (path
 *   `['expectedWeights', index]`).
 *
 * @example
 * ```ts
 * import { chiSquareGoodnessOfFit } from 'ep-stats';
 * const srm = chiSquareGoodnessOfFit([21, 26]);
 * srm.statistic; // => ~0.5319148936170213
 * srm.pValue; // => ~0.46580290924184414
 * srm.degreesOfFreedom; // => 1
 * // A planned 90/10 split: 9,100 / 900 against expected 9,000 / 1,000.
 * chiSquareGoodnessOfFit([9100, 900], [90, 10]).statistic; // => ~11.111111111111
 * chiSquareGoodnessOfFit([9000, 1000], [90, 10]); // => { statistic: 0, pValue: 1, degreesOfFreedom: 1 }
 * ```
 * @public
 */
export function chiSquareGoodnessOfFit(
  observed: ArrayLike<number>,
  expectedWeights?: ArrayLike<number>,
): ChiSquareTestResult {
  const categories = observed.length;
  let total = 0;
  for (let index = 0; index < categories; index += 1) {
    total += observed[index]!;
  }
  const proportions =
    expectedWeights === undefined ? undefined : expectedProportions(expectedWeights, categories);
  const equalExpected = total / categories;
  let statistic = 0;
  for (let index = 0; index < categories; index += 1) {
    const expected = proportions === undefined ? equalExpected : total * proportions[index]!;
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

/** The weights divided by their sum, after checking their count and that each is positive and finite. */
function expectedProportions(weights: ArrayLike<number>, categories: number): Float64Array {
  if (weights.length !== categories) {
    throw new ValidationError(
      `\`expectedWeights\` must have one weight per category (${categories}), received ${weights.length}.`,
      ['expectedWeights'],
    );
  }
  let weightTotal = 0;
  for (let index = 0; index < categories; index += 1) {
    const weight = weights[index]!;
    if (!(typeof weight === 'number' && weight > 0 && Number.isFinite(weight))) {
      throw new ValidationError(
        `\`expectedWeights\` must be positive finite numbers, received ${String(weight)} at index ${index}.`,
        ['expectedWeights', index],
      );
    }
    weightTotal += weight;
  }
  const proportions = new Float64Array(categories);
  for (let index = 0; index < categories; index += 1) proportions[index] = weights[index]! / weightTotal;
  return proportions;
}
