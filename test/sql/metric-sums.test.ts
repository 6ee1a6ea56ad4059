import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Evaluation,
  Experiment,
  Filter,
  Metric,
  type MetricRow,
  type MetricSumsRow,
  type UnitGoalRow,
  ValidationError,
} from '../../src/index.js';
import { type EventsSchema, type SqlClient, SqlDao, SYNTHETIC_DIMENSIONS } from '../../src/sql/index.js';
import { mismatch, type Tolerance } from '../support/fixtures.js';
import { clickhouseTestUrl, openClickHouse } from './support/clickhouse-server.js';
import {
  createTable,
  loadDemoCsvIntoDuckDb,
  openDuckDb,
  openPostgres,
  readEvents,
  type TestDatabase,
} from './support/event-tables.js';
import {
  DATE_FROM,
  METRIC_SUMS_DIMENSIONS,
  METRIC_SUMS_EVENTS,
  METRIC_SUMS_FILTERS,
  metricSumsExperiment,
} from './support/metric-sums-events.js';
import { postgresTestUrl } from './support/postgres.js';
import {
  metricSumsDifferences,
  referenceMetricSums,
  referencePrePeriodUnitRows,
  unitRowKey,
} from './support/reference-metric-sums.js';
import { referenceUnitGoals } from './support/reference-unit-goals.js';

const postgresUrl = postgresTestUrl();
const clickhouseUrl = clickhouseTestUrl();

/** Engines add in their own order: sums agree to 1e-9 relative. */
const CLOSE: Tolerance = { relative: 1e-9, absolute: 1e-9 };

/** The experiments compared with the in-memory metric sums. */
const CASES: readonly (readonly [string, Experiment])[] = [
  ['no CUPED metric (no pre-period columns)', metricSumsExperiment(false)],
  ['CUPED metrics with 14 and 7 days', metricSumsExperiment(true)],
  ['CUPED metrics, filters of every scope', metricSumsExperiment(true, { filters: METRIC_SUMS_FILTERS })],
  ['dateFrom only', metricSumsExperiment(true, { dateTo: undefined, dateFor: '2024-03-20' })],
];

/** A client that records its statements. */
function recording(client: SqlClient): SqlClient & { readonly statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    query: (sql, parameters) => {
      statements.push(sql);
      return client.query(sql, parameters);
    },
    close: () => client.close(),
  };
}

/** The rows of one metric, by variant. */
const rowsOf = (rows: readonly MetricSumsRow[], metricId: number | string) =>
  Object.fromEntries(
    rows.filter((row) => row.metric_id === metricId).map((row) => [row.exp_variant_id, row]),
  );

/** Differences of means, differences and p-values between two evaluations. */
function statisticsDifferences(actual: Evaluation, expected: Evaluation): string[] {
  const problems: string[] = [];
  expected.metrics.forEach((row, index) => {
    const other = actual.metrics[index];
    const label = `metric ${String(row.metricId)} ${row.expVariantId}`;
    if (other?.metricId !== row.metricId || other.expVariantId !== row.expVariantId) {
      problems.push(`${label}: row ${index} is ${String(other?.metricId)}/${other?.expVariantId}`);
      return;
    }
    for (const field of ['mean', 'diff', 'pValue'] as const) {
      const problem = mismatch(other[field], row[field], CLOSE);
      if (problem) problems.push(`${label} ${field}: ${problem}`);
    }
  });
  return problems;
}

/** Metrics of the demo events whose by-unit evaluation reads every exposed unit, as metric sums do. */
const demoExperiment = new Experiment({
  id: 'demo',
  controlVariant: 'a',
  unitType: 'user',
  metrics: [
    ['value(user.unit.conversion)', 'count(user.unit.conversion)'],
    ['value(user.unit.conversion) - value(user.unit.refund)', 'count(user.global.exposure)'],
    ['count(user.unit.click(element=button-%))', 'count(user.global.exposure)'],
    ['count(user.unit.click)', 'count(user.unit.view)'],
    ['unique(user.unit.conversion)', 'count(user.unit.exposure)'],
    ['count(user.unit.click) / 2 + count(user.unit.view)', 'count(user.unit.exposure)'],
  ].map(
    ([nominator, denominator], index) =>
      new Metric({ id: index + 1, name: nominator!, nominator: nominator!, denominator: denominator! }),
  ),
});

