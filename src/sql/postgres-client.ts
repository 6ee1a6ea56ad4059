import type { Pool } from 'pg';
import { importOptional } from './optional-module.js';
import type { SqlClient, SqlParameter, SqlRow } from './sql-client.js';

/**
 * Options of {@link PostgresClient.connect}.
 *
 * @example
 * ```ts
 * import type { PostgresClientOptions } from 'ep-stats/sql';
 * const options: PostgresClientOptions = { connectionString: 'postgres://reader@db.internal:5432/events', max: 4 };
 * options.max; // => 4
 * ```
 * @public
 */
export interface PostgresClientOptions {
  /** A `postgres://` URL. */
  readonly connectionString: string;
  /** Largest number of pooled connections (default 10). */
  readonly max?: number;
  /** Statement timeout in milliseconds (none by default). */
  readonly statementTimeout?: number;
}

/**
 * A {@link SqlClient} over a PostgreSQL connection pool (the optional dependency `pg`).
 *
 * @remarks
 * `pg` is loaded by {@link PostgresClient.connect} with a dynamic `import()`, so `ep-stats/sql` works
 * without it; connecting rejects with a message naming the package when it is not installed. Connections
 * are opened on the first query. `double precision` comes back as numbers, `bigint` and `numeric` as
 * strings (the goal queries cast their numbers to double precision). Use with {@link postgresDialect}.
 *
 * @example
 * ```ts
 * import { PostgresClient } from 'ep-stats/sql';
 * const client = await PostgresClient.connect('postgres://reader@localhost:5432/events');
 * typeof client.query; // => 'function'
 * await client.close();
 * ```
 * @public
 */
export class PostgresClient implements SqlClient {
  readonly #pool: Pool;
  #closed = false;

  private constructor(pool: Pool) {
    this.#pool = pool;
  }

  /**
   * Creates a pool (no connection is opened until the first query).
   *
   * @param options - A connection URL or options.
   * @returns The client.
   * @throws `Error` when `pg` is not installed.
   */
  static async connect(options: string | PostgresClientOptions): Promise<PostgresClient> {
    const pg = await importOptional(() => import('pg'), 'pg', 'PostgresClient');
    const settings = typeof options === 'string' ? { connectionString: options } : options;
    const pool = new pg.Pool({
      connectionString: settings.connectionString,
      ...(settings.max === undefined ? {} : { max: settings.max }),
      ...(settings.statementTimeout === undefined ? {} : { statement_timeout: settings.statementTimeout }),
    });
    // An idle connection that drops must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    return new PostgresClient(pool);
  }

  /**
   * Runs one statement with `$1`-style parameters.
   *
   * @param sql - The statement.
   * @param parameters - Values of `$1`, `$2`, ...
   * @returns The rows.
   */
  async query(sql: string, parameters: readonly SqlParameter[] = []): Promise<readonly SqlRow[]> {
    const result = await this.#pool.query(sql, [...parameters]);
    return result.rows as SqlRow[];
  }

  /** Closes the pool (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
