import { z } from 'zod';
import { EVALUATION_WARNING_CODES } from '../index.js';

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
 * The first twelve members are the reference's, in its order. The next six are additions (a client of the
 * reference's format ignores them): the bounds of the interval of `diff` (`confidence_lower`,
 * `confidence_upper`), the absolute difference of the means with its interval (`absolute_diff`,
 * `absolute_diff_lower`, `absolute_diff_upper`) and `significant`. Rows of a metric adjusted by CUPED end
 * with two more, `cuped_theta` and `variance_reduction`; other rows do not have them.
 *
 * @example
 * ```ts
 * import { metricStatSchema } from 'ep-stats/server';
 * Object.keys(metricStatSchema.shape).slice(0, 12); // => ['exp_variant_id', 'diff', 'mean', 'std', 'sum_value', 'p_value', 'confidence_interval', 'confidence_level', 'sample_size', 'required_sample_size', 'power', 'false_positive_risk']
 * Object.keys(metricStatSchema.shape).slice(12, 18); // => ['confidence_lower', 'confidence_upper', 'absolute_diff', 'absolute_diff_lower', 'absolute_diff_upper', 'significant']
 * Object.keys(metricStatSchema.shape).slice(18); // => ['cuped_theta', 'variance_reduction']
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
    "p-value of Welch's t-test of `diff` (Holm-Bonferroni adjusted with more than two variants, or as the " +
      "request's `correction` and `correction_scope` say; one-sided with a one-sided `alternative`).",
  ),
  confidence_interval: statistic('Half-width of the confidence interval around `diff`.'),
  confidence_level: statistic('Confidence level of the interval (sequentially adjusted with a date range).'),
  sample_size: statistic('Units so far (`NaN` for a `value(...)` denominator).'),
  required_sample_size: statistic('Units per variant needed to detect `minimum_effect` with 80 % power.'),
  power: statistic('Power reached with the current sample size.'),
  false_positive_risk: statistic('Probability that a significant result is a false positive.'),
  confidence_lower: statistic(
    'Lower bound of the confidence interval of `diff`, `diff - confidence_interval` (at the level of the ' +
      "half-width, Holm-adjusted with more than two variants); added to the reference's members.",
  ),
  confidence_upper: statistic(
    'Upper bound of the confidence interval of `diff`, `diff + confidence_interval`; added. With ' +
      "`alternative: 'greater'` the interval is one-sided and this bound is `Infinity` (with 'less' " +
      '`confidence_lower` and `absolute_diff_lower` are `-Infinity`).',
  ),
  absolute_diff: statistic('Absolute difference of the means, `mean - control mean`; added.'),
  absolute_diff_lower: statistic(
    'Lower bound of the confidence interval of `absolute_diff`, at the level of `confidence_lower`; added.',
  ),
  absolute_diff_upper: statistic(
    'Upper bound of the confidence interval of `absolute_diff`, at the level of `confidence_upper`; added.',
  ),
  significant: z
    .boolean()
    .describe(
      'Whether the interval [`confidence_lower`, `confidence_upper`] excludes 0 (false for the control and ' +
        'where the bounds are `NaN`); added.',
    ),
  cuped_theta: statistic(
    'Rows of a metric with `cuped` only: the CUPED adjustment coefficient of the variant compared with the ' +
      "control (on the control's row: of its pair with the last treatment). `mean` stays unadjusted; `diff`, " +
      '`absolute_diff`, their intervals, `p_value` and `std` are adjusted; added.',
  ).optional(),
  variance_reduction: statistic(
    'Rows of a metric with `cuped` only: the share of the variance of the estimate that the adjustment ' +
      'removed, `1 - adjusted / unadjusted` (about the squared correlation with the pre-period values); added.',
  ).optional(),
});

/**
 * Results of one metric in the `POST /evaluate` response.
 *
 * @example
 * ```ts
 * import { metricResultSchema } from 'ep-stats/server';
 * Object.keys(metricResultSchema.shape); // => ['id', 'name', 'stats', 'alternative', 'non_inferiority_margin']
 * ```
 * @public
 */
export const metricResultSchema = z.object({
  id: definitionId.describe('Id of the metric in the request.'),
  name: z.string().describe('Name of the metric in the request.'),
  stats: z.array(metricStatSchema).describe('One entry per variant, sorted by variant.'),
  alternative: z
    .enum(['greater', 'less'])
    .optional()
    .describe(
      "Metrics with a one-sided `alternative` in the request only: 'greater' or 'less', the direction of the " +
        "tests and of the intervals' open bound (absent for the default 'two-sided'); added.",
    ),
  non_inferiority_margin: z
    .number()
    .optional()
    .describe(
      'Metrics with a `non_inferiority_margin` in the request only: the margin, the null value of the tests ' +
        "being `-margin` ('greater') or `+margin` ('less'); added.",
    ),
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
 * One warning of the evaluation in the `POST /evaluate` response: the library's `EvaluationWarning` in
 * snake_case.
 *
 * @remarks
 * `code` is stable (one of the library's `EVALUATION_WARNING_CODES`, e.g. `goal-without-rows`; new codes
 * may be added) and `message` says what happened in words. The other members are present only where they
 * apply: `metric_ids`, `check_id`, `variants`, `goal` (a goal key such as `count(u.unit.purchse)`),
 * `suggestion` (a close name found in the data: a goal or a unit type) and `count` (rows or units
 * concerned).
 *
 * @example
 * ```ts
 * import { responseWarningSchema } from 'ep-stats/server';
 * const warning = responseWarningSchema.parse({
 *   code: 'goal-without-rows', message: 'No rows for goal `count(u.unit.clck)`; did you mean `click`?',
 *   goal: 'count(u.unit.clck)', suggestion: 'click',
 * });
 * warning.suggestion; // => 'click'
 * ```
 * @public
 */
export const responseWarningSchema = z.object({
  code: z
    .string()
    .describe(
      `Stable code of the warning, one of ${EVALUATION_WARNING_CODES.map((code) => `\`${code}\``).join(', ')} ` +
        '(more may be added).',
    ),
  message: z.string().describe('What happened, in words.'),
  metric_ids: z.array(definitionId).optional().describe('Metrics concerned, for metric warnings.'),
  check_id: definitionId.optional().describe('Check concerned, for check warnings.'),
  variants: z.array(z.string()).optional().describe('Variants concerned, for warnings about some variants.'),
  goal: z.string().optional().describe('Goal concerned (its goal key), for goal warnings.'),
  suggestion: z
    .string()
    .optional()
    .describe('A close name found in the data (a goal or a unit type), for a probably misspelled one.'),
  count: z
    .number()
    .optional()
    .describe('How many rows or units are concerned, where the warning counts them.'),
  segment: z
    .object({ breakdown: z.string(), value: z.string() })
    .optional()
    .describe(
      'With `breakdowns`: the segment whose block raised the warning (absent for the overall block).',
    ),
  day: z
    .string()
    .optional()
    .describe('With `timeline`: the day whose evaluation raised the warning, `YYYY-MM-DD`.'),
});

const exposureSchema = z
  .object({
    unit_type: z.string().describe('Unit type of the exposures.'),
    stats: z.array(exposureStatSchema).describe('One entry per variant, sorted by variant.'),
  })
  .describe('Exposures per variant.');

/**
 * One segment of a drill-down in the `POST /evaluate` response (`segments`): the evaluation of the units of
 * one value of one breakdown, in the shape of the response's own `metrics`, `checks` and `exposure`.
 *
 * @example
 * ```ts
 * import { segmentResultSchema } from 'ep-stats/server';
 * Object.keys(segmentResultSchema.shape); // => ['breakdown', 'value', 'folded', 'exposures', 'metrics', 'checks', 'exposure']
 * ```
 * @public
 */
export const segmentResultSchema = z.object({
  breakdown: z.string().describe('The breakdown (dimension), e.g. `country`.'),
  value: z
    .string()
    .describe(
      'The segment value; `(none)` for units without one, `(other)` for the segments folded together.',
    ),
  folded: z.array(z.string()).optional().describe('`(other)` only: the values folded into it, sorted.'),
  exposures: z
    .number()
    .describe('Exposed units of the segment over all variants; segments are ranked by it.'),
  metrics: z.array(metricResultSchema).describe('One entry per metric, in request order.'),
  checks: z.array(checkResultSchema).describe('One entry per check, in request order (SRM per segment).'),
  exposure: exposureSchema,
});

/**
 * One day of a timeline in the `POST /evaluate` response (`timeline`): the evaluation of the data from
 * `date_from` up to and including that day, at that day's sequential level.
 *
 * @example
 * ```ts
 * import { timelineDaySchema } from 'ep-stats/server';
 * Object.keys(timelineDaySchema.shape); // => ['day', 'metrics', 'checks', 'exposure']
 * ```
 * @public
 */
export const timelineDaySchema = z.object({
  day: z.string().describe('The day, `YYYY-MM-DD`.'),
  metrics: z.array(metricResultSchema).describe('One entry per metric, in request order.'),
  checks: z.array(checkResultSchema).describe('One entry per check, in request order.'),
  exposure: exposureSchema,
});

/**
 * The `POST /evaluate` response: the reference's `Result`, members in its order, plus the warnings.
 *
 * @remarks
 * `id`, `metrics`, `checks` and `exposure` are the reference's; `warnings` (always present, empty when
 * nothing was noticed) is an addition that clients of the reference's format ignore, as are `segments`
 * (present with `breakdowns`) and `timeline` (present with `timeline`).
 *
 * @example
 * ```ts
 * import { evaluateResponseSchema } from 'ep-stats/server';
 * Object.keys(evaluateResponseSchema.shape); // => ['id', 'metrics', 'checks', 'exposure', 'warnings', 'segments', 'timeline']
 * ```
 * @public
 */
export const evaluateResponseSchema = z.object({
  id: z.string().describe('Experiment id.'),
  metrics: z.array(metricResultSchema).describe('One entry per metric, in request order.'),
  checks: z.array(checkResultSchema).describe('One entry per check, in request order.'),
  exposure: exposureSchema,
  warnings: z
    .array(responseWarningSchema)
    .describe(
      'Warnings of the evaluation (e.g. a goal without rows, with a close goal name of the data as ' +
        '`suggestion`); empty when there are none; those of a segment carry `segment`, those of a timeline ' +
        "day `day`. Added to the reference's members.",
    ),
  segments: z
    .array(segmentResultSchema)
    .optional()
    .describe(
      'With `breakdowns` only: per breakdown (request order) its segments by decreasing exposed units, then ' +
        '`(other)` when some were folded; added.',
    ),
  timeline: z
    .array(timelineDaySchema)
    .optional()
    .describe("With `timeline: 'daily'` only: every day with data, ascending; added."),
});

/**
 * The `POST /evaluate` response.
 *
 * @example
 * ```ts
 * import type { EvaluateResponse } from 'ep-stats/server';
 * const empty: EvaluateResponse = { id: 'e', metrics: [], checks: [], exposure: { unit_type: 'u', stats: [] }, warnings: [] };
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

/**
 * One warning of the evaluation in the `POST /evaluate` response (see {@link responseWarningSchema}).
 *
 * @example
 * ```ts
 * import type { ResponseWarning } from 'ep-stats/server';
 * const warning: ResponseWarning = { code: 'empty-input', message: 'No goal rows for experiment `e`' };
 * warning.code; // => 'empty-input'
 * ```
 * @public
 */
export type ResponseWarning = z.output<typeof responseWarningSchema>;
