import {
  type AggregatedGoals,
  DataError,
  type Evaluation,
  type EvaluationSegment,
  type EvaluationWarning,
  type Experiment,
  type MetricSumsInput,
  type TimelineGoalRow,
} from '../index.js';
import {
  type EvaluateRequest,
  encodeResponseBody,
  type ResponseAnalysis,
  toEvaluateResponse,
  toExperiment,
} from '../wire/index.js';

/**
 * What the Dao returned for an evaluation: goals aggregated per variant (`getAggGoals`, or with breakdowns
 * `getAggGoalSegments`) or per-unit metric sums (`getMetricSums`), as the request's `evaluate_from`
 * (resolved) asks; with `timeline`, the cumulative goals of every day (`getTimelineGoals`).
 * @internal
 */
export type EvaluationInput =
  | {
      /** Goals aggregated per variant; the default when absent. */
      readonly evaluateFrom?: 'goals';
      /** The goals the Dao returned (with the experiment's breakdowns: the segments' goals and the totals). */
      readonly goals: AggregatedGoals;
      /** The cumulative goals of every day, when the request asks for a timeline. */
      readonly timelineGoals?: readonly TimelineGoalRow[] | undefined;
    }
  | {
      readonly evaluateFrom: 'metric_sums';
      /** The metric sums the Dao returned. */
      readonly metricSums: MetricSumsInput;
    };

/** The evaluation of an input and what the response holds besides it. @internal */
export interface EvaluatedInput {
  /** The evaluation (with breakdowns: the overall block). */
  readonly evaluation: Evaluation;
  readonly analysis: ResponseAnalysis;
}

/**
 * Evaluates an experiment from its input: `evaluateMetricSums` for metric sums; for goals `evaluateAgg`, or
 * `evaluateAggSegments` when the experiment has breakdowns, and `evaluateTimeline` of the timeline goals
 * when there are some. Every part is evaluated at the same timestamp.
 * @internal
 */
export function evaluateInput(
  experiment: Experiment,
  input: EvaluationInput,
  options: { readonly onWarning?: (warning: EvaluationWarning) => void },
): EvaluatedInput {
  const timestamp = Math.round(Date.now() / 1000);
  const common = { ...options, timestamp };
  if (input.evaluateFrom === 'metric_sums') {
    return { evaluation: experiment.evaluateMetricSums(input.metricSums, common), analysis: {} };
  }
  let evaluation: Evaluation;
  let segments: readonly EvaluationSegment[] | undefined;
  if (experiment.breakdowns.length > 0) {
    const segmented = experiment.evaluateAggSegments(input.goals, common);
    evaluation = segmented.overall;
    segments = segmented.segments;
  } else {
    evaluation = experiment.evaluateAgg(input.goals, common);
  }
  const timeline =
    input.timelineGoals === undefined ? undefined : experiment.evaluateTimeline(input.timelineGoals, common);
  return {
    evaluation,
    analysis: {
      ...(segments === undefined ? {} : { segments }),
      ...(timeline === undefined ? {} : { timeline }),
    },
  };
}

/**
 * The synchronous half of `POST /evaluate`: everything after the data access. Plain data only, so that it
 * can be posted to a worker thread (structured clone).
 * @internal
 */
export type StatisticsJob = EvaluationInput & {
  /** The validated request (the experiment is built again from it where the job runs). */
  readonly request: EvaluateRequest;
  /** Whether to encode strict JSON ({@link encodeResponseBody}). */
  readonly strict: boolean;
  /** Largest body to return; a larger one is reported by its size only. */
  readonly maxResponseBytes: number;
};

/** A warning of the evaluation, as logged and counted by the service. @internal */
export interface JobWarning {
  readonly code: EvaluationWarning['code'];
  readonly message: string;
}

/**
 * An error as plain data, shaped as pino's error serializer writes one (`type` is the class name).
 * @internal
 */
export interface JobError {
  readonly type: string;
  readonly message: string;
  readonly stack?: string;
}

/**
 * An error as {@link JobError}.
 * @internal
 */
export function toJobError(error: unknown): JobError {
  if (!(error instanceof Error)) return { type: 'Error', message: String(error) };
  return { type: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}

/**
 * A {@link JobError} as an `Error` again, for the log: its class is named after the original's (pino writes
 * that name as `type`), with the original's message and stack.
 * @internal
 */
export function fromJobError(error: JobError): Error {
  const Named = { [error.type]: class extends Error {} }[error.type] as new (message: string) => Error;
  const rebuilt = new Named(error.message);
  rebuilt.name = error.type;
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

/** What a {@link StatisticsJob} produced. @internal */
export type StatisticsJobResult =
  | {
      readonly ok: true;
      /** The response body, UTF-8 JSON. */
      readonly body: Uint8Array;
      readonly warnings: readonly JobWarning[];
    }
  | {
      readonly ok: false;
      readonly kind: 'response-too-large';
      /** Size of the body that was not returned. */
      readonly bytes: number;
      readonly warnings: readonly JobWarning[];
    }
  | {
      readonly ok: false;
      readonly kind: 'invalid-goal-data';
      /** The `DataError` (unreadable goal rows or metric sums), as plain data (its message not yet redacted). */
      readonly error: JobError;
    }
  | {
      readonly ok: false;
      readonly kind: 'evaluation-failed';
      /** The unexpected error, as plain data for the log. */
      readonly error: JobError;
    };

const UTF8 = new TextEncoder();

/**
 * Builds the experiment from the request, evaluates the goals or metric sums ({@link evaluateInput}),
 * converts and encodes the response. Never throws: a `DataError` (unreadable rows) and any other error are
 * results.
 *
 * @internal
 */
export function runStatisticsJob(job: StatisticsJob): StatisticsJobResult {
  const warnings: JobWarning[] = [];
  try {
    const experiment = toExperiment(job.request);
    const { evaluation, analysis } = evaluateInput(experiment, job, {
      onWarning: (warning) => warnings.push({ code: warning.code, message: warning.message }),
    });
    const response = toEvaluateResponse(experiment, evaluation, analysis);
    const body = UTF8.encode(encodeResponseBody(response, job.strict));
    if (body.byteLength > job.maxResponseBytes) {
      return { ok: false, kind: 'response-too-large', bytes: body.byteLength, warnings };
    }
    return { ok: true, body, warnings };
  } catch (error) {
    const kind = error instanceof DataError ? 'invalid-goal-data' : 'evaluation-failed';
    return { ok: false, kind, error: toJobError(error) };
  }
}
