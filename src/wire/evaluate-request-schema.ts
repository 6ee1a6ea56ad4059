import { z } from 'zod';
import type { Alternative, CorrectionScope, MultipleTestingCorrection } from '../index.js';
import { TIMELINE_KINDS } from './evaluate-analysis-rules.js';
import { EVALUATE_FROM } from './evaluate-from.js';
import { evaluateRequestRules } from './evaluate-request-rules.js';
import { wireInteger } from './request-problem.js';

const definitionId = wireInteger();

/** Longest CUPED pre-period, in days (the library's limit, about ten years). */
const MAX_PRE_DAYS = 3660;

/** The library's values, spelled out so that the wire format is a contract of its own. */
const ALTERNATIVES = ['two-sided', 'greater', 'less'] as const satisfies readonly Alternative[];
const CORRECTIONS = [
  'holm',
  'benjamini-hochberg',
  'bonferroni',
  'none',
] as const satisfies readonly MultipleTestingCorrection[];
const CORRECTION_SCOPES = ['metric', 'report'] as const satisfies readonly CorrectionScope[];
const SEQUENTIAL_METHODS = ['obrien-fleming', 'confidence-sequence'] as const;

/**
 * A metric of a `POST /evaluate` request (wire format, snake_case).
 *
 * @example
 * ```ts
 * import { metricDefinitionSchema } from 'ep-stats/server';
 * metricDefinitionSchema.parse({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' }).minimum_effect; // => undefined
 * ```
 * @public
 */
export const metricDefinitionSchema = z.object({
  id: definitionId.describe('Id of the metric; repeated in the response to identify its results.'),
  name: z.string().describe('Display name; repeated in the response.'),
  nominator: z
    .string()
    .describe('Expression over goals summed into the metric value, e.g. `count(user.unit.click)`.'),
  denominator: z
    .string()
    .describe('Expression over goals counting the units, e.g. `count(user.global.exposure)`.'),
  minimum_effect: z
    .number()
    .nullish()
    .describe(
      'Smallest relative difference worth detecting (0.05 = 5 %); enables the required sample size and power.',
    ),
  outlier_upper_percentile: z
    .number()
    .min(0)
    .lt(50)
    .nullish()
    .describe('Percentage of the upper tail to cap (winsorize) in by-unit evaluation, in [0, 50).'),
  outlier_lower_percentile: z
    .number()
    .min(0)
    .lt(50)
    .nullish()
    .describe('Percentage of the lower tail to floor in by-unit evaluation, in [0, 50).'),
  kind: z
    .enum(['mean', 'ratio'])
    .nullish()
    .describe(
      "How per-unit values estimate the metric: 'mean' over the exposed units, or 'ratio' by the delta method; derived from the denominator when omitted. By unit, 'mean' keeps the reference's numbers for a ratio denominator.",
    ),
  cuped: z
    .strictObject({
      pre_days: wireInteger()
        .min(1)
        .max(MAX_PRE_DAYS)
        .describe(
          `Days before \`date_from\` whose per-unit values of the metric are the covariate, 1 to ${MAX_PRE_DAYS}.`,
        ),
    })
    .nullish()
    .describe(
      'CUPED variance reduction with the pre-period `[date_from - pre_days, date_from)` as the covariate. ' +
        "Needs per-unit metric sums with pre-period columns: the request is evaluated from metric sums (`evaluate_from` 'metric_sums', " +
        "its default then), and `evaluate_from: 'goals'` is rejected. Unknown members are rejected.",
    ),
  alternative: z
    .enum(ALTERNATIVES)
    .nullish()
    .describe(
      "Alternative hypothesis of the treatments' tests: 'two-sided' (default), 'greater' (higher is better: " +
        "one-sided p-value, interval `[confidence_lower, Infinity)`) or 'less' (lower is better: interval " +
        '`(-Infinity, confidence_upper]`). The open bound is `Infinity` / `-Infinity` on the wire (strict JSON: ' +
        '`null`, listed in `non_finite`).',
    ),
  non_inferiority_margin: z
    .number()
    .gt(0)
    .lt(1)
    .nullish()
    .describe(
      "Relative non-inferiority margin in (0, 1), e.g. 0.02; needs `alternative` 'greater' (null hypothesis " +
        "`diff <= -margin`) or 'less' (`diff >= margin`). A significant row shows the treatment is not worse by the margin.",
    ),
  preferred_direction: z
    .enum(['higher', 'lower'])
    .nullish()
    .describe(
      "Which way the metric should move, 'higher' or 'lower', for the verdict of scorecards and reports (better " +
        'or worse); implied by a one-sided `alternative`, which it may not contradict. Does not change the tests.',
    ),
});

