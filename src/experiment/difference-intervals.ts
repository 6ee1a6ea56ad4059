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
  /** Half-width of the interval of `diff`, at the cell's own (possibly Holm-adjusted) level. */
  readonly confidenceInterval: Float64Array;
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
 * error) the absolute bounds are NaN, unless `se_abs` is 0, which gives a zero-width interval.
 *
 * @internal
 */
export function differenceIntervals(input: DifferenceIntervalInput): DifferenceIntervals {
  const { variantCount, controlIndex, mean, varianceOfMean, diff, standardError, confidenceInterval } = input;
  const size = mean.length;
  const confidenceLower = new Float64Array(size);
  const confidenceUpper = new Float64Array(size);
  const absoluteDiff = new Float64Array(size);
  const absoluteDiffLower = new Float64Array(size);
  const absoluteDiffUpper = new Float64Array(size);
  for (let row = 0; row < size; row += variantCount) {
    const control = row + controlIndex;
    for (let cell = row; cell < row + variantCount; cell++) {
      const halfWidth = confidenceInterval[cell]!;
      confidenceLower[cell] = diff[cell]! - halfWidth;
      confidenceUpper[cell] = diff[cell]! + halfWidth;
      const difference = mean[cell]! - mean[control]!;
      const absoluteError = Math.sqrt(varianceOfMean[cell]! + varianceOfMean[control]!);
      const quantile = halfWidth / standardError[cell]!;
      const absoluteHalfWidth = absoluteError === 0 ? 0 : absoluteError * quantile;
      absoluteDiff[cell] = difference;
      absoluteDiffLower[cell] = difference - absoluteHalfWidth;
      absoluteDiffUpper[cell] = difference + absoluteHalfWidth;
    }
  }
  return { confidenceLower, confidenceUpper, absoluteDiff, absoluteDiffLower, absoluteDiffUpper };
}
