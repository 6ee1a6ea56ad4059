/**
 * `SqlDao` on a `Distributed` table over two ClickHouse shards (test/sql/clickhouse-cluster-setup.ts)
 * returns the same goal rows as DuckDB on the same generated events, split between the shards by unit id,
 * for every demo scenario (dates, dimension conditions, filters of each scope); the rows are per-variant
 * sums however many events there are; and the second shard scans its own part of the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClickHouseClient,
  clickhouseDialect,
  EventsSchema,
  generateEvents,
  SqlDao,
  type SqlRow,
  SYNTHETIC_DIMENSIONS,
  type SyntheticEvent,
} from '../../src/sql/index.js';
import {
  clickhouseTestCluster,
  createTypedEventsTable,
  openClickHouse,
} from './support/clickhouse-server.js';
import { AGGREGATED_NUMBERS, goalRowDifferences } from './support/compare.js';
import { experimentWith } from './support/definitions.js';
import { createTable, openDuckDb, type TestDatabase } from './support/event-tables.js';
import { demoDefinitions, demoScenarios } from './support/scenarios.js';

const cluster = clickhouseTestCluster();
const LOCAL_TABLE = 'distributed_test_events_local';
const DISTRIBUTED_TABLE = 'distributed_test_events';
const DEMO = { unitType: 'user', controlVariant: 'a' };
const VARIANTS = [{ id: 'a' }, { id: 'b', effects: { clicks: 0.2 } }, { id: 'c', effects: { value: 0.1 } }];

/** The experiment of the scenarios (`demo`, 1,000 users), and one with ten times the users (`large`). */
const events = generateEvents({ seed: 11, units: 1_000, days: 10, variants: VARIANTS });
const largeEvents = generateEvents({ seed: 12, units: 10_000, days: 10, variants: VARIANTS, expId: 'large' });

/** The events of shard `index` (0 or 1): units with an even id on the first, odd on the second. */
function shardPart(all: readonly SyntheticEvent[], index: number): SyntheticEvent[] {
  return all.filter((event) => Number(event.unit_id) % 2 === index);
}

async function count(database: TestDatabase, table: string, expId: string): Promise<number> {
  const rows = (await database.client.query(
    `SELECT count() AS n FROM ${table} WHERE exp_id = '${expId}'`,
    [],
  )) as SqlRow[];
  return Number(rows[0]?.n);
}

