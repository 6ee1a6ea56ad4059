/** The inputs of a sample size calculation, as `ep-stats sample-size` received them. */
export interface SampleSizeInputs {
  readonly minimumEffect: number;
  readonly mean: number;
  /** The standard deviation, or `undefined` for a conversion rate (Bernoulli). */
  readonly std?: number | undefined;
}

/**
 * Why a sample size is one of the formula's degenerate answers (`NaN`, `Infinity` or 0), in words.
 *
 * @remarks
 * The answers are the reference's, kept as they are: a minimum effect or a mean of 0 leaves no effect to
 * detect (`Infinity`), a standard deviation of 0 leaves no noise (0), a conversion rate of 0 or 1 has no
 * variance, and a rate to detect above 1 none that exists (`NaN`).
 *
 * @param inputs - Minimum effect, mean and standard deviation.
 * @param sampleSize - The computed sample size per variant.
 * @returns The explanation, or `undefined` for an ordinary sample size.
 */
export function explainSampleSize(inputs: SampleSizeInputs, sampleSize: number): string | undefined {
  const { minimumEffect, mean, std } = inputs;
  if (Number.isNaN(sampleSize)) {
    if (std === undefined) {
      if (mean === 0 || mean === 1) return 'a conversion rate of 0 or 1 has no variance to test against';
      const target = mean * (1 + minimumEffect);
      if (target > 1) {
        return `the rate to detect, mean x (1 + minimum effect) = ${Number(target.toPrecision(6))}, is above 1`;
      }
    }
    return 'with no effect to detect (mean x minimum effect = 0) and no variance the formula is 0 / 0';
  }
  if (sampleSize === Number.POSITIVE_INFINITY) {
    if (minimumEffect === 0) return 'a minimum effect of 0 cannot be detected with any sample size';
    if (mean === 0) return 'a mean of 0 makes every relative effect 0, which no sample size can detect';
    return 'the effect to detect is too small for any sample size';
  }
  if (sampleSize === 0 && std === 0) {
    return 'a standard deviation of 0 means no noise: any difference is certain without units';
  }
  return undefined;
}
