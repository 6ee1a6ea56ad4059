import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { importOptional } from './optional-module.js';
import type { SqlClient, SqlParameter, SqlRow } from './sql-client.js';

/**
 * Options of {@link DuckDbClient.open}.
 *
 * @remarks
 * `memoryLimit`, `threads` and `tempDirectory` are DuckDB's `memory_limit`, `threads` and `temp_directory`
 * settings, named here because they bound the memory of a query over a large file: DuckDB keeps its
 * buffers (hash tables of `GROUP BY` included) within `memoryLimit` and writes what does not fit to files
 * in `tempDirectory`; each thread adds its own partial aggregates. Left out, DuckDB's defaults apply: 80 %
 * of the machine's memory, one thread per core, and `<database file>.tmp` (`.tmp` in the current folder for
 * an in-memory database). They take precedence over the same settings in `config`.
 *
 * @example
 * ```ts
 * import type { DuckDbClientOptions } from 'ep-stats/sql';
 * const options: DuckDbClientOptions = { path: ':memory:', memoryLimit: '1GB', threads: 2, config: { preserve_insertion_order: 'false' } };
 * options.memoryLimit; // => '1GB'
 * ```
 * @public
 */
export interface DuckDbClientOptions {
  /** Database file; an in-memory database when omitted. */
  readonly path?: string;
  /** DuckDB configuration options, e.g. `{ threads: '4', memory_limit: '2GB' }`. */
  readonly config?: Readonly<Record<string, string>>;
  /** DuckDB's `memory_limit`, e.g. `'1GB'` or `'512MiB'`; DuckDB's default is 80 % of the memory. */
  readonly memoryLimit?: string;
  /** DuckDB's `threads`: a positive integer; DuckDB's default is the number of cores. */
  readonly threads?: number;
  /**
   * DuckDB's `temp_directory`: where data that exceeds `memoryLimit` is written. DuckDB creates the
   * folder when it first needs it and removes it on close if it created it.
   */
  readonly tempDirectory?: string;
}

/** The DuckDB configuration of `options`: `config` with the named settings over it. */
function duckDbConfig(options: DuckDbClientOptions): Record<string, string> {
  const config: Record<string, string> = { ...options.config };
  if (options.threads !== undefined) {
    if (!Number.isSafeInteger(options.threads) || options.threads < 1) {
      throw new RangeError(`DuckDbClient: threads must be a positive integer, received ${options.threads}`);
    }
    config.threads = String(options.threads);
  }
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory !== undefined) config.temp_directory = options.tempDirectory;
  return config;
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
   * @param options - Database file, memory limit, threads, temporary folder and other configuration.
   * @returns A connected client.
   * @throws `RangeError` for `threads` that is not a positive integer; `Error` when `@duckdb/node-api` is
   *   not installed or DuckDB refuses a setting (e.g. a malformed `memoryLimit`; the message lists the
   *   settings), or DuckDB's error.
   *
   * @example
   * ```ts
   * import { DuckDbClient } from 'ep-stats/sql';
   * const client = await DuckDbClient.open({ memoryLimit: '512MiB', threads: 1 });
   * await client.query("SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t", []); // => [{ m: '512.0 MiB', t: 1n }]
   * await client.close();
   * ```
   */
  static async open(options: DuckDbClientOptions = {}): Promise<DuckDbClient> {
    const config = duckDbConfig(options);
    const duckdb = await importOptional(() => import('@duckdb/node-api'), '@duckdb/node-api', 'DuckDbClient');
    let instance: DuckDBInstance;
    try {
      instance = await duckdb.DuckDBInstance.create(options.path ?? ':memory:', config);
    } catch (error) {
      // DuckDB's message for a setting it cannot take does not say which.
      if (!(error instanceof Error && /^Failed to set config/.test(error.message))) throw error;
      throw new Error(`DuckDB refused one of the settings ${JSON.stringify(config)}: ${error.message}`, {
        cause: error,
      });
    }
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
