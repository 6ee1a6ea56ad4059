import type { DaoFactory } from '../index.js';
import { EventsSchema, type EventsSchemaOptions } from './events-schema.js';
import type { SqlClient } from './sql-client.js';
import { SqlDao } from './sql-dao.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Definition of a {@link SqlDaoFactory}.
 *
 * @example
 * ```ts
 * import { DuckDbClient, duckdbDialect, type SqlDaoFactoryOptions } from 'ep-stats/sql';
 * const options: SqlDaoFactoryOptions = { connect: () => DuckDbClient.open(), dialect: duckdbDialect, schema: { table: 'events' } };
 * typeof options.connect; // => 'function'
 * ```
 * @public
 */
export interface SqlDaoFactoryOptions {
  /** Opens the client of one request; the {@link SqlDao} closes it. */
  readonly connect: () => Promise<SqlClient>;
  readonly dialect: SqlDialect;
  readonly schema: EventsSchema | EventsSchemaOptions;
}

/**
 * A `DaoFactory` that opens a client per request and hands out a {@link SqlDao} over it.
 *
 * @throws `ValidationError` for an invalid schema (on construction, not per request).
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { DuckDbClient, SqlDaoFactory, duckdbDialect } from 'ep-stats/sql';
 * const factory = new SqlDaoFactory({
 *   connect: async () => {
 *     const client = await DuckDbClient.open();
 *     await client.query("CREATE TABLE events AS SELECT 'e1' AS exp_id, 'a' AS exp_variant_id, 'user' AS unit_type, '1' AS unit_id, '2024-01-01' AS date, 'exposure' AS goal, 1 AS count, 0.0 AS value", []);
 *     return client;
 *   },
 *   dialect: duckdbDialect,
 *   schema: { table: 'events' },
 * });
 * const dao = await factory.getDao();
 * const rows = await dao.getAggGoals(new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' }));
 * rows.map((row) => row.count); // => [1]
 * await dao.close();
 * ```
 * @public
 */
export class SqlDaoFactory implements DaoFactory {
  readonly #options: SqlDaoFactoryOptions;
  readonly #schema: EventsSchema;

  constructor(options: SqlDaoFactoryOptions) {
    this.#options = options;
    this.#schema = options.schema instanceof EventsSchema ? options.schema : new EventsSchema(options.schema);
  }

  /** Opens a client and wraps it in a {@link SqlDao}. */
  async getDao(): Promise<SqlDao> {
    const client = await this.#options.connect();
    return new SqlDao({ client, dialect: this.#options.dialect, schema: this.#schema });
  }
}