/**
 * A check of a `POST /evaluate` request: `SRM` (sample ratio mismatch, the default) or `SumRatio`.
 *
 * @example
 * ```ts
 * import { checkDefinitionSchema } from 'ep-stats/server';
 * checkDefinitionSchema.parse({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' }).type; // => 'SRM'
 * ```
 * @public
 */
export const checkDefinitionSchema = z.object({
  id: definitionId.describe('Id of the check; repeated in the response.'),
  name: z.string().describe('Display name; repeated in the response.'),
  type: z.enum(['SRM', 'SumRatio']).default('SRM').describe('Kind of check.'),
  nominator: z
    .string()
    .nullish()
    .describe('Expression of the inconsistent units; required by `SumRatio`, ignored by `SRM`.'),
  denominator: z.string().describe('Expression of the exposures, e.g. `count(user.global.exposure)`.'),
  expected_weights: z
    .record(z.string(), z.number().gt(0))
    .nullish()
    .describe(
      '`SRM` only: the planned allocation, variant id -> positive weight (normalised, so `{"a": 90, "b": 10}` ' +
        'and `{"a": 0.9, "b": 0.1}` are the same); default an equal split. It names the control and, with ' +
        '`variants`, exactly those variants; a variant of the data without a weight makes the check fail ' +
        '(warning `check-failed`, empty `stats`).',
    ),
});

/**
 * A filter of a `POST /evaluate` request, applied by the data access layer.
 *
 * @example
 * ```ts
 * import { filterDefinitionSchema } from 'ep-stats/server';
 * filterDefinitionSchema.parse({ scope: 'goal', dimension: 'element', value: ['button-1'] }).value; // => ['button-1']
 * ```
 * @public
 */
export const filterDefinitionSchema = z.object({
  scope: z
    .enum(['exposure', 'goal', 'trigger'])
    .describe('`exposure` and `goal` restrict rows by a dimension; `trigger` keeps units that have a goal.'),
  dimension: z.string().nullish().describe('Dimension to filter on (required by `exposure` and `goal`).'),
  value: z
    .array(z.union([z.string(), z.number()]))
    .nullish()
    .describe('Accepted values of the dimension (required by `exposure` and `goal`).'),
  goal: z.string().nullish().describe('The trigger goal (required by `trigger`).'),
});

