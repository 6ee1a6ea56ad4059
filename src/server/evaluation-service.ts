import {
  type AggregatedGoals,
  type Dao,
  type DaoFactory,
  DataError,
  EpStatsError,
  type EvaluationWarning,
  type Experiment,
  type MetricSumsInput,
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
  type TimelineGoalRow,
  ValidationError,
} from '../index.js';
import {
  type EvaluateFrom,
  type EvaluateRequest,
  type RequestProblem,
  resolveEvaluateFrom,
  toEvaluateResponse,
  toExperiment,
  validateEvaluateRequest,
  validateSampleSizeRequest,
} from '../wire/index.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { EvaluationLabels, EvaluationMetricsRecorder } from './evaluation-metrics-recorder.js';
import { redactSecrets } from './redact-secrets.js';
import {
  checkDaoFactory,
  DEFAULT_SERVER_OPTIONS,
  responseTooLarge,
  SETTING_VARIABLES,
} from './server-options.js';
import type { ServiceLogger } from './service-logger.js';
import type { EvaluateJsonOutcome, EvaluateOutcome, SampleSizeOutcome } from './service-outcomes.js';
import { type EvaluationInput, evaluateInput, fromJobError } from './statistics-job.js';
import { createStatisticsRunner } from './statistics-pool.js';

/**
 * Options of {@link createEvaluationService}.
 *
 * @example
 * ```ts
 * import { TestDaoFactory } from 'ep-stats/testing';
 * import type { EvaluationServiceOptions } from 'ep-stats/server';
 * const options: EvaluationServiceOptions = { daoFactory: new TestDaoFactory(), concurrency: 2 };
 * options.concurrency; // => 2
 * ```
 * @public
 */
export interface EvaluationServiceOptions {
  /**
   * Creates the data access object of each evaluation (required; there is no default data source). E.g. a
   * `SqlDaoFactory` of `ep-stats/sql`, your own {@link DaoFactory}, or `TestDaoFactory` of
   * `ep-stats/testing` for the bundled reference test data.
   */
  readonly daoFactory: DaoFactory;
  /** Receives counts and durations (e.g. a {@link ServerMetrics}); none by default. */
  readonly metrics?: EvaluationMetricsRecorder;
  /** Most evaluations running at once (data access and statistics); others wait in order. Default 4. */
  readonly concurrency?: number;
  /** Logger used when a call passes none; silent by default. */
  readonly logger?: ServiceLogger;
  /** Most metrics of one request; more are a 422 problem at `metrics`. Default 1,000. */
  readonly maxMetrics?: number;
  /** Most checks of one request; more are a 422 problem at `checks`. Default 100. */
  readonly maxChecks?: number;
  /**
   * Most variants of one evaluation: of the request's `variants`, or without them, distinct
   * `exp_variant_id`s in the Dao's rows; more are a 422 problem at `variants`. Default 100.
   */
  readonly maxVariants?: number;
  /** Most filters of one request; more are a 422 problem at `filters`. Default 100. */
  readonly maxFilters?: number;
  /**
   * Milliseconds the data access (`getDao()`, `getAggGoals()` and `close()`) may take; slower is a 504
   * `data-access-timed-out` outcome. Default 60,000.
   */
  readonly daoTimeout?: number;
  /**
   * Largest body {@link EvaluationService.evaluateJson} returns, in bytes; a larger one is a 422 problem
   * (`response_too_large`). Default 10,485,760 (10 MiB).
   */
  readonly maxResponseBytes?: number;
  /**
   * Worker threads on which {@link EvaluationService.evaluateJson} computes the statistics and encodes the
   * response, so that a large evaluation never holds up the event loop (other requests, health checks).
   * Default 0: on the event loop. `buildServer` and `ep-stats serve` use threads by default.
   */
  readonly statisticsThreads?: number;
}

