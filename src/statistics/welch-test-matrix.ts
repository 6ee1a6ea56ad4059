import ops from 'ndarray-ops';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import {
  type Alternative,
  alternativePValue,
  confidenceQuantileProbability,
  validateRowHypotheses,
} from './alternative.js';
import { studentTQuantile } from './distributions.js';
import type { Matrix } from './matrix.js';
import { broadcastColumn, commonShape, createMatrix, requireColumn } from './matrix-shape.js';
import { roundHalfEven } from './round-half-even.js';

/**
 * Inputs of {@link welchTestMatrix}: (metrics x variants) matrices, one row per metric and one column per
 * variant, as `ndarray` builds them (any strides: a transposed or sliced view works too).
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { welchTestMatrix, type WelchMatrixInput } from 'ep-stats';
 * const matrix = (...values: number[]) => ndarray(Float64Array.from(values), [1, 2]);
 * const input: WelchMatrixInput = {
 *   estimate: matrix(4, 5),
 *   estimateVariance: matrix(0.04, 0.05),
 *   sampleSize: matrix(100, 120),
 *   sumValue: matrix(400, 600),
 *   controlIndex: 0,
 *   confidenceLevel: 0.95,
 * };
 * welchTestMatrix(input).diff.get(0, 1); // => 0.25
 * ```
 * @public
 */
export interface WelchMatrixInput {
  /** The estimate per metric and variant (for a ratio metric: its mean). */
  readonly estimate: Matrix;
  /** Variance of the estimate (for a mean: `std^2 / count`). */
  readonly estimateVariance: Matrix;
  /** Sample size behind the estimate; `sampleSize - 1` enters the degrees of freedom. */
  readonly sampleSize: Matrix;
  /** Sum of the nominator values; a variant with `sumValue <= 10` and an infinite statistic gets 0. */
  readonly sumValue: Matrix;
  /** Column of the control variant. */
  readonly controlIndex: number;
  /** Confidence level of the intervals, e.g. 0.95. */
  readonly confidenceLevel: number;
  /**
   * Keep the Welch-Satterthwaite degrees of freedom fractional instead of rounding them to 5 decimals and
   * truncating them to an integer as the reference does; default false.
   */
  readonly fractionalDegreesOfFreedom?: boolean;
  /**
   * Per row (metric): the alternative of its treatments' tests; `'two-sided'` for every row when omitted.
   * A one-sided row gets one-sided p-values and intervals whose half-width is the distance from `diff` to
   * the finite bound (see {@link Alternative}).
   */
  readonly alternative?: readonly Alternative[];
  /**
   * Per row (metric): the relative difference `delta0` under the null hypothesis, e.g. `-0.02` for a
   * non-inferiority margin of 2 % with `'greater'`; 0 for every row when omitted. It enters the statistic
   * `(diff - delta0) / se`, not the interval.
   */
  readonly nullValue?: ArrayLike<number>;
}

/**
 * Result of {@link welchTestMatrix}: new row-major (metrics x variants) matrices, the control column
 * included (tested against itself: difference 0, p-value 1).
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { welchTestMatrix, type WelchMatrixResult } from 'ep-stats';
 * const matrix = (...values: number[]) => ndarray(Float64Array.from(values), [1, 2]);
 * const result: WelchMatrixResult = welchTestMatrix({
 *   estimate: matrix(4, 5),
 *   estimateVariance: matrix(0.04, 0.05),
 *   sampleSize: matrix(100, 120),
 *   sumValue: matrix(400, 600),
 *   controlIndex: 0,
 *   confidenceLevel: 0.95,
 * });
 * result.degreesOfFreedom.get(0, 1); // => 217
 * result.pValue.get(0, 0); // => 1
 * ```
 * @public
 */
export interface WelchMatrixResult {
  /** Column of the control variant. */
  readonly controlIndex: number;
  /** Confidence level of `confidenceInterval`. */
  readonly confidenceLevel: number;
  /** Relative difference to the control, `(mt - mc) / |mc|`. */
  readonly diff: Matrix;
  /** Standard error of `diff` (never negative). */
  readonly standardError: Matrix;
  /** `(diff - nullValue) / standardError` (`diff / standardError` without a null value). */
  readonly testStat: Matrix;
  /** P-value under the row's alternative (two-sided by default). */
  readonly pValue: Matrix;
  /**
   * Half-width of the confidence interval around `diff`; for a one-sided row the distance from `diff` to the
   * finite bound (the other bound is infinite).
   */
  readonly confidenceInterval: Matrix;
  /** Welch-Satterthwaite degrees of freedom, truncated to an integer unless asked to stay fractional. */
  readonly degreesOfFreedom: Matrix;
}

