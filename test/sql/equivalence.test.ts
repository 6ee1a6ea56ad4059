import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventRecord, type EventsSchema, SqlDao, SYNTHETIC_DIMENSIONS } from '../../src/sql/index.js';
import { clickhouseTestUrl, loadIntoClickHouse, openClickHouse } from './support/clickhouse-server.js';
import { compareEvaluations, compareGoalRows, goalRowDifferences, UNIT_NUMBERS } from './support/compare.js';
import { hasSingleGoalNominator } from './support/definitions.js';
import {
  BY_UNIT_DIMENSIONS,
  createTable,
  loadDemoCsvIntoDuckDb,
  openDuckDb,
  openPostgres,
  readEvents,
  referenceByUnitEvents,
  type TestDatabase,
} from './support/event-tables.js';
import { postgresTestUrl } from './support/postgres.js';
import { referenceUnitGoals } from './support/reference-unit-goals.js';
import {
  demoDefinitions,
  demoScenarios,
  referenceDefinitions,
  referenceScenarios,
  type Scenario,
  withMeanKinds,
  withWinsorizedMetrics,
} from './support/scenarios.js';

const postgresUrl = postgresTestUrl();
const clickhouseUrl = clickhouseTestUrl();

interface Dataset {
  readonly schema: EventsSchema;
  /** The table's rows, read straight back. */
  readonly events: readonly EventRecord[];
}

/**
 * The equivalence checks of one engine: for each scenario, SQL aggregation + evaluateAgg equals the
 * in-memory per-unit aggregation + evaluateByUnit, and the SQL per-unit rows equal the in-memory ones.
 */
function equivalenceSuite(
  title: string,
  open: () => Promise<TestDatabase>,
  load: (database: TestDatabase) => Promise<{ demo: EventsSchema; byUnit: EventsSchema }>,
): void {
  describe(title, () => {
    let database: TestDatabase;
    const datasets: Record<'demo' | 'byUnit', Dataset> = {} as never;

    beforeAll(async () => {
      database = await open();
      const schemas = await load(database);
      datasets.demo = { schema: schemas.demo, events: await readEvents(database, schemas.demo) };
      datasets.byUnit = { schema: schemas.byUnit, events: await readEvents(database, schemas.byUnit) };
    });
    afterAll(async () => {
      await database?.client.close();
    });

    const cases: [string, 'demo' | 'byUnit', Scenario][] = [
      ...demoScenarios.map(
        (scenario) => [`demo events, ${scenario.name}`, 'demo', scenario] as [string, 'demo', Scenario],
      ),
      ...referenceScenarios.map(
        (scenario) =>
          [`reference by-unit events, ${scenario.name}`, 'byUnit', scenario] as [string, 'byUnit', Scenario],
      ),
    ];

    for (const [name, dataset, { experiment }] of cases) {
      it(`getAggGoals + evaluateAgg equals in-memory per-unit goals + evaluateByUnit: ${name}`, async () => {
        const { schema, events } = datasets[dataset];
        const dao = new SqlDao({ client: database.client, dialect: database.dialect, schema });
        const rows = await dao.getAggGoals(experiment);
        expect(rows.length).toBeGreaterThan(0);
        // Every metric as a mean: by unit, ratio metrics would otherwise use the delta method, which goal
        // sums cannot (their means still agree, checked below).
        const reference = withMeanKinds(experiment);
        const fromSql = reference.evaluateAgg(rows, { timestamp: 0 });
        const unitGoals = referenceUnitGoals(events, experiment);
        const inMemory = reference.evaluateByUnit(unitGoals, { timestamp: 0 });
        const single = new Set(experiment.metrics.filter(hasSingleGoalNominator).map((metric) => metric.id));
        expect(compareEvaluations(fromSql, inMemory, (id) => single.has(id))).toEqual([]);
        const derived = experiment.evaluateByUnit(unitGoals, { timestamp: 0 });
        derived.metrics.forEach((row, index) => {
          const mean = inMemory.metrics[index]!.mean;
          if (Number.isNaN(mean)) expect(row.mean).toBeNaN();
          else expect(Math.abs(row.mean - mean)).toBeLessThanOrEqual(1e-12 * Math.abs(mean));
        });
      });

      it(`getUnitGoals returns the in-memory per-unit goals (and the same by-unit evaluation, winsorized too): ${name}`, async () => {
        const { schema, events } = datasets[dataset];
        const winsorized = withWinsorizedMetrics(experiment);
        const dao = new SqlDao({ client: database.client, dialect: database.dialect, schema });
        const rows = await dao.getUnitGoals(winsorized);
        const expected = referenceUnitGoals(events, winsorized);
        expect(compareGoalRows(rows, expected, UNIT_NUMBERS)).toEqual([]);
        const fromSql = winsorized.evaluateByUnit(rows, { timestamp: 0 });
        expect(compareEvaluations(fromSql, winsorized.evaluateByUnit(expected, { timestamp: 0 }))).toEqual(
          [],
        );
      });
    }
  });
}

