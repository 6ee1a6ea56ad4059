import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { type Alternative, validateRowHypotheses } from './alternative.js';
import { holmAdjustInto, holmInterval } from './holm-bonferroni.js';
import type { Matrix } from './matrix.js';
import { commonShape, createMatrix, requireColumn } from './matrix-shape.js';

/**
 * Options of {@link holmBonferroniMatrix}.
 *
 * @example
 * ```ts
 * import type { HolmMatrixOptions } from 'ep-stats';
 * const options: HolmMatrixOptions = { controlIndex: 0 };
 * options.controlIndex; // => 0
 * ```
 * @public
 */
export interface HolmMatrixOptions {
  /** A column left out of every family and copied unchanged (the control); none when omitted. */
  readonly controlIndex?: number;
}

/** The keys of {@link HolmMatrixOptions}. */
const HOLM_MATRIX_OPTIONS = optionKeys<HolmMatrixOptions>({ controlIndex: true });

/**
 * Holm-Bonferroni adjustment of a (metrics x variants) matrix of p-values, each row one family of tests.
 *
 * @remarks
 * {@link holmBonferroni} applied to every row, over the columns other than `controlIndex` (the treatments
 * of one metric, compared with its control); the control column is copied unchanged. Scratch space is
 * allocated once for all rows.
 *
 * @param pValues - Raw p-values, one row per family.
 * @param options - The control column, if any.
 * @returns A new row-major matrix of the adjusted p-values.
 * @throws {@link ValidationError} for an unknown option, a `pValues` that is not a two-dimensional matrix,
 *   or a `controlIndex` that is not a column.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { holmBonferroniMatrix } from 'ep-stats';
 * // Two metrics, the control in column 0 and three treatments.
 * const pValues = ndarray(Float64Array.of(1, 0.01, 0.04, 0.03, 1, 0.2, Number.NaN, 0.5), [2, 4]);
 * const adjusted = holmBonferroniMatrix(pValues, { controlIndex: 0 });
 * [adjusted.get(0, 1), adjusted.get(0, 2), adjusted.get(0, 3)]; // => [0.03, 0.06, 0.06]
 * // A NaN counts in its family (m = 3) and stays NaN; the control column is copied.
 * adjusted.get(1, 1); // => ~0.6
 * [adjusted.get(1, 0), adjusted.get(1, 2), adjusted.get(1, 3)]; // => [1, Number.NaN, 1]
 * ```
 * @public
 */
export function holmBonferroniMatrix(pValues: Matrix, options: HolmMatrixOptions = {}): Matrix {
  rejectUnknownKeys(options, HOLM_MATRIX_OPTIONS, 'holmBonferroniMatrix');
  const [rows, columns] = commonShape({ pValues });
  const { controlIndex } = options;
  if (controlIndex !== undefined) requireColumn(controlIndex, columns);
  const adjusted = createMatrix(rows, columns);
  const family = new Float64Array(columns);
  const familyAdjusted = new Float64Array(columns);
  const order = new Int32Array(columns);
  const [rowStride = 0, columnStride = 0] = pValues.stride;
  for (let row = 0; row < rows; row += 1) {
    let m = 0;
    for (let column = 0; column < columns; column += 1) {
      const p = pValues.data[pValues.offset + row * rowStride + column * columnStride]!;
      if (column === controlIndex) adjusted.data[row * columns + column] = p;
      else family[m++] = p;
    }
    holmAdjustInto(family, m, order, familyAdjusted);
    m = 0;
    for (let column = 0; column < columns; column += 1) {
      if (column !== controlIndex) adjusted.data[row * columns + column] = familyAdjusted[m++]!;
    }
  }
  return adjusted;
}

/**
 * Inputs of {@link adjustIntervalsForHolmMatrix}: matrices of the same shape.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { adjustIntervalsForHolmMatrix, type HolmIntervalMatrixInput } from 'ep-stats';
 * const cell = (value: number) => ndarray(Float64Array.of(value), [1, 1]);
 * const input: HolmIntervalMatrixInput = {
 *   pValues: cell(0.3),
 *   adjustedPValues: cell(0.3),
 *   standardErrors: cell(0.5),
 *   degreesOfFreedom: cell(Number.POSITIVE_INFINITY),
 *   confidenceLevel: 0.95,
 * };
 * adjustIntervalsForHolmMatrix(input).get(0, 0); // => ~0.979981992270027
 * ```
 * @public
 */
