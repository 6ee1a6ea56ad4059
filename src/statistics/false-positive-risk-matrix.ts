import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { riskOfFalsePositive } from './false-positive-risk.js';
import type { Matrix } from './matrix.js';
import { commonShape, createMatrix } from './matrix-shape.js';

/**
 * Inputs of {@link falsePositiveRiskMatrix}.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { falsePositiveRiskMatrix, type FalsePositiveRiskMatrixInput } from 'ep-stats';
 * const input: FalsePositiveRiskMatrixInput = {
 *   pValue: ndarray(Float64Array.of(0.01), [1, 1]),
 *   power: ndarray(Float64Array.of(0.8), [1, 1]),
 *   nullHypothesisRate: 0.5,
 *   confidenceLevel: 0.95,
 * };
 * falsePositiveRiskMatrix(input).get(0, 0); // => ~0.012345679012345678
 * ```
 * @public
 */
export interface FalsePositiveRiskMatrixInput {
  /** p-values (Holm-adjusted where that applies). */
  readonly pValue: Matrix;
  /** Power of each test ({@link powerMatrix}). */
  readonly power: Matrix;
  /** Prior probability that the null hypothesis is true; `undefined`, `null` or `NaN` when unknown. */
  readonly nullHypothesisRate: number | null | undefined;
  /** Confidence level, e.g. 0.95. */
  readonly confidenceLevel: number;
}

/** The keys of {@link FalsePositiveRiskMatrixInput}, in the order error messages list them. */
const FALSE_POSITIVE_RISK_MATRIX_INPUT = optionKeys<FalsePositiveRiskMatrixInput>({
  pValue: true,
  power: true,
  nullHypothesisRate: true,
  confidenceLevel: true,
});

/**
 * False positive risk of every cell of (metrics x variants) matrices of p-values and powers.
 *
 * @remarks
 * {@link falsePositiveRisk} cell by cell: `FPR = p pi / (p pi + power (1 - pi))` for a significant
 * `p < 1 - cl`, `NaN` otherwise and everywhere when the null hypothesis rate is unknown.
 *
 * @param input - p-values, powers, null hypothesis rate and confidence level.
 * @returns A new row-major matrix of risks in `[0, 1]` or `NaN`.
 * @throws {@link ValidationError} for an unknown option or a matrix that is not two-dimensional or whose
 *   shape differs from `pValue`'s.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { falsePositiveRiskMatrix } from 'ep-stats';
 * const risk = falsePositiveRiskMatrix({
 *   pValue: ndarray(Float64Array.of(5.95556085778437e-5, 0.3), [1, 2]),
 *   power: ndarray(Float64Array.of(0.10513890334892595, 0.5), [1, 2]),
 *   nullHypothesisRate: 0.1,
 *   confidenceLevel: 0.95,
 * });
 * risk.get(0, 0); // => ~6.293458629318718e-5
 * risk.get(0, 1); // => NaN
 * ```
 * @public
 */
export function falsePositiveRiskMatrix(input: FalsePositiveRiskMatrixInput): Matrix {
  rejectUnknownKeys(input, FALSE_POSITIVE_RISK_MATRIX_INPUT, 'falsePositiveRiskMatrix');
  const { pValue, power, nullHypothesisRate, confidenceLevel } = input;
  const [rows, columns] = commonShape({ pValue, power });
  const risk = createMatrix(rows, columns);
  if (nullHypothesisRate === null || nullHypothesisRate === undefined) {
    risk.data.fill(Number.NaN);
    return risk;
  }
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      risk.data[row * columns + column] = riskOfFalsePositive(
        pValue.get(row, column),
        power.get(row, column),
        nullHypothesisRate,
        confidenceLevel,
      );
    }
  }
  return risk;
}