async function loadIntoDuckDb(database: TestDatabase) {
  const demo = await loadDemoCsvIntoDuckDb(database.client, 'demo_events');
  const byUnit = await createTable(database, 'by_unit_events', referenceByUnitEvents(), BY_UNIT_DIMENSIONS);
  return { demo, byUnit };
}

/** PostgreSQL gets the demo rows as DuckDB reads them from the CSV, in a table with a text `date`. */
async function loadIntoPostgres(database: TestDatabase) {
  const duckdb = await openDuckDb();
  const demoEvents = await readEvents(duckdb, await loadDemoCsvIntoDuckDb(duckdb.client, 'demo_events'));
  await duckdb.client.close();
  await database.client.query('DROP TABLE IF EXISTS demo_events, by_unit_events', []);
  const demo = await createTable(database, 'demo_events', demoEvents, SYNTHETIC_DIMENSIONS);
  const byUnit = await createTable(database, 'by_unit_events', referenceByUnitEvents(), BY_UNIT_DIMENSIONS);
  return { demo, byUnit };
}

describe('the equivalence cases', () => {
  it('cover the reference fixtures definitions and every dimension operator', () => {
    const nominators = demoDefinitions.metrics.map((metric) => metric.nominator).join(' ');
    for (const operator of ['=^', '!=', '>', '>=', '<', '<=', '%', '|'])
      expect(nominators).toContain(operator);
    expect(demoDefinitions.metrics.length).toBeGreaterThanOrEqual(30);
    const checkTypes = demoDefinitions.checks.map((check) => check.constructor.name);
    expect(new Set(checkTypes)).toEqual(new Set(['SrmCheck', 'SumRatioCheck']));
    expect(referenceDefinitions.metrics.map((metric) => metric.nominator)).toContain(
      'value(test_unit_type.unit.conversion)',
    );
  });
});

equivalenceSuite('SqlDao on DuckDB', openDuckDb, loadIntoDuckDb);

describe.skipIf(!postgresUrl)('SqlDao on PostgreSQL', () => {
  equivalenceSuite('equivalence', () => openPostgres(postgresUrl), loadIntoPostgres);

  describe('DuckDB and PostgreSQL return the same goal rows', () => {
    let duckdb: TestDatabase;
    let postgres: TestDatabase;
    const schemas: Record<string, { duckdb: EventsSchema; postgres: EventsSchema }> = {};
    beforeAll(async () => {
      duckdb = await openDuckDb();
      postgres = await openPostgres(postgresUrl);
      const demo = await loadDemoCsvIntoDuckDb(duckdb.client, 'demo_events');
      const demoEvents = await readEvents(duckdb, demo);
      await postgres.client.query('DROP TABLE IF EXISTS demo_events_same, by_unit_events_same', []);
      schemas.demo = {
        duckdb: demo,
        postgres: await createTable(postgres, 'demo_events_same', demoEvents, SYNTHETIC_DIMENSIONS),
      };
      schemas.byUnit = {
        duckdb: await createTable(duckdb, 'by_unit_events', referenceByUnitEvents(), BY_UNIT_DIMENSIONS),
        postgres: await createTable(
          postgres,
          'by_unit_events_same',
          referenceByUnitEvents(),
          BY_UNIT_DIMENSIONS,
        ),
      };
    });
    afterAll(async () => {
      await duckdb?.client.close();
      await postgres?.client.close();
    });

    const cases: [string, string, Scenario][] = [
      ...demoScenarios.map(
        (scenario) => [`demo events, ${scenario.name}`, 'demo', scenario] as [string, string, Scenario],
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
        const fromPostgres = new SqlDao({
          client: postgres.client,
          dialect: postgres.dialect,
          schema: schema.postgres,
        });
        expect(await goalRowDifferences(fromPostgres, fromDuckDb, experiment)).toEqual([]);
      });
    }
  });
});

describe.skipIf(!clickhouseUrl)('SqlDao on ClickHouse', () => {
  equivalenceSuite('equivalence', () => openClickHouse(clickhouseUrl), loadIntoClickHouse);
});
