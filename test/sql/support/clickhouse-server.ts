/** The ClickHouse test server started by `test/sql/clickhouse-setup.ts`, and its test tables. */
import { inject } from 'vitest';
import { ClickHouseClient } from '../../../src/sql/clickhouse-client.js';
import { clickhouseDialect } from '../../../src/sql/clickhouse-dialect.js';
import {
  type EventRecord,
  type EventsSchema,
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

/**
 * The test server's URL, or `''` after warning why the ClickHouse tests are skipped (binary missing, or the
 * global setup not registered).
 */
export function clickhouseTestUrl(): string {
  const url = inject('clickhouseUrl');
  if (url) return url;
  const reason =
    url === undefined
      ? 'test/sql/clickhouse-setup.ts did not run (register it as a vitest globalSetup)'
      : inject('clickhouseSkipReason');
  console.warn(`ClickHouse tests skipped: ${reason}`);
  return '';
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
