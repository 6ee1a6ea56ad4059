/**
 * Labels of the duration metrics: the experiment and whether the request is a performance test
 * (`query_parameters.is_performance_test === true`).
 *
 * @example
 * ```ts
 * import type { EvaluationLabels } from 'ep-stats/server';
 * const labels: EvaluationLabels = { expId: 'test-conversion', isPerformanceTest: false };
 * labels.expId; // => 'test-conversion'
 * ```
 * @public
 */
export interface EvaluationLabels {
  readonly expId: string;
  readonly isPerformanceTest: boolean;
}

/**
 * What the evaluation service reports about its work; {@link ServerMetrics} records it as Prometheus
 * metrics, tests may count calls.
 *
 * @remarks
 * For a valid request: `evaluationRequested`; then the durations of the data access
 * (`observeQueryDuration`), of the statistics (`observeStatisticsDuration`, when the data access
 * succeeded) and of both (`observeEvaluationDuration`), each also when the step failed; then
 * `evaluationSucceeded` or `evaluationFailed`; `checkFailed` once per check that could not be evaluated.
 * Invalid requests are not counted.
 *
 * @example
 * ```ts
 * import type { EvaluationMetricsRecorder } from 'ep-stats/server';
 * let failures = 0;
 * const recorder: EvaluationMetricsRecorder = {
 *   evaluationRequested: () => {}, evaluationSucceeded: () => {}, evaluationFailed: () => { failures++; },
 *   checkFailed: () => {}, observeQueryDuration: () => {}, observeStatisticsDuration: () => {}, observeEvaluationDuration: () => {},
 * };
 * recorder.evaluationFailed();
 * failures; // => 1
 * ```
 * @public
 */
export interface EvaluationMetricsRecorder {
  /** A valid request is about to be evaluated. */
  evaluationRequested(): void;
  /** The evaluation returned results. */
  evaluationSucceeded(): void;
  /** The evaluation failed after validation (data access or statistics). */
  evaluationFailed(): void;
  /** A check could not be evaluated and was skipped. */
  checkFailed(): void;
  /** Duration of the data access (creating the Dao, loading the goals, closing it), in seconds. */
  observeQueryDuration(labels: EvaluationLabels, seconds: number): void;
  /** Duration of the statistics and the response conversion, in seconds. */
  observeStatisticsDuration(labels: EvaluationLabels, seconds: number): void;
  /** Duration of the whole evaluation (not counting the wait for a slot), in seconds. */
  observeEvaluationDuration(labels: EvaluationLabels, seconds: number): void;
}
