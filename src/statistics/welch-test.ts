import { ValidationError } from '../errors/validation-error.js';
import { matrixView } from './matrix-shape.js';
import { welchTestMatrix } from './welch-test-matrix.js';

/**
 * Per-variant estimates for {@link welchTest}: (metrics x variants) matrices stored row-major, one row per
 * metric, one column per variant (cell `metric * variantCount + variant`).
 *
 * @example
 * ```ts
 * import { welchTest, type WelchTestInput } from 'ep-stats';
 * // Two metrics (rows) of two variants (columns); the control is column 0.
 * const input: WelchTestInput = {
 *   metricCount: 2,
 *   variantCount: 2,
 *   controlIndex: 0,
 *   estimate: Float64Array.of(4, 5, 10, 9),
 *   estimateVariance: Float64Array.of(0.04, 0.05, 1, 1),
 *   sampleSize: Float64Array.of(100, 120, 100, 120),
 *   sumValue: Float64Array.of(400, 600, 1000, 1080),
 *   confidenceLevel: 0.95,
 * };
 * welchTest(input).diff[3]; // => -0.1
 * ```
 * @public
 */
export interface WelchTestInput {
  /** Number of metrics (rows). */
  readonly metricCount: number;
  /** Number of variants (columns). */
  readonly variantCount: number;
  /** Column of the control variant. */
  readonly controlIndex: number;
  /** The estimate per metric and variant (for a ratio metric: its mean). */
  readonly estimate: Float64Array;
  /** Variance of the estimate (for a mean: `std^2 / count`). */
  readonly estimateVariance: Float64Array;
  /** Sample size behind the estimate (the count); `sampleSize - 1` enters the degrees of freedom. */
  readonly sampleSize: Float64Array;
  /** Sum of the nominator values; a variant with `sumValue <= 10` and an infinite statistic gets 0. */
  readonly sumValue: Float64Array;
  /** Confidence level of the intervals, e.g. 0.95 (the sequentially adjusted one where that applies). */
  readonly confidenceLevel: number;
}

/**
 * Per-variant means, standard deviations and counts for {@link welchTestFromMeans}: (metrics x variants)
 * matrices stored row-major.
 *
 * @example
 * ```ts
 * import { welchTestFromMeans, type WelchMeansInput } from 'ep-stats';
 * const input: WelchMeansInput = {
 *   metricCount: 1,
 *   variantCount: 2,
 *   controlIndex: 0,
 *   mean: Float64Array.of(2, 2.2),
 *   std: Float64Array.of(1, 1),
 *   count: Float64Array.of(400, 400),
 *   sumValue: Float64Array.of(800, 880),
 *   confidenceLevel: 0.95,
 * };
 * welchTestFromMeans(input).degreesOfFreedom[1]; // => 798
 * ```
 * @public
 */
export interface WelchMeansInput {
  /** Number of metrics (rows). */
  readonly metricCount: number;
  /** Number of variants (columns). */
  readonly variantCount: number;
  /** Column of the control variant. */
  readonly controlIndex: number;
  /** `sum_value / count` per metric and variant. */
  readonly mean: Float64Array;
  /** Sample standard deviation per metric and variant. */
  readonly std: Float64Array;
  /** Count (number of exposures) per metric and variant. */
  readonly count: Float64Array;
  /** Sum of the nominator values per metric and variant. */
  readonly sumValue: Float64Array;
  /** Confidence level of the intervals, e.g. 0.95. */
  readonly confidenceLevel: number;
}

/**
 * Result of a Welch test of every variant against the control: (metrics x variants) matrices stored
 * row-major, the control column included (tested against itself).
 *
 * @example
 * ```ts
 * import { welchTest, type WelchTestResult } from 'ep-stats';
 * const result: WelchTestResult = welchTest({
 *   metricCount: 1,
 *   variantCount: 3,
 *   controlIndex: 1,
 *   estimate: Float64Array.of(1.1, 1, 0.9),
 *   estimateVariance: Float64Array.of(0.001, 0.001, 0.001),
 *   sampleSize: Float64Array.of(1000, 1000, 1000),
 *   sumValue: Float64Array.of(1100, 1000, 900),
 *   confidenceLevel: 0.9,
 * });
 * [result.metricCount, result.variantCount, result.controlIndex, result.confidenceLevel]; // => [1, 3, 1, 0.9]
 * result.pValue[1]; // => 1
 * ```
 * @public
 */
