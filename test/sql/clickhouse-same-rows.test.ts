/**
 * ClickHouse returns the same goal rows as DuckDB for every equivalence case, also from a table typed as
 * ClickHouse tables usually are (MergeTree, no Nullable columns, numeric unit ids, `''` for no dimension).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventsSchema, SqlDao, type SqlRow } from '../../src/sql/index.js';
import {
  clickhouseTestUrl,
  createTypedEventsTable,
  openClickHouse,
  recreateClickHouseTable,
} from './support/clickhouse-server.js';
import { goalRowDifferences } from './support/compare.js';
import {
  BY_UNIT_DIMENSIONS,
  createTable,
  loadDemoCsvIntoDuckDb,
  openDuckDb,
  readEvents,
  referenceByUnitEvents,
  type TestDatabase,
} from './support/event-tables.js';
import { demoScenarios, referenceScenarios, type Scenario } from './support/scenarios.js';

const clickhouseUrl = clickhouseTestUrl();
const TYPED_TABLE = 'same_rows_typed_demo_events';

describe.skipIf(!clickhouseUrl)('DuckDB and ClickHouse return the same goal rows', () => {
  let duckdb: TestDatabase;
  let clickhouse: TestDatabase;
  let demoEventCount = 0;
  const schemas: Record<string, { duckdb: EventsSchema; clickhouse: EventsSchema }> = {};
  beforeAll(async () => {
    duckdb = await openDuckDb();
    clickhouse = await openClickHouse(clickhouseUrl);
    const demo = await loadDemoCsvIntoDuckDb(duckdb.client, 'demo_events');
    const demoEvents = await readEvents(duckdb, demo);
    demoEventCount = demoEvents.length;
    schemas.demo = {
      duckdb: demo,
      clickhouse: await createTypedEventsTable(clickhouse, TYPED_TABLE, demoEvents),
    };
    schemas.byUnit = {
      duckdb: await createTable(duckdb, 'by_unit_events', referenceByUnitEvents(), BY_UNIT_DIMENSIONS),
      clickhouse: await recreateClickHouseTable(
        clickhouse,
        'same_rows_by_unit_events',
        referenceByUnitEvents(),
        BY_UNIT_DIMENSIONS,
      ),
    };
  });
  afterAll(async () => {
    await duckdb?.client.close();
    await clickhouse?.client.close();
  });

  it('loads every demo event into the typed table', async () => {
    const [row] = (await clickhouse.client.query(`SELECT count() AS n FROM ${TYPED_TABLE}`, [])) as SqlRow[];
    expect(row?.n).toBe(demoEventCount);
  });

  const cases: [string, string, Scenario][] = [
    ...demoScenarios.map(
      (scenario) =>
        [`demo events (typed table), ${scenario.name}`, 'demo', scenario] as [string, string, Scenario],
    ),
    ...referenceScenarios.map(
      (scenario) =>
        [`reference by-unit events, ${scenario.name}`, 'byUnit', scenario] as [string, string, Scenario],
    ),
  ];
  for (const [name, dataset, { experiment }] of cases) {
    it(name, async () => {
      const schema = schemas[dataset]!;
      const fromDuckDb = new SqlDao({
        client: duckdb.client,
        dialect: duckdb.dialect,
        schema: schema.duckdb,
      });
      const fromClickHouse = new SqlDao({
        client: clickhouse.client,
        dialect: clickhouse.dialect,
        schema: schema.clickhouse,
      });
      expect(await goalRowDifferences(fromClickHouse, fromDuckDb, experiment)).toEqual([]);
    });
  }
});
