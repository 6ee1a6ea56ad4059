import { type Command, Option } from 'commander';
import type { DaoFactory } from '../index.js';
import type { SqlClient } from '../sql/index.js';
import type { EventsTable } from './event-goals.js';
import { integerParser, parseNameList } from './option-parsers.js';
import {
  DEFAULT_SERVE_TABLE,
  describeServeDataSource,
  resolveServeDataSource,
  type ServeDataSource,
  type ServeSourceOptions,
} from './serve-data-source.js';

/** Options of `ep-stats serve` as commander parses them; absent ones come from the environment. */
export interface ServeCommandOptions extends ServeSourceOptions {
  readonly host?: string;
  readonly port?: number;
  readonly logLevel?: string;
  readonly bodyLimit?: number;
  readonly evaluationConcurrency?: number;
  readonly statisticsThreads?: number;
}

/** The evaluations running at once when neither the option nor `EP_STATS_EVALUATION_CONCURRENCY` is set. */
const DEFAULT_POOL_SIZE = 4;

const EXAMPLES = `
Examples:
  # serve an events file (Parquet or CSV), aggregated per request by DuckDB in process
  $ ep-stats serve --events fixtures/events/demo-events.parquet --port 8080

  # an events table of PostgreSQL: the URL in the environment (never a password on the command line)
  $ EP_STATS_DATABASE=postgres://reader:secret@db.internal/analytics ep-stats serve --table events

  # the bundled reference test data, any free port on all interfaces, quieter logs
  $ ep-stats serve --test-data --host 0.0.0.0 --port 0 --log-level warn

  $ curl http://127.0.0.1:<port>/health
  {"message":"ep-stats-api is ready"}

Exactly one data source is required: --events <file> (EP_STATS_EVENTS), --database <DuckDB file or
postgres:// URL> (EP_STATS_DATABASE, or EP_STATS_DATABASE_FILE naming a file that holds the URL) with
--table (EP_STATS_TABLE, default events), or --test-data (EP_STATS_TEST_DATA=1: the bundled goals of
fixtures/ep-stats/goals_agg.csv, experiment ids such as test-conversion). --dimensions
(EP_STATS_DIMENSIONS) declares the dimension columns (default: every other column). Command-line source
options replace the environment's. A postgres:// URL with a password is refused on the command line (it
would show in the process list): use EP_STATS_DATABASE, EP_STATS_DATABASE_FILE or PGPASSWORD.
POST /evaluate queries the goals of the request's experiment through SqlDao (ep-stats/sql); an experiment
without events is answered with the evaluation's warnings (e.g. no-exposures). The server also answers
POST /sample-size-calculation, GET /health and GET /metrics. Options override the EP_STATS_* environment
variables. SIGTERM or SIGINT (Ctrl-C) stops accepting connections, lets running requests finish and exits
with code 0; a second signal ends the process at once.`;

/**
 * Adds `ep-stats serve` to the program.
 *
 * @param program - The root command.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the REST API over an events file, a database table or the bundled test data')
    .addOption(
      new Option(
        '--events <file>',
        'events: Parquet (.parquet) or CSV (.csv), queried by DuckDB in process (env EP_STATS_EVENTS)',
      ),
    )
    .addOption(
      new Option(
        '--database <target>',
        'a DuckDB database file or a postgres:// URL without password holding an events table (env EP_STATS_DATABASE, EP_STATS_DATABASE_FILE)',
      ),
    )
    .option(
      '--table <name>',
      `with --database: the events table or view (env EP_STATS_TABLE, default: ${DEFAULT_SERVE_TABLE})`,
    )
    .option(
      '--dimensions <columns>',
      'with --events or --database: the dimension columns, comma-separated (env EP_STATS_DIMENSIONS, default: every other column)',
      parseNameList,
    )
    .option('--test-data', 'serve the bundled reference test data (env EP_STATS_TEST_DATA=1)')
    .option('--host <host>', 'interface to listen on (env EP_STATS_HOST)')
    .option(
      '--port <port>',
      'port to listen on, 0 for any free port (env EP_STATS_PORT)',
      integerParser(0, 65_535),
    )
    .option(
      '--log-level <level>',
      'log level: fatal, error, warn, info, debug, trace or silent (env EP_STATS_LOG_LEVEL)',
    )
    .option(
      '--body-limit <bytes>',
      'largest request body accepted, in bytes (env EP_STATS_BODY_LIMIT)',
      integerParser(1),
    )
    .option(
      '--evaluation-concurrency <n>',
      'evaluations run at the same time; more wait (env EP_STATS_EVALUATION_CONCURRENCY)',
      integerParser(1),
    )
    .option(
      '--statistics-threads <n>',
      'worker threads computing the statistics, so that large evaluations never hold up other requests; 0 computes on the event loop (default: the evaluation concurrency, at most the CPUs minus one; env EP_STATS_STATISTICS_THREADS)',
      integerParser(0),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (options: ServeCommandOptions) => {
      await runServe(options);
    });
}

/**
 * Runs `ep-stats serve`: opens the data source, starts the server over it, prints its URL and the source
 * (its kind and table, never a database URL) and stops it gracefully on SIGTERM or SIGINT.
 *
 * @remarks
 * An events file or database table is opened and its columns checked once, at startup; every request then
 * gets a `SqlDao` (through a `SqlDaoFactory`) over that one connection: DuckDB queries run one at a time,
 * PostgreSQL's over a pool of `evaluationConcurrency` connections. The server module (and with it Fastify),
 * the SQL module and the testing kit are loaded only here, so that the other commands start fast.
 * The first SIGTERM or SIGINT closes the server (requests in flight finish), then the connection, and exits
 * with 0; a second one during the shutdown ends the process at once (Node's default handling).
 *
 * @param options - The parsed options; absent ones come from the environment.
 * @returns When the server is listening (the process then lives until a signal).
 * @throws {@link CliError} with exit code 2 for a missing or ambiguous source; as `evaluate --events`
 *   and `--database` do for a source that cannot be opened or used.
 */
