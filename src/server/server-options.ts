import { type DaoFactory, ValidationError } from '../index.js';
import type { RequestProblem } from '../wire/index.js';
import { checkApiKeys } from './api-keys.js';
import { defaultStatisticsThreads } from './statistics-pool.js';

/**
 * Log levels of the server (pino's).
 *
 * @example
 * ```ts
 * import { SERVER_LOG_LEVELS } from 'ep-stats/server';
 * SERVER_LOG_LEVELS; // => ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
 * ```
 * @public
 */
export type ServerLogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Every {@link ServerLogLevel}, most severe first.
 *
 * @example
 * ```ts
 * import { SERVER_LOG_LEVELS } from 'ep-stats/server';
 * SERVER_LOG_LEVELS.includes('silent'); // => true
 * ```
 * @public
 */
export const SERVER_LOG_LEVELS: readonly ServerLogLevel[] = Object.freeze([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const);

/**
 * Options of {@link buildServer} and {@link startServer}: the required `daoFactory` (where the goals come
 * from) and optional settings (defaults in {@link DEFAULT_SERVER_OPTIONS}).
 *
 * @example
 * ```ts
 * import { TestDaoFactory } from 'ep-stats/testing';
 * import type { ServerOptions } from 'ep-stats/server';
 * const options: ServerOptions = { daoFactory: new TestDaoFactory(), port: 0, logLevel: 'silent', evaluationConcurrency: 2 };
 * options.port; // => 0
 * ```
 * @public
 */
export interface ServerOptions {
  /**
   * Creates one Dao per evaluation (required; there is no default data source). E.g. a `SqlDaoFactory` of
   * `ep-stats/sql` for a database, your own {@link DaoFactory}, or `TestDaoFactory` of `ep-stats/testing`
   * for the bundled reference test data.
   */
  readonly daoFactory: DaoFactory;
  /** Interface to listen on. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free port. */
  readonly port?: number;
  /** Log level of the structured (JSON) logs on standard output. */
  readonly logLevel?: ServerLogLevel | (string & {});
  /** Largest accepted request body, in bytes; larger bodies get 413. */
  readonly bodyLimit?: number;
  /** Most evaluations running at once; further requests wait in order. */
  readonly evaluationConcurrency?: number;
  /**
   * Worker threads that compute the statistics of `POST /evaluate` and encode its response, so that a large
   * evaluation never holds up other requests (`GET /health` answers while 1,000 metrics are evaluated).
   * Default: `evaluationConcurrency`, but at most the machine's parallelism minus one and at least 1. 0
   * computes on the event loop (as a library call of the service does).
   */
  readonly statisticsThreads?: number;
  /** Whether responses are strict JSON by default (the `strict` query parameter overrides it). */
  readonly strictJson?: boolean;
  /** Most metrics of one `POST /evaluate` request; more get 422. */
  readonly maxMetrics?: number;
  /** Most checks of one `POST /evaluate` request; more get 422. */
  readonly maxChecks?: number;
  /**
   * Most variants of one evaluation: of the request's `variants`, or without them, found in the data; more
   * get 422.
   */
  readonly maxVariants?: number;
  /** Most filters of one `POST /evaluate` request; more get 422. */
  readonly maxFilters?: number;
  /** Largest response body, in bytes; a larger response is not sent, the request gets 422. */
  readonly maxResponseBytes?: number;
  /**
   * Milliseconds a client has to send a whole request (headers and body); a slower one gets 408 and the
   * connection is closed (Node's `requestTimeout`; checked every `min(headersTimeout, requestTimeout) / 4`
   * ms, at most every second). Must not be below `headersTimeout`.
   */
  readonly requestTimeout?: number;
  /** Milliseconds a client has to send a request's headers; a slower one gets 408 (Node's `headersTimeout`). */
  readonly headersTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open (Node's `keepAliveTimeout`). */
  readonly keepAliveTimeout?: number;
  /**
   * Milliseconds `getDao()`, the Dao's `getAggGoals()` and its `close()` have together; an evaluation
   * whose data access is slower gets 504, its Dao is closed and its evaluation slot is released.
   */
  readonly daoTimeout?: number;
  /**
   * Milliseconds `close()` lets requests in flight finish; then they are answered with 503 and the
   * remaining connections are closed, so that closing takes about this long at most.
   */
  readonly shutdownTimeout?: number;
  /**
   * Bearer API keys (each at least 16 characters of a Bearer token: letters, digits, `-._~+/=`). With
   * at least one, every route but `GET /health` requires `Authorization: Bearer <key>` with one of them;
   * without (the default), the API is open. Keys never appear in logs or error messages.
   */
  readonly apiKeys?: readonly string[];
}

/**
 * Defaults of the optional {@link ServerOptions} (`daoFactory` is required and has none).
 *
 * @example
 * ```ts
 * import { DEFAULT_SERVER_OPTIONS } from 'ep-stats/server';
 * DEFAULT_SERVER_OPTIONS.bodyLimit; // => 1048576
 * DEFAULT_SERVER_OPTIONS.daoTimeout; // => 60000
 * ```
 * @public
 */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  logLevel: 'info',
  bodyLimit: 1_048_576,
  evaluationConcurrency: 4,
  strictJson: false,
  maxMetrics: 1000,
  maxChecks: 100,
  maxVariants: 100,
  maxFilters: 100,
  maxResponseBytes: 10_485_760,
  requestTimeout: 30_000,
  headersTimeout: 10_000,
  keepAliveTimeout: 5_000,
  daoTimeout: 60_000,
  shutdownTimeout: 10_000,
} as const);