/**
 * Per-call options of {@link EvaluationService.evaluateJson}.
 *
 * @example
 * ```ts
 * import type { EvaluateJsonOptions } from 'ep-stats/server';
 * const options: EvaluateJsonOptions = { strict: true };
 * options.strict; // => true
 * ```
 * @public
 */
export interface EvaluateJsonOptions extends ServiceCallOptions {
  /** Whether to encode strict JSON instead of the reference's format ({@link encodeResponseBody}). Default false. */
  readonly strict?: boolean;
}

/**
 * Per-call options of {@link EvaluationService}.
 *
 * @example
 * ```ts
 * import type { ServiceCallOptions } from 'ep-stats/server';
 * const options: ServiceCallOptions = {};
 * options.logger; // => undefined
 * ```
 * @public
 */
export interface ServiceCallOptions {
  /** Logger of this call (e.g. the request's logger). */
  readonly logger?: ServiceLogger;
}

/**
 * The REST API's operations, independent of any HTTP framework.
 *
 * @example
 * ```ts
 * import { TestDaoFactory } from 'ep-stats/testing';
 * import { createEvaluationService, type EvaluationService } from 'ep-stats/server';
 * const service: EvaluationService = createEvaluationService({ daoFactory: new TestDaoFactory() });
 * service.activeEvaluations; // => 0
 * ```
 * @public
 */
export interface EvaluationService {
  /**
   * Validates a `POST /evaluate` body, loads its goals (or metric sums) through a new Dao and evaluates it.
   *
   * @param body - The parsed JSON body.
   * @param options - The logger of this call.
   * @returns The outcome; never rejects.
   */
  evaluate(body: unknown, options?: ServiceCallOptions): Promise<EvaluateOutcome>;
  /**
   * As {@link EvaluationService.evaluate}, but answers with the response encoded as JSON, computed on the
   * service's statistics threads when it has some (`statisticsThreads`), and bounded by `maxResponseBytes`.
   * This is what `POST /evaluate` of {@link buildServer} sends.
   *
   * @param body - The parsed JSON body.
   * @param options - The logger of this call and the JSON format.
   * @returns The outcome; never rejects.
   */
  evaluateJson(body: unknown, options?: EvaluateJsonOptions): Promise<EvaluateJsonOutcome>;
  /**
   * Validates a `POST /sample-size-calculation` body and computes the sample size per variant.
   *
   * @param body - The parsed JSON body.
   * @param options - The logger of this call.
   * @returns The outcome.
   */
  sampleSize(body: unknown, options?: ServiceCallOptions): SampleSizeOutcome;
  /** Ends the statistics threads, if any; call it when the service is no longer used. */
  close(): Promise<void>;
  /** Evaluations running now. */
  readonly activeEvaluations: number;
  /** Evaluations waiting for a free slot. */
  readonly waitingEvaluations: number;
}