export interface WelchTestResult {
  /** Number of metrics (rows). */
  readonly metricCount: number;
  /** Number of variants (columns). */
  readonly variantCount: number;
  /** Column of the control variant. */
  readonly controlIndex: number;
  /** Confidence level of `confidenceInterval`. */
  readonly confidenceLevel: number;
  /** Relative difference to the control, `(mt - mc) / |mc|`. */
  readonly diff: Float64Array;
  /** Standard error of `diff` (never negative). */
  readonly standardError: Float64Array;
  /** `diff / standardError`. */
  readonly testStat: Float64Array;
  /** Two-sided p-value. */
  readonly pValue: Float64Array;
  /** Half-width of the confidence interval around `diff`. */
  readonly confidenceInterval: Float64Array;
  /** Welch-Satterthwaite degrees of freedom, truncated to an integer. */
  readonly degreesOfFreedom: Float64Array;
}

/**
 * Welch's t-test of the relative difference of every variant's estimate against the control's, from
 * estimates and the variances of those estimates (any estimator with a known variance plugs in).
 *
 * @remarks
 * With `m` the estimate, `v` its variance and `n` the sample size, `c` the control and `t` the variant
 * (the delta method for the ratio `mt / mc`):
 *
 * ```
 * f    = trunc(round5((vc + vt)^2 / (vc^2 / (nc - 1) + vt^2 / (nt - 1))))   Welch-Satterthwaite
 * diff = (mt - mc) / |mc|
 * se   = sqrt(mt^2 vc / mc^2 + vt) / |mc|
 * stat = diff / se, set to 0 when infinite and the variant's sumValue <= 10
 * p    = 2 P[T_f > |stat|]
 * ci   = se * t_f^-1(cl + (1 - cl) / 2)
 * ```
 *
 * {@link welchTestMatrix} over row-major arrays. `round5` is {@link roundHalfEven} at 5 decimals. The p-value is the upper tail itself, not `1 - cdf`,
 * so p-values below `1e-16` are reported instead of 0 (a deliberate difference from the reference,
 * which prints 0). The standard error divides by `|mc|` like `diff` (the reference divides by the signed
 * `mc`, which makes `se`, `ci` and `stat` negative for a negative control estimate): `stat` has the sign
 * of `diff` and the half-width `ci` is never negative. Degenerate data (a count below 2, a zero or NaN control estimate, zero variance) gives
 * NaN or infinite cells, as IEEE arithmetic does; a t distribution with NaN or 0 degrees of freedom
 * yields NaN. Welch, B. L. (1947), "The generalization of Student's problem when several different
 * population variances are involved", Biometrika 34.
 *
 * @param input - Estimates, their variances, sample sizes and sums per metric (row) and variant (column).
 * @returns Matrices of the same shape: diff, standard error, statistic, p-value, interval, degrees of
 *   freedom.
 * @throws {@link ValidationError} when a matrix does not have `metricCount * variantCount` cells or
 *   `controlIndex` is not a column.
 *
 * @example
 * ```ts
 * import { welchTest } from 'ep-stats';
 * const result = welchTest({
 *   metricCount: 1,
 *   variantCount: 2,
 *   controlIndex: 0,
 *   estimate: Float64Array.of(4, 5),
 *   estimateVariance: Float64Array.of(0.04, 0.05),
 *   sampleSize: Float64Array.of(100, 120),
 *   sumValue: Float64Array.of(400, 600),
 *   confidenceLevel: 0.95,
 * });
 * result.diff[1]; // => 0.25
 * result.standardError[1]; // => ~0.08385254915624211
 * result.degreesOfFreedom[1]; // => 217
 * ```
 * @public
 */
