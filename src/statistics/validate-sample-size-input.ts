import { ValidationError } from '../errors/validation-error.js';

/**
 * Checks the settings shared by the sample-size and power functions: at least two variants, a minimum
 * effect that is a number not below 0, and a confidence level and power strictly between 0 and 1 (when
 * given).
 *
 * @remarks
 * Every message starts with the option's name in the library's spelling (`` `minimumEffect` ``) and its
 * `path` is `[name]`, so that a front end can put its own spelling in its place.
 *
 * @throws {@link ValidationError} for the first setting out of range.
 * @internal
 */
export function validateSampleSizeSettings(input: {
  readonly nVariants?: number;
  readonly minimumEffect?: number;
  readonly confidenceLevel?: number | undefined;
  readonly power?: number | undefined;
}): void {
  const { nVariants, minimumEffect, confidenceLevel, power } = input;
  if (minimumEffect !== undefined && !(minimumEffect >= 0)) {
    throw new ValidationError(
      `\`minimumEffect\` must be zero or greater (a relative effect: 0.05 is 5 %), received ${String(minimumEffect)}.`,
      ['minimumEffect'],
    );
  }
  if (nVariants !== undefined && !(nVariants >= 2)) {
    throw new ValidationError(
      `\`nVariants\` must be at least 2 (the control and one other variant), received ${String(nVariants)}.`,
      ['nVariants'],
    );
  }
  requireProbability(confidenceLevel, 'confidenceLevel');
  requireProbability(power, 'power');
}

/**
 * Checks that a standard deviation is not negative; `NaN` (the deviation of degenerate data) passes.
 *
 * @throws {@link ValidationError} naming `field`.
 * @internal
 */
export function requireStandardDeviation(value: number | undefined, field: string): void {
  if (value !== undefined && value < 0) {
    throw new ValidationError(
      `\`${field}\` must be zero or greater (a standard deviation), received ${String(value)}.`,
      [field],
    );
  }
}

function requireProbability(value: number | undefined, field: string): void {
  if (value !== undefined && !(value > 0 && value < 1)) {
    throw new ValidationError(`\`${field}\` must be strictly between 0 and 1, received ${String(value)}.`, [
      field,
    ]);
  }
}
