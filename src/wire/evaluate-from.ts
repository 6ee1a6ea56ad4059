/**
 * The inputs a `POST /evaluate` can be evaluated from, as the request's `evaluate_from` names them:
 * `'goals'` (goals aggregated per variant, `Dao.getAggGoals`, `Experiment.evaluateAgg`) or `'metric_sums'`
 * (per-unit metric sums, `Dao.getMetricSums`, `Experiment.evaluateMetricSums`).
 *
 * @example
 * ```ts
 * import { EVALUATE_FROM } from 'ep-stats/server';
 * EVALUATE_FROM; // => ['goals', 'metric_sums']
 * ```
 * @public
 */
export const EVALUATE_FROM = ['goals', 'metric_sums'] as const;

/**
 * One of {@link EVALUATE_FROM}.
 *
 * @example
 * ```ts
 * import type { EvaluateFrom } from 'ep-stats/server';
 * const from: EvaluateFrom = 'metric_sums';
 * from === 'metric_sums'; // => true
 * ```
 * @public
 */
export type EvaluateFrom = (typeof EVALUATE_FROM)[number];

/**
 * The input a validated `POST /evaluate` request is evaluated from: its `evaluate_from`, or by default
 * `'metric_sums'` when one of its metrics has `cuped` (CUPED needs per-unit values with their pre-period,
 * which goals aggregated per variant do not carry) and `'goals'` otherwise.
 *
 * @remarks
 * `'goals'` together with a CUPED metric never gets here: validation rejects it with a problem at
 * `metrics[i].cuped` ({@link validateEvaluateRequest}).
 *
 * @param request - The request's `evaluate_from` and metrics (a validated `EvaluateRequest`).
 * @returns `'goals'` or `'metric_sums'`.
 *
 * @example
 * ```ts
 * import { resolveEvaluateFrom } from 'ep-stats/server';
 * resolveEvaluateFrom({ metrics: [{ cuped: null }] }); // => 'goals'
 * resolveEvaluateFrom({ metrics: [{}, { cuped: { pre_days: 14 } }] }); // => 'metric_sums'
 * resolveEvaluateFrom({ evaluate_from: 'metric_sums', metrics: [{}] }); // => 'metric_sums'
 * ```
 * @public
 */
export function resolveEvaluateFrom(request: {
  readonly evaluate_from?: EvaluateFrom | null | undefined;
  readonly metrics: readonly { readonly cuped?: unknown }[];
}): EvaluateFrom {
  if (request.evaluate_from !== undefined && request.evaluate_from !== null) return request.evaluate_from;
  return request.metrics.some((metric) => metric.cuped !== undefined && metric.cuped !== null)
    ? 'metric_sums'
    : 'goals';
}
