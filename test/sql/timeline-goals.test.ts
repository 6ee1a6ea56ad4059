import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentOptions, Filter } from '../../src/index.js';
import {
  compileTimelineGoalsQuery,
  duckdbDialect,
  type EventRecord,
  type EventsSchema,
  SqlDao,
  SYNTHETIC_DIMENSIONS,
} from '../../src/sql/index.js';
import { clickhouseTestUrl, loadIntoClickHouse, openClickHouse } from './support/clickhouse-server.js';
import { AGGREGATED_NUMBERS, compareEvaluations, compareGoalRows } from './support/compare.js';
import { experimentWith } from './support/definitions.js';
import {
  createTable,
  loadDemoCsvIntoDuckDb,
  openDuckDb,
  openPostgres,
  readEvents,
  type TestDatabase,
} from './support/event-tables.js';
import { postgresTestUrl } from './support/postgres.js';
import { demoDefinitions } from './support/scenarios.js';

const postgresUrl = postgresTestUrl();
const clickhouseUrl = clickhouseTestUrl();

const demoBase = { id: 'demo', unitType: 'user', controlVariant: 'a' };

/** Timeline scenarios on the demo events (dated 2024-01-01 to 2024-01-10). */
const SCENARIOS: readonly { name: string; options: Partial<ExperimentOptions>; days: string[] }[] = [
  {
    name: 'ten days, no filters',
    options: { dateFrom: '2024-01-01', dateTo: '2024-01-10', dateFor: '2024-01-10' },
    days: Array.from({ length: 10 }, (_, index) => `2024-01-${String(index + 1).padStart(2, '0')}`),
  },
  {
    name: 'every filter scope, evaluated before the last day',
    options: {
      dateFrom: '2024-01-02',
      dateTo: '2024-01-09',
      dateFor: '2024-01-08',
      filters: [
        new Filter({ scope: 'goal', dimension: 'product', values: ['1', '2', '3', '10'] }),
        new Filter({ scope: 'trigger', goal: 'view', dimension: 'element', values: ['button-1'] }),
        new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'US', 'FR'] }),
      ],
    },
    days: ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07', '2024-01-08'],
  },
  {
    name: 'dateFrom only',
    options: { dateFrom: '2024-01-04', dateFor: '2024-01-06' },
    days: ['2024-01-04', '2024-01-05', '2024-01-06'],
  },
];

/** The rows of one day without their `day` column. */
function rowsOf(rows: readonly Record<string, unknown>[], day: string): Record<string, unknown>[] {
  return rows.filter((row) => row.day === day).map(({ day: _, ...row }) => row);
}

/**
 * The timeline checks of one engine: the day-N rows of the timeline statement equal the rows of the
 * aggregated goals statement of the experiment cut at day N (`dateTo = dateFor = N`), and day N of the
 * timeline's evaluation equals `evaluateAgg` of the experiment with `dateFor = N` (its `dateTo` kept, so its
 * O'Brien-Fleming level) on those rows.
 */
function timelineSuite(
  open: () => Promise<TestDatabase>,
  load: (database: TestDatabase) => Promise<EventsSchema>,
) {
  let database: TestDatabase;
  let schema: EventsSchema;
  beforeAll(async () => {
    database = await open();
    schema = await load(database);
  });
  afterAll(async () => {
    await database?.client.close();
  });

  for (const { name, options, days } of SCENARIOS) {
    it(`day N of the timeline equals the aggregated goals of the experiment cut at day N: ${name}`, async () => {
      const dao = new SqlDao({ client: database.client, dialect: database.dialect, schema });
      const experiment = experimentWith(demoBase, options, demoDefinitions);
      const rows = await dao.getTimelineGoals(experiment);
      expect([...new Set(rows.map((row) => row.day))]).toEqual(days);
      const timeline = experiment.evaluateTimeline(rows, { timestamp: 0 });
      for (const [index, day] of days.entries()) {
        const cut = experimentWith(demoBase, { ...options, dateTo: day, dateFor: day }, demoDefinitions);
        const expected = await dao.getAggGoals(cut);
        expect(expected.length).toBeGreaterThan(0);
        expect(compareGoalRows(rowsOf(rows, day), expected, AGGREGATED_NUMBERS)).toEqual([]);
        const onDay = experimentWith(demoBase, { ...options, dateFor: day }, demoDefinitions);
        const evaluation = onDay.evaluateAgg(expected, { timestamp: 0 });
        expect(compareEvaluations(timeline.evaluations[index]!, evaluation)).toEqual([]);
      }
    });
  }
}

describe('SqlDao.getTimelineGoals on DuckDB (DATE column)', () => {
  timelineSuite(openDuckDb, (database) => loadDemoCsvIntoDuckDb(database.client, 'demo_events'));
});

/** The demo rows as DuckDB reads them from the CSV, for the other engines. */
async function demoEvents(): Promise<EventRecord[]> {
  const duckdb = await openDuckDb();
  const events = await readEvents(duckdb, await loadDemoCsvIntoDuckDb(duckdb.client, 'demo_events'));
  await duckdb.client.close();
  return events;
}

describe('SqlDao.getTimelineGoals on DuckDB (text date column)', () => {
  timelineSuite(openDuckDb, async (database) =>
    createTable(database, 'demo_events_text', await demoEvents(), SYNTHETIC_DIMENSIONS),
  );
});

