/**
 * Throwaway ClickHouse servers for the vitest global setups (`test/sql/clickhouse-setup.ts`,
 * `test/sql/clickhouse-cluster-setup.ts`): each in a temporary folder with a configuration of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** The loopback ports of one server. */
export interface ClickHousePorts {
  readonly http: number;
  readonly tcp: number;
  readonly interserver: number;
}

/** A running (or starting) server. */
export interface ClickHouseServer {
  readonly folder: string;
  readonly process: ChildProcess;
  /** Settles when the process has exited (or could not be started). */
  readonly exited: Promise<void>;
  /** `http://127.0.0.1:<port>`, its HTTP interface. */
  readonly url: string;
}

/**
 * The command that starts a server: `EP_STATS_CLICKHOUSE_BIN`, else `clickhouse-server` from /usr/sbin,
 * /usr/bin or /usr/local/bin, else the single `clickhouse` binary (`clickhouse server`); `undefined` when
 * there is none.
 */
export function findClickHouseCommand(): readonly string[] | undefined {
  const fromEnvironment = process.env.EP_STATS_CLICKHOUSE_BIN;
  if (fromEnvironment) return existsSync(fromEnvironment) ? commandOf(fromEnvironment) : undefined;
  for (const folder of ['/usr/sbin', '/usr/bin', '/usr/local/bin']) {
    if (existsSync(join(folder, 'clickhouse-server'))) return [join(folder, 'clickhouse-server')];
  }
  for (const folder of ['/usr/bin', '/usr/local/bin']) {
    if (existsSync(join(folder, 'clickhouse'))) return [join(folder, 'clickhouse'), 'server'];
  }
  return undefined;
}

function commandOf(binary: string): readonly string[] {
  return binary.endsWith('/clickhouse') ? [binary, 'server'] : [binary];
}

/** The command of {@link findClickHouseCommand}, or an error saying where it was looked for. */
export function requireClickHouseCommand(): readonly string[] {
  const command = findClickHouseCommand();
  if (command === undefined) {
    throw new Error(
      'no ClickHouse server binary (clickhouse-server or clickhouse in /usr/sbin, /usr/bin, /usr/local/bin, or EP_STATS_CLICKHOUSE_BIN)',
    );
  }
  return command;
}

/** Three free loopback ports. */
export async function freeClickHousePorts(): Promise<ClickHousePorts> {
  return { http: await freePort(), tcp: await freePort(), interserver: await freePort() };
}

function configuration(folder: string, ports: ClickHousePorts, extra: string): string {
  const path = (name: string) => `${join(folder, name)}/`;
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${join(folder, 'log', 'server.log')}</log>
    <errorlog>${join(folder, 'log', 'server.err.log')}</errorlog>
    <console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <path>${path('data')}</path>
  <tmp_path>${path('tmp')}</tmp_path>
  <user_files_path>${path('user_files')}</user_files_path>
  <format_schema_path>${path('format_schemas')}</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
${extra}</yandex>
`;
}

const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_threads>2</max_threads></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

/**
 * Starts a server in a new temporary folder (data, temporary files, user files, format schemas and logs in
 * it), listening on 127.0.0.1 only on `ports`, with one `default` user without password allowed from
 * 127.0.0.1, no query log, and `extraConfiguration` (XML elements of `<yandex>`) added. Returns at once:
 * {@link waitUntilReady} waits for it.
 */
export function launchClickHouseServer(
  command: readonly string[],
  ports: ClickHousePorts,
  extraConfiguration = '',
): ClickHouseServer {
  const folder = mkdtempSync(join(tmpdir(), 'ep-stats-clickhouse-'));
  for (const name of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(join(folder, name));
  writeFileSync(join(folder, 'config.xml'), configuration(folder, ports, extraConfiguration));
  writeFileSync(join(folder, 'users.xml'), USERS);
  const [program, ...args] = command;
  const stderr = join(folder, 'log', 'stderr.log');
  const child = spawn(program as string, [...args, `--config-file=${join(folder, 'config.xml')}`], {
    cwd: folder,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => writeFileSync(stderr, chunk, { flag: 'a' }));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      writeFileSync(stderr, `${error.message}\n`, { flag: 'a' });
      resolve();
    });
  });
  return { folder, process: child, exited, url: `http://127.0.0.1:${ports.http}` };
}

/** Polls `GET /ping` until the server answers `Ok.`; rejects when it exits first or 30 s pass. */
export async function waitUntilReady(server: ClickHouseServer): Promise<void> {
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`clickhouse-server exited during startup: ${lastLogLine(server.folder)}`);
    try {
      const response = await fetch(`${server.url}/ping`, { signal: AbortSignal.timeout(1_000) });
      if ((await response.text()).trim() === 'Ok.') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(
    `clickhouse-server did not answer ${server.url}/ping within 30 s: ${lastLogLine(server.folder)}`,
  );
}

function lastLogLine(folder: string): string {
  for (const name of ['server.err.log', 'stderr.log']) {
    const file = join(folder, 'log', name);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const last = lines[lines.length - 1];
    if (last) return last;
  }
  return 'no error logged';
}

/** Kills a server that still runs with SIGKILL, synchronously (for `process.on('exit')`). */
export function killClickHouseServer(server: ClickHouseServer): void {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL');
}

/** Stops a server (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
export async function stopClickHouseServer(server: ClickHouseServer): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) {
    server.process.kill('SIGTERM');
    const killed = setTimeout(() => server.process.kill('SIGKILL'), 5_000);
    await server.exited;
    clearTimeout(killed);
  }
  rmSync(server.folder, { recursive: true, force: true });
}

/**
 * Runs `start`; when it fails, runs `stop` and warns that the tests of `label` will be skipped. Returns
 * the reason they are skipped, `''` when `start` succeeded (`EP_STATS_CLICKHOUSE_VERBOSE=1` prints how long
 * it took).
 */
export async function startOrSkip(
  label: string,
  start: () => Promise<void>,
  stop: () => Promise<void>,
): Promise<string> {
  const started = Date.now();
  try {
    await start();
    if (process.env.EP_STATS_CLICKHOUSE_VERBOSE) {
      console.info(`[${label}] ClickHouse ready in ${Date.now() - started} ms`);
    }
    return '';
  } catch (error) {
    await stop();
    const reason = (error instanceof Error ? error.message.split('\n')[0] : String(error)) || 'unknown';
    console.warn(`[${label}] ClickHouse tests will be skipped: ${reason}`);
    return reason;
  }
}