/** The keys of {@link WelchMatrixInput}, in the order error messages list them. */
const WELCH_MATRIX_INPUT = optionKeys<WelchMatrixInput>({
  estimate: true,
  estimateVariance: true,
  sampleSize: true,
  sumValue: true,
  controlIndex: true,
  confidenceLevel: true,
  fractionalDegreesOfFreedom: true,
  alternative: true,
  nullValue: true,
});

/**
 * Welch's t-test of the relative difference of every variant's estimate against the control's, over
 * (metrics x variants) `ndarray` matrices.
 *
 * @remarks
 * The formulas of {@link welchTest}, which is this function over row-major arrays. The control column is a
 * view repeated across the columns (stride 0, from `pick(null, controlIndex)`), the arithmetic runs as
 * `ndarray-ops` element-wise kernels over whole matrices, and the distribution functions run once per cell
 * (the t quantile once per distinct degrees of freedom, from a cache). No per-cell object is allocated. The
 * results are identical, bit for bit, to the cell-by-cell formulas. With `fractionalDegreesOfFreedom` the
 * t distribution takes the Welch-Satterthwaite value as it is (the t quantile is then computed per cell).
 *
 * A row with an `alternative` or a `nullValue` tests its treatment columns with
 * `t = (diff - nullValue) / se` under that alternative: `'greater'` gives `p = P[T > t]` and the half-width
 * `se t^-1(cl)` of the interval `[diff - ci, +Infinity)`, `'less'` gives `p = P[T < t]` and
 * `(-Infinity, diff + ci]`. The control column stays the two-sided comparison with itself (p 1). Without
 * these inputs every number is the two-sided one, bit for bit.
 *
 * @param input - Estimates, their variances, sample sizes and sums per metric (row) and variant (column).
 * @returns New row-major matrices of the same shape: diff, standard error, statistic, p-value, interval and
 *   degrees of freedom.
 * @throws {@link ValidationError} for an unknown option, a matrix that is not two-dimensional or whose shape
 *   differs from `estimate`'s (the error's `path` names it), a `controlIndex` that is not a column, or an
 *   `alternative` or `nullValue` without one valid entry per row (path `['alternative', row]`).
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { welchTestMatrix } from 'ep-stats';
 * // Two metrics (rows) of three variants (columns); the control is the middle column.
 * const matrix = (...values: number[]) => ndarray(Float64Array.from(values), [2, 3]);
 * const result = welchTestMatrix({
 *   estimate: matrix(1.1, 1, 0.9, 5, 4, 4),
 *   estimateVariance: matrix(0.001, 0.001, 0.001, 0.05, 0.04, 0.04),
 *   sampleSize: matrix(1000, 1000, 1000, 120, 100, 100),
 *   sumValue: matrix(1100, 1000, 900, 600, 400, 400),
 *   controlIndex: 1,
 *   confidenceLevel: 0.95,
 * });
 * result.diff.get(1, 0); // => 0.25
 * result.standardError.get(1, 0); // => ~0.08385254915624211
 * result.degreesOfFreedom.get(1, 0); // => 217
 * result.pValue.get(1, 2); // => 1
 * // One-sided: the first metric tests 'greater' (higher is better) against a non-inferiority margin of 5 %.
 * const oneSided = welchTestMatrix({
 *   estimate: matrix(1.1, 1, 0.9, 5, 4, 4),
 *   estimateVariance: matrix(0.001, 0.001, 0.001, 0.05, 0.04, 0.04),
 *   sampleSize: matrix(1000, 1000, 1000, 120, 100, 100),
 *   sumValue: matrix(1100, 1000, 900, 600, 400, 400),
 *   controlIndex: 1,
 *   confidenceLevel: 0.95,
 *   alternative: ['greater', 'two-sided'],
 *   nullValue: [-0.05, 0],
 * });
 * // diff (0.9 - 1) / 1 = -0.1 is below -0.05: t = (-0.1 + 0.05) / sqrt(0.00181) = -1.1753, p = P[T > t].
 * oneSided.testStat.get(0, 2); // => ~-1.1752512368056705
 * oneSided.pValue.get(0, 2); // => ~0.8799828752470358
 * // The two-sided row is unchanged.
 * oneSided.pValue.get(1, 0) === result.pValue.get(1, 0); // => true
 * ```
 * @public
 */
