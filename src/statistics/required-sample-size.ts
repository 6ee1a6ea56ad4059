import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { ValidationError } from '../errors/validation-error.js';
import { type Alternative, effectToDetect, nullValueOf, validateHypothesis } from './alternative.js';
import { normalQuantile } from './distributions.js';
import { roundHalfEven } from './round-half-even.js';
import { requireStandardDeviation, validateSampleSizeSettings } from './validate-sample-size-input.js';

/** Power used when none is given (the reference's `DEFAULT_POWER`). @internal */
export const DEFAULT_POWER = 0.8;

/**
 * Inputs of {@link requiredSampleSizePerVariant}.
 *
 * @example
 * ```ts
 * import { requiredSampleSizePerVariant, type RequiredSampleSizeInput } from 'ep-stats';
 * const input: RequiredSampleSizeInput = { nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2, std2: 1.2 };
 * requiredSampleSizePerVariant(input); // => 56512
 * ```
 * @public
 */
export interface RequiredSampleSizeInput {
  /** Number of variants, control included; at least 2. */
  readonly nVariants: number;
  /** Minimum effect of interest, relative to the mean (0.05 is 5 %); must not be negative. */
  readonly minimumEffect: number;
  /** Mean of the control. */
  readonly mean: number;
  /** Standard deviation of the control; not negative (`NaN`, from degenerate data, gives `NaN`). */
  readonly std: number;
  /** Standard deviation of the treatment, not negative; the control's when omitted. */
  readonly std2?: number;
  /** Confidence level, strictly between 0 and 1; default 0.95. */
  readonly confidenceLevel?: number;
  /** Power, strictly between 0 and 1; default 0.8. */
  readonly power?: number;
  /**
   * Alternative of the planned test, default `'two-sided'`; a one-sided test uses `Phi^-1(1 - alpha)` and
   * detects `minimumEffect` in its direction (up for `'greater'`, down for `'less'`).
   */
  readonly alternative?: Alternative;
  /**
   * Relative non-inferiority margin strictly between 0 and 1 (needs a one-sided `alternative`): the test is
   * against `-margin` (`'greater'`) or `+margin` (`'less'`), so the effect to detect is
   * `minimumEffect + margin` (0 is allowed for `minimumEffect`: a treatment truly equal to the control).
   */
  readonly nonInferiorityMargin?: number | null;
}

/** The keys of {@link RequiredSampleSizeInput}, in the order error messages list them. */
const SAMPLE_SIZE_INPUT = optionKeys<RequiredSampleSizeInput>({
  nVariants: true,
  minimumEffect: true,
  mean: true,
  std: true,
  std2: true,
  confidenceLevel: true,
  power: true,
  alternative: true,
  nonInferiorityMargin: true,
});

/**
 * Inputs of {@link requiredSampleSizePerVariantBernoulli}.
 *
 * @example
 * ```ts
 * import { requiredSampleSizePerVariantBernoulli, type RequiredSampleSizeBernoulliInput } from 'ep-stats';
 * const input: RequiredSampleSizeBernoulliInput = { nVariants: 2, minimumEffect: 0.05, mean: 0.4, confidenceLevel: 0.95 };
 * requiredSampleSizePerVariantBernoulli(input); // => 9489
 * ```
 * @public
 */
export interface RequiredSampleSizeBernoulliInput {
  /** Number of variants, control included; at least 2. */
  readonly nVariants: number;
  /** Minimum effect of interest, relative to the mean (0.05 is 5 %); must not be negative. */
  readonly minimumEffect: number;
  /** Conversion rate of the control, in `[0, 1]`. */
  readonly mean: number;
  /** Confidence level, strictly between 0 and 1; default 0.95. */
  readonly confidenceLevel?: number;
  /** Power, strictly between 0 and 1; default 0.8. */
  readonly power?: number;
  /** Alternative of the planned test, default `'two-sided'` (see {@link RequiredSampleSizeInput.alternative}). */
  readonly alternative?: Alternative;
  /** Relative non-inferiority margin (see {@link RequiredSampleSizeInput.nonInferiorityMargin}). */
  readonly nonInferiorityMargin?: number | null;
}

