import { type Alternative, lowerBound, upperBound } from '../statistics/alternative.js';
import type { CupedOutcome } from './apply-cuped.js';

/** Inputs of {@link differenceIntervals}: (metrics x variants) matrices, row-major. @internal */
export interface DifferenceIntervalInput {
  readonly variantCount: number;
  readonly controlIndex: number;
  readonly mean: Float64Array;
  /** Variance of each mean, `std^2 / count`. */
  readonly varianceOfMean: Float64Array;
  /** Relative difference to the control. */
  readonly diff: Float64Array;
  /** Standard error of `diff`. */
  readonly standardError: Float64Array;
  /**
   * Half-width of the interval of `diff`, at the cell's own (possibly Holm-adjusted) level; for a one-sided
   * row the distance from `diff` to the finite bound.
   */
  readonly confidenceInterval: Float64Array;
  /** Per metric (row): the alternative of its treatments' tests; two-sided when omitted. */
  readonly alternative?: readonly Alternative[];
  /** The absolute differences of CUPED rows (their adjusted estimates and variances replace the plain ones). */
  readonly cuped?: Pick<CupedOutcome, 'adjusted' | 'absoluteDiff' | 'absoluteVariance'>;
}

/** Bounds of the relative and absolute differences, (metrics x variants) row-major. @internal */
export interface DifferenceIntervals {
  readonly confidenceLower: Float64Array;
  readonly confidenceUpper: Float64Array;
  readonly absoluteDiff: Float64Array;
  readonly absoluteDiffLower: Float64Array;
  readonly absoluteDiffUpper: Float64Array;
}

/**
 * Interval bounds of every cell: `diff -+ ci` for the relative difference, and for the absolute difference
 * `mean - control mean` the interval of the same level and degrees of freedom.
 *
 * @remarks
 * The absolute difference has the standard error `se_abs = sqrt(vt + vc)` (the variances of the two means)
 * and the half-width `se_abs * q`, where `q = ci / se` is the t quantile the relative interval used (so a
 * Holm-adjusted level carries over). Where `ci / se` is not a finite number (a zero or non-finite standard
 * error) the absolute bounds are NaN, unless `se_abs` is 0, which gives a zero-width interval. In the
 * treatment cells of CUPED rows the absolute difference is the one of the adjusted estimates, with the
 * standard error `sqrt(absoluteVariance)` and the same quantile.
 *
 * A treatment cell of a one-sided row has a half-open interval: `[diff - ci, +Infinity)` under `'greater'`,
 * `(-Infinity, diff + ci]` under `'less'`, and the absolute difference the same way. The control column
 * keeps its two-sided interval (the comparison of the control with itself).
 *
 * @internal
 */
export function differenceIntervals(input: DifferenceIntervalInput): DifferenceIntervals {
  const { variantCount, controlIndex, mean, varianceOfMean, diff, standardError, confidenceInterval } = input;
  const { cuped } = input;
  const size = mean.length;
  const confidenceLower = new Float64Array(size);
  const confidenceUpper = new Float64Array(size);
  const absoluteDiff = new Float64Array(size);
  const absoluteDiffLower = new Float64Array(size);
  const absoluteDiffUpper = new Float64Array(size);
  for (let row = 0; row < size; row += variantCount) {
    const control = row + controlIndex;
    const rowAlternative = input.alternative?.[row / variantCount] ?? 'two-sided';
    for (let cell = row; cell < row + variantCount; cell++) {
      const alternative = cell === control ? 'two-sided' : rowAlternative;
      const halfWidth = confidenceInterval[cell]!;
      confidenceLower[cell] = lowerBound(diff[cell]!, halfWidth, alternative);
      confidenceUpper[cell] = upperBound(diff[cell]!, halfWidth, alternative);
      const quantile = halfWidth / standardError[cell]!;
      let difference: number;
      let absoluteHalfWidth: number;
      if (cuped?.adjusted[cell] === 1) {
        // The absolute difference of the adjusted estimates, with the interval's quantile.
        difference = cuped.absoluteDiff[cell]!;
        absoluteHalfWidth = Math.sqrt(cuped.absoluteVariance[cell]!) * quantile;
      } else {
        difference = mean[cell]! - mean[control]!;
        const absoluteError = Math.sqrt(varianceOfMean[cell]! + varianceOfMean[control]!);
        absoluteHalfWidth = absoluteError === 0 ? 0 : absoluteError * quantile;
      }
      absoluteDiff[cell] = difference;
      absoluteDiffLower[cell] = lowerBound(difference, absoluteHalfWidth, alternative);
      absoluteDiffUpper[cell] = upperBound(difference, absoluteHalfWidth, alternative);
    }
  }
  return { confidenceLower, confidenceUpper, absoluteDiff, absoluteDiffLower, absoluteDiffUpper };
}
