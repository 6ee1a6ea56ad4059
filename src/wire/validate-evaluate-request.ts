import { evaluateRequestRules } from './evaluate-request-rules.js';
import { type EvaluateRequest, evaluateRequestShape } from './evaluate-request-schema.js';
import { problemsFromZodIssues, type RequestValidation } from './request-problem.js';

/**
 * Validates a `POST /evaluate` body and reports every problem at once.
 *
 * @remarks
 * The structure ({@link evaluateRequestSchema} without its rules) and the rules are both checked on the
 * whole body, so a request with a misspelled field and a bad date gets both problems; structure problems
 * come first, each in field order. Messages are the reference's where it has one: "Field required",
 * "we expect date_from to be in `2020-06-15` format", "date_for requires date_from and date_to to be
 * present as well", "we expect date_for to be greater or equal to date_from", "we expect date_for to be
 * less or equal to date_to", "we expect date_to to be greater or equal to date_from", "we expect
 * nominator to be non-empty", "Cannot parse nominator '...' or '...' because of '...'", "We expect the
 * metric to have at least one goal in nominator and denominator", "Cannot parse '...' because of
 * '...'" and "We expect the check to have at least one goal in denominator" (checks), "Goal is required
 * for scope 'trigger'", "Dimension and value are required for this scope". A CUPED metric together with
 * `evaluate_from: 'goals'` is a problem at `metrics[i].cuped`, a CUPED metric without `date_from` one at
 * `date_from`, `evaluate_from: 'metric_sums'` without metrics one at `metrics`; an unknown member of `cuped`
 * one at that member ("Extra inputs are not permitted", type `extra_forbidden`). A `non_inferiority_margin`
 * without a one-sided `alternative` is a problem at `metrics[i].non_inferiority_margin`, `sequential_tuning`
 * without `sequential: 'confidence-sequence'` one at `sequential_tuning`, and `expected_weights` that are
 * empty, on a `SumRatio` check, without the control or (with `variants`) not exactly those variants one at
 * `checks[i].expected_weights` or at the variant's member of it.
 *
 * @param body - The parsed JSON body.
 * @returns The validated request with defaults applied, or the problems.
 *
 * @example
 * ```ts
 * import { validateEvaluateRequest } from 'ep-stats/server';
 * const result = validateEvaluateRequest({
 *   id: 'test-conversion', controlVariant: 'a', unit_type: 'test_unit_type', date_from: '2020-01-40',
 *   metrics: [{ id: 1, name: 'CTR', nominator: '', denominator: 'count(test_unit_type.global.exposure)' }],
 *   checks: [{ id: 1, name: 'EVA', type: 'SumRatio', denominator: 'count(test_unit_type.global.exposure)' }],
 * });
 * result.ok; // => false
 * (result.ok ? [] : result.problems.map((problem) => [problem.path.join('.'), problem.message])); // => [['control_variant', 'Field required'], ['date_from', 'we expect date_from to be in `2020-06-15` format'], ['metrics.0.nominator', 'we expect nominator to be non-empty'], ['checks.0.nominator', 'we expect nominator to be non-empty']]
 * ```
 * @public
 */
export function validateEvaluateRequest(body: unknown): RequestValidation<EvaluateRequest> {
  const parsed = evaluateRequestShape.safeParse(body);
  const problems = [
    ...(parsed.success ? [] : problemsFromZodIssues(parsed.error.issues, body)),
    ...evaluateRequestRules(body),
  ];
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, value: parsed.data };
}
