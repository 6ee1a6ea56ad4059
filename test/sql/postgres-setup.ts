/**
 * Vitest global setup: starts a throwaway PostgreSQL cluster for the SQL tests and provides its URL as
 * `postgresUrl` (`inject('postgresUrl')`).
 *
 * The cluster lives in a temporary folder: `initdb` (trust authentication, UTF-8, C locale, no fsync), then
 * `pg_ctl start` on a free loopback port with the unix socket in the same folder, then `CREATE DATABASE
 * ep_stats_test`. `teardown` stops it and removes the folder. When no PostgreSQL server binaries are found
 * (`/usr/lib/postgresql/<version>/bin`, or the folder in `EP_STATS_POSTGRES_BIN`), or starting fails, the
 * URL is `''` with the reason in `postgresSkipReason`, and the PostgreSQL tests are skipped with a warning.
 * Run as root, the server runs as the `postgres` OS user (`runuser`), which `initdb` requires.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from './support/free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `postgres://` URL of the test database, or `''` when PostgreSQL is unavailable. */
    postgresUrl: string;
    /** Why PostgreSQL is unavailable (`''` when it runs). */
    postgresSkipReason: string;
  }
}

const DATABASE = 'ep_stats_test';

interface Cluster {
  readonly folder: string;
  readonly bin: string;
  readonly runAs: readonly string[];
}

let cluster: Cluster | undefined;

/** The folder with initdb and pg_ctl: `EP_STATS_POSTGRES_BIN`, else the newest Debian install. */
function findBinaries(): string | undefined {
  const fromEnvironment = process.env.EP_STATS_POSTGRES_BIN;
  if (fromEnvironment) return existsSync(join(fromEnvironment, 'pg_ctl')) ? fromEnvironment : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

function run(current: Cluster, program: string, args: readonly string[]): void {
  const [command, ...prefix] = [...current.runAs, join(current.bin, program)];
  execFileSync(command as string, [...prefix, ...args], { stdio: 'pipe', timeout: 30_000 });
}

async function start(project: TestProject): Promise<void> {
  const bin = findBinaries();
  if (bin === undefined) {
    throw new Error(
      'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/<version>/bin or EP_STATS_POSTGRES_BIN',
    );
  }
  const root = userInfo().uid === 0;
  const folder = mkdtempSync(join(tmpdir(), 'ep-stats-postgres-'));
  cluster = { folder, bin, runAs: root ? ['runuser', '-u', 'postgres', '--'] : [] };
  if (root) chownSync(folder, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), -1);
  const data = join(folder, 'data');
  run(cluster, 'initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${folder} -F`;
  run(cluster, 'pg_ctl', [
    '-D',
    data,
    '-o',
    options,
    '-l',
    join(folder, 'server.log'),
    '-w',
    '-t',
    '30',
    'start',
  ]);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await client.connect();
  await client.query(`CREATE DATABASE ${DATABASE}`);
  await client.end();
  project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${port}/${DATABASE}`);
  project.provide('postgresSkipReason', '');
}

export async function setup(project: TestProject): Promise<void> {
  try {
    await start(project);
  } catch (error) {
    await teardown();
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    console.warn(`[postgres-setup] PostgreSQL tests will be skipped: ${reason}`);
    project.provide('postgresUrl', '');
    project.provide('postgresSkipReason', reason ?? 'unknown');
  }
}

export async function teardown(): Promise<void> {
  const current = cluster;
  cluster = undefined;
  if (current === undefined) return;
  const data = join(current.folder, 'data');
  if (existsSync(join(data, 'postmaster.pid'))) {
    try {
      run(current, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch (error) {
      console.warn(`[postgres-setup] could not stop PostgreSQL: ${String(error)}`);
    }
  }
  rmSync(current.folder, { recursive: true, force: true });
}
