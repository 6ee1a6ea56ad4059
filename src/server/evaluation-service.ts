import {
  type AggregatedGoals,
  type Dao,
  type DaoFactory,
  DataError,
  EpStatsError,
  type EvaluationWarning,
  type Experiment,
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
  ValidationError,
} from '../index.js';
import {
  type RequestProblem,
  toEvaluateResponse,
  toExperiment,
  validateEvaluateRequest,
  validateSampleSizeRequest,
} from '../wire/index.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { EvaluationLabels, EvaluationMetricsRecorder } from './evaluation-metrics-recorder.js';
import { redactSecrets } from './redact-secrets.js';
import { checkDaoFactory } from './server-options.js';
import type { ServiceLogger } from './service-logger.js';
import type { EvaluateOutcome, SampleSizeOutcome } from './service-outcomes.js';

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
   * Validates a `POST /evaluate` body, loads its goals through a new Dao and evaluates it.
   *
   * @param body - The parsed JSON body.
   * @param options - The logger of this call.
   * @returns The outcome; never rejects.
   */
  evaluate(body: unknown, options?: ServiceCallOptions): Promise<EvaluateOutcome>;
  /**
   * Validates a `POST /sample-size-calculation` body and computes the sample size per variant.
   *
   * @param body - The parsed JSON body.
   * @param options - The logger of this call.
   * @returns The outcome.
   */
  sampleSize(body: unknown, options?: ServiceCallOptions): SampleSizeOutcome;
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
 * and closes it (always, also when loading failed, before the statistics start; a `close` that throws,
 * rejects or returns no promise is logged as a warning and does not change the outcome); yields to the
 * event loop (`setImmediate`) so that other requests are served between the data access and the
 * synchronous statistics; evaluates with `experiment.evaluateAgg` and converts with
 * {@link toEvaluateResponse}. Warnings of the evaluation are returned in the response's `warnings` and
 * logged; failed checks are also counted. The outcome carries the HTTP status ({@link EvaluateOutcome});
 * error messages in it have credentials redacted (the password of a URL, `password=...`). Per-request
 * progress is logged at `debug`, warnings at `warn`, failures at `error`.
 *
 * `sampleSize(body)`: validates ({@link validateSampleSizeRequest}) and computes
 * `requiredSampleSizePerVariant` with `std`, `requiredSampleSizePerVariantBernoulli` without.
 *
 * @param options - The required Dao factory; metrics recorder, concurrency and default logger.
 * @returns The service.
 * @throws `ValidationError` (`path` `['daoFactory']`) when `daoFactory` is missing or has no `getDao`
 *   method; `RangeError` when `concurrency` is not a positive integer.
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

  async function evaluate(body: unknown, call: ServiceCallOptions = {}): Promise<EvaluateOutcome> {
    const logger = call.logger ?? defaultLogger;
    const validation = validateEvaluateRequest(body);
    if (!validation.ok) return invalidRequest(validation.problems);
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
    metrics?.evaluationRequested();
    logger.debug({ experimentId: experiment.id }, `Evaluation request: [${experiment.id}]`);
    const labels: EvaluationLabels = {
      expId: experiment.id,
      isPerformanceTest: experiment.queryParameters.is_performance_test === true,
    };
    const outcome = await limiter.run(() => evaluateExperiment(experiment, labels, logger));
    if (outcome.ok) metrics?.evaluationSucceeded();
    else metrics?.evaluationFailed();
    return outcome;
  }

  async function evaluateExperiment(
    experiment: Experiment,
    labels: EvaluationLabels,
    logger: ServiceLogger,
  ): Promise<EvaluateOutcome> {
    const experimentId = experiment.id;
    const started = performance.now();
    try {
      let goals: AggregatedGoals;
      try {
        goals = await loadGoals(experiment, labels, logger);
      } catch (error) {
        logger.error({ experimentId, err: error }, `Cannot load the goals of experiment [${experimentId}]`);
        const reason = error instanceof EpStatsError ? `: ${redactSecrets(error.message)}` : '';
        return {
          ok: false,
          kind: 'data-access-failed',
          status: 502,
          experimentId,
          message: `Cannot load the goals of experiment [${experimentId}] from the data source${reason}`,
        };
      }
      // Let other requests run between the data access and the synchronous statistics.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const statisticsStarted = performance.now();
      try {
        const evaluation = experiment.evaluateAgg(goals, {
          onWarning: (warning) => reportWarning(warning, experimentId, logger),
        });
        const response = toEvaluateResponse(experiment, evaluation);
        logger.debug({ experimentId }, `Evaluated experiment [${experimentId}]`);
        return { ok: true, kind: 'evaluated', status: 200, response, evaluation };
      } catch (error) {
        if (error instanceof DataError) {
          logger.error({ experimentId, err: error }, `Invalid goal rows for experiment [${experimentId}]`);
          return {
            ok: false,
            kind: 'invalid-goal-data',
            status: 502,
            experimentId,
            message: `Cannot evaluate experiment [${experimentId}] because the data source returned invalid goal rows: ${redactSecrets(error.message)}`,
          };
        }
        logger.error({ experimentId, err: error }, `Cannot evaluate experiment [${experimentId}]`);
        return internalError(experimentId);
      } finally {
        metrics?.observeStatisticsDuration(labels, seconds(statisticsStarted));
      }
    } finally {
      metrics?.observeEvaluationDuration(labels, seconds(started));
    }
  }

  async function loadGoals(
    experiment: Experiment,
    labels: EvaluationLabels,
    logger: ServiceLogger,
  ): Promise<AggregatedGoals> {
    const started = performance.now();
    try {
      const dao = await daoFactory.getDao();
      try {
        const goals = await dao.getAggGoals(experiment);
        logger.debug({ experimentId: experiment.id }, `Retrieved the goals of experiment [${experiment.id}]`);
        return goals;
      } finally {
        await closeDao(dao, experiment.id, logger);
      }
    } finally {
      metrics?.observeQueryDuration(labels, seconds(started));
    }
  }

  function reportWarning(warning: EvaluationWarning, experimentId: string, logger: ServiceLogger): void {
    if (warning.code === 'check-failed') metrics?.checkFailed();
    logger.warn({ experimentId, warning: warning.code }, warning.message);
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
    sampleSize,
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

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}
