/**
 * The goals (or metric sums) of `ep-stats evaluate --events` and `--database`: an events table in DuckDB or
 * PostgreSQL, queried through `ep-stats/sql`. Loaded by the command only when one of those options is
 * given, so that `evaluate --goals` never loads the SQL module or a database driver.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import {
  type AggregatedGoalRow,
  DOCUMENTATION_URL,
  type Experiment,
  type GoalReference,
  goalKey,
  type MetricSumsRow,
  type TimelineGoalRow,
  type UnitGoalRow,
  ValidationError,
} from '../index.js';
import {
  DuckDbClient,
  type DuckDbClientOptions,
  duckdbDialect,
  EVENT_COLUMNS,
  EventsSchema,
  PostgresClient,
  postgresDialect,
  type SqlClient,
  SqlDao,
  type SqlDialect,
  sqlStringLiteral,
} from '../sql/index.js';
import { type CliError, inputError, usageError } from './cli-error.js';
import { withProgress } from './progress.js';
import { describeFsError } from './read-input-file.js';
import { isPostgresUrl, redactTarget as redact } from './redact-target.js';

/**
 * Where the events are: a CSV or Parquet file (`--events`, the path taken literally), the files a pattern
 * matches (`--events-glob`, `glob: true`), or a table of a DuckDB file or a PostgreSQL database.
 */
export type EventsSource =
  | { readonly kind: 'file'; readonly path: string; readonly glob?: boolean }
  | { readonly kind: 'database'; readonly target: string; readonly table: string };

/** Options of {@link queryEventGoals}. */
export interface EventGoalsOptions {
  readonly source: EventsSource;
  readonly experiment: Experiment;
  /** The experiment file, for messages. */
  readonly experimentPath: string;
  /** `--dimensions`: the dimension columns to declare; all other columns of the table when omitted. */
  readonly dimensions?: readonly string[];
  /** How the events are aggregated. */
  readonly aggregation: EventAggregation;
  /** Also query the cumulative goals of every day (`getTimelineGoals`), for a timeline. */
  readonly timeline?: boolean;
}

/**
 * How the events are aggregated: goals per variant (`SqlDao.getAggGoals`, for `evaluateAgg`), goals per
 * unit (`getUnitGoals`, for `evaluateByUnit`) or per-unit metric sums (`getMetricSums`, for
 * `evaluateMetricSums`).
 */
export type EventAggregation = 'variant' | 'segments' | 'unit' | 'metric-sums';

/**
 * The rows of an experiment, as {@link EventAggregation} says, and with `timeline` the cumulative goals of
 * every day.
 */
export type EventGoals = (
  | { readonly aggregation: 'variant' | 'segments'; readonly rows: AggregatedGoalRow[] }
  | { readonly aggregation: 'unit'; readonly rows: UnitGoalRow[] }
  | { readonly aggregation: 'metric-sums'; readonly rows: MetricSumsRow[] }
) & { readonly timelineRows?: TimelineGoalRow[] };

/** What each aggregation is called in progress lines and messages. */
const AGGREGATION_NAMES: Readonly<Record<EventAggregation, string>> = {
  variant: 'goals',
  segments: 'goals',
  unit: 'goals',
  'metric-sums': 'metric sums',
};

/**
 * File formats of `--events` and `--events-glob`, by extension: the table function reading `location` (a
 * DuckDB glob pattern; several files are combined by column name).
 */
const FILE_READERS: Readonly<Record<string, (location: string, several: boolean) => string>> = {
  '.parquet': (location, several) =>
    `read_parquet(${sqlStringLiteral(location)}${several ? ', union_by_name = true' : ''})`,
  '.csv': (location, several) =>
    `read_csv(${sqlStringLiteral(location)}, header = true, all_varchar = true${several ? ', union_by_name = true' : ''})`,
};

