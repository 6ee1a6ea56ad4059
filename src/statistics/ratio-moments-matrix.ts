import ops from 'ndarray-ops';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import type { Matrix } from './matrix.js';
import { commonShape, createMatrix } from './matrix-shape.js';

/**
 * Per-variant sums of per-unit values for {@link ratioMomentsMatrix}: (metrics x variants) matrices of the same
 * shape. For each exposed unit `i`, `x_i` is its nominator value and `y_i` its denominator value (0 for a unit
 * without the goal).
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { ratioMomentsMatrix, type RatioSumsInput } from 'ep-stats';
 * const cell = (value: number) => ndarray(Float64Array.of(value), [1, 1]);
 * // Units with (x, y): (2, 1), (0, 0), (9, 3), (4, 2)
 * const input: RatioSumsInput = {
 *   units: cell(4),
 *   sumX: cell(15), sumX2: cell(101), sumY: cell(6), sumY2: cell(14), sumXY: cell(37),
 * };
 * ratioMomentsMatrix(input).estimate.get(0, 0); // => 2.5
 * ```
 * @public
 */
export interface RatioSumsInput {
  /** Number of exposed units `n`. */
  readonly units: Matrix;
  /** `sum x_i`. */
  readonly sumX: Matrix;
  /** `sum x_i^2`. */
  readonly sumX2: Matrix;
  /** `sum y_i`. */
  readonly sumY: Matrix;
  /** `sum y_i^2`. */
  readonly sumY2: Matrix;
  /** `sum x_i y_i`. */
  readonly sumXY: Matrix;
}

/**
 * Result of {@link ratioMomentsMatrix}: new row-major matrices of the input's shape.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { ratioMomentsMatrix, type RatioMoments } from 'ep-stats';
 * const cell = (value: number) => ndarray(Float64Array.of(value), [1, 1]);
 * const moments: RatioMoments = ratioMomentsMatrix({
 *   units: cell(4), sumX: cell(15), sumX2: cell(101), sumY: cell(6), sumY2: cell(14), sumXY: cell(37),
 * });
 * moments.estimateVariance.get(0, 0); // => ~0.12962962962962962
 * ```
 * @public
 */
export interface RatioMoments {
  /** The ratio `R = sum x / sum y`. */
  readonly estimate: Matrix;
  /** Its delta-method variance `Var(R)`. */
  readonly estimateVariance: Matrix;
  /**
   * The standard deviation of the linearised per-unit values, `sqrt(n Var(R))`: what the standard deviation
   * of a mean is to its variance, so that sample size and power formulas take it as they take a mean's.
   */
  readonly std: Matrix;
}

/** The keys of {@link RatioSumsInput}, in the order error messages list them. */
const RATIO_SUMS_INPUT = optionKeys<RatioSumsInput>({
  units: true,
  sumX: true,
  sumX2: true,
  sumY: true,
  sumY2: true,
  sumXY: true,
});

/**
 * The ratio of two per-unit sums and its delta-method variance, cell by cell over (metrics x variants)
 * matrices: for metrics whose denominator is not the randomisation unit (clicks per page view, revenue per
 * order), where each unit contributes several correlated observations.
 *
 * @remarks
 * With `n` units and sample moments (divisor `n - 1`):
 *
 * ```
 * R      = sum x / sum y                 ybar = sum y / n
 * v_x    = (sum x^2 - (sum x)^2 / n) / (n - 1)
 * v_y    = (sum y^2 - (sum y)^2 / n) / (n - 1)
 * c_xy   = (sum xy - sum x sum y / n) / (n - 1)
 * Var(R) = (v_x - 2 R c_xy + R^2 v_y) / (n ybar^2)
 * ```
 *
 * When every unit has `y = 1`, `v_y` and `c_xy` are exactly 0 and `Var(R) = v_x / n`, the variance of a mean.
 * Degenerate cells (`n < 2`, `sum y = 0`) give NaN or infinite values, as IEEE arithmetic does. Deng, A.,
 * Knoblich, U. and Lu, J. (2018), "Applying the Delta Method in Metric Analytics: A Practical Guide with Novel
 * Ideas", KDD '18.
 *
 * @param input - Units and per-unit sums per metric (row) and variant (column).
 * @returns The ratio, its variance and the linearised standard deviation.
 * @throws {@link ValidationError} for an unknown option or a matrix that is not two-dimensional or whose
 *   shape differs from `units`' (the error's `path` names it).
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { ratioMomentsMatrix } from 'ep-stats';
 * const row = (...values: number[]) => ndarray(Float64Array.from(values), [1, values.length]);
 * // Two variants of 4 units each; the second's units all have y = 1 (a mean).
 * const moments = ratioMomentsMatrix({
 *   units: row(4, 4),
 *   sumX: row(15, 10),
 *   sumX2: row(101, 30),
 *   sumY: row(6, 4),
 *   sumY2: row(14, 4),
 *   sumXY: row(37, 10),
 * });
 * moments.estimate.get(0, 1); // => 2.5
 * moments.estimateVariance.get(0, 1); // => ~0.41666666666666667
 * moments.std.get(0, 1); // => ~1.2909944487358056
 * ```
 * @public
 */
export function ratioMomentsMatrix(input: RatioSumsInput): RatioMoments {
  rejectUnknownKeys(input, RATIO_SUMS_INPUT, 'ratioMomentsMatrix');
  const { units, sumX, sumX2, sumY, sumY2, sumXY } = input;
  const [rows, columns] = commonShape({ units, sumX, sumX2, sumY, sumY2, sumXY });
  const estimate = createMatrix(rows, columns);
  ops.div(estimate, sumX, sumY);
  const unitsMinusOne = createMatrix(rows, columns);
  ops.subs(unitsMinusOne, units, 1);

  // v_x = (sum x^2 - (sum x)^2 / n) / (n - 1), and likewise v_y and c_xy
  const varianceX = centredMoment(sumX2, sumX, sumX, units, unitsMinusOne);
  const varianceY = centredMoment(sumY2, sumY, sumY, units, unitsMinusOne);
  const covariance = centredMoment(sumXY, sumX, sumY, units, unitsMinusOne);

  // Var(R) = (v_x - 2 R c_xy + R^2 v_y) / (n ybar^2)
  const estimateVariance = createMatrix(rows, columns);
  const term = createMatrix(rows, columns);
  ops.mul(term, estimate, covariance);
  ops.mulseq(term, 2);
  ops.sub(estimateVariance, varianceX, term);
  ops.mul(term, estimate, estimate);
  ops.muleq(term, varianceY);
  ops.addeq(estimateVariance, term);
  const meanY = createMatrix(rows, columns);
  ops.div(meanY, sumY, units);
  ops.mul(term, meanY, meanY);
  ops.muleq(term, units);
  ops.diveq(estimateVariance, term);

  const std = createMatrix(rows, columns);
  ops.mul(std, estimateVariance, units);
  ops.sqrteq(std);
  return Object.freeze({ estimate, estimateVariance, std });
}

/** `(sumProducts - sumA sumB / n) / (n - 1)` into a new matrix. */
function centredMoment(
  sumProducts: Matrix,
  sumA: Matrix,
  sumB: Matrix,
  units: Matrix,
  unitsMinusOne: Matrix,
): Matrix {
  const [rows = 0, columns = 0] = units.shape;
  const moment = createMatrix(rows, columns);
  ops.mul(moment, sumA, sumB);
  ops.diveq(moment, units);
  ops.sub(moment, sumProducts, moment);
  ops.diveq(moment, unitsMinusOne);
  return moment;
}