describe.skipIf(cluster.shardUrls.length === 0)('SqlDao on a Distributed table over two shards', () => {
  let duckdb: TestDatabase;
  let shards: TestDatabase[] = [];
  let duckdbSchema: EventsSchema;
  let localSchema: EventsSchema;
  let distributedSchema: EventsSchema;
  beforeAll(async () => {
    duckdb = await openDuckDb();
    duckdbSchema = await createTable(duckdb, 'events', events, SYNTHETIC_DIMENSIONS, 'date');
    shards = await Promise.all(cluster.shardUrls.map(openClickHouse));
    await Promise.all(
      shards.map(async (shard, index) => {
        const part = [...shardPart(events, index), ...shardPart(largeEvents, index)];
        localSchema = await createTypedEventsTable(shard, LOCAL_TABLE, part);
      }),
    );
    const initiator = shards[0]!;
    await initiator.client.query(`DROP TABLE IF EXISTS ${DISTRIBUTED_TABLE}`, []);
    await initiator.client.query(
      `CREATE TABLE ${DISTRIBUTED_TABLE} AS ${LOCAL_TABLE} ` +
        `ENGINE = Distributed(${cluster.name}, currentDatabase(), ${LOCAL_TABLE})`,
      [],
    );
    distributedSchema = new EventsSchema({
      table: DISTRIBUTED_TABLE,
      dimensions: SYNTHETIC_DIMENSIONS,
      dateType: 'date',
    });
  });
  afterAll(async () => {
    await duckdb?.client.close();
    for (const shard of shards) await shard.client.close();
  });

  it('splits the events between the shards, and the Distributed table reads both', async () => {
    const [first, second] = shards as [TestDatabase, TestDatabase];
    const onFirst = await count(first, LOCAL_TABLE, 'demo');
    const onSecond = await count(second, LOCAL_TABLE, 'demo');
    expect(onFirst).toBe(shardPart(events, 0).length);
    expect(onSecond).toBe(shardPart(events, 1).length);
    expect(onFirst).toBeGreaterThan(0);
    expect(onSecond).toBeGreaterThan(0);
    expect(await count(first, DISTRIBUTED_TABLE, 'demo')).toBe(events.length);
    expect(await count(first, DISTRIBUTED_TABLE, 'large')).toBe(largeEvents.length);
  });

  /** Data access on shard 1: the Distributed table, or (`local`) the shard's own part only. */
  const clickhouseDao = (table: 'distributed' | 'local' = 'distributed') =>
    new SqlDao({
      client: shards[0]!.client,
      dialect: shards[0]!.dialect,
      schema: table === 'distributed' ? distributedSchema : localSchema,
    });
  const duckdbDao = () =>
    new SqlDao({ client: duckdb.client, dialect: duckdb.dialect, schema: duckdbSchema });

  it("differs from DuckDB's rows on one shard's part alone", async () => {
    const [scenario] = demoScenarios;
    const differences = await goalRowDifferences(clickhouseDao('local'), duckdbDao(), scenario!.experiment);
    expect(differences.length).toBeGreaterThan(0);
  });

  for (const { name, experiment } of demoScenarios) {
    it(`returns DuckDB's goal rows: ${name}`, async () => {
      expect(await goalRowDifferences(clickhouseDao(), duckdbDao(), experiment)).toEqual([]);
    });
  }

  it('returns one row per goal and variant, whatever the event count', async () => {
    const small = experimentWith({ ...DEMO, id: 'demo' }, {}, demoDefinitions);
    const large = experimentWith({ ...DEMO, id: 'large' }, {}, demoDefinitions);
    const dao = clickhouseDao();
    const identity = (row: SqlRow) =>
      JSON.stringify(
        Object.entries(row).filter(([column]) => column !== 'exp_id' && !AGGREGATED_NUMBERS.includes(column)),
      );
    const smallRows = await dao.getAggGoals(small);
    const largeRows = await dao.getAggGoals(large);
    expect(largeEvents.length).toBeGreaterThan(5 * events.length);
    expect(largeRows.map(identity)).toEqual(smallRows.map(identity));
    const exposures = (rows: readonly SqlRow[]) =>
      rows
        .filter((row) => row.goal === 'exposure' && row.agg_type === 'global' && !row.country)
        .reduce((sum, row) => sum + Number(row.count), 0);
    expect(exposures(smallRows)).toBe(1_000);
    expect(exposures(largeRows)).toBe(10_000);
  });

  it("has shard 2 scan its own part and send the experiment's events, not sums, to shard 1", async () => {
    const queryId = `ep-stats-distributed-${process.pid}-${Date.now()}`;
    const client = await ClickHouseClient.connect({
      url: cluster.shardUrls[0]!,
      settings: { log_queries: 1, query_id: queryId },
    });
    const dao = new SqlDao({ client, dialect: clickhouseDialect, schema: distributedSchema });
    await dao.getAggGoals(demoScenarios[0]!.experiment);
    await dao.close();
    const second = shards[1]!;
    await second.client.query('SYSTEM FLUSH LOGS', []);
    const log = (await second.client.query(
      'SELECT read_rows, result_rows, query FROM system.query_log ' +
        `WHERE type = 2 AND is_initial_query = 0 AND initial_query_id = '${queryId}'`,
      [],
    )) as SqlRow[];
    expect(log).toHaveLength(1);
    expect(String(log[0]?.query)).toContain(`FROM default.${LOCAL_TABLE}`);
    expect(Number(log[0]?.result_rows)).toBe(shardPart(events, 1).length);
  });
});