const SILENT: ServiceLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Creates the service behind `POST /evaluate` and `POST /sample-size-calculation`.
 *
 * @remarks
 * `evaluate(body)`: validates the body ({@link validateEvaluateRequest}, then {@link toExperiment});
 * waits for one of `concurrency` slots; gets a Dao from the factory, asks it for the aggregated goals
 * (`getAggGoals`) or, when the request is evaluated from metric sums ({@link resolveEvaluateFrom}: its
 * `evaluate_from`, by default `'metric_sums'` when a metric has `cuped`), for the metric sums
 * (`getMetricSums`), and closes it (always, also when loading failed, before the statistics start; a
 * `close` that throws, rejects or returns no promise is logged as a warning and does not change the
 * outcome); yields to the event loop (`setImmediate`) so that other requests are served between the data
 * access and the synchronous statistics; evaluates with `experiment.evaluateAgg` (or
 * `experiment.evaluateMetricSums`) and converts with {@link toEvaluateResponse}. A Dao without
 * `getMetricSums` asked for metric sums gives the outcome 501 `metric-sums-not-supported`. The event loop
 * is also yielded between validating the body and building the experiment, and before taking a slot. Warnings of the evaluation are returned in the response's
 * `warnings` and logged, one `warn` line per warning code with its `count` and the first message; failed
 * checks are also counted.
 *
 * `evaluateJson(body, { strict })` does the same up to the goals, then hands the statistics, the conversion
 * and the JSON encoding ({@link encodeResponseBody}) to one of `statisticsThreads` worker threads (piscina;
 * started at the first call, ended by `close()`), or with 0 threads (the default) computes them on the event
 * loop; a body over `maxResponseBytes` becomes a 422 `response_too_large` problem. The outcome carries the HTTP status ({@link EvaluateOutcome});
 * error messages in it have credentials redacted (the password of a URL, `password=...`). Per-request
 * progress is logged at `debug`, warnings at `warn`, failures at `error`.
 *
 * Limits: a body with more than `maxMetrics` metrics, `maxChecks` checks, `maxFilters` filters or
 * `maxVariants` variants is answered with 422 before it is validated further (message e.g. "at most 500
 * metrics per request (EP_STATS_MAX_METRICS); got 1000"); so is an evaluation without explicit `variants`
 * whose data has more than `maxVariants` variants. The data access has a deadline, `daoTimeout` ms from
 * the call of `getDao()`: when `getDao()` or `getAggGoals()` (`getMetricSums()`) has not settled by then,
 * the outcome is 504 `data-access-timed-out`, the Dao is closed (without waiting; later, if `getDao()` settles later) and
 * the slot is released; a `close()` still pending at the deadline is logged and left behind.
 *
 * `sampleSize(body)`: validates ({@link validateSampleSizeRequest}) and computes
 * `requiredSampleSizePerVariant` with `std`, `requiredSampleSizePerVariantBernoulli` without.
 *
 * @param options - The required Dao factory; metrics recorder, concurrency and default logger.
 * @returns The service.
 * @throws `ValidationError` (`path` `['daoFactory']`) when `daoFactory` is missing or has no `getDao`
 *   method; `RangeError` when `concurrency` or a limit is not a positive integer.
 *
 * @example
 * ```ts
 * import { ValidationError } from 'ep-stats';
 * import { TestDaoFactory } from 'ep-stats/testing';
 * import { createEvaluationService } from 'ep-stats/server';
 * const service = createEvaluationService({ daoFactory: new TestDaoFactory() });
 * const outcome = await service.evaluate({
 *   id: 'test-conversion', control_variant: 'a', unit_type: 'test_unit_type',
 *   metrics: [{ id: 1, name: 'Click-through Rate', nominator: 'count(test_unit_type.unit.click)', denominator: 'count(test_unit_type.global.exposure)' }],
 *   checks: [{ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' }],
 * });
 * outcome.status; // => 200
 * outcome.ok && outcome.response.exposure.stats.map((stat) => stat.count); // => [21, 26, 30]
 * service.sampleSize({ n_variants: 2, minimum_effect: 0.05, mean: 0.4 }); // => { ok: true, kind: 'calculated', status: 200, response: { sample_size_per_variant: 9489 } }
 * service.sampleSize({ n_variants: 2, minimum_effect: -0.4, mean: 0.2 }).status; // => 422
 * const encoded = await service.evaluateJson({ id: 'test-conversion', control_variant: 'a', unit_type: 'test_unit_type', metrics: [], checks: [] }, { strict: true });
 * encoded.ok && JSON.parse(new TextDecoder().decode(encoded.body)).exposure.stats.length; // => 3
 * await service.close();
 * // Without a daoFactory (possible from JavaScript):
 * createEvaluationService({} as never); // throws ValidationError
 * ```
 * @public
 */
export function createEvaluationService(options: EvaluationServiceOptions): EvaluationService {
  const daoFactory = checkDaoFactory(options?.daoFactory);
  const { metrics } = options;
  const limiter = new ConcurrencyLimiter(options.concurrency ?? 4);
  const defaultLogger = options.logger ?? SILENT;
  const limits = {
    metrics: positiveInteger('maxMetrics', options.maxMetrics ?? DEFAULT_SERVER_OPTIONS.maxMetrics),
    checks: positiveInteger('maxChecks', options.maxChecks ?? DEFAULT_SERVER_OPTIONS.maxChecks),
    variants: positiveInteger('maxVariants', options.maxVariants ?? DEFAULT_SERVER_OPTIONS.maxVariants),
    filters: positiveInteger('maxFilters', options.maxFilters ?? DEFAULT_SERVER_OPTIONS.maxFilters),
  };
  const daoTimeout = positiveInteger('daoTimeout', options.daoTimeout ?? DEFAULT_SERVER_OPTIONS.daoTimeout);
  const maxResponseBytes = positiveInteger(
    'maxResponseBytes',
    options.maxResponseBytes ?? DEFAULT_SERVER_OPTIONS.maxResponseBytes,
  );
  const runner = createStatisticsRunner(
    nonNegativeInteger('statisticsThreads', options.statisticsThreads ?? 0),
  );

  /** The request's lists over their limits, checked on the raw body before the costly validation. */
  function countProblems(body: unknown): RequestProblem[] {
    if (typeof body !== 'object' || body === null) return [];
    const problems: RequestProblem[] = [];
    for (const field of ['metrics', 'checks', 'variants', 'filters'] as const) {
      const list = (body as Record<string, unknown>)[field];
      if (Array.isArray(list) && list.length > limits[field]) {
        problems.push(tooMany(field, limits[field], `got ${list.length}`));
      }
    }
    return problems;
  }

  /**
   * The part shared by `evaluate` and `evaluateJson`: limits, validation, the experiment, a slot, the
   * goals; then `statistics` computes the answer within the slot.
   */
  async function evaluateWith<Success extends { readonly ok: true }>(
    body: unknown,
    call: ServiceCallOptions,
    statistics: (prepared: PreparedEvaluation) => Promise<Success | FailedEvaluation>,
  ): Promise<Success | FailedEvaluation> {
    const logger = call.logger ?? defaultLogger;
    const tooLarge = countProblems(body);
    if (tooLarge.length > 0) return invalidRequest(tooLarge);
    const validation = validateEvaluateRequest(body);
    if (!validation.ok) return invalidRequest(validation.problems);
    // Each step of a large request takes milliseconds (10-25 for 1,000 metrics): let other requests in between.
    await yieldToEventLoop();
    let experiment: Experiment;
    try {
      experiment = toExperiment(validation.value);
    } catch (error) {
      if (error instanceof ValidationError) {
        return invalidRequest([{ path: error.path, message: error.message, type: 'value_error' }]);
      }
      const experimentId = validation.value.id;
      logger.error({ experimentId, err: error }, `Cannot define experiment [${experimentId}]`);
      return internalError(experimentId);
    }
    await yieldToEventLoop();
    metrics?.evaluationRequested();
    logger.debug({ experimentId: experiment.id }, `Evaluation request: [${experiment.id}]`);
    const labels: EvaluationLabels = {
      expId: experiment.id,
      isPerformanceTest: experiment.queryParameters.is_performance_test === true,
    };
    const request = validation.value;
    const outcome = await limiter.run(async () => {
      const started = performance.now();
      try {
        const loaded = await loadInputOrFail(experiment, request, labels, logger);
        if (!('input' in loaded)) return loaded;
        const statisticsStarted = performance.now();
        try {
          return await statistics({ experiment, request, input: loaded.input, logger });
        } finally {
          metrics?.observeStatisticsDuration(labels, seconds(statisticsStarted));
        }
      } finally {
        metrics?.observeEvaluationDuration(labels, seconds(started));
      }
    });
    if (outcome.ok) metrics?.evaluationSucceeded();
    else metrics?.evaluationFailed();
    return outcome;
  }

  function evaluate(body: unknown, call: ServiceCallOptions = {}): Promise<EvaluateOutcome> {
    return evaluateWith(body, call, async ({ experiment, input, logger }) => {
      const experimentId = experiment.id;
      // Let other requests run between the data access and the synchronous statistics.
      await yieldToEventLoop();
      const warnings: EvaluationWarning[] = [];
      try {
        const { evaluation, analysis } = evaluateInput(experiment, input, {
          onWarning: (warning) => warnings.push(warning),
        });
        const response = toEvaluateResponse(experiment, evaluation, analysis);
        reportWarnings(warnings, experimentId, logger);
        logger.debug({ experimentId }, `Evaluated experiment [${experimentId}]`);
        return { ok: true, kind: 'evaluated', status: 200, response, evaluation, analysis } as const;
      } catch (error) {
        if (error instanceof DataError) return invalidGoalData(experimentId, input, error, logger);
        logger.error({ experimentId, err: error }, `Cannot evaluate experiment [${experimentId}]`);
        return internalError(experimentId);
      }
    });
  }

  function evaluateJson(body: unknown, call: EvaluateJsonOptions = {}): Promise<EvaluateJsonOutcome> {
    return evaluateWith(body, call, async ({ experiment, request, input, logger }) => {
      const experimentId = experiment.id;
      const result = await runner.run({ ...input, request, strict: call.strict ?? false, maxResponseBytes });
      if (result.ok) {
        reportWarnings(result.warnings, experimentId, logger);
        logger.debug({ experimentId }, `Evaluated experiment [${experimentId}]`);
        return { ok: true, kind: 'evaluated', status: 200, body: result.body } as const;
      }
      switch (result.kind) {
        case 'response-too-large':
          reportWarnings(result.warnings, experimentId, logger);
          logger.warn({ experimentId, bytes: result.bytes, maxResponseBytes }, 'Response too large');
          return invalidRequest([responseTooLarge(result.bytes, maxResponseBytes)]);
        case 'invalid-goal-data':
          return invalidGoalData(experimentId, input, fromJobError(result.error), logger);
        default:
          logger.error(
            { experimentId, err: fromJobError(result.error) },
            `Cannot evaluate experiment [${experimentId}]`,
          );
          return internalError(experimentId);
      }
    });
  }

  /**
   * The goals or metric sums (as the request's `evaluate_from` asks), or the outcome of a failed, late or
   * oversized data access, or of a Dao without metric sums.
   */
  async function loadInputOrFail(
    experiment: Experiment,
    request: EvaluateRequest,
    labels: EvaluationLabels,
    logger: ServiceLogger,
  ): Promise<{ readonly input: EvaluationInput } | FailedEvaluation> {
    const experimentId = experiment.id;
    const evaluateFrom = resolveEvaluateFrom(request);
    const data = DATA_NAMES[evaluateFrom];
    let input: EvaluationInput;
    try {
      input = await loadInput(experiment, evaluateFrom, request.timeline === 'daily', labels, logger);
    } catch (error) {
      if (error instanceof DaoTimeout) {
        logger.error({ experimentId }, error.message);
        return {
          ok: false,
          kind: 'data-access-timed-out',
          status: 504,
          experimentId,
          message: error.message,
        };
      }
      if (error instanceof MetricSumsNotSupported) {
        const message = metricSumsNotSupportedMessage(experiment, request);
        logger.error({ experimentId }, message);
        return { ok: false, kind: 'metric-sums-not-supported', status: 501, experimentId, message };
      }
      if (error instanceof AnalysisNotSupported) {
        logger.error({ experimentId }, error.message);
        return { ok: false, kind: error.kind, status: 501, experimentId, message: error.message };
      }
      logger.error({ experimentId, err: error }, `Cannot load the ${data} of experiment [${experimentId}]`);
      const reason = error instanceof EpStatsError ? `: ${redactSecrets(error.message)}` : '';
      return {
        ok: false,
        kind: 'data-access-failed',
        status: 502,
        experimentId,
        message: `Cannot load the ${data} of experiment [${experimentId}] from the data source${reason}`,
      };
    }
    const rows = input.evaluateFrom === 'metric_sums' ? input.metricSums : input.goals;
    if (experiment.variants === undefined && countVariants(rows, limits.variants) > limits.variants) {
      return invalidRequest([
        tooMany(
          'variants',
          limits.variants,
          `the data of experiment [${experimentId}] has more; pass \`variants\` to choose some`,
        ),
      ]);
    }
    return { input };
  }

  /**
   * Gets a Dao, loads the goals (`getAggGoals`) or the metric sums (`getMetricSums`) and closes the Dao, all
   * within `daoTimeout` ms.
   *
   * @throws `DaoTimeout` when `getDao()` or the load has not settled in time; the Dao is then closed
   *   without waiting (once `getDao()` settles, if it has not). `MetricSumsNotSupported` when metric sums
   *   are asked for and the Dao has no `getMetricSums` (the Dao is closed).
   */
  async function loadInput(
    experiment: Experiment,
    evaluateFrom: EvaluateFrom,
    timeline: boolean,
    labels: EvaluationLabels,
    logger: ServiceLogger,
  ): Promise<EvaluationInput> {
    const started = performance.now();
    const experimentId = experiment.id;
    const data = DATA_NAMES[evaluateFrom];
    let timedOut = false;
    let dao: Dao | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new DaoTimeout(experimentId, daoTimeout, data));
      }, daoTimeout);
    });
    const load = (async (): Promise<EvaluationInput> => {
      const created = await daoFactory.getDao();
      if (timedOut) {
        void closeDao(created, experimentId, logger);
        throw new DaoTimeout(experimentId, daoTimeout, data);
      }
      dao = created;
      let input: EvaluationInput;
      if (evaluateFrom === 'metric_sums') {
        if (typeof created.getMetricSums !== 'function') throw new MetricSumsNotSupported();
        const metricSums: MetricSumsInput = await created.getMetricSums(experiment);
        input = { evaluateFrom, metricSums };
      } else {
        let goals: AggregatedGoals;
        if (experiment.breakdowns.length > 0) {
          if (typeof created.getAggGoalSegments !== 'function') {
            throw new AnalysisNotSupported(
              'segments-not-supported',
              experimentId,
              'getAggGoalSegments',
              'breakdowns',
            );
          }
          goals = await created.getAggGoalSegments(experiment);
        } else {
          goals = await created.getAggGoals(experiment);
        }
        let timelineGoals: readonly TimelineGoalRow[] | undefined;
        if (timeline) {
          if (typeof created.getTimelineGoals !== 'function') {
            throw new AnalysisNotSupported(
              'timeline-not-supported',
              experimentId,
              'getTimelineGoals',
              'timeline',
            );
          }
          timelineGoals = await created.getTimelineGoals(experiment);
        }
        input = { evaluateFrom, goals, ...(timelineGoals === undefined ? {} : { timelineGoals }) };
      }
      logger.debug({ experimentId }, `Retrieved the ${data} of experiment [${experimentId}]`);
      return input;
    })();
    // After the deadline nobody awaits `load`; its late failure is expected.
    load.catch(() => {});
    try {
      return await Promise.race([load, deadline]);
    } finally {
      if (dao !== undefined) {
        const closing = closeDao(dao, experimentId, logger);
        if (!timedOut) {
          const closed = await Promise.race([closing.then(() => true), deadline.catch(() => false)]);
          if (!closed) {
            logger.warn(
              { experimentId },
              `The data access object of experiment [${experimentId}] did not close within the Dao deadline of ${daoTimeout} ms`,
            );
          }
        }
      }
      clearTimeout(timer);
      metrics?.observeQueryDuration(labels, seconds(started));
    }
  }

  /**
   * Counts failed checks and logs the warnings of an evaluation: one `warn` line per warning code, with
   * how many there were and the first one's message (a request of 1,000 metrics without rows would
   * otherwise write 1,000 lines).
   */
  function reportWarnings(
    warnings: readonly { readonly code: string; readonly message: string }[],
    experimentId: string,
    logger: ServiceLogger,
  ): void {
    const byCode = new Map<string, { count: number; first: string }>();
    for (const warning of warnings) {
      if (warning.code === 'check-failed') metrics?.checkFailed();
      const seen = byCode.get(warning.code);
      if (seen === undefined) byCode.set(warning.code, { count: 1, first: warning.message });
      else seen.count += 1;
    }
    for (const [code, { count, first }] of byCode) {
      const more = count > 1 ? ` (and ${count - 1} more ${code} warning${count > 2 ? 's' : ''})` : '';
      logger.warn({ experimentId, warning: code, count }, `${first}${more}`);
    }
  }

  /** The outcome of a `DataError` (or of a worker's copy of one). */
  function invalidGoalData(
    experimentId: string,
    input: EvaluationInput,
    error: Error,
    logger: ServiceLogger,
  ): FailedEvaluation {
    const rows = input.evaluateFrom === 'metric_sums' ? 'metric sums rows' : 'goal rows';
    logger.error({ experimentId, err: error }, `Invalid ${rows} for experiment [${experimentId}]`);
    return {
      ok: false,
      kind: 'invalid-goal-data',
      status: 502,
      experimentId,
      message: `Cannot evaluate experiment [${experimentId}] because the data source returned invalid ${rows}: ${redactSecrets(error.message)}`,
    };
  }

  function sampleSize(body: unknown, call: ServiceCallOptions = {}): SampleSizeOutcome {
    const logger = call.logger ?? defaultLogger;
    const validation = validateSampleSizeRequest(body);
    if (!validation.ok) return invalidRequest(validation.problems);
    const request = validation.value;
    const common = {
      nVariants: request.n_variants,
      minimumEffect: request.minimum_effect,
      mean: request.mean,
      confidenceLevel: request.confidence_level,
      power: request.power,
    };
    let size: number;
    try {
      size =
        request.std === undefined || request.std === null
          ? requiredSampleSizePerVariantBernoulli(common)
          : requiredSampleSizePerVariant({ ...common, std: request.std });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const path = error.path.map((part) =>
        typeof part === 'number' ? part : part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      );
      return invalidRequest([{ path, message: error.message, type: 'value_error' }]);
    }
    logger.debug({ sampleSizePerVariant: size }, `Calculation finished, sample_size_per_variant = ${size}.`);
    return { ok: true, kind: 'calculated', status: 200, response: { sample_size_per_variant: size } };
  }

  return {
    evaluate,
    evaluateJson,
    sampleSize,
    close: () => runner.close(),
    get activeEvaluations() {
      return limiter.active;
    },
    get waitingEvaluations() {
      return limiter.waiting;
    },
  };
}