export function welchTestMatrix(input: WelchMatrixInput): WelchMatrixResult {
  rejectUnknownKeys(input, WELCH_MATRIX_INPUT, 'welchTestMatrix');
  const { estimate, estimateVariance, sampleSize, sumValue, controlIndex, confidenceLevel } = input;
  const [rows, columns] = commonShape({ estimate, estimateVariance, sampleSize, sumValue });
  requireColumn(controlIndex, columns);
  validateRowHypotheses(input.alternative, input.nullValue, rows);
  const controlEstimate = broadcastColumn(estimate, controlIndex);
  const controlVariance = broadcastColumn(estimateVariance, controlIndex);
  const controlSize = broadcastColumn(sampleSize, controlIndex);
  const scratch = createMatrix(rows, columns);
  const scratch2 = createMatrix(rows, columns);
  const scratch3 = createMatrix(rows, columns);

  // diff = (mt - mc) / |mc|
  const absControl = createMatrix(rows, columns);
  ops.abs(absControl, controlEstimate);
  const diff = createMatrix(rows, columns);
  ops.sub(diff, estimate, controlEstimate);
  ops.diveq(diff, absControl);

  // se = sqrt(mt^2 vc / mc^2 + vt) / |mc|
  const standardError = createMatrix(rows, columns);
  ops.mul(standardError, estimate, estimate);
  ops.muleq(standardError, controlVariance);
  ops.mul(scratch, controlEstimate, controlEstimate);
  ops.diveq(standardError, scratch);
  ops.addeq(standardError, estimateVariance);
  ops.sqrteq(standardError);
  ops.diveq(standardError, absControl);

  // Welch-Satterthwaite: (vc + vt)^2 / (vc^2 / (nc - 1) + vt^2 / (nt - 1)), before rounding
  const degreesOfFreedom = createMatrix(rows, columns);
  ops.add(degreesOfFreedom, controlVariance, estimateVariance);
  ops.muleq(degreesOfFreedom, degreesOfFreedom);
  ops.mul(scratch, controlVariance, controlVariance);
  ops.subs(scratch2, controlSize, 1);
  ops.diveq(scratch, scratch2);
  ops.mul(scratch3, estimateVariance, estimateVariance);
  ops.subs(scratch2, sampleSize, 1);
  ops.diveq(scratch3, scratch2);
  ops.addeq(scratch, scratch3);
  ops.diveq(degreesOfFreedom, scratch);

  const testStat = createMatrix(rows, columns);
  ops.div(testStat, diff, standardError);

  const pValue = createMatrix(rows, columns);
  const confidenceInterval = createMatrix(rows, columns);
  const quantileProbability = confidenceLevel + (1 - confidenceLevel) / 2;
  const fractional = input.fractionalDegreesOfFreedom ?? false;
  const sums = sumValue.data;
  const [sumRowStride = 0, sumColumnStride = 0] = sumValue.stride;
  const f = degreesOfFreedom.data;
  const stat = testStat.data;
  const se = standardError.data;
  const d = diff.data;
  for (let row = 0; row < rows; row += 1) {
    const rowAlternative = input.alternative?.[row] ?? 'two-sided';
    const rowNull = input.nullValue?.[row] ?? 0;
    const rowProbability = confidenceQuantileProbability(confidenceLevel, rowAlternative);
    for (let column = 0; column < columns; column += 1) {
      const cell = row * columns + column;
      const degrees = fractional ? f[cell]! : Math.trunc(roundHalfEven(f[cell]!, 5));
      f[cell] = degrees;
      // The control column is the comparison of the control with itself: two-sided, against 0.
      const treatment = column !== controlIndex;
      if (treatment && rowNull !== 0) stat[cell] = (d[cell]! - rowNull) / se[cell]!;
      let t = stat[cell]!;
      if (
        (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) &&
        sums[sumValue.offset + row * sumRowStride + column * sumColumnStride]! <= 10
      ) {
        t = 0;
        stat[cell] = 0;
      }
      const alternative = treatment ? rowAlternative : 'two-sided';
      pValue.data[cell] = alternativePValue(t, degrees, alternative);
      confidenceInterval.data[cell] =
        se[cell]! * studentTQuantile(treatment ? rowProbability : quantileProbability, degrees);
    }
  }
  return Object.freeze({
    controlIndex,
    confidenceLevel,
    diff,
    standardError,
    testStat,
    pValue,
    confidenceInterval,
    degreesOfFreedom,
  });
}