/** The characters DuckDB's file readers take as glob syntax in a path. */
const GLOB_CHARACTERS = /[*?[]/g;

/** The view over an `--events` file that the query reads. */
const FILE_VIEW = 'events';

/**
 * DuckDB's `memory_limit` for `--events` files. The file is queried where it is (a view, never loaded into
 * memory); DuckDB keeps the query's buffers, the per-unit `GROUP BY` included, within this limit and
 * writes what exceeds it to a temporary folder, so that the process stays within about 1.5 GB however
 * large the file and however many cores (10 million events of 1 million units need about 0.75 GB).
 */
export const EVENTS_FILE_MEMORY_LIMIT = '1GB';

/**
 * The DuckDB of an `--events` file: in memory, {@link EVENTS_FILE_MEMORY_LIMIT}, and a temporary folder of
 * its own under the system's (DuckDB creates it only when a query exceeds the limit and removes it on
 * close), rather than DuckDB's default `.tmp` in the current folder.
 */
export function eventsFileDuckDbOptions(): DuckDbClientOptions {
  return {
    memoryLimit: EVENTS_FILE_MEMORY_LIMIT,
    tempDirectory: join(tmpdir(), `ep-stats-duckdb-${process.pid}-${randomUUID().slice(0, 8)}`),
  };
}

/** A column of the events table as the database describes it. */
interface TableColumn {
  readonly name: string;
  readonly type: string;
}

/** An open connection and what the messages call it. */
interface OpenSource {
  readonly client: SqlClient;
  readonly dialect: SqlDialect;
  /** E.g. `events.parquet`, `table "events" of app.duckdb`. */
  readonly description: string;
  /** The table (or view) with the events, possibly qualified. */
  readonly table: string;
}

/**
 * Reads the experiment's goals (or metric sums) from an events file or table: opens DuckDB (in process) or
 * PostgreSQL, checks the table's columns and the experiment's dimensions, then runs `SqlDao`'s one
 * statement, with a progress line on a terminal.
 *
 * @param options - Source, experiment, dimensions, aggregation.
 * @returns The goal rows, per variant or per unit, or the metric sums.
 * @throws {@link CliError}: exit code 2 for a file, database or table that cannot be opened or found and
 *   for malformed option values; exit code 1 for content that cannot be used (missing columns, cells of
 *   the wrong type, a dimension the table does not have, no events of the experiment).
 */
export async function queryEventGoals(options: EventGoalsOptions): Promise<EventGoals> {
  const { source } = options;
  const table = source.kind === 'database' ? source.table : FILE_VIEW;
  requireTableName(table);
  if (source.kind === 'file') fileReader(source);
  else if (!isPostgresUrl(source.target)) requireReadableFile(source.target, '--database');
  return withProgress(`opening ${describeTarget(source)}`, async (progress) => {
    const open = await openSource(source);
    try {
      progress.update(`reading the columns of ${open.description}`);
      const columns = await tableColumns(open);
      const schema = eventsSchema(open, columns, options.dimensions);
      checkExperimentDimensions(options.experiment, schema, options.experimentPath, open.description);
      const { aggregation, experiment } = options;
      const data = AGGREGATION_NAMES[aggregation];
      progress.update(`computing the ${data} of ${experiment.id} from ${open.description}`);
      const dao = new SqlDao({ client: open.client, dialect: open.dialect, schema });
      const query = <T>(load: () => Promise<T>) => run(load, open, data);
      let goals: EventGoals;
      if (aggregation === 'metric-sums') {
        goals = { aggregation, rows: await query(() => dao.getMetricSums(experiment)) };
      } else if (aggregation === 'unit') {
        goals = { aggregation, rows: await query(() => dao.getUnitGoals(experiment)) };
      } else if (aggregation === 'segments') {
        goals = { aggregation, rows: await query(() => dao.getAggGoalSegments(experiment)) };
      } else {
        goals = { aggregation, rows: await query(() => dao.getAggGoals(experiment)) };
      }
      if (goals.rows.length === 0) throw await noEvents(open, experiment);
      if (options.timeline === true) {
        progress.update(`computing the daily goals of ${experiment.id} from ${open.description}`);
        goals = { ...goals, timelineRows: await query(() => dao.getTimelineGoals(experiment)) };
      }
      return goals;
    } finally {
      await open.client.close();
    }
  });
}

/** An events table opened and checked by {@link openEventsTable}. */
export interface EventsTable {
  /** The open connection (with the view over an `--events` file); the caller closes it. */
  readonly client: SqlClient;
  readonly dialect: SqlDialect;
  /** The table's events schema: fixed columns checked, `date` typed, dimensions declared. */
  readonly schema: EventsSchema;
  /** E.g. `events.parquet`, `table "events" of app.duckdb` (a PostgreSQL URL without its password). */
  readonly description: string;
}

/**
 * Opens an events file or table and checks its columns and the requested dimensions once, for a caller
 * that queries it many times (`ep-stats serve`); the same checks and messages as {@link queryEventGoals}.
 *
 * @param source - The events file or database table.
 * @param dimensions - The dimension columns; all other usable columns when omitted.
 * @param poolSize - Connections of a PostgreSQL pool (default 1).
 * @returns The open table; close its client when done.
 * @throws {@link CliError} as {@link queryEventGoals} does.
 */
export async function openEventsTable(
  source: EventsSource,
  dimensions?: readonly string[],
  poolSize = 1,
): Promise<EventsTable> {
  const table = source.kind === 'database' ? source.table : FILE_VIEW;
  requireTableName(table);
  if (source.kind === 'file') fileReader(source);
  else if (!isPostgresUrl(source.target)) requireReadableFile(source.target, '--database');
  const open = await openSource(source, poolSize);
  try {
    const columns = await tableColumns(open);
    const schema = eventsSchema(open, columns, dimensions);
    return { client: open.client, dialect: open.dialect, schema, description: open.description };
  } catch (error) {
    await open.client.close();
    throw error;
  }
}

/**
 * The table function that reads an `--events` file (by its extension; the path checked and escaped so that
 * DuckDB reads that one file even if its name has glob characters) or the files of an `--events-glob`
 * pattern (by the pattern's extension).
 */
function fileReader(source: { readonly path: string; readonly glob?: boolean }): string {
  const { path } = source;
  const extension = extname(path).toLowerCase();
  const reader = FILE_READERS[extension];
  if (source.glob === true) {
    if (reader === undefined) {
      throw usageError(
        `the --events-glob pattern ${JSON.stringify(path)} must end with .parquet or .csv (e.g. "events/*.parquet")`,
      );
    }
    return reader(path, true);
  }
  if (reader === undefined) {
    throw usageError(
      `the --events file ${JSON.stringify(path)} must be a Parquet (.parquet) or CSV (.csv) file`,
    );
  }
  requireReadableFile(path, '--events');
  return reader(literalPattern(path), false);
}

/**
 * A DuckDB glob pattern that matches exactly `path`: `*`, `?` and `[` each in a bracket expression (`[*]`),
 * which DuckDB matches literally.
 *
 * @throws {@link CliError} with exit code 2 for a path with both glob characters and a backslash outside
 *   Windows: DuckDB splits patterns at backslashes, so no pattern matches that file.
 */
function literalPattern(path: string): string {
  if (!/[*?[]/.test(path)) return path;
  if (process.platform !== 'win32' && path.includes('\\')) {
    throw usageError(
      `cannot read the --events file ${JSON.stringify(path)}: DuckDB cannot read a path that has both a ` +
        'backslash and one of *, ? or [ as that one file; rename the file or read it through a link',
    );
  }
  return path.replace(GLOB_CHARACTERS, (character) => `[${character}]`);
}

function requireReadableFile(path: string, option: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw usageError(
      `cannot read the ${option} file ${JSON.stringify(path)}: ${describeFsError(error)}`,
      error,
    );
  }
  if (!isFile) throw usageError(`cannot read the ${option} file ${JSON.stringify(path)}: it is a directory`);
}

function requireTableName(table: string): void {
  try {
    new EventsSchema({ table });
  } catch (error) {
    if (error instanceof ValidationError) throw usageError(`--table: ${error.message}`, error);
    throw error;
  }
}

function describeTarget(source: EventsSource): string {
  return source.kind === 'file' ? source.path : redact(source.target);
}

async function openSource(source: EventsSource, poolSize = 1): Promise<OpenSource> {
  if (source.kind === 'file') {
    const client = await openDuckDb(eventsFileDuckDbOptions());
    const reader = fileReader(source);
    if (source.glob === true) await requireMatches(client, source.path);
    const columns = (await describeFile(client, reader, source.path)).map((column) => column.name);
    // Text as text, numbers as numbers and the date as a DATE, whatever the file's own types are.
    const cast = (name: string) => {
      const q = duckdbDialect.quoteIdentifier(name);
      if (name === 'count' || name === 'value') return `CAST(${q} AS DOUBLE) AS ${q}`;
      if (name === 'date') return `CAST(${q} AS DATE) AS ${q}`;
      return `CAST(${q} AS VARCHAR) AS ${q}`;
    };
    await client.query(
      `CREATE VIEW ${duckdbDialect.quoteIdentifier(FILE_VIEW)} AS SELECT ${columns.map(cast).join(', ')} FROM ${reader}`,
      [],
    );
    return { client, dialect: duckdbDialect, description: source.path, table: FILE_VIEW };
  }
  const description = `table ${JSON.stringify(source.table)} of ${redact(source.target)}`;
  if (isPostgresUrl(source.target)) {
    const client = await PostgresClient.connect({ connectionString: source.target, max: poolSize }).catch(
      (error: unknown) => {
        throw inputError(messageOf(error), { cause: error });
      },
    );
    return { client, dialect: postgresDialect, description, table: source.table };
  }
  const client = await openDuckDb(
    { path: source.target, config: { access_mode: 'READ_ONLY' } },
    source.target,
  );
  return { client, dialect: duckdbDialect, description, table: source.table };
}

/** An `--events-glob` pattern must match at least one file. */
async function requireMatches(client: SqlClient, pattern: string): Promise<void> {
  let count: number;
  try {
    const [row] = await client.query('SELECT COUNT(*) AS n FROM glob($1)', [pattern]);
    count = Number(row?.n ?? 0);
  } catch (error) {
    await client.close();
    throw usageError(
      `cannot list the --events-glob pattern ${JSON.stringify(pattern)}: ${messageOf(error)}`,
      error,
    );
  }
  if (count === 0) {
    await client.close();
    throw usageError(`no file matches the --events-glob pattern ${JSON.stringify(pattern)}`);
  }
}

async function openDuckDb(
  options: Parameters<typeof DuckDbClient.open>[0] = {},
  file?: string,
): Promise<DuckDbClient> {
  try {
    return await DuckDbClient.open(options);
  } catch (error) {
    if (file === undefined) throw inputError(messageOf(error), { cause: error });
    throw inputError(
      `cannot open the --database file ${JSON.stringify(file)} with DuckDB: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
}

async function describeFile(client: SqlClient, reader: string, path: string): Promise<TableColumn[]> {
  try {
    const rows = await client.query(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${reader})`,
      [],
    );
    return rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  } catch (error) {
    throw inputError(
      `${path} cannot be read as ${extname(path).slice(1).toUpperCase()}: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** The columns of the source's table (or view), from `information_schema` (DuckDB and PostgreSQL alike). */
async function tableColumns(open: OpenSource): Promise<TableColumn[]> {
  const parts = open.table.split('.');
  const where =
    parts.length === 1
      ? 'table_catalog = current_database() AND table_schema = current_schema() AND table_name = $1'
      : parts.length === 2
        ? 'table_catalog = current_database() AND table_schema = $1 AND table_name = $2'
        : 'table_catalog = $1 AND table_schema = $2 AND table_name = $3';
  let rows: Awaited<ReturnType<SqlClient['query']>>;
  try {
    rows = await open.client.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE ${where} ORDER BY ordinal_position`,
      parts,
    );
  } catch (error) {
    throw usageError(`cannot read ${open.description}: ${messageOf(error)}`, error);
  }
  if (rows.length === 0) throw usageError(await unknownTable(open));
  return rows.map((row) => ({ name: String(row.column_name), type: String(row.data_type) }));
}

async function unknownTable(open: OpenSource): Promise<string> {
  let tables: string[] = [];
  try {
    const rows = await open.client.query(
      'SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = current_database() ' +
        "AND table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY table_schema, table_name LIMIT 21",
      [],
    );
    tables = rows.map((row) => `${String(row.table_schema)}.${String(row.table_name)}`);
  } catch {
    // The list is a hint only.
  }
  const hint =
    tables.length === 0
      ? 'it has no tables'
      : `its tables: ${tables.slice(0, 20).join(', ')}${tables.length > 20 ? ', ...' : ''}`;
  return `there is no ${open.description} (${hint}); name the events table with --table`;
}

/** The events schema of the table: fixed columns checked, `date` typed, dimensions declared. */
function eventsSchema(
  open: OpenSource,
  columns: readonly TableColumn[],
  requested: readonly string[] | undefined,
): EventsSchema {
  const names = columns.map((column) => column.name);
  const missing = EVENT_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    throw inputError(
      `${open.description} has no column ${missing.map((name) => `\`${name}\``).join(', ')}; the events need the ` +
        `columns ${EVENT_COLUMNS.join(', ')} (plus dimension columns), see ${DOCUMENTATION_URL}sql.md`,
    );
  }
  const dateColumn = columns.find((column) => column.name === 'date');
  const dateType = dateTypeOf(dateColumn?.type ?? '', open.description);
  const others = names.filter((name) => !(EVENT_COLUMNS as readonly string[]).includes(name));
  let dimensions: readonly string[];
  if (requested === undefined) {
    // Every other column that can be a dimension (safe names, not a goal-row column).
    dimensions = others.filter((name) => {
      try {
        new EventsSchema({ table: 'events', dimensions: [name] });
        return true;
      } catch {
        return false;
      }
    });
  } else {
    const absent = requested.filter((name) => !others.includes(name));
    if (absent.length > 0) {
      throw inputError(
        `--dimensions: ${open.description} has no dimension column ${absent.map((name) => `\`${name}\``).join(', ')} ` +
          `(its other columns: ${others.length === 0 ? 'none' : others.join(', ')})`,
      );
    }
    dimensions = requested;
  }
  try {
    return new EventsSchema({ table: open.table, dimensions, dateType });
  } catch (error) {
    if (error instanceof ValidationError) throw usageError(`--dimensions: ${error.message}`, error);
    throw error;
  }
}

/** `date` as a SQL date or as `YYYY-MM-DD` text; a timestamp would cut the last day short. */
function dateTypeOf(type: string, description: string): 'date' | 'text' {
  const normalised = type.toLowerCase();
  if (normalised === 'date') return 'date';
  if (/^(varchar|text|character varying|character|char|string)/.test(normalised)) return 'text';
  throw inputError(
    `the \`date\` column of ${description} is ${type}; it must be a DATE or YYYY-MM-DD text: ` +
      'read the table through a view with `CAST(date AS DATE) AS date`',
  );
}