/** The environment variable of each limit and timeout, named in error messages. @internal */
export const SETTING_VARIABLES = Object.freeze({
  maxMetrics: 'EP_STATS_MAX_METRICS',
  maxChecks: 'EP_STATS_MAX_CHECKS',
  maxVariants: 'EP_STATS_MAX_VARIANTS',
  maxFilters: 'EP_STATS_MAX_FILTERS',
  maxResponseBytes: 'EP_STATS_MAX_RESPONSE_BYTES',
  requestTimeout: 'EP_STATS_REQUEST_TIMEOUT_MS',
  headersTimeout: 'EP_STATS_HEADERS_TIMEOUT_MS',
  keepAliveTimeout: 'EP_STATS_KEEP_ALIVE_TIMEOUT_MS',
  daoTimeout: 'EP_STATS_DAO_TIMEOUT_MS',
  shutdownTimeout: 'EP_STATS_SHUTDOWN_TIMEOUT_MS',
} as const);

/**
 * The 422 problem of a response larger than `maxResponseBytes`.
 * @internal
 */
export function responseTooLarge(bytes: number, maxResponseBytes: number): RequestProblem {
  return {
    path: [],
    message: `the response would be ${bytes} bytes, more than the maximum response size of ${maxResponseBytes} bytes (${SETTING_VARIABLES.maxResponseBytes}); ask for fewer metrics, checks or variants`,
    type: 'response_too_large',
  };
}

/** The names of the limit and timeout options (all positive integers). @internal */
export type LimitOption = keyof typeof SETTING_VARIABLES;

/** Server options with the defaults filled in. @internal */
export interface ResolvedServerOptions {
  readonly daoFactory: DaoFactory;
  readonly host: string;
  readonly port: number;
  readonly logLevel: ServerLogLevel;
  readonly bodyLimit: number;
  readonly evaluationConcurrency: number;
  readonly statisticsThreads: number;
  readonly strictJson: boolean;
  readonly maxMetrics: number;
  readonly maxChecks: number;
  readonly maxVariants: number;
  readonly maxFilters: number;
  readonly maxResponseBytes: number;
  readonly requestTimeout: number;
  readonly headersTimeout: number;
  readonly keepAliveTimeout: number;
  readonly daoTimeout: number;
  readonly shutdownTimeout: number;
  /** Empty: no authentication. */
  readonly apiKeys: readonly string[];
}

/**
 * Fills in the defaults and checks every option.
 *
 * @throws `ValidationError` naming the option (`path` is `[name]`), also when `daoFactory` is missing.
 * @internal
 */