/** The structure of the body, without the rules that relate fields. @internal */
export const evaluateRequestShape = z.object({
  id: z.string().min(1).describe('Experiment id.'),
  control_variant: z.string().min(1).describe('Variant every other variant is compared with.'),
  variants: z
    .array(z.string())
    .nullish()
    .describe('Variants to evaluate; by default those found in the data plus the control.'),
  unit_type: z
    .string()
    .min(1)
    .describe('Randomization unit type; exposures are `count(<unit_type>.global.exposure)`.'),
  date_from: z
    .string()
    .nullish()
    .describe('First day of the data, `2020-06-15` form; unbounded when absent.'),
  date_to: z
    .string()
    .nullish()
    .describe('Last planned day of the experiment (inclusive), `2020-06-15` form; unbounded when absent.'),
  date_for: z
    .string()
    .nullish()
    .describe(
      "Day to evaluate for, between `date_from` and `date_to` (both required with it); with both, enables the sequential (O'Brien-Fleming) adjustment.",
    ),
  metrics: z.array(metricDefinitionSchema).describe('Metrics to evaluate.'),
  checks: z.array(checkDefinitionSchema).describe('Data-quality checks to evaluate.'),
  filters: z.array(filterDefinitionSchema).nullish().describe('Conditions on exposures and goals.'),
  null_hypothesis_rate: z
    .number()
    .nullish()
    .describe('Share of experiments with no real effect, in [0, 1]; enables the false positive risk.'),
  correction: z
    .enum(CORRECTIONS)
    .nullish()
    .describe(
      "Correction of the treatments' p-values and intervals for multiple testing: 'holm' (default, " +
        "Holm-Bonferroni), 'benjamini-hochberg' (false discovery rate), 'bonferroni' or 'none'.",
    ),
  correction_scope: z
    .enum(CORRECTION_SCOPES)
    .nullish()
    .describe(
      "Which p-values are corrected together: 'metric' (default: each metric's treatments, only with more " +
        "than two variants) or 'report' (every treatment of every metric in one family).",
    ),
  sequential: z
    .enum(SEQUENTIAL_METHODS)
    .nullish()
    .describe(
      "Sequential adjustment: 'obrien-fleming' (default: with `date_from`, `date_to` and `date_for` the " +
        "confidence level of the day is raised) or 'confidence-sequence' (always-valid intervals and p-values " +
        'at the confidence level, valid however often the results are read; dates not needed).',
    ),
  sequential_tuning: z
    .number()
    .gt(0)
    .nullish()
    .describe(
      "With `sequential: 'confidence-sequence'` only: the total sample size of control plus one treatment at " +
        'which the sequence is tightest, fixed for the experiment; default 5000.',
    ),
  breakdowns: z
    .array(z.string())
    .nullish()
    .describe(
      'Dimension columns to drill down by, e.g. `["country", "platform"]`: the response then has `segments`, ' +
        'one block per value of each breakdown (the largest `breakdown_top`, the rest folded into `(other)`). ' +
        "Needs goals (not `evaluate_from: 'metric_sums'` or CUPED) and a data source with `getAggGoalSegments` " +
        '(501 `segments-not-supported` otherwise).',
    ),
  breakdown_top: z
    .number()
    .int()
    .min(1)
    .nullish()
    .describe('With `breakdowns` only: segments kept per breakdown, by exposed units; default 20.'),
  timeline: z
    .enum(TIMELINE_KINDS)
    .nullish()
    .describe(
      "'daily': the response then has `timeline`, the cumulative evaluation of every day from `date_from` " +
        '(required) to `date_to` or the evaluation day, whichever is first, each at its own sequential level. ' +
        "Needs goals (not `evaluate_from: 'metric_sums'` or CUPED) and a data source with `getTimelineGoals` " +
        '(501 `timeline-not-supported` otherwise).',
    ),
  query_parameters: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('Free-form parameters passed to the data access layer.'),
  evaluate_from: z
    .enum(EVALUATE_FROM)
    .nullish()
    .describe(
      "What the data access layer is asked for: 'goals' (goals aggregated per variant, `Dao.getAggGoals`) or " +
        "'metric_sums' (per-unit metric sums, `Dao.getMetricSums`, evaluated with `evaluateMetricSums`: a 'ratio' " +
        "metric gets its delta-method variance). Default: 'metric_sums' when a metric has `cuped`, else 'goals'. " +
        'A data source without metric sums answers 501 `metric-sums-not-supported`.',
    ),
});

