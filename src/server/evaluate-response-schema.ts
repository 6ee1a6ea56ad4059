import { z } from 'zod';

const definitionId = z.union([z.number().int(), z.string()]);
const statistic = (description: string) => z.number().describe(description);

/**
 * Results of one metric for one variant in the `POST /evaluate` response.
 *
 * @remarks
 * Numbers are `NaN` (or `Infinity`) where they cannot be computed, e.g. for a variant without units, and
 * for `required_sample_size`, `power` and `false_positive_risk` where they do not apply (the control
 * row, a metric without `minimum_effect`, a request without `null_hypothesis_rate`).
 *
 * @example
 * ```ts
 * import { metricStatSchema } from 'ep-stats/server';
 * Object.keys(metricStatSchema.shape); // => ['exp_variant_id', 'diff', 'mean', 'std', 'sum_value', 'p_value', 'confidence_interval', 'confidence_level', 'sample_size', 'required_sample_size', 'power', 'false_positive_risk']
 * ```
 * @public
 */
export const metricStatSchema = z.object({
  exp_variant_id: z.string().describe('Variant.'),
  diff: statistic('Relative difference of the mean to the control mean: `(mean - control) / |control|`.'),
  mean: statistic('Nominator divided by denominator.'),
  std: statistic('Standard deviation of the per-unit values.'),
  sum_value: statistic('Value of the nominator.'),
  p_value: statistic(
    "p-value of Welch's t-test of `diff` (Holm-Bonferroni adjusted with more than two variants).",
  ),
  confidence_interval: statistic('Half-width of the confidence interval around `diff`.'),
  confidence_level: statistic('Confidence level of the interval (sequentially adjusted with a date range).'),
  sample_size: statistic('Units so far (`NaN` for a `value(...)` denominator).'),
  required_sample_size: statistic('Units per variant needed to detect `minimum_effect` with 80 % power.'),
  power: statistic('Power reached with the current sample size.'),
  false_positive_risk: statistic('Probability that a significant result is a false positive.'),
});

/**
 * Results of one metric in the `POST /evaluate` response.
 *
 * @example
 * ```ts
 * import { metricResultSchema } from 'ep-stats/server';
 * Object.keys(metricResultSchema.shape); // => ['id', 'name', 'stats']
 * ```
 * @public
 */
export const metricResultSchema = z.object({
  id: definitionId.describe('Id of the metric in the request.'),
  name: z.string().describe('Name of the metric in the request.'),
  stats: z.array(metricStatSchema).describe('One entry per variant, sorted by variant.'),
});

/**
 * One variable of a check in the `POST /evaluate` response, e.g. the SRM check's `p_value`.
 *
 * @example
 * ```ts
 * import { checkStatSchema } from 'ep-stats/server';
 * checkStatSchema.parse({ variable_id: 'p_value', value: 0.46 }).variable_id; // => 'p_value'
 * ```
 * @public
 */
export const checkStatSchema = z.object({
  variable_id: z
    .string()
    .describe(
      'Variable: `p_value`, `test_stat`, `confidence_level` (SRM); `sum_ratio`, `max_sum_ratio` too (SumRatio).',
    ),
  value: statistic('Its value.'),
});

/**
 * Results of one check in the `POST /evaluate` response.
 *
 * @example
 * ```ts
 * import { checkResultSchema } from 'ep-stats/server';
 * Object.keys(checkResultSchema.shape); // => ['id', 'name', 'stats']
 * ```
 * @public
 */
export const checkResultSchema = z.object({
  id: definitionId.describe('Id of the check in the request.'),
  name: z.string().describe('Name of the check in the request.'),
  stats: z
    .array(checkStatSchema)
    .describe('The check variables; empty when the check could not be evaluated.'),
});

/**
 * Exposures of one variant in the `POST /evaluate` response.
 *
 * @example
 * ```ts
 * import { exposureStatSchema } from 'ep-stats/server';
 * exposureStatSchema.parse({ exp_variant_id: 'a', count: 21 }).count; // => 21
 * ```
 * @public
 */
export const exposureStatSchema = z.object({
  exp_variant_id: z.string().describe('Variant.'),
  count: z.number().describe('Exposed units of the unit type.'),
});

/**
 * The `POST /evaluate` response: the reference's `Result`, members in its order.
 *
 * @example
 * ```ts
 * import { evaluateResponseSchema } from 'ep-stats/server';
 * Object.keys(evaluateResponseSchema.shape); // => ['id', 'metrics', 'checks', 'exposure']
 * ```
 * @public
 */
export const evaluateResponseSchema = z.object({
  id: z.string().describe('Experiment id.'),
  metrics: z.array(metricResultSchema).describe('One entry per metric, in request order.'),
  checks: z.array(checkResultSchema).describe('One entry per check, in request order.'),
  exposure: z
    .object({
      unit_type: z.string().describe('Unit type of the exposures.'),
      stats: z.array(exposureStatSchema).describe('One entry per variant, sorted by variant.'),
    })
    .describe('Exposures per variant.'),
});

/**
 * The `POST /evaluate` response.
 *
 * @example
 * ```ts
 * import type { EvaluateResponse } from 'ep-stats/server';
 * const empty: EvaluateResponse = { id: 'e', metrics: [], checks: [], exposure: { unit_type: 'u', stats: [] } };
 * empty.exposure.unit_type; // => 'u'
 * ```
 * @public
 */
export type EvaluateResponse = z.output<typeof evaluateResponseSchema>;

/**
 * Results of one metric for one variant (see {@link metricStatSchema}).
 *
 * @example
 * ```ts
 * import type { MetricStat } from 'ep-stats/server';
 * const pValueOf = (stat: MetricStat) => stat.p_value;
 * typeof pValueOf; // => 'function'
 * ```
 * @public
 */
export type MetricStat = z.output<typeof metricStatSchema>;
