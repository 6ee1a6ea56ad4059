import { ValidationError } from '../index.js';
import { API_KEY_VARIABLES, parseApiKeyList, readApiKeysFile } from './api-keys.js';
import {
  isLogLevel,
  type LimitOption,
  SERVER_LOG_LEVELS,
  SETTING_VARIABLES,
  type ServerLogLevel,
} from './server-options.js';

/**
 * Server options read from the environment (see {@link serverSettingsFromEnv}); only those set.
 *
 * @example
 * ```ts
 * import type { ServerSettings } from 'ep-stats/server';
 * const settings: ServerSettings = { port: 9000 };
 * settings.port; // => 9000
 * ```
 * @public
 */
export interface ServerSettings {
  host?: string;
  port?: number;
  logLevel?: ServerLogLevel;
  bodyLimit?: number;
  evaluationConcurrency?: number;
  statisticsThreads?: number;
  maxMetrics?: number;
  maxChecks?: number;
  maxVariants?: number;
  maxFilters?: number;
  maxResponseBytes?: number;
  requestTimeout?: number;
  headersTimeout?: number;
  keepAliveTimeout?: number;
  daoTimeout?: number;
  shutdownTimeout?: number;
  apiKeys?: readonly string[];
}

/**
 * Reads the server settings from environment variables.
 *
 * @remarks
 * `EP_STATS_HOST` (interface), `EP_STATS_PORT` (integer 0-65535), `EP_STATS_LOG_LEVEL` (fatal, error,
 * warn, info, debug, trace or silent), `EP_STATS_BODY_LIMIT` (bytes, a positive integer),
 * `EP_STATS_EVALUATION_CONCURRENCY` (a positive integer), `EP_STATS_STATISTICS_THREADS` (0 or more); limits (positive integers): `EP_STATS_MAX_METRICS`,
 * `EP_STATS_MAX_CHECKS`, `EP_STATS_MAX_VARIANTS`, `EP_STATS_MAX_FILTERS`, `EP_STATS_MAX_RESPONSE_BYTES`;
 * timeouts in milliseconds (positive integers): `EP_STATS_REQUEST_TIMEOUT_MS`, `EP_STATS_HEADERS_TIMEOUT_MS`,
 * `EP_STATS_KEEP_ALIVE_TIMEOUT_MS`, `EP_STATS_DAO_TIMEOUT_MS`, `EP_STATS_SHUTDOWN_TIMEOUT_MS` (see
 * `ServerOptions`); API keys (`apiKeys`, each at least 16 characters): `EP_STATS_API_KEYS` (comma-separated)
 * or `EP_STATS_API_KEYS_FILE` (the path of a file with one key per line; blank lines and lines starting
 * with `#` are ignored; read at once, so a missing, unreadable or empty file throws; not both variables).
 * Messages never contain a key. Unset or empty variables are left out, so the
 * result can be spread under explicit options: `startServer({ ...serverSettingsFromEnv(), daoFactory })`.
 * Surrounding whitespace is ignored.
 *
 * @param env - The environment; `process.env` by default.
 * @returns The settings found.
 * @throws `ValidationError` naming the variable (also in `path`) and what it must hold.
 *
 * @example
 * ```ts
 * import { ValidationError } from 'ep-stats';
 * import { serverSettingsFromEnv } from 'ep-stats/server';
 * serverSettingsFromEnv({ EP_STATS_PORT: '9000', EP_STATS_LOG_LEVEL: 'warn', EP_STATS_HOST: '' }); // => { port: 9000, logLevel: 'warn' }
 * serverSettingsFromEnv({ EP_STATS_DAO_TIMEOUT_MS: '5000' }); // => { daoTimeout: 5000 }
 * serverSettingsFromEnv({ EP_STATS_STATISTICS_THREADS: '0' }); // => { statisticsThreads: 0 }
 * serverSettingsFromEnv({ EP_STATS_API_KEYS: 'key-0123456789abcdef, key-fedcba9876543210' }).apiKeys; // => ['key-0123456789abcdef', 'key-fedcba9876543210']
 * serverSettingsFromEnv({ EP_STATS_PORT: 'eighty' }); // throws ValidationError
 * serverSettingsFromEnv({ EP_STATS_API_KEYS: 'too-short' }); // throws ValidationError
 * ```
 * @public
 */
export function serverSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ServerSettings {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const settings: ServerSettings = {};
  const host = read('EP_STATS_HOST');
  if (host !== undefined) settings.host = host;
  const port = integerVariable('EP_STATS_PORT', read('EP_STATS_PORT'), 0, 65_535);
  if (port !== undefined) settings.port = port;
  const logLevel = read('EP_STATS_LOG_LEVEL');
  if (logLevel !== undefined) {
    const level = logLevel.toLowerCase();
    if (!isLogLevel(level)) {
      throw new ValidationError(
        `EP_STATS_LOG_LEVEL must be one of ${SERVER_LOG_LEVELS.join(', ')}, received "${logLevel}"`,
        ['EP_STATS_LOG_LEVEL'],
      );
    }
    settings.logLevel = level;
  }
  const bodyLimit = integerVariable('EP_STATS_BODY_LIMIT', read('EP_STATS_BODY_LIMIT'), 1);
  if (bodyLimit !== undefined) settings.bodyLimit = bodyLimit;
  const concurrency = integerVariable(
    'EP_STATS_EVALUATION_CONCURRENCY',
    read('EP_STATS_EVALUATION_CONCURRENCY'),
    1,
  );
  if (concurrency !== undefined) settings.evaluationConcurrency = concurrency;
  const threads = integerVariable('EP_STATS_STATISTICS_THREADS', read('EP_STATS_STATISTICS_THREADS'), 0);
  if (threads !== undefined) settings.statisticsThreads = threads;
  for (const [option, name] of Object.entries(SETTING_VARIABLES) as [LimitOption, string][]) {
    const value = integerVariable(name, read(name), 1);
    if (value !== undefined) settings[option] = value;
  }
  const keyList = read(API_KEY_VARIABLES.list);
  const keyFile = read(API_KEY_VARIABLES.file);
  if (keyList !== undefined && keyFile !== undefined) {
    throw new ValidationError(
      `Set only one of ${API_KEY_VARIABLES.list} and ${API_KEY_VARIABLES.file}, not both`,
      [API_KEY_VARIABLES.list],
    );
  }
  if (keyList !== undefined) settings.apiKeys = parseApiKeyList(keyList);
  if (keyFile !== undefined) settings.apiKeys = readApiKeysFile(keyFile);
  return settings;
}

function integerVariable(
  name: string,
  text: string | undefined,
  minimum: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    const range =
      maximum === Number.MAX_SAFE_INTEGER
        ? `an integer of at least ${minimum}`
        : `an integer from ${minimum} to ${maximum}`;
    throw new ValidationError(`${name} must be ${range}, received "${text}"`, [name]);
  }
  return value;
}