/** The keys of {@link RequiredSampleSizeBernoulliInput}, in the order error messages list them. */
const BERNOULLI_SAMPLE_SIZE_INPUT = optionKeys<RequiredSampleSizeBernoulliInput>({
  nVariants: true,
  minimumEffect: true,
  mean: true,
  confidenceLevel: true,
  power: true,
  alternative: true,
  nonInferiorityMargin: true,
});

/**
 * Sample size per variant needed to detect a relative effect with the given power.
 *
 * @remarks
 * Bonferroni-corrected two-sided z-test: with `alpha = (1 - cl) / (nVariants - 1)`,
 * `v = std^2 + std2^2` (or `2 std^2`) and `delta = mean * minimumEffect`,
 *
 * ```
 * n = round((Phi^-1(1 - alpha / 2) + Phi^-1(power))^2 * v / delta^2)
 * ```
 *
 * rounded half to even. A one-sided `alternative` replaces `Phi^-1(1 - alpha / 2)` with `Phi^-1(1 - alpha)`,
 * and a `nonInferiorityMargin` makes `delta = mean * (minimumEffect + margin)`: the sample size to detect a
 * true effect of `minimumEffect` in the tested direction against the null value `-+margin`. The reference's
 * degenerate answers are kept, as IEEE division gives them:
 * `delta = 0` (a minimum effect or a mean of 0) gives `Infinity` (no sample size can detect it), or `NaN`
 * when `v = 0` too; a standard deviation of 0 with `delta != 0` gives 0.
 *
 * @param input - Number of variants, minimum effect, control mean and standard deviation(s), confidence
 *   level and power.
 * @returns The number of units each variant needs.
 * @throws {@link ValidationError} whose message starts with the option's name and whose `path` is
 *   `[name]`: an unknown option (naming the closest known one), `nVariants < 2`, a negative or `NaN`
 *   `minimumEffect`, a negative `std` or `std2`, a `confidenceLevel` or `power` not strictly between 0
 *   and 1, an unknown `alternative`, or a `nonInferiorityMargin` outside `(0, 1)` or with `'two-sided'`.
 *
 * @example
 * ```ts
 * import { requiredSampleSizePerVariant, ValidationError } from 'ep-stats';
 * requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2 }); // => 56512
 * requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0, std: 1 }); // => Infinity
 * requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 0 }); // => 0
 * requiredSampleSizePerVariant({ nVariants: 1, minimumEffect: 0.1, mean: 0.2, std: 1.2 }); // throws ValidationError
 * requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: -1.2 }); // throws ValidationError
 * // One-sided: (1.645 + 0.842)^2 / (1.960 + 0.842)^2 = 0.788 of the two-sided 56512.
 * requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2, alternative: 'greater' }); // => 44514
 * // Non-inferiority within 5 %, assuming no true difference: delta = 0.2 * (0 + 0.05).
 * requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0, mean: 0.2, std: 1.2, alternative: 'greater', nonInferiorityMargin: 0.05 }); // => 178058
 * ```
 * @public
 */
export function requiredSampleSizePerVariant(input: RequiredSampleSizeInput): number {
  rejectUnknownKeys(input, SAMPLE_SIZE_INPUT, 'requiredSampleSizePerVariant');
  validateSampleSizeSettings(input);
  const { alternative, nonInferiorityMargin } = validateHypothesis(
    input.alternative,
    input.nonInferiorityMargin,
  );
  const { nVariants, minimumEffect, mean, std, std2 } = input;
  requireStandardDeviation(std, 'std');
  requireStandardDeviation(std2, 'std2');
  const confidenceLevel = input.confidenceLevel ?? 0.95;
  const power = input.power ?? DEFAULT_POWER;
  const variance = std2 === undefined ? 2 * std * std : std * std + std2 * std2;
  const effect = effectToDetect(minimumEffect, nullValueOf(alternative, nonInferiorityMargin), alternative);
  return sampleSizeFromQuantile(
    sampleSizeQuantile(nVariants, confidenceLevel, power, alternative),
    variance,
    mean * effect,
  );
}

