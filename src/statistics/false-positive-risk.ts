import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';

/**
 * Inputs of {@link falsePositiveRisk}.
 *
 * @example
 * ```ts
 * import { falsePositiveRisk, type FalsePositiveRiskInput } from 'ep-stats';
 * const input: FalsePositiveRiskInput = { pValue: 0.01, power: 0.8, nullHypothesisRate: 0.5, confidenceLevel: 0.95 };
 * falsePositiveRisk(input); // => ~0.012345679012345678
 * ```
 * @public
 */
export interface FalsePositiveRiskInput {
  /** p-value of the test (Holm-adjusted where that applies). */
  readonly pValue: number;
  /** Power of the test ({@link powerFromSampleSizes}). */
  readonly power: number;
  /** Prior probability that the null hypothesis is true; `undefined`, `null` or `NaN` when unknown. */
  readonly nullHypothesisRate: number | null | undefined;
  /** Confidence level, e.g. 0.95. */
  readonly confidenceLevel: number;
}

/** The keys of {@link FalsePositiveRiskInput}, in the order error messages list them. */
const FALSE_POSITIVE_RISK_INPUT = optionKeys<FalsePositiveRiskInput>({
  pValue: true,
  power: true,
  nullHypothesisRate: true,
  confidenceLevel: true,
});

/**
 * False positive risk: the probability that a significant result is a false positive.
 *
 * @remarks
 * With the prior null hypothesis rate `pi`, for a significant `p < 1 - cl`:
 *
 * ```
 * FPR = p pi / (p pi + power (1 - pi))
 * ```
 *
 * `NaN` without a null hypothesis rate, for a result that is not significant (`p >= 1 - cl`), and when the
 * denominator is 0 (`pi = 0` and `power = 0`, or `p = 0` and `power = 0`; the reference raises a
 * division-by-zero error there). Kohavi, R., Deng, A. and Vermeer, L. (2022), "A/B Testing Intuition
 * Busters", KDD '22.
 *
 * @param input - p-value, power, null hypothesis rate and confidence level.
 * @returns The risk, in `[0, 1]`, or `NaN`.
 * @throws {@link ValidationError} for an unknown option (naming the closest known one).
 *
 * @example
 * ```ts
 * import { falsePositiveRisk } from 'ep-stats';
 * falsePositiveRisk({ pValue: 5.95556085778437e-5, power: 0.10513890334892595, nullHypothesisRate: 0.1, confidenceLevel: 0.95 }); // => ~6.293458629318718e-5
 * falsePositiveRisk({ pValue: 0.3, power: 0.5, nullHypothesisRate: 0.1, confidenceLevel: 0.95 }); // => NaN
 * ```
 * @public
 */
export function falsePositiveRisk(input: FalsePositiveRiskInput): number {
  rejectUnknownKeys(input, FALSE_POSITIVE_RISK_INPUT, 'falsePositiveRisk');
  const { pValue, power, nullHypothesisRate, confidenceLevel } = input;
  if (nullHypothesisRate === null || nullHypothesisRate === undefined) {
    return Number.NaN;
  }
  return riskOfFalsePositive(pValue, power, nullHypothesisRate, confidenceLevel);
}

/**
 * The formula of {@link falsePositiveRisk} for a known null hypothesis rate.
 * @internal
 */
export function riskOfFalsePositive(
  pValue: number,
  power: number,
  nullHypothesisRate: number,
  confidenceLevel: number,
): number {
  if (pValue >= 1 - confidenceLevel) {
    return Number.NaN;
  }
  const falsePositives = pValue * nullHypothesisRate;
  const denominator = falsePositives + power * (1 - nullHypothesisRate);
  return denominator === 0 ? Number.NaN : falsePositives / denominator;
}
