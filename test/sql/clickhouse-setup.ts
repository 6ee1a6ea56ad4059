/**
 * Vitest global setup: starts a throwaway ClickHouse server for the SQL tests and provides its HTTP URL as
 * `clickhouseUrl` (`inject('clickhouseUrl')`).
 *
 * The server lives in a temporary folder with a configuration of its own, written by
 * `support/clickhouse-process.ts` (not copied from /etc): data, temporary files, user files, format schemas
 * and logs in the folder, listening on 127.0.0.1 only, on free HTTP, native and interserver ports (no MySQL
 * port), one `default` user without password allowed from 127.0.0.1, no query log. `teardown` stops it
 * (SIGTERM, then SIGKILL after 5 s) and removes the folder. Startup takes well under a second: the setup
 * polls `GET /ping` until it answers `Ok.` (`EP_STATS_CLICKHOUSE_VERBOSE=1` prints how long it took).
 *
 * The binary is `clickhouse-server` (`EP_STATS_CLICKHOUSE_BIN`, else /usr/sbin or /usr/bin) or the single
 * `clickhouse` binary (`clickhouse server`). When neither is found, or the server does not start, the URL is
 * `''` with the reason in `clickhouseSkipReason`, and the ClickHouse tests are skipped with a warning.
 */
import type { TestProject } from 'vitest/node';
import {
  type ClickHouseServer,
  freeClickHousePorts,
  killClickHouseServer,
  launchClickHouseServer,
  requireClickHouseCommand,
  startOrSkip,
  stopClickHouseServer,
  waitUntilReady,
} from './support/clickhouse-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://` URL of the test server's HTTP interface, or `''` when ClickHouse is unavailable. */
    clickhouseUrl: string;
    /** Why ClickHouse is unavailable (`''` when it runs). */
    clickhouseSkipReason: string;
  }
}

let server: ClickHouseServer | undefined;

async function start(): Promise<void> {
  const command = requireClickHouseCommand();
  server = launchClickHouseServer(command, await freeClickHousePorts());
  await waitUntilReady(server);
}

/** Stops the server if vitest exits without running the teardown. */
function stopOnExit(): void {
  if (server !== undefined) killClickHouseServer(server);
}

export async function setup(project: TestProject): Promise<void> {
  process.once('exit', stopOnExit);
  const reason = await startOrSkip('clickhouse-setup', start, teardown);
  project.provide('clickhouseUrl', reason === '' && server !== undefined ? server.url : '');
  project.provide('clickhouseSkipReason', reason);
}

export async function teardown(): Promise<void> {
  const current = server;
  server = undefined;
  process.removeListener('exit', stopOnExit);
  if (current !== undefined) await stopClickHouseServer(current);
}
