/**
 * A value bound to a statement's placeholder: text or a number.
 *
 * @example
 * ```ts
 * import type { SqlParameter } from 'ep-stats/sql';
 * const parameters: SqlParameter[] = ['test-conversion', 1.5];
 * parameters.length; // => 2
 * ```
 * @public
 */
export type SqlParameter = string | number;

/**
 * One result row as a database driver returns it: column name to cell.
 *
 * @example
 * ```ts
 * import type { SqlRow } from 'ep-stats/sql';
 * const row: SqlRow = { exp_variant_id: 'a', count: 21 };
 * row.count; // => 21
 * ```
 * @public
 */
export type SqlRow = Readonly<Record<string, unknown>>;

/**
 * A compiled statement: SQL text with placeholders and the values bound to them, in placeholder order.
 *
 * @example
 * ```ts
 * import type { SqlStatement } from 'ep-stats/sql';
 * const statement: SqlStatement = { sql: 'SELECT $1 AS "goal"', parameters: ['click'] };
 * statement.parameters; // => ['click']
 * ```
 * @public
 */
export interface SqlStatement {
  readonly sql: string;
  readonly parameters: readonly SqlParameter[];
}

/**
 * The little a {@link SqlDao} needs of a database connection: run one statement, and close.
 *
 * @remarks
 * Wrap any driver in it: {@link DuckDbClient} and {@link PostgresClient} are ready-made. `query` binds
 * `parameters` to the statement's placeholders in the style of the dialect the statement was compiled
 * for (`$1` for PostgreSQL and DuckDB) and resolves to the rows as objects keyed by column name.
 *
 * @example
 * ```ts
 * import type { SqlClient } from 'ep-stats/sql';
 * const client: SqlClient = {
 *   query: async (sql, parameters) => [{ sql, bound: parameters.length }],
 *   close: async () => {},
 * };
 * await client.query('SELECT $1', ['x']); // => [{ sql: 'SELECT $1', bound: 1 }]
 * ```
 * @public
 */
export interface SqlClient {
  /** Runs one statement with bound parameters and returns its rows. */
  query(sql: string, parameters: readonly SqlParameter[]): Promise<readonly SqlRow[]>;
  /** Releases the connection (or pool). */
  close(): Promise<void>;
}
