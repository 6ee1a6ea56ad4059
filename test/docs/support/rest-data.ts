/**
 * The data the REST samples of docs/rest-api.md are checked against: the bundled reference test data
 * (`TestDaoFactory`, as `ep-stats serve --test-data` serves it) or a bundled events file of
 * `fixtures/events/` queried by DuckDB in process (as `ep-stats serve --events <file>` serves it).
 */
import { join } from 'node:path';
import { openEventsTable } from '../../../src/cli/event-goals.js';
import type { DaoFactory } from '../../../src/index.js';
import { type RunningServer, type ServerOptions, startServer } from '../../../src/server/index.js';
import { type SqlClient, SqlDaoFactory } from '../../../src/sql/index.js';
import { TestDaoFactory } from '../../../src/testing/index.js';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A data source of the samples and how to release it. */
export interface RestData {
  readonly daoFactory: DaoFactory;
  close(): Promise<void>;
}

/**
 * Opens a data source by the name a sample's directive gives: `test-data` (the reference's test data) or
 * the name of an events file `fixtures/events/<name>.parquet` (e.g. `demo-events`).
 */
export async function openRestData(name: string): Promise<RestData> {
  if (name === 'test-data') return { daoFactory: new TestDaoFactory(), close: async () => {} };
  const table = await openEventsTable({
    kind: 'file',
    path: join(ROOT, 'fixtures', 'events', `${name}.parquet`),
  });
  // One DuckDB connection for every request, its queries one at a time (as `ep-stats serve` does).
  let previous: Promise<unknown> = Promise.resolve();
  const shared: SqlClient = {
    query(sql, parameters) {
      const result = previous.then(() => table.client.query(sql, parameters));
      previous = result.catch(() => undefined);
      return result;
    },
    close: async () => {},
  };
  const daoFactory = new SqlDaoFactory({
    connect: async () => shared,
    dialect: table.dialect,
    schema: table.schema,
  });
  return { daoFactory, close: () => table.client.close() };
}

/** Servers over named data sources, each started at its first use and closed by {@link RestServers.close}. */
export class RestServers {
  private readonly servers = new Map<string, Promise<{ server: RunningServer; data: RestData }>>();

  /** @param options - Further options of every server (e.g. `apiKeys`). */
  constructor(private readonly options: Partial<ServerOptions> = {}) {}

  /** The server over the data source `name` (see {@link openRestData}). */
  async server(name: string): Promise<RunningServer> {
    let started = this.servers.get(name);
    if (started === undefined) {
      started = openRestData(name).then(async (data) => {
        const server = await startServer({
          host: '127.0.0.1',
          port: 0,
          logLevel: 'silent',
          ...this.options,
          daoFactory: data.daoFactory,
        });
        return { server, data };
      });
      this.servers.set(name, started);
    }
    return (await started).server;
  }

  /** Closes every server and its data source. */
  async close(): Promise<void> {
    for (const started of this.servers.values()) {
      const { server, data } = await started;
      await server.close();
      await data.close();
    }
    this.servers.clear();
  }
}