export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      `The server options must be an object with a \`daoFactory\`, received ${describe(options)}`,
      [],
    );
  }
  const daoFactory = checkDaoFactory(options.daoFactory);
  const host = options.host ?? DEFAULT_SERVER_OPTIONS.host;
  if (typeof host !== 'string' || host === '') {
    throw new ValidationError(`\`host\` must be a non-empty string, received ${describe(host)}`, ['host']);
  }
  const logLevel = options.logLevel ?? DEFAULT_SERVER_OPTIONS.logLevel;
  if (!isLogLevel(logLevel)) {
    throw new ValidationError(
      `\`logLevel\` must be one of ${SERVER_LOG_LEVELS.join(', ')}, received ${describe(logLevel)}`,
      ['logLevel'],
    );
  }
  const strictJson = options.strictJson ?? DEFAULT_SERVER_OPTIONS.strictJson;
  if (typeof strictJson !== 'boolean') {
    throw new ValidationError(`\`strictJson\` must be a boolean, received ${describe(strictJson)}`, [
      'strictJson',
    ]);
  }
  const limit = (name: LimitOption) => integerOption(name, options[name] ?? DEFAULT_SERVER_OPTIONS[name], 1);
  const requestTimeout = limit('requestTimeout');
  const headersTimeout = limit('headersTimeout');
  if (headersTimeout > requestTimeout) {
    throw new ValidationError(
      `\`headersTimeout\` (${headersTimeout}) must not be greater than \`requestTimeout\` (${requestTimeout})`,
      ['headersTimeout'],
    );
  }
  const evaluationConcurrency = integerOption(
    'evaluationConcurrency',
    options.evaluationConcurrency ?? DEFAULT_SERVER_OPTIONS.evaluationConcurrency,
    1,
  );
  return {
    daoFactory,
    host,
    port: integerOption('port', options.port ?? DEFAULT_SERVER_OPTIONS.port, 0, 65_535),
    logLevel,
    bodyLimit: integerOption('bodyLimit', options.bodyLimit ?? DEFAULT_SERVER_OPTIONS.bodyLimit, 1),
    evaluationConcurrency,
    statisticsThreads: integerOption(
      'statisticsThreads',
      options.statisticsThreads ?? defaultStatisticsThreads(evaluationConcurrency),
      0,
    ),
    strictJson,
    maxMetrics: limit('maxMetrics'),
    maxChecks: limit('maxChecks'),
    maxVariants: limit('maxVariants'),
    maxFilters: limit('maxFilters'),
    maxResponseBytes: limit('maxResponseBytes'),
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: limit('keepAliveTimeout'),
    daoTimeout: limit('daoTimeout'),
    shutdownTimeout: limit('shutdownTimeout'),
    apiKeys: options.apiKeys === undefined ? [] : checkApiKeys(options.apiKeys, 'apiKeys', '`apiKeys`'),
  };
}

/**
 * The `daoFactory` option, checked for JavaScript callers (TypeScript requires it already).
 *
 * @throws `ValidationError` with `path` `['daoFactory']` when it is missing or has no `getDao` method.
 * @internal
 */
export function checkDaoFactory(value: unknown): DaoFactory {
  if (value === undefined || value === null) {
    throw new ValidationError(
      '`daoFactory` is required: pass the DaoFactory the server loads goals with, e.g. a SqlDaoFactory of ' +
        'ep-stats/sql, or `new TestDaoFactory()` of ep-stats/testing for the bundled test data',
      ['daoFactory'],
    );
  }
  if (typeof (value as { getDao?: unknown }).getDao !== 'function') {
    throw new ValidationError(
      `\`daoFactory\` must be a DaoFactory (an object with a \`getDao()\` method), received ${describe(value)}`,
      ['daoFactory'],
    );
  }
  return value as DaoFactory;
}

/** Whether a text is a {@link ServerLogLevel}. @internal */
export function isLogLevel(value: unknown): value is ServerLogLevel {
  return SERVER_LOG_LEVELS.includes(value as ServerLogLevel);
}

function integerOption(
  name: string,
  value: unknown,
  minimum: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    const range =
      maximum === Number.MAX_SAFE_INTEGER ? `at least ${minimum}` : `between ${minimum} and ${maximum}`;
    throw new ValidationError(`\`${name}\` must be an integer ${range}, received ${describe(value)}`, [name]);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
