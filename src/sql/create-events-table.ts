import type { EventRecord } from './event-record.js';
import { EVENT_COLUMNS, EventsSchema } from './events-schema.js';
import type { SqlClient } from './sql-client.js';
import type { SqlDialect } from './sql-dialect.js';
import { quoteQualified } from './sql-identifier.js';
import { SqlParameters } from './sql-parameters.js';

/**
 * Options of {@link createEventsTable}.
 *
 * @example
 * ```ts
 * import type { CreateEventsTableOptions } from 'ep-stats/sql';
 * const options: CreateEventsTableOptions = { table: 'events', dimensions: ['element'], dateType: 'date' };
 * options.dateType; // => 'date'
 * ```
 * @public
 */
export interface CreateEventsTableOptions {
  /** Table to create (it must not exist). */
  readonly table: string;
  /** Dimension columns (text). */
  readonly dimensions: readonly string[];
  /** Type of the `date` column: text (default) or `DATE`. */
  readonly dateType?: 'text' | 'date';
  /** Rows per `INSERT` statement (default 500). */
  readonly batchSize?: number;
}

/**
 * Creates an events table with the default column names and inserts events into it, with bound
 * parameters, in batches.
 *
 * @remarks
 * Column types: text for the ids, the goal and the dimensions, text or `DATE` for `date`, a 64-bit integer
 * for `count`, double precision for `value`. Meant for tests, demos and small data; load large data with
 * the database's bulk loader (`COPY`, `read_csv`, `read_parquet`).
 *
 * @param client - Where to create the table.
 * @param dialect - The client's dialect.
 * @param events - The rows (dimension cells: text, `''` or null).
 * @param options - Table name, dimensions, date type.
 * @returns The {@link EventsSchema} of the new table.
 * @throws `ValidationError` for an unsafe table or dimension name or a NUL character in a cell.
 *
 * @example
 * ```ts
 * import { DuckDbClient, createEventsTable, duckdbDialect, generateEvents, SYNTHETIC_DIMENSIONS } from 'ep-stats/sql';
 * const client = await DuckDbClient.open();
 * const events = generateEvents({ seed: 3, units: 20, days: 3, variants: [{ id: 'a' }, { id: 'b' }] });
 * const schema = await createEventsTable(client, duckdbDialect, events, { table: 'events', dimensions: SYNTHETIC_DIMENSIONS });
 * schema.dimensions; // => ['element', 'product', 'country']
 * (await client.query('SELECT COUNT(*) AS n FROM events', []))[0]?.n === BigInt(events.length); // => true
 * await client.close();
 * ```
 * @public
 */
export async function createEventsTable(
  client: SqlClient,
  dialect: SqlDialect,
  events: readonly EventRecord[],
  options: CreateEventsTableOptions,
): Promise<EventsSchema> {
  const dateType = options.dateType ?? 'text';
  const schema = new EventsSchema({ table: options.table, dimensions: options.dimensions, dateType });
  const q = (name: string) => dialect.quoteIdentifier(name);
  const table = quoteQualified(dialect, schema.table);
  const typeOf = (column: string) =>
    column === 'count'
      ? dialect.integerType
      : column === 'value'
        ? dialect.doubleType
        : column === 'date' && dateType === 'date'
          ? dialect.dateType
          : dialect.textType;
  const columns = [...EVENT_COLUMNS, ...schema.dimensions];
  await client.query(
    `CREATE TABLE ${table} (${columns.map((column) => `${q(column)} ${typeOf(column)}`).join(', ')})`,
    [],
  );
  const batchSize = options.batchSize ?? 500;
  for (let start = 0; start < events.length; start += batchSize) {
    const parameters = new SqlParameters(dialect);
    const rows = events.slice(start, start + batchSize).map((event, offset) => {
      const cells = columns.map((column) => {
        const cell = event[column];
        if (cell === null || cell === undefined) return 'NULL';
        if (column === 'count') return `CAST(${parameters.number(Number(cell))} AS ${dialect.integerType})`;
        if (column === 'value') return parameters.number(Number(cell));
        const text = parameters.text(String(cell), ['events', start + offset, column]);
        return column === 'date' && dateType === 'date' ? `CAST(${text} AS ${dialect.dateType})` : text;
      });
      return `(${cells.join(', ')})`;
    });
    await client.query(
      `INSERT INTO ${table} (${columns.map(q).join(', ')}) VALUES ${rows.join(', ')}`,
      parameters.values,
    );
  }
  return schema;
}
