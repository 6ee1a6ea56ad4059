/**
 * Vitest global setup: starts a throwaway ClickHouse cluster of two shards for the distributed test and
 * provides `clickhouseClusterUrl` (shard 1's HTTP interface, where a `Distributed` table is queried),
 * `clickhouseShardUrls` (both shards' HTTP interfaces, to load each shard's local table) and
 * `clickhouseClusterName` (the cluster named in `ENGINE = Distributed(...)`).
 *
 * Each shard is a server of its own (`support/clickhouse-process.ts`: a temporary folder, free loopback
 * ports) whose configuration names both servers' native ports in `remote_servers` (one replica per shard),
 * so a `Distributed` table on either reads the local table of both, and a query log (`system.query_log`,
 * for statements run with `log_queries=1`). The servers start side by side;
 * `teardown` stops both and removes their folders. Without a ClickHouse binary, or when a server does not
 * start, the URLs are empty with the reason in `clickhouseClusterSkipReason`, and the test is skipped with a
 * warning.
 */
import type { TestProject } from 'vitest/node';
import {
  type ClickHousePorts,
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
    /** `http://` URL of shard 1, where the `Distributed` table is queried, or `''` without the cluster. */
    clickhouseClusterUrl: string;
    /** `http://` URLs of both shards (shard 1 first), or `[]` without the cluster. */
    clickhouseShardUrls: string[];
    /** Name of the cluster in the servers' `remote_servers`. */
    clickhouseClusterName: string;
    /** Why the cluster is unavailable (`''` when it runs). */
    clickhouseClusterSkipReason: string;
  }
}

const CLUSTER = 'ep_stats_two_shards';

let servers: ClickHouseServer[] = [];

/**
 * The `remote_servers` element (one shard per server, reached on its native port), and a query log (written
 * for statements run with `log_queries=1`) in which a test finds what each shard ran.
 */
function clusterConfiguration(shards: readonly ClickHousePorts[]): string {
  const shard = (ports: ClickHousePorts) =>
    `      <shard><replica><host>127.0.0.1</host><port>${ports.tcp}</port></replica></shard>\n`;
  return (
    `  <remote_servers>\n    <${CLUSTER}>\n${shards.map(shard).join('')}    </${CLUSTER}>\n  </remote_servers>\n` +
    '  <query_log><database>system</database><table>query_log</table></query_log>\n'
  );
}

async function start(): Promise<void> {
  const command = requireClickHouseCommand();
  const shards = [await freeClickHousePorts(), await freeClickHousePorts()];
  const cluster = clusterConfiguration(shards);
  servers = shards.map((ports) => launchClickHouseServer(command, ports, cluster));
  await Promise.all(servers.map(waitUntilReady));
}

/** Stops the servers if vitest exits without running the teardown. */
function stopOnExit(): void {
  for (const server of servers) killClickHouseServer(server);
}

export async function setup(project: TestProject): Promise<void> {
  process.once('exit', stopOnExit);
  const reason = await startOrSkip('clickhouse-cluster-setup', start, teardown);
  const urls = reason === '' ? servers.map((server) => server.url) : [];
  project.provide('clickhouseClusterUrl', urls[0] ?? '');
  project.provide('clickhouseShardUrls', urls);
  project.provide('clickhouseClusterName', CLUSTER);
  project.provide('clickhouseClusterSkipReason', reason);
}

export async function teardown(): Promise<void> {
  const current = servers;
  servers = [];
  process.removeListener('exit', stopOnExit);
  await Promise.all(current.map(stopClickHouseServer));
}