/**
 * `Phi^-1(1 - alpha / 2) + Phi^-1(power)` with the Bonferroni-corrected `alpha = (1 - cl) / (nVariants - 1)`;
 * `Phi^-1(1 - alpha) + Phi^-1(power)` for a one-sided `alternative`.
 * @internal
 */
export function sampleSizeQuantile(
  nVariants: number,
  confidenceLevel: number,
  power: number,
  alternative: Alternative = 'two-sided',
): number {
  const alpha = (1 - confidenceLevel) / (nVariants - 1);
  const level = alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha;
  return normalQuantile(level) + normalQuantile(power);
}

/**
 * `round(z^2 variance / delta^2)`, half to even: the sample size per variant for the summed variance of the
 * two variants and the absolute effect `delta`.
 * @internal
 */
export function sampleSizeFromQuantile(z: number, variance: number, delta: number): number {
  return roundHalfEven((z * z * variance) / (delta * delta));
}

/**
 * Sample size per variant needed to detect a relative change of a conversion rate.
 *
 * @remarks
 * {@link requiredSampleSizePerVariant} with the Bernoulli standard deviations of the control rate `p`
 * and of the rate to detect `p2 = p (1 + minimumEffect)` (`p (1 - minimumEffect)` under `'less'`):
 * `std = sqrt(p (1 - p))`, `std2 = sqrt(p2 (1 - p2))`. A rate of 0 or 1 has no variance and gives `NaN` (0 / 0), as in the
 * reference; so does a rate to detect `p2` above 1 (its variance is negative), which is not an error
 * either.
 *
 * @param input - Number of variants, minimum effect, control conversion rate, confidence level and power.
 * @returns The number of units each variant needs.
 * @throws {@link ValidationError} "`mean` must be a conversion rate between 0 and 1 (no `std` is given),
 *   received 1.4." when the rate is outside `[0, 1]`; otherwise as {@link requiredSampleSizePerVariant}.
 *
 * @example
 * ```ts
 * import { requiredSampleSizePerVariantBernoulli, ValidationError } from 'ep-stats';
 * requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 0.4 }); // => 9489
 * requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 1.4 }); // throws ValidationError
 * requiredSampleSizePerVariantBernoulli({ nVariants: 3, minimumEffect: 0.05, mean: 0.4 }); // => 11492
 * requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 0 }); // => NaN
 * ```
 * @public
 */
export function requiredSampleSizePerVariantBernoulli(input: RequiredSampleSizeBernoulliInput): number {
  rejectUnknownKeys(input, BERNOULLI_SAMPLE_SIZE_INPUT, 'requiredSampleSizePerVariantBernoulli');
  validateSampleSizeSettings(input);
  const { mean, minimumEffect } = input;
  if (!(mean >= 0 && mean <= 1)) {
    throw new ValidationError(
      `\`mean\` must be a conversion rate between 0 and 1 (no \`std\` is given), received ${String(mean)}.`,
      ['mean'],
    );
  }
  const treatmentMean = mean * (input.alternative === 'less' ? 1 - minimumEffect : 1 + minimumEffect);
  return requiredSampleSizePerVariant({
    nVariants: input.nVariants,
    minimumEffect,
    mean,
    std: Math.sqrt(mean * (1 - mean)),
    std2: Math.sqrt(treatmentMean * (1 - treatmentMean)),
    ...(input.confidenceLevel === undefined ? {} : { confidenceLevel: input.confidenceLevel }),
    ...(input.power === undefined ? {} : { power: input.power }),
    ...(input.alternative === undefined ? {} : { alternative: input.alternative }),
    ...(input.nonInferiorityMargin === undefined ? {} : { nonInferiorityMargin: input.nonInferiorityMargin }),
  });
}