describe.skipIf(!postgresUrl)('SqlDao.getTimelineGoals on PostgreSQL', () => {
  describe('text date column', () => {
    timelineSuite(
      () => openPostgres(postgresUrl),
      async (database) => {
        await database.client.query('DROP TABLE IF EXISTS demo_events_timeline', []);
        return createTable(database, 'demo_events_timeline', await demoEvents(), SYNTHETIC_DIMENSIONS);
      },
    );
  });
  describe('date column', () => {
    timelineSuite(
      () => openPostgres(postgresUrl),
      async (database) => {
        await database.client.query('DROP TABLE IF EXISTS demo_events_timeline_date', []);
        return createTable(
          database,
          'demo_events_timeline_date',
          await demoEvents(),
          SYNTHETIC_DIMENSIONS,
          'date',
        );
      },
    );
  });
});

describe.skipIf(!clickhouseUrl)('SqlDao.getTimelineGoals on ClickHouse', () => {
  timelineSuite(
    () => openClickHouse(clickhouseUrl),
    async (database) => (await loadIntoClickHouse(database, 'timeline_')).demo,
  );
});

describe('compileTimelineGoalsQuery', () => {
  it('squares cumulative per-unit totals, not daily increments: 1 click on each of two days gives 2² = 4', async () => {
    const database = await openDuckDb();
    const event = (unit: string, date: string, goal: string): EventRecord => ({
      exp_id: 'e',
      exp_variant_id: 'a',
      unit_type: 'u',
      unit_id: unit,
      date,
      goal,
      count: 1,
      value: goal === 'order' ? 5 : 0,
    });
    const schema = await createTable(
      database,
      'tiny',
      [
        event('1', '2024-01-01', 'exposure'),
        event('1', '2024-01-01', 'click'),
        event('1', '2024-01-02', 'click'),
        event('1', '2024-01-02', 'order'),
        event('1', '2024-01-03', 'order'),
        event('2', '2024-01-02', 'exposure'),
        event('2', '2024-01-03', 'click'),
      ],
      [],
    );
    const dao = new SqlDao({ client: database.client, dialect: database.dialect, schema });
    const { Experiment, Metric } = await import('../../src/index.js');
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      dateFrom: '2024-01-01',
      dateTo: '2024-01-03',
      dateFor: '2024-01-03',
      metrics: [
        new Metric({
          id: 1,
          name: 'Clicks',
          nominator: 'count(u.unit.click)',
          denominator: 'count(u.global.exposure)',
        }),
        new Metric({
          id: 2,
          name: 'Revenue',
          nominator: 'value(u.unit.order)',
          denominator: 'count(u.global.exposure)',
        }),
      ],
    });
    const rows = await dao.getTimelineGoals(experiment);
    const cell = (day: string, goal: string) => rows.find((row) => row.day === day && row.goal === goal);
    // Day 1: unit 1 has 1 click. Day 2: unit 1 has 1 + 1 = 2 clicks (2² = 4, not 1² + 1² = 2).
    // Day 3: unit 1 has 2 clicks, unit 2 has 1: count 3, sum of squares 2² + 1² = 5, 2 units with a click.
    expect([cell('2024-01-01', 'click')?.count, cell('2024-01-01', 'click')?.sum_sqr_count]).toEqual([1, 1]);
    expect([cell('2024-01-02', 'click')?.count, cell('2024-01-02', 'click')?.sum_sqr_count]).toEqual([2, 4]);
    expect(cell('2024-01-03', 'click')).toMatchObject({ count: 3, sum_sqr_count: 5, count_unique: 2 });
    // Orders: 5 on day 2, another 5 on day 3 by the same unit: sum_value 10, sum_sqr_value 10² = 100.
    expect(cell('2024-01-02', 'order')).toMatchObject({ sum_value: 5, sum_sqr_value: 25 });
    expect(cell('2024-01-03', 'order')).toMatchObject({ sum_value: 10, sum_sqr_value: 100 });
    // No order yet on day 1: no row; exposures grow with the units: 1, 2, 2.
    expect(cell('2024-01-01', 'order')).toBeUndefined();
    expect(['2024-01-01', '2024-01-02', '2024-01-03'].map((day) => cell(day, 'exposure')?.count)).toEqual([
      1, 2, 2,
    ]);
    await database.client.close();
  });

  it('rejects an experiment without dateFrom, an evaluation day before dateFrom and a dimension named day', async () => {
    const { Experiment, Metric, ValidationError } = await import('../../src/index.js');
    const options = { schema: { table: 'events', dimensions: ['day'] }, dialect: duckdbDialect };
    const base = { id: 'e', controlVariant: 'a', unitType: 'u' };
    const error = (run: () => unknown) => {
      try {
        run();
      } catch (caught) {
        return caught;
      }
      return undefined;
    };
    const noStart = error(() => compileTimelineGoalsQuery(new Experiment(base), options));
    expect(noStart).toBeInstanceOf(ValidationError);
    expect((noStart as InstanceType<typeof ValidationError>).path).toEqual(['dateFrom']);
    const future = new Experiment({ ...base, dateFrom: '2999-01-01' });
    expect((error(() => compileTimelineGoalsQuery(future, options)) as { path: unknown }).path).toEqual([
      'dateFor',
    ]);
    const byDay = new Experiment({
      ...base,
      dateFrom: '2024-01-01',
      dateFor: '2024-01-02',
      metrics: [
        new Metric({
          id: 1,
          name: 'M',
          nominator: 'count(u.unit.click(day=x))',
          denominator: 'count(u.global.exposure)',
        }),
      ],
    });
    expect((error(() => compileTimelineGoalsQuery(byDay, options)) as { path: unknown }).path).toEqual([
      'dimensions',
      0,
    ]);
  });
});
