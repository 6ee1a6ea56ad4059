import { createEventsTable } from './create-events-table.js';
import { DuckDbClient } from './duckdb-client.js';
import { duckdbDialect } from './duckdb-dialect.js';
import type { EventRecord } from './event-record.js';
import { sqlStringLiteral } from './string-literal.js';

/**
 * Writes events to a Parquet file through an in-memory DuckDB (`COPY ... TO ... (FORMAT PARQUET)`).
 *
 * @remarks
 * Column types as {@link createEventsTable} creates them (text date). Needs the optional dependency
 * `@duckdb/node-api`. The path is written into the `COPY` statement with {@link sqlStringLiteral} (DuckDB
 * cannot bind it).
 *
 * @param events - The events.
 * @param path - The file to (over)write.
 * @param dimensions - The dimension columns, in order.
 * @throws `Error` when `@duckdb/node-api` is not installed; `ValidationError` for a NUL character.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { DuckDbClient, generateEvents, writeEventsParquet, SYNTHETIC_DIMENSIONS } from 'ep-stats/sql';
 * const path = join(mkdtempSync(join(tmpdir(), 'events-')), 'events.parquet');
 * const events = generateEvents({ seed: 1, units: 10, days: 2, variants: [{ id: 'a' }] });
 * await writeEventsParquet(events, path, SYNTHETIC_DIMENSIONS);
 * const client = await DuckDbClient.open();
 * const [row] = await client.query('SELECT COUNT(*) AS n FROM read_parquet($1)', [path]);
 * Number(row?.n) === events.length; // => true
 * await client.close();
 * ```
 * @public
 */
export async function writeEventsParquet(
  events: readonly EventRecord[],
  path: string,
  dimensions: readonly string[],
): Promise<void> {
  const client = await DuckDbClient.open();
  try {
    await createEventsTable(client, duckdbDialect, events, { table: 'events', dimensions });
    await client.query(`COPY "events" TO ${sqlStringLiteral(path)} (FORMAT PARQUET)`, []);
  } finally {
    await client.close();
  }
}
