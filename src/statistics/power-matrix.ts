import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { type Alternative, validateRowHypotheses } from './alternative.js';
import type { Matrix } from './matrix.js';
import { commonShape, createMatrix } from './matrix-shape.js';
import { powerFromQuantiles, powerQuantiles } from './power.js';
import { DEFAULT_POWER } from './required-sample-size.js';
import { validateSampleSizeSettings } from './validate-sample-size-input.js';

/**
 * Inputs of {@link powerMatrix}.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { powerMatrix, type PowerMatrixInput } from 'ep-stats';
 * const input: PowerMatrixInput = {
 *   sampleSize: ndarray(Float64Array.of(800, 800), [1, 2]),
 *   requiredSampleSize: ndarray(Float64Array.of(Number.NaN, 800), [1, 2]),
 *   confidenceLevel: 0.95,
 * };
 * powerMatrix(input).get(0, 1); // => ~0.8
 * ```
 * @public
 */
export interface PowerMatrixInput {
  /** Sample size each cell has reached. */
  readonly sampleSize: Matrix;
  /** Sample size each cell needs ({@link requiredSampleSizeMatrix}); `NaN` gives `NaN`. */
  readonly requiredSampleSize: Matrix;
  /** Number of variants, control included, for the Bonferroni correction; default the number of columns. */
  readonly nVariants?: number;
  /** Confidence level, strictly between 0 and 1, e.g. 0.95. */
  readonly confidenceLevel: number;
  /** Power the required sample sizes were computed for, strictly between 0 and 1; default 0.8. */
  readonly power?: number;
  /** Per row: the alternative of its tests, `'two-sided'` for every row when omitted. */
  readonly alternative?: readonly Alternative[];
}

/** The keys of {@link PowerMatrixInput}, in the order error messages list them. */
const POWER_MATRIX_INPUT = optionKeys<PowerMatrixInput>({
  sampleSize: true,
  requiredSampleSize: true,
  nVariants: true,
  confidenceLevel: true,
  power: true,
  alternative: true,
});

/**
 * Power reached with the current sample sizes, cell by cell over (metrics x variants) matrices.
 *
 * @remarks
 * {@link powerFromSampleSizes} for every cell (with its row's `alternative`), with the normal quantiles
 * computed once for the whole matrix. Every cell is `NaN` when `nVariants < 2`; a cell is `NaN` when its required sample size is 0 or
 * `NaN`.
 *
 * @param input - Current and required sample sizes, number of variants, confidence level, target power.
 * @returns A new row-major matrix of powers in `[0, 1]` or `NaN`.
 * @throws {@link ValidationError} for an unknown option, a matrix that is not two-dimensional or whose shape
 *   differs from `sampleSize`'s, a `confidenceLevel` or `power` not strictly between 0 and 1, or an
 *   `alternative` without one valid entry per row.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { powerMatrix } from 'ep-stats';
 * const power = powerMatrix({
 *   sampleSize: ndarray(Float64Array.of(1001, 500), [2, 1]),
 *   requiredSampleSize: ndarray(Float64Array.of(26043, 500), [2, 1]),
 *   nVariants: 2,
 *   confidenceLevel: 0.95,
 * });
 * power.get(0, 0); // => ~0.07916547244081396
 * power.get(1, 0); // => ~0.8
 * ```
 * @public
 */
export function powerMatrix(input: PowerMatrixInput): Matrix {
  rejectUnknownKeys(input, POWER_MATRIX_INPUT, 'powerMatrix');
  validateSampleSizeSettings({ confidenceLevel: input.confidenceLevel, power: input.power });
  const { sampleSize, requiredSampleSize } = input;
  const [rows, columns] = commonShape({ sampleSize, requiredSampleSize });
  validateRowHypotheses(input.alternative, undefined, rows);
  const nVariants = input.nVariants ?? columns;
  const power = createMatrix(rows, columns);
  if (!(nVariants >= 2)) {
    power.data.fill(Number.NaN);
    return power;
  }
  const targetPower = input.power ?? DEFAULT_POWER;
  const { z: twoSided, zPower } = powerQuantiles(nVariants, input.confidenceLevel, targetPower);
  const { z: oneSided } = powerQuantiles(nVariants, input.confidenceLevel, targetPower, 'greater');
  for (let row = 0; row < rows; row += 1) {
    const z = (input.alternative?.[row] ?? 'two-sided') === 'two-sided' ? twoSided : oneSided;
    for (let column = 0; column < columns; column += 1) {
      power.data[row * columns + column] = powerFromQuantiles(
        sampleSize.get(row, column),
        requiredSampleSize.get(row, column),
        z,
        zPower,
      );
    }
  }
  return power;
}
