import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { importOptional } from './optional-module.js';
import type { SqlClient, SqlParameter, SqlRow } from './sql-client.js';

/**
 * Options of {@link DuckDbClient.open}.
 *
 * @example
 * ```ts
 * import type { DuckDbClientOptions } from 'ep-stats/sql';
 * const options: DuckDbClientOptions = { path: ':memory:', config: { threads: '2' } };
 * options.path; // => ':memory:'
 * ```
 * @public
 */
export interface DuckDbClientOptions {
  /** Database file; an in-memory database when omitted. */
  readonly path?: string;
  /** DuckDB configuration options, e.g. `{ threads: '4', memory_limit: '2GB' }`. */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * A {@link SqlClient} over an in-process DuckDB database (the optional dependency `@duckdb/node-api`).
 *
 * @remarks
 * `@duckdb/node-api` is loaded by {@link DuckDbClient.open} with a dynamic `import()`, so `ep-stats/sql`
 * works without it; opening rejects with a message naming the package when it is not installed. Rows come
 * back as plain objects (DuckDB `BIGINT` as `bigint`, `DATE` as `Date`). Use with {@link duckdbDialect}.
 *
 * @example
 * ```ts
 * import { DuckDbClient } from 'ep-stats/sql';
 * const client = await DuckDbClient.open();
 * await client.query('SELECT $1 AS goal, $2 * 2 AS twice', ['click', 1.5]); // => [{ goal: 'click', twice: 3 }]
 * await client.close();
 * ```
 * @public
 */
export class DuckDbClient implements SqlClient {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  #closed = false;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  /**
   * Opens (or creates) a database and connects to it.
   *
   * @param options - Database file and configuration.
   * @returns A connected client.
   * @throws `Error` when `@duckdb/node-api` is not installed, or DuckDB's error.
   */
  static async open(options: DuckDbClientOptions = {}): Promise<DuckDbClient> {
    const duckdb = await importOptional(() => import('@duckdb/node-api'), '@duckdb/node-api', 'DuckDbClient');
    const instance = await duckdb.DuckDBInstance.create(options.path ?? ':memory:', { ...options.config });
    return new DuckDbClient(instance, await instance.connect());
  }

  /**
   * Runs one statement with `$1`-style parameters (strings bind as `VARCHAR`, numbers as `DOUBLE`).
   *
   * @param sql - The statement.
   * @param parameters - Values of `$1`, `$2`, ...
   * @returns The rows.
   */
  async query(sql: string, parameters: readonly SqlParameter[] = []): Promise<readonly SqlRow[]> {
    const reader = await this.#connection.runAndReadAll(sql, [...parameters]);
    return reader.getRowObjectsJS();
  }

  /** Closes the connection and the database (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}
