/** The events tables of the SQL tests: the demo dataset and the reference's by-unit data. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  createEventsTable,
  DuckDbClient,
  duckdbDialect,
  type EventRecord,
  EventsSchema,
  PostgresClient,
  postgresDialect,
  type SqlClient,
  type SqlDialect,
  SYNTHETIC_DIMENSIONS,
} from '../../../src/sql/index.js';
import { TestData } from '../../../src/testing/index.js';

/** The committed demo dataset. */
export const DEMO_EVENTS_CSV = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'fixtures',
  'events',
  'demo-events.csv',
);
export const DEMO_EVENTS_PARQUET = DEMO_EVENTS_CSV.replace(/\.csv$/, '.parquet');

/** The demo events as records: the CSV's text cells, `count` and `value` as numbers. */
export function demoEventRecords(): EventRecord[] {
  const rows = parse(readFileSync(DEMO_EVENTS_CSV), { columns: true }) as Record<string, string>[];
  return rows.map((row) => ({
    ...row,
    count: Number(row.count),
    value: Number(row.value),
  })) as unknown as EventRecord[];
}

/**
 * Creates `table` in PostgreSQL with the demo events (bound inserts of 1,000 rows, `date` as DATE, the
 * synthetic dimensions), as the command tests and the documentation's checks read it.
 */
export async function createDemoEventsTable(client: SqlClient, table: string): Promise<void> {
  await createEventsTable(client, postgresDialect, demoEventRecords(), {
    table,
    dimensions: SYNTHETIC_DIMENSIONS,
    dateType: 'date',
    batchSize: 1000,
  });
}

/** Dimension columns of the table built from the reference's by-unit data. */
export const BY_UNIT_DIMENSIONS = ['country', 'product'] as const;

/**
 * The reference's by-unit goal rows (`goals_by_unit.csv`) as events: `sum_value` is the value, and the
 * row's `dimension` / `dimension_value` pair fills that dimension's column; rows have no date.
 */
export function referenceByUnitEvents(): EventRecord[] {
  return TestData.loadGoalsByUnit().map((row) => {
    const event: Record<string, string | number | null> = {
      exp_id: String(row.exp_id),
      exp_variant_id: String(row.exp_variant_id),
      unit_type: String(row.unit_type),
      unit_id: String(row.unit_id),
      date: null,
      goal: String(row.goal),
      count: Number(row.count),
      value: Number(row.sum_value),
      country: '',
      product: '',
    };
    const dimension = String(row.dimension ?? '');
    if (dimension !== '') event[dimension] = String(row.dimension_value ?? '');
    return event as EventRecord;
  });
}

/** A database with the test tables, whichever engine. */
export interface TestDatabase {
  readonly name: string;
  readonly client: SqlClient;
  readonly dialect: SqlDialect;
}

export async function openDuckDb(): Promise<TestDatabase> {
  return { name: 'duckdb', client: await DuckDbClient.open(), dialect: duckdbDialect };
}

export async function openPostgres(url: string): Promise<TestDatabase> {
  return { name: 'postgres', client: await PostgresClient.connect(url), dialect: postgresDialect };
}

/**
 * Loads the demo CSV into DuckDB with `read_csv` (typed columns, `date` as DATE): the bulk path an adopter
 * would use.
 */
export async function loadDemoCsvIntoDuckDb(client: SqlClient, table: string): Promise<EventsSchema> {
  const columns =
    "{'exp_id': 'VARCHAR', 'exp_variant_id': 'VARCHAR', 'unit_type': 'VARCHAR', 'unit_id': 'VARCHAR', " +
    "'date': 'DATE', 'goal': 'VARCHAR', 'count': 'BIGINT', 'value': 'DOUBLE', 'element': 'VARCHAR', " +
    "'product': 'VARCHAR', 'country': 'VARCHAR'}";
  await client.query(
    `CREATE TABLE ${table} AS SELECT * FROM read_csv($1, header = true, columns = ${columns})`,
    [DEMO_EVENTS_CSV],
  );
  return new EventsSchema({ table, dimensions: SYNTHETIC_DIMENSIONS, dateType: 'date' });
}

/** Reads every row of an events table straight back (dates as `YYYY-MM-DD` text, null dimensions as ''). */
export async function readEvents(database: TestDatabase, schema: EventsSchema): Promise<EventRecord[]> {
  const { dialect } = database;
  const q = dialect.quoteIdentifier;
  const dimensions = schema.dimensions.map((name) => `${q(name)}`);
  const rows = await database.client.query(
    `SELECT ${q('exp_id')}, ${q('exp_variant_id')}, ${q('unit_type')}, ${q('unit_id')}, ` +
      `${dialect.castToText(q('date'))} AS ${q('date')}, ${q('goal')}, ${q('count')}, ${q('value')}` +
      `${dimensions.length > 0 ? `, ${dimensions.join(', ')}` : ''} FROM ${schema.table.map(q).join('.')}`,
    [],
  );
  return rows.map((row) => {
    const event: Record<string, string | number | null> = {};
    for (const [key, cell] of Object.entries(row)) {
      event[key] =
        key === 'count' || key === 'value'
          ? cell === null
            ? null
            : Number(cell)
          : cell === null || cell === undefined
            ? schema.dimensions.includes(key)
              ? ''
              : null
            : String(cell);
    }
    return event as EventRecord;
  });
}

/** Creates a table from records with bound INSERTs (the portable path, used for PostgreSQL). */
export function createTable(
  database: TestDatabase,
  table: string,
  events: readonly EventRecord[],
  dimensions: readonly string[],
  dateType: 'text' | 'date' = 'text',
): Promise<EventsSchema> {
  return createEventsTable(database.client, database.dialect, events, {
    table,
    dimensions,
    dateType,
    batchSize: 1000,
  });
}