/**
 * Every dimension the experiment's goals and filters read must be a declared dimension; the message names
 * the metric, check or filter of the experiment file.
 */
function checkExperimentDimensions(
  experiment: Experiment,
  schema: EventsSchema,
  experimentPath: string,
  description: string,
): void {
  const declared = schema.dimensions.length === 0 ? 'none' : schema.dimensions.join(', ');
  const fail = (where: string, what: string, name: string): never => {
    throw inputError(
      `${experimentPath}: ${where}: ${what} reads the dimension \`${name}\`, which is not a dimension column ` +
        `of ${description} (its dimensions: ${declared})`,
    );
  };
  const checkGoals = (goals: readonly GoalReference[], where: string) => {
    for (const goal of goals) {
      for (const condition of goal.dimensions) {
        const unconstrained = condition.operator === '=' && condition.value === '';
        if (!unconstrained && !schema.dimensions.includes(condition.name)) {
          fail(where, `the goal \`${goalKey(goal)}\``, condition.name);
        }
      }
    }
  };
  experiment.metrics.forEach((metric, index) => {
    checkGoals(metric.goals, `metrics[${index}]`);
  });
  experiment.checks.forEach((check, index) => {
    checkGoals(check.goals, `checks[${index}]`);
  });
  experiment.filters.forEach((filter, index) => {
    const needsDimension =
      filter.scope !== 'trigger' ||
      (filter.dimension !== undefined && filter.dimension !== '' && (filter.values?.length ?? 0) > 0);
    const name = filter.dimension ?? '';
    if (needsDimension && !schema.dimensions.includes(name)) fail(`filters[${index}]`, 'the filter', name);
  });
  experiment.breakdowns.forEach((name, index) => {
    if (!schema.dimensions.includes(name)) fail(`breakdowns[${index}]`, 'the drill-down', name);
  });
}

