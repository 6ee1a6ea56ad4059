import { Counter, Registry, Summary } from 'prom-client';
import type { EvaluationLabels, EvaluationMetricsRecorder } from './evaluation-metrics-recorder.js';

const DURATION_LABELS = ['exp_id', 'is_performance_test'] as const;

/**
 * The Prometheus metrics of one server, in a registry of their own (not prom-client's global one).
 *
 * @remarks
 * The reference's metrics, same names, types and labels:
 *
 * - counters `ep_stats_evaluation_requests_total`, `ep_stats_evaluation_successes_total`,
 *   `ep_stats_evaluation_errors_total`, `ep_stats_check_evaluation_errors_total`;
 * - summaries (count and sum, no quantiles) `ep_stats_evaluation_duration_seconds`,
 *   `ep_stats_query_duration_seconds`, `ep_stats_stats_computation_duration_seconds`, labelled by `exp_id`
 *   and `is_performance_test` (`True` / `False`, as Python prints booleans).
 *
 * Serve {@link ServerMetrics.registry} with `registry.metrics()` and `registry.contentType`.
 *
 * @example
 * ```ts
 * import { ServerMetrics } from 'ep-stats/server';
 * const metrics = new ServerMetrics();
 * metrics.evaluationRequested();
 * metrics.observeQueryDuration({ expId: 'test-conversion', isPerformanceTest: false }, 0.25);
 * const text = await metrics.registry.metrics();
 * text.includes('ep_stats_evaluation_requests_total 1'); // => true
 * text.includes('ep_stats_query_duration_seconds_sum{exp_id="test-conversion",is_performance_test="False"} 0.25'); // => true
 * ```
 * @public
 */
export class ServerMetrics implements EvaluationMetricsRecorder {
  /** The registry holding exactly these metrics. */
  readonly registry: Registry;
  readonly #requests: Counter;
  readonly #successes: Counter;
  readonly #errors: Counter;
  readonly #checkErrors: Counter;
  readonly #evaluationDuration: Summary<(typeof DURATION_LABELS)[number]>;
  readonly #queryDuration: Summary<(typeof DURATION_LABELS)[number]>;
  readonly #statisticsDuration: Summary<(typeof DURATION_LABELS)[number]>;

  /**
   * @param registry - Where to register the metrics; a new registry by default.
   */
  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
    const summary = (name: string, help: string) =>
      new Summary({ name, help, labelNames: DURATION_LABELS, percentiles: [], registers });
    this.#requests = counter('ep_stats_evaluation_requests_total', 'Valid evaluation requests received.');
    this.#successes = counter('ep_stats_evaluation_successes_total', 'Evaluations that returned results.');
    this.#errors = counter('ep_stats_evaluation_errors_total', 'Evaluations that failed after validation.');
    this.#checkErrors = counter(
      'ep_stats_check_evaluation_errors_total',
      'Checks skipped because they could not be evaluated.',
    );
    this.#evaluationDuration = summary(
      'ep_stats_evaluation_duration_seconds',
      'Duration of an evaluation: data access and statistics.',
    );
    this.#queryDuration = summary('ep_stats_query_duration_seconds', 'Duration of the data access.');
    this.#statisticsDuration = summary(
      'ep_stats_stats_computation_duration_seconds',
      'Duration of the statistics computation.',
    );
  }

  /** Counts a request in `ep_stats_evaluation_requests_total`. */
  evaluationRequested(): void {
    this.#requests.inc();
  }

  /** Counts a success in `ep_stats_evaluation_successes_total`. */
  evaluationSucceeded(): void {
    this.#successes.inc();
  }

  /** Counts a failure in `ep_stats_evaluation_errors_total`. */
  evaluationFailed(): void {
    this.#errors.inc();
  }

  /** Counts a skipped check in `ep_stats_check_evaluation_errors_total`. */
  checkFailed(): void {
    this.#checkErrors.inc();
  }

  /** Observes `ep_stats_query_duration_seconds`. */
  observeQueryDuration(labels: EvaluationLabels, seconds: number): void {
    this.#queryDuration.labels(...labelValues(labels)).observe(seconds);
  }

  /** Observes `ep_stats_stats_computation_duration_seconds`. */
  observeStatisticsDuration(labels: EvaluationLabels, seconds: number): void {
    this.#statisticsDuration.labels(...labelValues(labels)).observe(seconds);
  }

  /** Observes `ep_stats_evaluation_duration_seconds`. */
  observeEvaluationDuration(labels: EvaluationLabels, seconds: number): void {
    this.#evaluationDuration.labels(...labelValues(labels)).observe(seconds);
  }
}

function labelValues(labels: EvaluationLabels): [string, string] {
  return [labels.expId, labels.isPerformanceTest ? 'True' : 'False'];
}
