import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { ValidationError } from '../errors/validation-error.js';
import { type Alternative, effectToDetect, validateRowHypotheses } from './alternative.js';
import type { Matrix } from './matrix.js';
import { commonShape, createMatrix, requireColumn } from './matrix-shape.js';
import { DEFAULT_POWER, sampleSizeFromQuantile, sampleSizeQuantile } from './required-sample-size.js';
import { validateSampleSizeSettings } from './validate-sample-size-input.js';

/**
 * Inputs of {@link requiredSampleSizeMatrix}: (metrics x variants) matrices of the same shape.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { requiredSampleSizeMatrix, type RequiredSampleSizeMatrixInput } from 'ep-stats';
 * const row = (...values: number[]) => ndarray(Float64Array.from(values), [1, 2]);
 * const input: RequiredSampleSizeMatrixInput = {
 *   mean: row(0.2, 0.21),
 *   std: row(1.2, 1.2),
 *   minimumEffect: row(Number.NaN, 0.1),
 *   controlIndex: 0,
 * };
 * requiredSampleSizeMatrix(input).get(0, 1); // => 56512
 * ```
 * @public
 */
export interface RequiredSampleSizeMatrixInput {
  /** Mean per metric and variant; the control column's is the one used. */
  readonly mean: Matrix;
  /** Standard deviation per metric and variant, not negative (`NaN` from degenerate data gives `NaN`). */
  readonly std: Matrix;
  /** Minimum effect of interest per cell, relative (0.05 is 5 %), not negative; `NaN` where none is set. */
  readonly minimumEffect: Matrix;
  /** Column of the control variant. */
  readonly controlIndex: number;
  /** Confidence level, strictly between 0 and 1; default 0.95. */
  readonly confidenceLevel?: number;
  /** Power, strictly between 0 and 1; default 0.8. */
  readonly power?: number;
  /**
   * Per row: the alternative of the planned tests, `'two-sided'` for every row when omitted. A one-sided row
   * uses `Phi^-1(1 - alpha)` and detects the minimum effect in its direction.
   */
  readonly alternative?: readonly Alternative[];
  /**
   * Per row: the relative difference under the null hypothesis (`-margin` for a non-inferiority test with
   * `'greater'`, `+margin` with `'less'`), 0 when omitted; the effect to detect is measured from it.
   */
  readonly nullValue?: ArrayLike<number>;
}

/** The keys of {@link RequiredSampleSizeMatrixInput}, in the order error messages list them. */
const SAMPLE_SIZE_MATRIX_INPUT = optionKeys<RequiredSampleSizeMatrixInput>({
  mean: true,
  std: true,
  minimumEffect: true,
  controlIndex: true,
  confidenceLevel: true,
  power: true,
  alternative: true,
  nullValue: true,
});

/**
 * Sample size per variant needed to detect each cell's minimum effect, over (metrics x variants) matrices.
 *
 * @remarks
 * {@link requiredSampleSizePerVariant} for every treatment cell with a minimum effect: the number of
 * variants is the number of columns, the mean and first standard deviation are the control's of the same
 * row and the second standard deviation is the cell's own. The normal quantiles are computed once for the
 * whole matrix. The control column, and cells whose minimum effect is `NaN`, are `NaN`. In a row with a
 * one-sided `alternative` the quantile is `Phi^-1(1 - alpha)` and `delta = mean * (mei - nullValue)` under
 * `'greater'`, `mean * (mei + nullValue)` under `'less'` (0, hence `Infinity`, when that is negative).
 *
 * @param input - Means, standard deviations and minimum effects per metric (row) and variant (column).
 * @returns A new row-major matrix of sample sizes per variant.
 * @throws {@link ValidationError} for an unknown option, a matrix that is not two-dimensional or whose shape
 *   differs from `mean`'s, a `controlIndex` that is not a column, a `confidenceLevel` or `power` not strictly
 *   between 0 and 1, a negative minimum effect or standard deviation (`path` `[name, row, column]`), or an
 *   `alternative` or `nullValue` without one valid entry per row.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { requiredSampleSizeMatrix } from 'ep-stats';
 * // One metric, control in column 0 and two treatments: Bonferroni over the two comparisons.
 * const row = (...values: number[]) => ndarray(Float64Array.from(values), [1, 3]);
 * const sizes = requiredSampleSizeMatrix({
 *   mean: row(0.2, 0.2, 0.2),
 *   std: row(1.2, 1.2, 1.5),
 *   minimumEffect: row(Number.NaN, 0.1, Number.NaN),
 *   controlIndex: 0,
 * });
 * sizes.get(0, 1); // => 68436
 * [sizes.get(0, 0), sizes.get(0, 2)]; // => [Number.NaN, Number.NaN]
 * ```
 * @public
 */
export function requiredSampleSizeMatrix(input: RequiredSampleSizeMatrixInput): Matrix {
  rejectUnknownKeys(input, SAMPLE_SIZE_MATRIX_INPUT, 'requiredSampleSizeMatrix');
  validateSampleSizeSettings({ confidenceLevel: input.confidenceLevel, power: input.power });
  const { mean, std, minimumEffect, controlIndex } = input;
  const [rows, columns] = commonShape({ mean, std, minimumEffect });
  requireColumn(controlIndex, columns);
  validateRowHypotheses(input.alternative, input.nullValue, rows);
  const sizes = createMatrix(rows, columns);
  sizes.data.fill(Number.NaN);
  if (columns < 2) return sizes;
  const confidenceLevel = input.confidenceLevel ?? 0.95;
  const targetPower = input.power ?? DEFAULT_POWER;
  const twoSided = sampleSizeQuantile(columns, confidenceLevel, targetPower);
  const oneSided = sampleSizeQuantile(columns, confidenceLevel, targetPower, 'greater');
  for (let row = 0; row < rows; row += 1) {
    const alternative = input.alternative?.[row] ?? 'two-sided';
    const nullValue = input.nullValue?.[row] ?? 0;
    const z = alternative === 'two-sided' ? twoSided : oneSided;
    const controlMean = mean.get(row, controlIndex);
    const controlStd = std.get(row, controlIndex);
    requireNotNegative(controlStd, 'std', row, controlIndex);
    for (let column = 0; column < columns; column += 1) {
      if (column === controlIndex) continue;
      const effect = minimumEffect.get(row, column);
      if (Number.isNaN(effect)) continue;
      requireNotNegative(effect, 'minimumEffect', row, column);
      const treatmentStd = std.get(row, column);
      requireNotNegative(treatmentStd, 'std', row, column);
      const variance = controlStd * controlStd + treatmentStd * treatmentStd;
      const distance = effectToDetect(effect, nullValue, alternative);
      sizes.data[row * columns + column] = sampleSizeFromQuantile(z, variance, controlMean * distance);
    }
  }
  return sizes;
}

function requireNotNegative(value: number, name: string, row: number, column: number): void {
  if (value < 0) {
    throw new ValidationError(
      `\`${name}\` must be zero or greater, received ${String(value)} at [${row}, ${column}].`,
      [name, row, column],
    );
  }
}
