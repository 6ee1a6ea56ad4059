/** The ClickHouse test server started by `test/sql/clickhouse-setup.ts`, and its test tables. */
import { inject } from 'vitest';
import { ClickHouseClient } from '../../../src/sql/clickhouse-client.js';
import { clickhouseDialect } from '../../../src/sql/clickhouse-dialect.js';
import {
  type EventRecord,
  EventsSchema,
  type SqlClient,
  SYNTHETIC_DIMENSIONS,
} from '../../../src/sql/index.js';
import {
  BY_UNIT_DIMENSIONS,
  createTable,
  loadDemoCsvIntoDuckDb,
  openDuckDb,
  readEvents,
  referenceByUnitEvents,
  type TestDatabase,
} from './event-tables.js';

/** Warns that ClickHouse tests are skipped: `reason`, or that `setupFile` is not a registered global setup. */
function warnSkipped(what: string, setupFile: string, reason: string | undefined): void {
  console.warn(
    `${what} skipped: ${reason ?? `${setupFile} did not run (register it as a vitest globalSetup)`}`,
  );
}

/**
 * The test server's URL, or `''` after warning why the ClickHouse tests are skipped (binary missing, or the
 * global setup not registered).
 */
export function clickhouseTestUrl(): string {
  const url = inject('clickhouseUrl');
  if (url) return url;
  warnSkipped(
    'ClickHouse tests',
    'test/sql/clickhouse-setup.ts',
    url === undefined ? undefined : inject('clickhouseSkipReason'),
  );
  return '';
}

/**
 * The two-shard test cluster of `test/sql/clickhouse-cluster-setup.ts`: its name, and the HTTP URLs of its
 * shards (shard 1, where `Distributed` tables are queried, first); no URLs after warning why the
 * distributed tests are skipped.
 */
export function clickhouseTestCluster(): { readonly name: string; readonly shardUrls: readonly string[] } {
  const shardUrls = inject('clickhouseShardUrls');
  const url = inject('clickhouseClusterUrl');
  if (url && shardUrls?.[0] === url) return { name: inject('clickhouseClusterName'), shardUrls };
  warnSkipped(
    'Distributed ClickHouse tests',
    'test/sql/clickhouse-cluster-setup.ts',
    url === undefined ? undefined : inject('clickhouseClusterSkipReason'),
  );
  return { name: '', shardUrls: [] };
}

/** `CREATE TABLE name (columns)` without an engine, as the shared tests and `createEventsTable` write it. */
const PORTABLE_CREATE_TABLE = /^\s*CREATE\s+TABLE\s+([^\s(]+)\s*\((.*)\)\s*$/is;

/**
 * The portable `CREATE TABLE` of the shared tests in ClickHouse: every column `Nullable` (the events tables
 * hold nulls, as in the other engines) and `ENGINE = Memory`; other statements unchanged.
 */
export function clickhouseTable(sql: string): string {
  const match = PORTABLE_CREATE_TABLE.exec(sql);
  if (match === null || /\bENGINE\b/i.test(sql)) return sql;
  const [, table, columns] = match as unknown as [string, string, string];
  const nullable = columns.split(',').map((column) => {
    const [name, ...type] = column.trim().split(/\s+/);
    const spelled = type.join(' ');
    return `${name} ${/^Nullable\(/i.test(spelled) ? spelled : `Nullable(${spelled})`}`;
  });
  return `CREATE TABLE ${table} (${nullable.join(', ')}) ENGINE = Memory`;
}

/** A client whose portable `CREATE TABLE`s get an engine (see {@link clickhouseTable}). */
function withTableEngine(client: SqlClient): SqlClient {
  return {
    query: (sql, parameters) => client.query(clickhouseTable(sql), parameters),
    close: () => client.close(),
  };
}

export async function openClickHouse(url: string): Promise<TestDatabase> {
  const client = await ClickHouseClient.connect({ url, timeout: 60_000 });
  return { name: 'clickhouse', client: withTableEngine(client), dialect: clickhouseDialect };
}

/** Drops and creates an events table from records (bound as literals), as the other engines' tests do. */
export async function recreateClickHouseTable(
  database: TestDatabase,
  table: string,
  events: readonly EventRecord[],
  dimensions: readonly string[],
): Promise<EventsSchema> {
  await database.client.query(`DROP TABLE IF EXISTS ${table}`, []);
  return createTable(database, table, events, dimensions);
}

/**
 * The equivalence tests' tables in ClickHouse: the demo rows as DuckDB reads them from the CSV (with a
 * `Date` column) and the reference's by-unit events.
 */
export async function loadIntoClickHouse(
  database: TestDatabase,
  prefix = '',
): Promise<{ demo: EventsSchema; byUnit: EventsSchema }> {
  const duckdb = await openDuckDb();
  const demoEvents = await readEvents(duckdb, await loadDemoCsvIntoDuckDb(duckdb.client, 'demo_events'));
  await duckdb.client.close();
  const demoTable = `${prefix}demo_events`;
  await database.client.query(`DROP TABLE IF EXISTS ${demoTable}`, []);
  const demo = await createTable(database, demoTable, demoEvents, SYNTHETIC_DIMENSIONS, 'date');
  const byUnit = await recreateClickHouseTable(
    database,
    `${prefix}by_unit_events`,
    referenceByUnitEvents(),
    BY_UNIT_DIMENSIONS,
  );
  return { demo, byUnit };
}

/** Loads events into a table made by {@link createTypedEventsTable} with `INSERT ... FORMAT JSONEachRow`. */
export async function insertTypedEvents(
  database: TestDatabase,
  table: string,
  events: readonly EventRecord[],
): Promise<void> {
  const rows = events.map((event) =>
    JSON.stringify({
      ...event,
      // No Nullable columns: history events (before the experiment) have '' for no experiment and variant.
      exp_id: event.exp_id ?? '',
      exp_variant_id: event.exp_variant_id ?? '',
      unit_id: Number(event.unit_id),
      ...Object.fromEntries(SYNTHETIC_DIMENSIONS.map((name) => [name, event[name] ?? ''])),
    }),
  );
  await database.client.query(`INSERT INTO ${table} FORMAT JSONEachRow\n${rows.join('\n')}\n`, []);
}

/**
 * Drops and creates an events table typed as ClickHouse tables usually are (MergeTree, no Nullable columns,
 * numeric unit ids, `Date`, `''` for no dimension) with the synthetic dimensions, and loads the events
 * (whose unit ids must be numbers).
 */
export async function createTypedEventsTable(
  database: TestDatabase,
  table: string,
  events: readonly EventRecord[],
): Promise<EventsSchema> {
  await database.client.query(`DROP TABLE IF EXISTS ${table}`, []);
  await database.client.query(
    `CREATE TABLE ${table} (exp_id String, exp_variant_id String, unit_type String, unit_id UInt64, ` +
      'date Date, goal String, count UInt32, value Float64, element String, product String, country String) ' +
      'ENGINE = MergeTree() PARTITION BY toYYYYMM(date) ORDER BY (exp_id, unit_id, date)',
    [],
  );
  await insertTypedEvents(database, table, events);
  return new EventsSchema({ table, dimensions: SYNTHETIC_DIMENSIONS, dateType: 'date' });
}