/**
 * The body of `POST /evaluate`: an experiment definition in the reference's wire format.
 *
 * @remarks
 * Besides the structure (types, required fields, `type` and `scope` values, percentile ranges) the schema
 * checks the reference's rules: nominators and denominators non-empty, parsable and with at least one goal
 * (the SumRatio check's nominator too), dates in `2020-06-15` form and ordered
 * `date_from <= date_for <= date_to` with `date_for` only together with both, filter scopes with their
 * fields; plus unique metric ids, the control among explicit variants, a non-negative minimum effect,
 * a null hypothesis rate in [0, 1], no `cuped` metric with `evaluate_from: 'goals'` or without `date_from`, and
 * a metric when evaluating from metric sums, a `non_inferiority_margin` only with a one-sided `alternative`,
 * `sequential_tuning` only with `sequential: 'confidence-sequence'`, and `expected_weights` only on an `SRM`
 * check, naming at least the control (exactly the explicit `variants` when given). Unknown members
 * are dropped, except in a metric's `cuped`, which rejects them. The rules run only on a structurally valid
 * body here; {@link validateEvaluateRequest} reports structure and rule problems together.
 *
 * @example
 * ```ts
 * import { evaluateRequestSchema } from 'ep-stats/server';
 * const request = evaluateRequestSchema.parse({
 *   id: 'test-conversion', control_variant: 'a', unit_type: 'test_unit_type',
 *   metrics: [{ id: 1, name: 'CTR', nominator: 'count(test_unit_type.unit.click)', denominator: 'count(test_unit_type.global.exposure)' }],
 *   checks: [{ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' }],
 * });
 * [request.checks[0]?.type, request.query_parameters]; // => ['SRM', {}]
 * evaluateRequestSchema.safeParse({ ...request, date_from: '2020-01-02', date_to: '2020-01-01' }).success; // => false
 * ```
 * @public
 */
export const evaluateRequestSchema = evaluateRequestShape.superRefine((_value, context) => {
  for (const problem of evaluateRequestRules(context.value)) {
    context.addIssue({ code: 'custom', message: problem.message, path: [...problem.path] });
  }
});

/**
 * A validated `POST /evaluate` body (defaults applied).
 *
 * @example
 * ```ts
 * import type { EvaluateRequest } from 'ep-stats/server';
 * const request: EvaluateRequest = { id: 'e', control_variant: 'a', unit_type: 'u', metrics: [], checks: [], query_parameters: {} };
 * request.metrics.length; // => 0
 * ```
 * @public
 */
export type EvaluateRequest = z.output<typeof evaluateRequestSchema>;

/**
 * A `POST /evaluate` body as a client writes it (defaulted fields optional).
 *
 * @example
 * ```ts
 * import type { EvaluateRequestBody } from 'ep-stats/server';
 * const body: EvaluateRequestBody = { id: 'e', control_variant: 'a', unit_type: 'u', metrics: [], checks: [] };
 * body.id; // => 'e'
 * ```
 * @public
 */
export type EvaluateRequestBody = z.input<typeof evaluateRequestSchema>;

/**
 * A metric of {@link EvaluateRequest}.
 *
 * @example
 * ```ts
 * import type { MetricDefinition } from 'ep-stats/server';
 * const metric: MetricDefinition = { id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' };
 * metric.id; // => 1
 * ```
 * @public
 */
export type MetricDefinition = z.output<typeof metricDefinitionSchema>;

/**
 * A check of {@link EvaluateRequest}.
 *
 * @example
 * ```ts
 * import type { CheckDefinition } from 'ep-stats/server';
 * const check: CheckDefinition = { id: 1, name: 'SRM', type: 'SRM', denominator: 'count(u.global.exposure)' };
 * check.type; // => 'SRM'
 * ```
 * @public
 */
export type CheckDefinition = z.output<typeof checkDefinitionSchema>;

/**
 * A filter of {@link EvaluateRequest}.
 *
 * @example
 * ```ts
 * import type { FilterDefinition } from 'ep-stats/server';
 * const filter: FilterDefinition = { scope: 'trigger', goal: 'click' };
 * filter.scope; // => 'trigger'
 * ```
 * @public
 */
export type FilterDefinition = z.output<typeof filterDefinitionSchema>;
