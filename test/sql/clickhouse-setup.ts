/**
 * Vitest global setup: starts a throwaway ClickHouse server for the SQL tests and provides its HTTP URL as
 * `clickhouseUrl` (`inject('clickhouseUrl')`).
 *
 * The server lives in a temporary folder with a configuration of its own (written here, not copied from
 * /etc): data, temporary files, user files, format schemas and logs in the folder, listening on 127.0.0.1
 * only, on free HTTP, native and interserver ports (no MySQL port), one `default` user without password
 * allowed from 127.0.0.1, no query log. `teardown` stops it (SIGTERM, then SIGKILL after 5 s) and removes
 * the folder. Startup takes well under a second: the setup polls `GET /ping` until it answers `Ok.`
 * (`EP_STATS_CLICKHOUSE_VERBOSE=1` prints how long it took).
 *
 * The binary is `clickhouse-server` (`EP_STATS_CLICKHOUSE_BIN`, else /usr/sbin or /usr/bin) or the single
 * `clickhouse` binary (`clickhouse server`). When neither is found, or the server does not start, the URL is
 * `''` with the reason in `clickhouseSkipReason`, and the ClickHouse tests are skipped with a warning.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://` URL of the test server's HTTP interface, or `''` when ClickHouse is unavailable. */
    clickhouseUrl: string;
    /** Why ClickHouse is unavailable (`''` when it runs). */
    clickhouseSkipReason: string;
  }
}

interface Server {
  readonly folder: string;
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
}

let server: Server | undefined;

/** The command that starts a server: `clickhouse-server`, or `clickhouse server`. */
function findCommand(): readonly string[] | undefined {
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const listener = createServer();
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => {
      const address = listener.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      listener.close(() => resolve(port));
    });
  });
}

function configuration(folder: string, ports: { http: number; tcp: number; interserver: number }): string {
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
</yandex>
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

/** Polls `GET /ping` until the server answers `Ok.`, it exits, or 30 s pass. */
async function waitForPing(url: string, current: Server): Promise<void> {
  let exited = false;
  void current.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`clickhouse-server exited during startup: ${lastLogLine(current.folder)}`);
    try {
      const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
      if ((await response.text()).trim() === 'Ok.') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`clickhouse-server did not answer ${url}/ping within 30 s: ${lastLogLine(current.folder)}`);
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

async function start(project: TestProject): Promise<void> {
  const command = findCommand();
  if (command === undefined) {
    throw new Error(
      'no ClickHouse server binary (clickhouse-server or clickhouse in /usr/sbin, /usr/bin, /usr/local/bin, or EP_STATS_CLICKHOUSE_BIN)',
    );
  }
  const folder = mkdtempSync(join(tmpdir(), 'ep-stats-clickhouse-'));
  for (const name of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(join(folder, name));
  const ports = { http: await freePort(), tcp: await freePort(), interserver: await freePort() };
  writeFileSync(join(folder, 'config.xml'), configuration(folder, ports));
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
  server = { folder, process: child, exited };
  const url = `http://127.0.0.1:${ports.http}`;
  await waitForPing(url, server);
  project.provide('clickhouseUrl', url);
  project.provide('clickhouseSkipReason', '');
}

/** Stops the server if vitest exits without running the teardown. */
function stopOnExit(): void {
  if (server?.process.exitCode === null) server.process.kill('SIGKILL');
}

export async function setup(project: TestProject): Promise<void> {
  process.once('exit', stopOnExit);
  const started = Date.now();
  try {
    await start(project);
    if (process.env.EP_STATS_CLICKHOUSE_VERBOSE) {
      console.info(`[clickhouse-setup] ClickHouse ready in ${Date.now() - started} ms`);
    }
  } catch (error) {
    await teardown();
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    console.warn(`[clickhouse-setup] ClickHouse tests will be skipped: ${reason}`);
    project.provide('clickhouseUrl', '');
    project.provide('clickhouseSkipReason', reason ?? 'unknown');
  }
}

export async function teardown(): Promise<void> {
  const current = server;
  server = undefined;
  process.removeListener('exit', stopOnExit);
  if (current === undefined) return;
  if (current.process.exitCode === null && current.process.signalCode === null) {
    current.process.kill('SIGTERM');
    const killed = setTimeout(() => current.process.kill('SIGKILL'), 5_000);
    await current.exited;
    clearTimeout(killed);
  }
  rmSync(current.folder, { recursive: true, force: true });
}
