/**
 * The data `ep-stats serve` evaluates requests over: an events file, a database table or the bundled test
 * data, from the command line or (for containers) from `EP_STATS_*` environment variables.
 */
import { readFileSync } from 'node:fs';
import { usageError } from './cli-error.js';
import { describeFsError } from './read-input-file.js';

/** The source options of `ep-stats serve` as commander parses them. */
export interface ServeSourceOptions {
  readonly events?: string;
  readonly database?: string;
  readonly table?: string;
  readonly dimensions?: readonly string[];
  readonly testData?: boolean;
}

/** Where `ep-stats serve` reads the goals of a request from. */
export type ServeDataSource =
  | { readonly kind: 'test-data' }
  | { readonly kind: 'events'; readonly path: string; readonly dimensions?: readonly string[] }
  | {
      readonly kind: 'database';
      /** A DuckDB file or a PostgreSQL URL (never printed: it may hold a password). */
      readonly target: string;
      readonly table: string;
      readonly dimensions?: readonly string[];
    };

/** The environment variables of the data source. */
export const SOURCE_VARIABLES = {
  events: 'EP_STATS_EVENTS',
  database: 'EP_STATS_DATABASE',
  databaseFile: 'EP_STATS_DATABASE_FILE',
  table: 'EP_STATS_TABLE',
  dimensions: 'EP_STATS_DIMENSIONS',
  testData: 'EP_STATS_TEST_DATA',
} as const;

/** The events table of `--database` when neither `--table` nor `EP_STATS_TABLE` is given. */
export const DEFAULT_SERVE_TABLE = 'events';

const REQUIRED =
  'exactly one of --events <file>, --database <target> or --test-data is required ' +
  `(or one of ${SOURCE_VARIABLES.events}, ${SOURCE_VARIABLES.database}, ${SOURCE_VARIABLES.databaseFile}, ` +
  `${SOURCE_VARIABLES.testData}=1)`;

/**
 * Resolves the data source: the command line's source options when any is given, else the environment's.
 * Exactly one source is required; `--table` applies to a database only, `--dimensions` not to the test data.
 *
 * @param options - The parsed options.
 * @param env - The environment; `process.env` by default.
 * @returns The source.
 * @throws {@link CliError} with exit code 2 for no source or several, a PostgreSQL URL with a password on
 *   the command line (it would show in the process list), an unreadable `EP_STATS_DATABASE_FILE` or a
 *   malformed variable. Messages never contain a database URL.
 */
export function resolveServeDataSource(
  options: ServeSourceOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ServeDataSource {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const fromCommandLine =
    options.events !== undefined || options.database !== undefined || options.testData === true;
  let events: string | undefined;
  let database: string | undefined;
  let testData: boolean;
  if (fromCommandLine) {
    events = options.events;
    database = options.database;
    testData = options.testData === true;
    if (database !== undefined && hasPassword(database)) {
      throw usageError(
        '--database: the URL has a password, which other users could read in the process list; pass the ' +
          `URL in ${SOURCE_VARIABLES.database} or in a file named by ${SOURCE_VARIABLES.databaseFile}, or ` +
          'the password in PGPASSWORD',
      );
    }
  } else {
    events = read(SOURCE_VARIABLES.events);
    database = read(SOURCE_VARIABLES.database);
    const databaseFile = read(SOURCE_VARIABLES.databaseFile);
    if (database !== undefined && databaseFile !== undefined) {
      throw usageError(
        `set only one of ${SOURCE_VARIABLES.database} and ${SOURCE_VARIABLES.databaseFile}, not both`,
      );
    }
    if (databaseFile !== undefined) database = readDatabaseFile(databaseFile);
    testData = flagVariable(SOURCE_VARIABLES.testData, read(SOURCE_VARIABLES.testData));
  }
  const count = [events !== undefined, database !== undefined, testData].filter(Boolean).length;
  if (count !== 1)
    throw usageError(count === 0 ? REQUIRED : REQUIRED.replace('is required', 'must be given, not several'));
  const table = options.table ?? read(SOURCE_VARIABLES.table);
  const dimensions = options.dimensions ?? parseDimensions(read(SOURCE_VARIABLES.dimensions));
  if (table !== undefined && database === undefined) {
    throw usageError(`--table <name> (${SOURCE_VARIABLES.table}) applies to --database only`);
  }
  const withDimensions = dimensions === undefined ? {} : { dimensions };
  if (events !== undefined) return { kind: 'events', path: events, ...withDimensions };
  if (database !== undefined) {
    return { kind: 'database', target: database, table: table ?? DEFAULT_SERVE_TABLE, ...withDimensions };
  }
  if (dimensions !== undefined) {
    throw usageError(`--dimensions (${SOURCE_VARIABLES.dimensions}) does not apply to --test-data`);
  }
  return { kind: 'test-data' };
}

/** Whether a PostgreSQL URL has a password (a DuckDB file name never has). */
export function hasPassword(target: string): boolean {
  if (!/^postgres(ql)?:\/\//i.test(target)) return false;
  try {
    return new URL(target).password !== '';
  } catch {
    return /\/\/[^:@/]*:[^@/]*@/.test(target);
  }
}

/** What the startup line says about the source: its kind and table, never a URL. */
export function describeServeDataSource(source: ServeDataSource): string {
  switch (source.kind) {
    case 'test-data':
      return 'the bundled reference test data (fixtures/ep-stats/goals_agg.csv)';
    case 'events':
      return `the events file ${JSON.stringify(source.path)} (DuckDB in process)`;
    case 'database':
      return /^postgres(ql)?:\/\//i.test(source.target)
        ? `table ${JSON.stringify(source.table)} of a PostgreSQL database`
        : `table ${JSON.stringify(source.table)} of the DuckDB file ${JSON.stringify(source.target)}`;
  }
}

function readDatabaseFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      `cannot read the ${SOURCE_VARIABLES.databaseFile} file ${JSON.stringify(path)}: ${describeFsError(error)}`,
      error,
    );
  }
  const target = text.trim();
  if (target === '') {
    throw usageError(`the ${SOURCE_VARIABLES.databaseFile} file ${JSON.stringify(path)} is empty`);
  }
  return target;
}

function flagVariable(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalised = value.toLowerCase();
  if (normalised === '1' || normalised === 'true') return true;
  if (normalised === '0' || normalised === 'false') return false;
  throw usageError(`${name} must be 1 or 0 (true or false), received ${JSON.stringify(value)}`);
}

function parseDimensions(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) {
    throw usageError(`${SOURCE_VARIABLES.dimensions} must be comma-separated column names`);
  }
  return names;
}