/**
 * Closes a Dao; a `close` that throws, rejects or returns something other than a promise is logged (warn)
 * and changes nothing else.
 */
async function closeDao(dao: Dao, experimentId: string, logger: ServiceLogger): Promise<void> {
  const failed = (error: unknown) => {
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    logger.warn(
      { experimentId, err: error },
      `Cannot close the data access object of experiment [${experimentId}]: ${message}`,
    );
  };
  try {
    const closing: unknown = dao.close();
    if (typeof (closing as PromiseLike<unknown> | null)?.then !== 'function') {
      failed(new TypeError(`Dao.close() returned ${describeValue(closing)} instead of a promise`));
      return;
    }
    await closing;
  } catch (error) {
    failed(error);
  }
}

/** What `evaluateWith` hands to the statistics: the experiment, its request and its goals or metric sums. */
interface PreparedEvaluation {
  readonly experiment: Experiment;
  readonly request: EvaluateRequest;
  readonly input: EvaluationInput;
  readonly logger: ServiceLogger;
}

/** The outcomes of an evaluation that did not succeed (the same for objects and JSON). */
type FailedEvaluation = Exclude<EvaluateOutcome, { readonly ok: true }>;

/** What each input is called in messages. */
const DATA_NAMES: Readonly<Record<EvaluateFrom, string>> = { goals: 'goals', metric_sums: 'metric sums' };

