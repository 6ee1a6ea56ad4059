import { z } from 'zod';
import { wireInteger } from './request-problem.js';

/**
 * The body of `POST /sample-size-calculation`.
 *
 * @remarks
 * Without `std` the data is taken to be Bernoulli (conversions) and `mean` must be a rate in [0, 1].
 * The schema checks the structure, that `confidence_level` and `power` lie strictly between 0 and 1 and
 * that `std` is not negative (the reference squares a negative one; we reject it);
 * {@link validateSampleSizeRequest} adds the reference's rules (minimum effect not negative, at least two
 * variants, a Bernoulli mean in [0, 1]).
 *
 * @example
 * ```ts
 * import { sampleSizeRequestSchema } from 'ep-stats/server';
 * sampleSizeRequestSchema.parse({ n_variants: 2, minimum_effect: 0.1, mean: 0.2, std: 1.2 }); // => { n_variants: 2, minimum_effect: 0.1, mean: 0.2, std: 1.2, confidence_level: 0.95, power: 0.8 }
 * ```
 * @public
 */
export const sampleSizeRequestSchema = z.object({
  n_variants: wireInteger().describe('Number of variants, control included.'),
  minimum_effect: z.number().describe('Smallest relative effect to detect (0.05 = 5 %); not negative.'),
  mean: z.number().describe('Current mean of the metric; a rate in [0, 1] when `std` is absent.'),
  std: z
    .number()
    .min(0)
    .nullish()
    .describe('Current standard deviation, not negative; absent for conversion (Bernoulli) metrics.'),
  confidence_level: z.number().gt(0).lt(1).default(0.95).describe('Confidence level, in (0, 1).'),
  power: z.number().gt(0).lt(1).default(0.8).describe('Power to reach, in (0, 1).'),
});

/**
 * A validated `POST /sample-size-calculation` body (defaults applied).
 *
 * @example
 * ```ts
 * import type { SampleSizeRequest } from 'ep-stats/server';
 * const request: SampleSizeRequest = { n_variants: 2, minimum_effect: 0.05, mean: 0.4, confidence_level: 0.95, power: 0.8 };
 * request.power; // => 0.8
 * ```
 * @public
 */
export type SampleSizeRequest = z.output<typeof sampleSizeRequestSchema>;

/**
 * The response of `POST /sample-size-calculation`.
 *
 * @example
 * ```ts
 * import { sampleSizeResponseSchema } from 'ep-stats/server';
 * sampleSizeResponseSchema.parse({ sample_size_per_variant: 9489 }); // => { sample_size_per_variant: 9489 }
 * ```
 * @public
 */
export const sampleSizeResponseSchema = z.object({
  sample_size_per_variant: z
    .number()
    .describe('Units each variant needs; `NaN` or `Infinity` where the formula divides by zero.'),
});

/**
 * The response of `POST /sample-size-calculation`.
 *
 * @example
 * ```ts
 * import type { SampleSizeResponse } from 'ep-stats/server';
 * const response: SampleSizeResponse = { sample_size_per_variant: 56512 };
 * response.sample_size_per_variant; // => 56512
 * ```
 * @public
 */
export type SampleSizeResponse = z.output<typeof sampleSizeResponseSchema>;