/**
 * Runs the query; the database's errors (a cell of the wrong type, a lost connection) exit with 1, as does
 * the `ValidationError` of an experiment the query cannot serve (e.g. a per-unit division by a goal that can
 * be 0 in metric sums), reported as it is.
 */
async function run<T>(query: () => Promise<T>, open: OpenSource, data: string): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const what = data === 'goals' ? 'goal' : data;
    throw inputError(`the ${what} query on ${open.description} failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/** The error for an experiment without events, naming the experiments the table has. */
async function noEvents(open: OpenSource, experiment: Experiment): Promise<CliError> {
  let found = '';
  try {
    const q = open.dialect.quoteIdentifier;
    const rows = await open.client.query(
      // Events outside any experiment (history before one, with an empty or null exp_id) are not listed.
      `SELECT DISTINCT ${q('exp_id')} AS ${q('exp_id')} FROM ${open.table.split('.').map(q).join('.')} ` +
        `WHERE ${q('exp_id')} IS NOT NULL AND ${q('exp_id')} <> '' ORDER BY ${q('exp_id')} LIMIT 11`,
      [],
    );
    const ids = rows.map((row) => String(row.exp_id));
    if (!ids.includes(experiment.id)) {
      found = ` (its experiments: ${ids.length === 0 ? 'none' : ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', ...' : ''})`;
    }
  } catch {
    // The list is a hint only.
  }
  return inputError(
    `${open.description} has no events of experiment ${JSON.stringify(experiment.id)} ` +
      `within its dates and filters${found}`,
  );
}

/** The first line of an error's message (a driver's AggregateError: its first error; else its code). */
function messageOf(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  if (message === '' && error instanceof AggregateError) message = messageOf(error.errors[0]);
  if (message === '') message = String((error as { code?: unknown } | null)?.code ?? 'unknown error');
  return message.split('\n')[0] ?? message;
}