export async function runServe(options: ServeCommandOptions): Promise<void> {
  const source = resolveServeDataSource(options);
  const { closeOnSignals, serverSettingsFromEnv, startServer } = await import('../server/index.js');
  const settings = serverSettingsFromEnv();
  const serverOptions = {
    ...settings,
    ...definedOnly({
      host: options.host,
      port: options.port,
      logLevel: options.logLevel,
      bodyLimit: options.bodyLimit,
      evaluationConcurrency: options.evaluationConcurrency,
      statisticsThreads: options.statisticsThreads,
    }),
  };
  const data = await openData(source, serverOptions.evaluationConcurrency ?? DEFAULT_POOL_SIZE);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ ...serverOptions, daoFactory: data.daoFactory });
  } catch (error) {
    await data.close();
    throw error;
  }
  process.stdout.write(
    `ep-stats server listening on ${server.url}\nserving ${describeServeDataSource(source)}\n`,
  );

  closeOnSignals(server, {
    onClosed: (error) => {
      void data.close().finally(() => {
        if (error === undefined) {
          process.stderr.write('ep-stats server stopped\n');
          process.exit(0);
        }
        process.stderr.write(
          `error: closing the server failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      });
    },
  });
}

/** The requests' data access and how to release it at shutdown. */
interface ServeData {
  readonly daoFactory: DaoFactory;
  close(): Promise<void>;
}

async function openData(source: ServeDataSource, poolSize: number): Promise<ServeData> {
  if (source.kind === 'test-data') {
    const { TestDaoFactory } = await import('../testing/index.js');
    return { daoFactory: new TestDaoFactory(), close: async () => {} };
  }
  const [{ openEventsTable }, { SqlDaoFactory }] = await Promise.all([
    import('./event-goals.js'),
    import('../sql/index.js'),
  ]);
  const table: EventsTable = await openEventsTable(
    source.kind === 'events'
      ? { kind: 'file', path: source.path }
      : { kind: 'database', target: source.target, table: source.table },
    source.dimensions,
    poolSize,
  );
  // DuckDB: one connection, its queries one at a time; PostgreSQL: the pool's connections.
  const shared = sharedClient(table.client, table.dialect.name !== 'postgres');
  const daoFactory = new SqlDaoFactory({
    connect: async () => shared,
    dialect: table.dialect,
    schema: table.schema,
  });
  return { daoFactory, close: () => table.client.close() };
}

/**
 * The client every request's `SqlDao` gets: its `close` leaves the shared connection open (it is closed at
 * shutdown); with `serialize`, a query waits for the previous one.
 */
function sharedClient(client: SqlClient, serialize: boolean): SqlClient {
  let previous: Promise<unknown> = Promise.resolve();
  return {
    query(sql, parameters) {
      if (!serialize) return client.query(sql, parameters);
      const result = previous.then(() => client.query(sql, parameters));
      previous = result.catch(() => undefined);
      return result;
    },
    close: async () => {},
  };
}

/** The entries whose value is not `undefined`, so that they do not override the environment's settings. */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
