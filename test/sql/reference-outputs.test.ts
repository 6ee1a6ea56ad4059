import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlDao } from '../../src/sql/index.js';
import { TestData } from '../../src/testing/index.js';
import { compareWithReference } from '../support/compare-evaluation.js';
import { experimentOfRequest, loadReferenceCases } from '../support/reference-cases.js';
import { withFilters } from '../testing/reference-experiment.js';
import { clickhouseTestUrl, openClickHouse } from './support/clickhouse-server.js';
import {
  BY_UNIT_DIMENSIONS,
  createTable,
  openDuckDb,
  openPostgres,
  referenceByUnitEvents,
  type TestDatabase,
} from './support/event-tables.js';
import { postgresTestUrl } from './support/postgres.js';

const postgresUrl = postgresTestUrl();
const clickhouseUrl = clickhouseTestUrl();
const unitIds = new Set(TestData.loadGoalsByUnit().map((row) => String(row.exp_id)));
const cases = loadReferenceCases().filter(
  (c) => c.source === 'fixture' && c.kind === 'by_unit' && unitIds.has(c.request.id),
);

function referenceSuite(title: string, open: () => Promise<TestDatabase>, table: string): void {
  describe(title, () => {
    let database: TestDatabase;
    let dao: SqlDao;
    beforeAll(async () => {
      database = await open();
      await database.client.query(`DROP TABLE IF EXISTS ${table}`, []);
      const schema = await createTable(database, table, referenceByUnitEvents(), BY_UNIT_DIMENSIONS);
      dao = new SqlDao({ client: database.client, dialect: database.dialect, schema });
    });
    afterAll(async () => {
      await database?.client.close();
    });

    it('covers the by-unit reference cases of goals_by_unit.csv, trigger and exposure filters included', () => {
      expect(cases.length).toBeGreaterThanOrEqual(2);
      expect(cases.some((c) => (c.request.filters ?? []).length > 0)).toBe(true);
    });

    for (const referenceCase of cases) {
      it(`getUnitGoals + evaluateByUnit reproduces ${referenceCase.name}`, async () => {
        const experiment = withFilters(experimentOfRequest(referenceCase.request), referenceCase.request);
        const evaluation = experiment.evaluateByUnit(await dao.getUnitGoals(experiment));
        expect(compareWithReference(evaluation, referenceCase.expected)).toEqual([]);
      });
    }
  });
}

referenceSuite('SqlDao over the reference by-unit data as events (DuckDB)', openDuckDb, 'reference_events');

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  referenceSuite(
    'SqlDao over the reference by-unit data as events (PostgreSQL)',
    () => openPostgres(postgresUrl),
    'reference_events',
  );
});

describe.skipIf(!clickhouseUrl)('ClickHouse', () => {
  referenceSuite(
    'SqlDao over the reference by-unit data as events (ClickHouse)',
    () => openClickHouse(clickhouseUrl),
    'reference_events',
  );
});
