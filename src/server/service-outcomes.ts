import type { Evaluation } from '../index.js';
import type {
  EvaluateResponse,
  RequestProblem,
  ResponseAnalysis,
  SampleSizeResponse,
} from '../wire/index.js';

/**
 * Result of {@link EvaluationService.evaluate}, with the HTTP status that goes with it.
 *
 * @remarks
 * - `evaluated` (200): the response and the evaluation it came from (with `breakdowns`, the overall block),
 *   with the segments and timeline when the request asked for them (`analysis`);
 * - `invalid-request` (422): every problem of the body;
 * - `data-access-failed` (502): the factory or the Dao failed; the message names the experiment and,
 *   for ep-stats' own errors only, their message with credentials redacted (other errors may carry
 *   connection details and are only logged);
 * - `invalid-goal-data` (502): the Dao returned rows the evaluation cannot read (a `DataError`
 *   naming row and column): a fault of the data source, not of the request;
 * - `data-access-timed-out` (504): `getDao()` or the Dao did not answer within the Dao deadline; the
 *   message names it;
 * - `metric-sums-not-supported` (501): the request is evaluated from metric sums (`evaluate_from`, or a
 *   CUPED metric) and the Dao has no `getMetricSums`; the message names the reason (the CUPED metric);
 * - `segments-not-supported` (501): the request has `breakdowns` and the Dao has no `getAggGoalSegments`;
 * - `timeline-not-supported` (501): the request has `timeline` and the Dao has no `getTimelineGoals`;
 * - `evaluation-failed` (500): any other error, logged; the message names the experiment only.
 *
 * @example
 * ```ts
 * import type { EvaluateOutcome } from 'ep-stats/server';
 * const describe = (outcome: EvaluateOutcome) => (outcome.ok ? 'ok' : `${outcome.status} ${outcome.kind}`);
 * describe({ ok: false, kind: 'data-access-failed', status: 502, experimentId: 'e', message: 'Cannot load the goals of experiment [e] from the data source' }); // => '502 data-access-failed'
 * ```
 * @public
 */
export type EvaluateOutcome =
  | {
      readonly ok: true;
      readonly kind: 'evaluated';
      readonly status: 200;
      readonly response: EvaluateResponse;
      readonly evaluation: Evaluation;
      /** The segments of the drill-down and the timeline, when the request asked for them. */
      readonly analysis: ResponseAnalysis;
    }
  | {
      readonly ok: false;
      readonly kind: 'invalid-request';
      readonly status: 422;
      readonly problems: readonly RequestProblem[];
    }
  | {
      readonly ok: false;
      readonly kind: 'data-access-failed' | 'invalid-goal-data';
      readonly status: 502;
      readonly experimentId: string;
      readonly message: string;
    }
  | {
      readonly ok: false;
      readonly kind: 'data-access-timed-out';
      readonly status: 504;
      readonly experimentId: string;
      readonly message: string;
    }
  | {
      readonly ok: false;
      readonly kind: 'metric-sums-not-supported' | 'segments-not-supported' | 'timeline-not-supported';
      readonly status: 501;
      readonly experimentId: string;
      readonly message: string;
    }
  | {
      readonly ok: false;
      readonly kind: 'evaluation-failed';
      readonly status: 500;
      readonly experimentId: string;
      readonly message: string;
    };

/**
 * Result of {@link EvaluationService.evaluateJson}: {@link EvaluateOutcome} with the response already
 * encoded as JSON text (UTF-8) instead of as objects.
 *
 * @remarks
 * `evaluated` (200) carries the encoded `body`; a body over the service's `maxResponseBytes` is not
 * returned but an `invalid-request` (422) outcome with one problem at the root, type
 * `response_too_large`, giving its size. The other outcomes are those of {@link EvaluateOutcome}.
 *
 * @example
 * ```ts
 * import type { EvaluateJsonOutcome } from 'ep-stats/server';
 * const outcome: EvaluateJsonOutcome = { ok: true, kind: 'evaluated', status: 200, body: new TextEncoder().encode('{}') };
 * outcome.ok && new TextDecoder().decode(outcome.body); // => '{}'
 * ```
 * @public
 */
export type EvaluateJsonOutcome =
  | {
      readonly ok: true;
      readonly kind: 'evaluated';
      readonly status: 200;
      /** The response body: JSON, UTF-8. */
      readonly body: Uint8Array;
    }
  | Exclude<EvaluateOutcome, { readonly ok: true }>;

/**
 * Result of {@link EvaluationService.sampleSize}.
 *
 * @example
 * ```ts
 * import type { SampleSizeOutcome } from 'ep-stats/server';
 * const outcome: SampleSizeOutcome = { ok: true, kind: 'calculated', status: 200, response: { sample_size_per_variant: 9489 } };
 * outcome.status; // => 200
 * ```
 * @public
 */
export type SampleSizeOutcome =
  | {
      readonly ok: true;
      readonly kind: 'calculated';
      readonly status: 200;
      readonly response: SampleSizeResponse;
    }
  | {
      readonly ok: false;
      readonly kind: 'invalid-request';
      readonly status: 422;
      readonly problems: readonly RequestProblem[];
    };
