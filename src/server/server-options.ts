import { type DaoFactory, ValidationError } from '../index.js';

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
  /** Whether responses are strict JSON by default (the `strict` query parameter overrides it). */
  readonly strictJson?: boolean;
}

/**
 * Defaults of the optional {@link ServerOptions} (`daoFactory` is required and has none).
 *
 * @example
 * ```ts
 * import { DEFAULT_SERVER_OPTIONS } from 'ep-stats/server';
 * DEFAULT_SERVER_OPTIONS; // => { host: '127.0.0.1', port: 8080, logLevel: 'info', bodyLimit: 1048576, evaluationConcurrency: 4, strictJson: false }
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
} as const);

/** Server options with the defaults filled in. @internal */
export interface ResolvedServerOptions {
  readonly daoFactory: DaoFactory;
  readonly host: string;
  readonly port: number;
  readonly logLevel: ServerLogLevel;
  readonly bodyLimit: number;
  readonly evaluationConcurrency: number;
  readonly strictJson: boolean;
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
  return {
    daoFactory,
    host,
    port: integerOption('port', options.port ?? DEFAULT_SERVER_OPTIONS.port, 0, 65_535),
    logLevel,
    bodyLimit: integerOption('bodyLimit', options.bodyLimit ?? DEFAULT_SERVER_OPTIONS.bodyLimit, 1),
    evaluationConcurrency: integerOption(
      'evaluationConcurrency',
      options.evaluationConcurrency ?? DEFAULT_SERVER_OPTIONS.evaluationConcurrency,
      1,
    ),
    strictJson,
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