/**
 * A CUPED `mean` metric (net revenue per exposure, 7 days) and a CUPED `ratio` metric (revenue per order,
 * 14 days) of the metric sums events, with an exposure filter that every exposed unit passes and that drops
 * units 9 and 10 (goals without an exposure in the period): by-unit evaluation then reads the exposed units
 * only, as metric sums do.
 */
const cupedByUnitExperiment = new Experiment({
  id: 'ms',
  controlVariant: 'a',
  unitType: 'user',
  dateFrom: DATE_FROM,
  dateTo: '2024-03-28',
  dateFor: '2024-03-28',
  metrics: [
    new Metric({
      id: 1,
      name: 'Net revenue per exposure',
      nominator: 'value(user.unit.conversion) - value(user.unit.refund)',
      denominator: 'count(user.unit.exposure)',
      cuped: { preDays: 7 },
    }),
    new Metric({
      id: 2,
      name: 'Revenue per order',
      nominator: 'value(user.unit.order)',
      denominator: 'count(user.unit.order)',
      cuped: { preDays: 14 },
    }),
  ],
  filters: [new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'DE'] })],
});

/** The statistics of the CUPED comparison: the estimate, its test and the adjustment. */
const CUPED_FIELDS = [
  'mean',
  'diff',
  'standardError',
  'pValue',
  'cupedTheta',
  'varianceReduction',
] as const satisfies readonly (keyof MetricRow)[];

/** Differences of {@link CUPED_FIELDS} between two evaluations, row by row. */
function cupedDifferences(actual: Evaluation, expected: Evaluation): string[] {
  const problems: string[] = [];
  if (actual.metrics.length !== expected.metrics.length) {
    problems.push(`${actual.metrics.length} metric rows, expected ${expected.metrics.length}`);
  }
  expected.metrics.forEach((row, index) => {
    const other = actual.metrics[index];
    const label = `metric ${String(row.metricId)} ${row.expVariantId}`;
    if (other?.metricId !== row.metricId || other.expVariantId !== row.expVariantId) {
      problems.push(`${label}: row ${index} is ${String(other?.metricId)}/${other?.expVariantId}`);
      return;
    }
    for (const field of CUPED_FIELDS) {
      const problem = mismatch(other[field] as number, row[field] as number, CLOSE);
      if (problem) problems.push(`${label} ${field}: ${problem}`);
    }
  });
  return problems;
}

/** Rows with their numbers, sorted by identity, for comparison. */
function sortedUnitRows(rows: readonly UnitGoalRow[], dimensions: readonly string[]): UnitGoalRow[] {
  return [...rows].sort((a, b) => (unitRowKey(a, dimensions) < unitRowKey(b, dimensions) ? -1 : 1));
}

/** Differences between two lists of unit rows (same identities; `count` and `sum_value` within CLOSE). */
function unitRowDifferences(
  actual: readonly UnitGoalRow[],
  expected: readonly UnitGoalRow[],
  dimensions: readonly string[],
): string[] {
  const problems: string[] = [];
  const left = sortedUnitRows(actual, dimensions);
  const right = sortedUnitRows(expected, dimensions);
  const keys = (rows: readonly UnitGoalRow[]) => rows.map((row) => unitRowKey(row, dimensions));
  if (JSON.stringify(keys(left)) !== JSON.stringify(keys(right))) {
    problems.push(`rows ${JSON.stringify(keys(left))}, expected ${JSON.stringify(keys(right))}`);
    return problems;
  }
  right.forEach((row, index) => {
    for (const column of ['count', 'sum_value'] as const) {
      const problem = mismatch(Number(left[index]![column]), Number(row[column]), CLOSE);
      if (problem) problems.push(`${unitRowKey(row, dimensions)} ${column}: ${problem}`);
    }
  });
  return problems;
}