export function welchTest(input: WelchTestInput): WelchTestResult {
  const { metricCount, variantCount, controlIndex, estimate, estimateVariance, sampleSize, sumValue } = input;
  const { confidenceLevel } = input;
  checkShape(metricCount, variantCount, controlIndex, { estimate, estimateVariance, sampleSize, sumValue });
  const view = (data: Float64Array) => matrixView(data, metricCount, variantCount);
  const result = welchTestMatrix({
    estimate: view(estimate),
    estimateVariance: view(estimateVariance),
    sampleSize: view(sampleSize),
    sumValue: view(sumValue),
    controlIndex,
    confidenceLevel,
  });
  return Object.freeze({
    metricCount,
    variantCount,
    controlIndex,
    confidenceLevel,
    diff: result.diff.data,
    standardError: result.standardError.data,
    testStat: result.testStat.data,
    pValue: result.pValue.data,
    confidenceInterval: result.confidenceInterval.data,
    degreesOfFreedom: result.degreesOfFreedom.data,
  });
}

/**
 * Welch's t-test of the relative difference of every variant's mean against the control's, from means,
 * standard deviations and counts.
 *
 * @remarks
 * {@link welchTest} with the estimate `mean` and its variance `std^2 / count`.
 *
 * @param input - Means, standard deviations, counts and sums per metric (row) and variant (column).
 * @returns Matrices of the same shape: diff, standard error, statistic, p-value, interval, degrees of
 *   freedom.
 * @throws {@link ValidationError} when a matrix does not have `metricCount * variantCount` cells or
 *   `controlIndex` is not a column.
 *
 * @example
 * ```ts
 * import { welchTestFromMeans } from 'ep-stats';
 * // Click-through rate: control 5 clicks of 21 exposures, treatment 7 of 26 (binary values).
 * const std = (sum: number, n: number) => Math.sqrt((sum - (sum * sum) / n) / (n - 1));
 * const result = welchTestFromMeans({
 *   metricCount: 1,
 *   variantCount: 2,
 *   controlIndex: 0,
 *   mean: Float64Array.of(5 / 21, 7 / 26),
 *   std: Float64Array.of(std(5, 21), std(7, 26)),
 *   count: Float64Array.of(21, 26),
 *   sumValue: Float64Array.of(5, 7),
 *   confidenceLevel: 0.95,
 * });
 * result.diff[1]; // => ~0.1307692308
 * result.pValue[1]; // => ~0.8244735669
 * result.degreesOfFreedom[1]; // => 43
 * result.pValue[0]; // => 1
 * ```
 * @public
 */
export function welchTestFromMeans(input: WelchMeansInput): WelchTestResult {
  const { metricCount, variantCount, controlIndex, mean, std, count, sumValue } = input;
  checkShape(metricCount, variantCount, controlIndex, { mean, std, count, sumValue });
  const estimateVariance = new Float64Array(std.length);
  for (let cell = 0; cell < std.length; cell += 1) {
    const deviation = std[cell]!;
    estimateVariance[cell] = (deviation * deviation) / count[cell]!;
  }
  return welchTest({
    metricCount,
    variantCount,
    controlIndex,
    estimate: mean,
    estimateVariance,
    sampleSize: count,
    sumValue,
    confidenceLevel: input.confidenceLevel,
  });
}

function checkShape(
  metricCount: number,
  variantCount: number,
  controlIndex: number,
  matrices: Record<string, Float64Array>,
): void {
  if (!Number.isInteger(metricCount) || metricCount < 0) {
    throw new ValidationError(`metricCount must be a non-negative integer, received ${metricCount}.`, [
      'metricCount',
    ]);
  }
  if (!Number.isInteger(variantCount) || variantCount < 1) {
    throw new ValidationError(`variantCount must be a positive integer, received ${variantCount}.`, [
      'variantCount',
    ]);
  }
  if (!Number.isInteger(controlIndex) || controlIndex < 0 || controlIndex >= variantCount) {
    throw new ValidationError(
      `controlIndex must be a column between 0 and ${variantCount - 1}, received ${controlIndex}.`,
      ['controlIndex'],
    );
  }
  const cells = metricCount * variantCount;
  for (const [name, matrix] of Object.entries(matrices)) {
    if (matrix.length !== cells) {
      throw new ValidationError(
        `${name} has ${matrix.length} cells; expected metricCount * variantCount = ${cells}.`,
        [name],
      );
    }
  }
}