/** The data access did not settle within `daoTimeout`. */
class DaoTimeout extends Error {
  constructor(experimentId: string, timeout: number, data: string) {
    super(
      `Cannot load the ${data} of experiment [${experimentId}]: the data source did not answer within the Dao deadline of ${timeout} ms (daoTimeout, ${SETTING_VARIABLES.daoTimeout})`,
    );
  }
}

/** The request asks for metric sums and the Dao has no `getMetricSums`. */
class MetricSumsNotSupported extends Error {}

/** The request asks for a drill-down or a timeline and the Dao has no method for it. */
class AnalysisNotSupported extends Error {
  constructor(
    readonly kind: 'segments-not-supported' | 'timeline-not-supported',
    experimentId: string,
    method: string,
    field: string,
  ) {
    super(
      `Cannot evaluate experiment [${experimentId}] with ${field}: the server's data access layer (its Dao) has no ${method}; leave ${field} out`,
    );
  }
}

/**
 * Why a request needs metric sums the data source cannot give: its explicit `evaluate_from`, or the first
 * CUPED metric (the default then).
 */
function metricSumsNotSupportedMessage(experiment: Experiment, request: EvaluateRequest): string {
  const experimentId = experiment.id;
  const missing = "the server's data access layer (its Dao) has no getMetricSums";
  const metric = experiment.metrics.find((candidate) => candidate.cuped !== undefined);
  if (metric !== undefined) {
    return `Cannot evaluate experiment [${experimentId}]: metric '${metric.name}' (id ${String(metric.id)}) asks for CUPED, which is evaluated from metric sums, and ${missing}`;
  }
  const how = request.evaluate_from === 'metric_sums' ? " (evaluate_from 'metric_sums')" : '';
  return `Cannot evaluate experiment [${experimentId}] from metric sums${how}: ${missing}; leave evaluate_from out or set it to 'goals'`;
}

