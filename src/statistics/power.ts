import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { type Alternative, validateHypothesis } from './alternative.js';
import { normalCdf, normalQuantile } from './distributions.js';
import { DEFAULT_POWER } from './required-sample-size.js';
import { validateSampleSizeSettings } from './validate-sample-size-input.js';

/**
 * Inputs of {@link powerFromSampleSizes}.
 *
 * @example
 * ```ts
 * import { powerFromSampleSizes, type PowerInput } from 'ep-stats';
 * const input: PowerInput = { nVariants: 3, sampleSize: 800, requiredSampleSize: 800, confidenceLevel: 0.95, power: 0.9 };
 * powerFromSampleSizes(input); // => ~0.9
 * ```
 * @public
 */
export interface PowerInput {
  /** Number of variants, control included. */
  readonly nVariants: number;
  /** Sample size the variant has reached. */
  readonly sampleSize: number;
  /** Sample size the variant needs ({@link requiredSampleSizePerVariant}). */
  readonly requiredSampleSize: number;
  /** Confidence level, strictly between 0 and 1, e.g. 0.95. */
  readonly confidenceLevel: number;
  /** Power the required sample size was computed for, strictly between 0 and 1; default 0.8. */
  readonly power?: number;
  /** Alternative of the test, default `'two-sided'`; a one-sided test has `z = Phi^-1(1 - alpha)`. */
  readonly alternative?: Alternative;
}

/** The keys of {@link PowerInput}, in the order error messages list them. */
const POWER_INPUT = optionKeys<PowerInput>({
  nVariants: true,
  sampleSize: true,
  requiredSampleSize: true,
  confidenceLevel: true,
  power: true,
  alternative: true,
});

/**
 * Power reached with the current sample size, given the sample size a target power requires.
 *
 * @remarks
 * With the Bonferroni-corrected `alpha = (1 - cl) / (nVariants - 1)` and `z = Phi^-1(1 - alpha / 2)`:
 *
 * ```
 * power = Phi(sqrt(sampleSize / requiredSampleSize) (z + Phi^-1(targetPower)) - z)
 * ```
 *
 * A one-sided `alternative` has `z = Phi^-1(1 - alpha)` (the required sample size must then be the
 * one-sided one too). The inverse of {@link requiredSampleSizePerVariant}: at
 * `sampleSize = requiredSampleSize` it returns the target power. `NaN` when `nVariants < 2` or
 * `requiredSampleSize = 0`.
 *
 * @param input - Number of variants, current and required sample size, confidence level, target power.
 * @returns The power, in `[0, 1]`, or `NaN`.
 * @throws {@link ValidationError} for an unknown option (naming the closest known one), a
 *   `confidenceLevel` or `power` not strictly between 0 and 1 (the message starts with the option's name),
 *   or an unknown `alternative`.
 *
 * @example
 * ```ts
 * import { powerFromSampleSizes } from 'ep-stats';
 * powerFromSampleSizes({ nVariants: 2, sampleSize: 1001, requiredSampleSize: 26043, confidenceLevel: 0.95 }); // => ~0.07916547244081396
 * powerFromSampleSizes({ nVariants: 2, sampleSize: 500, requiredSampleSize: 500, confidenceLevel: 0.95 }); // => ~0.8
 * // Half the one-sided sample size: Phi(sqrt(0.5) (1.6449 + 0.8416) - 1.6449) = Phi(0.1133).
 * powerFromSampleSizes({ nVariants: 2, sampleSize: 250, requiredSampleSize: 500, confidenceLevel: 0.95, alternative: 'greater' }); // => ~0.545123305503286
 * ```
 * @public
 */
export function powerFromSampleSizes(input: PowerInput): number {
  rejectUnknownKeys(input, POWER_INPUT, 'powerFromSampleSizes');
  validateSampleSizeSettings({ confidenceLevel: input.confidenceLevel, power: input.power });
  const { alternative } = validateHypothesis(input.alternative, undefined);
  const { nVariants, sampleSize, requiredSampleSize, confidenceLevel } = input;
  if (nVariants < 2) {
    return Number.NaN;
  }
  const { z, zPower } = powerQuantiles(nVariants, confidenceLevel, input.power ?? DEFAULT_POWER, alternative);
  return powerFromQuantiles(sampleSize, requiredSampleSize, z, zPower);
}

/**
 * The normal quantiles of the power formula: `z` of the Bonferroni-corrected two-sided (or one-sided) level
 * and `zPower` of the target power.
 * @internal
 */
export function powerQuantiles(
  nVariants: number,
  confidenceLevel: number,
  targetPower: number,
  alternative: Alternative = 'two-sided',
): { readonly z: number; readonly zPower: number } {
  const alpha = (1 - confidenceLevel) / (nVariants - 1);
  const level = alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha;
  return { z: normalQuantile(level), zPower: normalQuantile(targetPower) };
}

/**
 * The power formula of {@link powerFromSampleSizes} from its quantiles ({@link powerQuantiles}); `NaN` when
 * `requiredSampleSize` is 0.
 * @internal
 */
export function powerFromQuantiles(
  sampleSize: number,
  requiredSampleSize: number,
  z: number,
  zPower: number,
): number {
  if (requiredSampleSize === 0) return Number.NaN;
  return normalCdf(Math.sqrt(sampleSize / requiredSampleSize) * (z + zPower) - z);
}
