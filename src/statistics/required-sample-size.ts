import { ValidationError } from '../errors/validation-error.js';
import { normalQuantile } from './distributions.js';
import { roundHalfEven } from './round-half-even.js';

/** Power used when none is given (the reference's `DEFAULT_POWER`). */
const DEFAULT_POWER = 0.8;

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
  /** Standard deviation of the control. */
  readonly std: number;
  /** Standard deviation of the treatment; the control's when omitted. */
  readonly std2?: number;
  /** Confidence level, default 0.95. */
  readonly confidenceLevel?: number;
  /** Power, default 0.8. */
  readonly power?: number;
}

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
  /** Confidence level, default 0.95. */
  readonly confidenceLevel?: number;
  /** Power, default 0.8. */
  readonly power?: number;
}

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
 * rounded half to even. `delta = 0` gives `Infinity` (or `NaN` when `v = 0` too), as IEEE division does.
 * A `minimumEffect` of exactly 0 is accepted (and gives `Infinity`).
 *
 * @param input - Number of variants, minimum effect, control mean and standard deviation(s), confidence
 *   level and power.
 * @returns The number of units each variant needs.
 * @throws {@link ValidationError} "minimum_effect must be greater than zero." for a negative
 *   `minimumEffect`; "There must be at least two variants." for `nVariants < 2`.
 *
 * @example
 * ```ts
 * import { requiredSampleSizePerVariant, ValidationError } from 'ep-stats';
 * requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2 }); // => 56512
 * requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0, std: 1 }); // => Infinity
 * requiredSampleSizePerVariant({ nVariants: 1, minimumEffect: 0.1, mean: 0.2, std: 1.2 }); // throws ValidationError
 * ```
 * @public
 */
export function requiredSampleSizePerVariant(input: RequiredSampleSizeInput): number {
  const { nVariants, minimumEffect, mean, std, std2 } = input;
  const confidenceLevel = input.confidenceLevel ?? 0.95;
  const power = input.power ?? DEFAULT_POWER;
  if (minimumEffect < 0) {
    throw new ValidationError('minimum_effect must be greater than zero.', ['minimumEffect']);
  }
  if (nVariants < 2) {
    throw new ValidationError('There must be at least two variants.', ['nVariants']);
  }
  const alpha = (1 - confidenceLevel) / (nVariants - 1);
  const variance = std2 === undefined ? 2 * std * std : std * std + std2 * std2;
  const delta = mean * minimumEffect;
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return roundHalfEven((z * z * variance) / (delta * delta));
}

/**
 * Sample size per variant needed to detect a relative change of a conversion rate.
 *
 * @remarks
 * {@link requiredSampleSizePerVariant} with the Bernoulli standard deviations of the control rate `p`
 * and of the rate to detect `p2 = p (1 + minimumEffect)`: `std = sqrt(p (1 - p))`,
 * `std2 = sqrt(p2 (1 - p2))`.
 *
 * @param input - Number of variants, minimum effect, control conversion rate, confidence level and power.
 * @returns The number of units each variant needs.
 * @throws {@link ValidationError} "mean must be between zero and one, received 1.4." when the rate is
 *   outside `[0, 1]`; otherwise as {@link requiredSampleSizePerVariant}.
 *
 * @example
 * ```ts
 * import { requiredSampleSizePerVariantBernoulli, ValidationError } from 'ep-stats';
 * requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 0.4 }); // => 9489
 * requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 1.4 }); // throws ValidationError
 * requiredSampleSizePerVariantBernoulli({ nVariants: 3, minimumEffect: 0.05, mean: 0.4 }); // => 11492
 * ```
 * @public
 */
export function requiredSampleSizePerVariantBernoulli(input: RequiredSampleSizeBernoulliInput): number {
  const { mean, minimumEffect } = input;
  if (!(mean >= 0 && mean <= 1)) {
    throw new ValidationError(`mean must be between zero and one, received ${formatPythonFloat(mean)}.`, [
      'mean',
    ]);
  }
  const treatmentMean = mean * (1 + minimumEffect);
  return requiredSampleSizePerVariant({
    nVariants: input.nVariants,
    minimumEffect,
    mean,
    std: Math.sqrt(mean * (1 - mean)),
    std2: Math.sqrt(treatmentMean * (1 - treatmentMean)),
    ...(input.confidenceLevel === undefined ? {} : { confidenceLevel: input.confidenceLevel }),
    ...(input.power === undefined ? {} : { power: input.power }),
  });
}

/**
 * A number as Python's `str(float)` prints it (`1.4`, `2.0`, `1e-05`, `1e+16`, `nan`, `inf`), so that
 * messages read the same as the reference's.
 */
function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const text = value.toFixed(Math.max(0, mantissa.replace(/^-?\d\.?/, '').length - exponent));
  return text.includes('.') ? text : `${text}.0`;
}