function metricSumsSuite(
  title: string,
  open: () => Promise<TestDatabase>,
  loadDemo: (database: TestDatabase) => Promise<EventsSchema>,
): void {
  describe(title, () => {
    let database: TestDatabase;
    const schemas: Partial<Record<'text' | 'date' | 'demo', EventsSchema>> = {};
    const dao = (dateType: 'text' | 'date' | 'demo', client?: SqlClient) =>
      new SqlDao({
        client: client ?? database.client,
        dialect: database.dialect,
        schema: schemas[dateType]!,
      });

    beforeAll(async () => {
      database = await open();
      for (const dateType of ['text', 'date'] as const) {
        const table = `metric_sums_events_${dateType}`;
        await database.client.query(`DROP TABLE IF EXISTS ${table}`, []);
        schemas[dateType] = await createTable(
          database,
          table,
          METRIC_SUMS_EVENTS,
          METRIC_SUMS_DIMENSIONS,
          dateType,
        );
      }
      schemas.demo = await loadDemo(database);
    });
    afterAll(async () => {
      await database?.client.close();
    });

    for (const dateType of ['text', 'date'] as const) {
      for (const [name, experiment] of CASES) {
        it(`getMetricSums equals the in-memory metric sums (${dateType} dates): ${name}`, async () => {
          const rows = await dao(dateType).getMetricSums(experiment);
          const expected = referenceMetricSums(METRIC_SUMS_EVENTS, experiment);
          expect(rows.length).toBe(expected.length);
          expect(metricSumsDifferences(rows, expected, CLOSE)).toEqual([]);
          const cuped = experiment.metrics.some((metric) => metric.cuped !== undefined);
          for (const row of rows) expect('sum_u' in row).toBe(cuped);
        });
      }
    }

    it('counts the exposed units only, and gives exposed units without goals and variants without goals zeros', async () => {
      const rows = await dao('text').getMetricSums(metricSumsExperiment(false));
      const revenue = rowsOf(rows, 1);
      // Units 1-4 in a (not unit 9, without exposure), 5-8 in b (not unit 10, exposed before dateFrom), 11 in c.
      expect([revenue.a?.units, revenue.b?.units, revenue.c?.units]).toEqual([4, 4, 1]);
      // Orders: unit 1 (30 + 12.5 in 2 orders), unit 4 (55.5 in 2); none after dateTo or of unit 9.
      expect(revenue.a).toMatchObject({
        sum_x: 98,
        sum_x2: 42.5 ** 2 + 55.5 ** 2,
        sum_y: 4,
        sum_y2: 8,
        sum_xy: 196,
      });
      expect(revenue.c).toMatchObject({ units: 1, sum_x: 0, sum_x2: 0, sum_y: 0, sum_y2: 0, sum_xy: 0 });
      // Net revenue: unit 1 30 - 5, unit 3 40, units 2 and 4 zero; y is the exposures.
      expect(rowsOf(rows, 2).a).toMatchObject({ sum_x: 65, sum_x2: 25 ** 2 + 40 ** 2, sum_y: 4, sum_y2: 4 });
      expect(rows.map((row) => row.metric_id)).toEqual([
        1,
        1,
        1,
        2,
        2,
        2,
        3,
        3,
        3,
        4,
        4,
        4,
        'orders-and-clicks',
        'orders-and-clicks',
        'orders-and-clicks',
      ]);
    });

    it('reads the pre-period [dateFrom - preDays, dateFrom) of any experiment, with each unit’s variant', async () => {
      const rows = await dao('text').getMetricSums(metricSumsExperiment(true));
      const revenue = rowsOf(rows, 1);
      // Unit 1: 20 on 2024-03-01 (NULL experiment, dateFrom - 14 days) + 7 (another experiment); not 99 on
      // 2024-02-29 nor the session's order. Unit 3: not its order dated dateFrom. Unit 4: 13.
      expect(revenue.a).toMatchObject({ sum_u: 40, sum_u2: 27 ** 2 + 13 ** 2, sum_v: 3, sum_v2: 2 ** 2 + 1 });
      // Unit 6: 15; unit 7: 4 (another experiment, 2 orders) + 1.
      expect(revenue.b).toMatchObject({ sum_u: 20, sum_u2: 15 ** 2 + 5 ** 2, sum_v: 4, sum_v2: 1 + 3 ** 2 });
      // Converters over 7 days: unit 2's conversion (2024-03-10) and unit 1's (2024-03-12), not unit 4's
      // (2024-03-07); unit 3's of another experiment is dated dateFrom.
      expect(rowsOf(rows, 4).a).toMatchObject({ sum_u: 2, sum_v: 0 });
      // A metric without CUPED in an experiment with CUPED metrics: zeros.
      expect(rowsOf(rows, 'orders-and-clicks').a).toMatchObject({ sum_u: 0, sum_uv: 0, sum_xu: 0 });
    });

    it('applies goal filters to the pre-period events, and exposure and trigger filters through the units', async () => {
      const filtered = metricSumsExperiment(true, { filters: METRIC_SUMS_FILTERS });
      const revenue = rowsOf(await dao('text').getMetricSums(filtered), 1);
      // Units with an order after the goal filter: 1 (a), 5 and 7 (b); unit 7's DE order of another
      // experiment is left out of its pre-period.
      expect([revenue.a?.units, revenue.b?.units, revenue.c]).toEqual([1, 2, undefined]);
      expect(revenue.a).toMatchObject({ sum_u: 27 });
      expect(revenue.b).toMatchObject({ sum_u: 1, sum_v: 1 });
    });

    it('evaluateMetricSums on getMetricSums equals evaluateByUnit on getUnitGoals (means, differences, p-values)', async () => {
      const sums = await dao('demo').getMetricSums(demoExperiment);
      const byUnit = demoExperiment.evaluateByUnit(await dao('demo').getUnitGoals(demoExperiment), {
        timestamp: 0,
      });
      const fromSums = demoExperiment.evaluateMetricSums(sums, { timestamp: 0 });
      expect(fromSums.metrics.length).toBe(demoExperiment.metrics.length * 3);
      expect(statisticsDifferences(fromSums, byUnit)).toEqual([]);
      expect(fromSums.exposures.map((row) => row.exposures)).toEqual(
        byUnit.exposures.map((row) => row.exposures),
      );
    });

    for (const dateType of ['text', 'date'] as const) {
      it(`evaluateByUnit on getUnitGoals equals evaluateMetricSums on getMetricSums with a CUPED mean and a CUPED ratio metric (${dateType} dates)`, async () => {
        const experiment = cupedByUnitExperiment;
        const unitRows = await dao(dateType).getUnitGoals(experiment);
        const byUnit = experiment.evaluateByUnit(unitRows, { timestamp: 0 });
        const fromSums = experiment.evaluateMetricSums(await dao(dateType).getMetricSums(experiment), {
          timestamp: 0,
        });
        expect(fromSums.metrics.length).toBe(2 * 3);
        expect(cupedDifferences(byUnit, fromSums)).toEqual([]);
        // The adjustment is there: a theta in the treatment rows of both metrics.
        const treatment = byUnit.metrics.filter((row) => row.expVariantId === 'b');
        expect(treatment.map((row) => row.cupedTheta)).toEqual([expect.any(Number), expect.any(Number)]);
        expect(treatment.every((row) => Number.isFinite(row.cupedTheta) && row.cupedTheta !== 0)).toBe(true);
        expect(byUnit.warnings.filter((warning) => warning.code === 'cuped-without-pre-period')).toEqual([]);
      });
    }

    it('getUnitGoals adds the pre-period rows of exposed units (pre_days d) to the experiment-period rows (pre_days 0)', async () => {
      const experiment = metricSumsExperiment(true);
      const rows = await dao('text').getUnitGoals(experiment);
      const { dimensions } = experiment;
      for (const row of rows) expect(typeof row.pre_days).toBe('number');
      const during = rows.filter((row) => row.pre_days === 0);
      const before = rows.filter((row) => row.pre_days !== 0);
      expect(
        unitRowDifferences(
          during.map(({ pre_days: _, ...row }) => row as UnitGoalRow),
          referenceUnitGoals(METRIC_SUMS_EVENTS, experiment),
          dimensions,
        ),
      ).toEqual([]);
      expect(
        unitRowDifferences(before, referencePrePeriodUnitRows(METRIC_SUMS_EVENTS, experiment), dimensions),
      ).toEqual([]);
      // By hand, for a few units. Unit 1: 20 (NULL experiment, 2024-03-01) + 7 (another experiment) over 14
      // days, not 99 on 2024-02-29 nor the session's order; its conversion of another experiment on
      // 2024-03-12 in both windows; a button click. Unit 4: its conversion of 2024-03-07 in the 14-day window
      // only. Unit 3: events dated dateFrom are not of the pre-period. Units 9 and 10 are not exposed.
      const unit = (id: string) =>
        before
          .filter((row) => row.unit_id === id)
          .map((row) => [row.exp_variant_id, row.pre_days, row.goal, row.element, row.count, row.sum_value])
          .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      expect(unit('1')).toEqual([
        ['a', 14, 'click', 'button-%', 1, 0],
        ['a', 14, 'conversion', '', 1, 3],
        ['a', 14, 'order', '', 2, 27],
        ['a', 7, 'conversion', '', 1, 3],
      ]);
      expect(unit('4')).toEqual([
        ['a', 14, 'conversion', '', 1, 11],
        ['a', 14, 'order', '', 1, 13],
      ]);
      expect(unit('7')).toEqual([['b', 14, 'order', '', 3, 5]]);
      expect([unit('3'), unit('9'), unit('10')]).toEqual([[], [], []]);
    });

    it('getUnitGoals without a CUPED metric has no pre_days column', async () => {
      const rows = await dao('text').getUnitGoals(metricSumsExperiment(false));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect('pre_days' in row).toBe(false);
    });

    it('runs one statement, and none for a CUPED metric without dateFrom', async () => {
      const client = recording(database.client);
      await dao('text', client).getMetricSums(metricSumsExperiment(true));
      expect(client.statements).toHaveLength(1);
      const undated = metricSumsExperiment(true, { dateFrom: undefined });
      const rejection = await dao('text', client)
        .getMetricSums(undated)
        .catch((error: unknown) => error);
      expect(rejection).toBeInstanceOf(ValidationError);
      expect((rejection as ValidationError).path).toEqual(['dateFrom']);
      expect((rejection as ValidationError).message).toBe(
        "Metric 'Revenue per order' (id 1) asks for CUPED, whose pre-period is the 14 days before `dateFrom`, but the experiment has no `dateFrom`; set it",
      );
      expect(client.statements).toHaveLength(1);
      const unitRejection = await dao('text', client)
        .getUnitGoals(undated)
        .catch((error: unknown) => error);
      expect(unitRejection).toBeInstanceOf(ValidationError);
      expect((unitRejection as ValidationError).path).toEqual(['dateFrom']);
      expect((unitRejection as ValidationError).message).toBe((rejection as ValidationError).message);
      expect(client.statements).toHaveLength(1);
    });
  });
}

metricSumsSuite('SqlDao.getMetricSums on DuckDB', openDuckDb, (database) =>
  loadDemoCsvIntoDuckDb(database.client, 'metric_sums_demo'),
);

/** The demo events as DuckDB reads them from the CSV, in a table of another engine (`date` as text). */
async function copyDemo(database: TestDatabase, dateType: 'text' | 'date'): Promise<EventsSchema> {
  const duckdb = await openDuckDb();
  const events = await readEvents(duckdb, await loadDemoCsvIntoDuckDb(duckdb.client, 'demo_events'));
  await duckdb.client.close();
  await database.client.query('DROP TABLE IF EXISTS metric_sums_demo', []);
  return createTable(database, 'metric_sums_demo', events, SYNTHETIC_DIMENSIONS, dateType);
}

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  metricSumsSuite(
    'SqlDao.getMetricSums on PostgreSQL',
    () => openPostgres(postgresUrl),
    (database) => copyDemo(database, 'text'),
  );
});

describe.skipIf(!clickhouseUrl)('ClickHouse', () => {
  metricSumsSuite(
    'SqlDao.getMetricSums on ClickHouse',
    () => openClickHouse(clickhouseUrl),
    (database) => copyDemo(database, 'date'),
  );
});