/** Distinct `exp_variant_id`s of goal or metric sums rows (or columns), counting stops once above `limit`. */
function countVariants(goals: unknown, limit: number): number {
  const variants = new Set<unknown>();
  const add = (value: unknown) => {
    variants.add(value === null || value === undefined ? value : String(value));
    return variants.size > limit;
  };
  if (Array.isArray(goals)) {
    for (const row of goals as readonly { exp_variant_id?: unknown }[]) {
      if (add(row.exp_variant_id)) break;
    }
  } else {
    const column = (goals as { exp_variant_id?: ArrayLike<unknown> }).exp_variant_id;
    const length = column?.length ?? 0;
    for (let i = 0; i < length; i++) {
      if (add(column?.[i])) break;
    }
  }
  return variants.size;
}

const LIMIT_OPTIONS = {
  metrics: 'maxMetrics',
  checks: 'maxChecks',
  variants: 'maxVariants',
  filters: 'maxFilters',
} as const;

function tooMany(field: keyof typeof LIMIT_OPTIONS, limit: number, got: string): RequestProblem {
  return {
    path: [field],
    message: `at most ${limit} ${field} per request (${SETTING_VARIABLES[LIMIT_OPTIONS[field]]}); ${got}`,
    type: 'too_long',
  };
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`\`${name}\` must be a non-negative integer, received ${value}`);
  }
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`\`${name}\` must be a positive integer, received ${value}`);
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function invalidRequest(problems: readonly RequestProblem[]) {
  return { ok: false, kind: 'invalid-request', status: 422, problems } as const;
}

function internalError(experimentId: string) {
  return {
    ok: false,
    kind: 'evaluation-failed',
    status: 500,
    experimentId,
    message: `Cannot evaluate experiment [${experimentId}] because of an internal error`,
  } as const;
}

/** Resolves after the I/O callbacks already due (`setImmediate`): requests waiting are served first. */
function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}
