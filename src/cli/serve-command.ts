import type { Command } from 'commander';
import { integerParser } from './option-parsers.js';

/** Options of `ep-stats serve` as commander parses them; absent ones come from the environment. */
export interface ServeCommandOptions {
  readonly host?: string;
  readonly port?: number;
  readonly logLevel?: string;
  readonly bodyLimit?: number;
  readonly evaluationConcurrency?: number;
}

const EXAMPLES = `
Examples:
  # serve on the default address (EP_STATS_HOST / EP_STATS_PORT when set)
  $ ep-stats serve

  # any free port on all interfaces, quieter logs
  $ ep-stats serve --host 0.0.0.0 --port 0 --log-level warn

  $ curl http://127.0.0.1:<port>/health
  {"message":"ep-stats-api is ready"}

This command serves the bundled reference test data: POST /evaluate reads its goals from
fixtures/ep-stats/goals_agg.csv (TestDaoFactory of ep-stats/testing; experiment ids such as
test-conversion). It also answers POST /sample-size-calculation, GET /health and GET /metrics.
To serve your own data, call startServer of ep-stats/server with your DaoFactory (e.g. a
SqlDaoFactory of ep-stats/sql). Options override the EP_STATS_* environment variables.
SIGTERM or SIGINT (Ctrl-C) stops accepting connections, lets running requests finish and exits
with code 0; a second signal ends the process at once.`;

/**
 * Adds `ep-stats serve` to the program.
 *
 * @param program - The root command.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the REST API over the bundled reference test data (TestDaoFactory)')
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
    .addHelpText('after', EXAMPLES)
    .action(async (options: ServeCommandOptions) => {
      await runServe(options);
    });
}

/**
 * Runs `ep-stats serve`: starts the server over the bundled test data, prints its URL and stops it
 * gracefully on SIGTERM or SIGINT.
 *
 * @remarks
 * The server requires a `DaoFactory`; serving the bundled reference test data (`TestDaoFactory` of
 * ep-stats/testing) is this command's own choice, as its help says. The server module (and with it
 * Fastify) and the testing kit are loaded only here, so that the other commands start fast.
 * The first SIGTERM or SIGINT closes the server (requests in flight finish) and exits with 0; a second one
 * during the shutdown ends the process at once (Node's default handling).
 *
 * @param options - The parsed options; absent ones come from `serverSettingsFromEnv()`.
 * @returns When the server is listening (the process then lives until a signal).
 */
export async function runServe(options: ServeCommandOptions): Promise<void> {
  const [{ closeOnSignals, serverSettingsFromEnv, startServer }, { TestDaoFactory }] = await Promise.all([
    import('../server/index.js'),
    import('../testing/index.js'),
  ]);
  const settings = serverSettingsFromEnv();
  const server = await startServer({
    ...settings,
    ...definedOnly({
      host: options.host,
      port: options.port,
      logLevel: options.logLevel,
      bodyLimit: options.bodyLimit,
      evaluationConcurrency: options.evaluationConcurrency,
    }),
    // The CLI's choice: the bundled reference test data (the server has no default data source).
    daoFactory: new TestDaoFactory(),
  });
  process.stdout.write(`ep-stats server listening on ${server.url}\n`);

  closeOnSignals(server, {
    onClosed: (error) => {
      if (error === undefined) {
        process.stderr.write('ep-stats server stopped\n');
        process.exit(0);
      }
      process.stderr.write(
        `error: closing the server failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  });
}

/** The entries whose value is not `undefined`, so that they do not override the environment's settings. */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