export interface HolmIntervalMatrixInput {
  /** Raw p-values. */
  readonly pValues: Matrix;
  /** Holm-adjusted p-values of the same cells ({@link holmBonferroniMatrix}). */
  readonly adjustedPValues: Matrix;
  /** Standard errors of the same cells. */
  readonly standardErrors: Matrix;
  /** Degrees of freedom of the same cells. */
  readonly degreesOfFreedom: Matrix;
  /** Confidence level before the adjustment, e.g. 0.95. */
  readonly confidenceLevel: number;
  /**
   * Per row: the alternative of the tests whose p-values these are, `'two-sided'` for every row when omitted;
   * a one-sided row gets the one-sided quantile `t_f^-1(1 - alpha_i)`.
   */
  readonly alternative?: readonly Alternative[];
}

/** The keys of {@link HolmIntervalMatrixInput}, in the order error messages list them. */
const HOLM_INTERVAL_MATRIX_INPUT = optionKeys<HolmIntervalMatrixInput>({
  pValues: true,
  adjustedPValues: true,
  standardErrors: true,
  degreesOfFreedom: true,
  confidenceLevel: true,
  alternative: true,
});

/**
 * Confidence-interval half-widths consistent with Holm-adjusted p-values, over matrices.
 *
 * @remarks
 * {@link adjustIntervalsForHolm} cell by cell: `ci = se * t_f^-1(1 - ratio (1 - cl) / 2)` with
 * `ratio = p / p_adj` (1 where that is NaN), or `t_f^-1(1 - ratio (1 - cl))` in a row whose `alternative`
 * is one-sided. A cell whose p-value was not adjusted (`p = p_adj`, e.g. a
 * control column copied by {@link holmBonferroniMatrix}) gets the interval of the nominal level.
 *
 * @param input - Raw and adjusted p-values, standard errors and degrees of freedom.
 * @returns A new row-major matrix of the half-widths.
 * @throws {@link ValidationError} for an unknown option, a matrix that is not two-dimensional or whose
 *   shape differs from `pValues`' (the error's `path` names it), or an `alternative` without one valid entry
 *   per row.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { adjustIntervalsForHolmMatrix } from 'ep-stats';
 * const row = (...values: number[]) => ndarray(Float64Array.from(values), [1, 2]);
 * const ci = adjustIntervalsForHolmMatrix({
 *   pValues: row(0.01, 0.04),
 *   adjustedPValues: row(0.02, 0.04),
 *   standardErrors: row(1, 1),
 *   degreesOfFreedom: row(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY),
 *   confidenceLevel: 0.95,
 * });
 * ci.get(0, 0); // => ~2.241402727604947
 * ci.get(0, 1); // => ~1.959963984540054
 * ```
 * @public
 */
export function adjustIntervalsForHolmMatrix(input: HolmIntervalMatrixInput): Matrix {
  rejectUnknownKeys(input, HOLM_INTERVAL_MATRIX_INPUT, 'adjustIntervalsForHolmMatrix');
  const { pValues, adjustedPValues, standardErrors, degreesOfFreedom, confidenceLevel } = input;
  const [rows, columns] = commonShape({ pValues, adjustedPValues, standardErrors, degreesOfFreedom });
  validateRowHypotheses(input.alternative, undefined, rows);
  const intervals = createMatrix(rows, columns);
  for (let row = 0; row < rows; row += 1) {
    const alternative = input.alternative?.[row] ?? 'two-sided';
    for (let column = 0; column < columns; column += 1) {
      intervals.data[row * columns + column] = holmInterval(
        pValues.get(row, column),
        adjustedPValues.get(row, column),
        standardErrors.get(row, column),
        degreesOfFreedom.get(row, column),
        confidenceLevel,
        alternative,
      );
    }
  }
  return intervals;
}
