import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  Experiment,
  type ExperimentOptions,
  Filter,
  Metric,
  SrmCheck,
} from '../../src/index.js';
import { bigqueryDialect } from '../../src/sql/bigquery-dialect.js';
import {
  compileAggregatedGoalsQuery,
  compileBreakdownGoalsQuery,
  type EventsSchema,
  SqlDao,
  SYNTHETIC_DIMENSIONS,
  sparkDialect,
} from '../../src/sql/index.js';
import { thrownValidationError } from '../support/thrown.js';
import { clickhouseTestUrl, openClickHouse } from './support/clickhouse-server.js';
import { AGGREGATED_NUMBERS, compareEvaluations, compareGoalRows } from './support/compare.js';
import {
  createTable,
  loadDemoCsvIntoDuckDb,
  openDuckDb,
  openPostgres,
  readEvents,
  type TestDatabase,
} from './support/event-tables.js';
import { postgresTestUrl } from './support/postgres.js';

const exposures = 'count(user.global.exposure)';
const metrics = [
  new Metric({ id: 1, name: 'Clicks', nominator: 'count(user.unit.click)', denominator: exposures }),
  new Metric({ id: 2, name: 'Revenue', nominator: 'value(user.unit.conversion)', denominator: exposures }),
  new Metric({
    id: 3,
    name: 'Button-1 views',
    nominator: 'count(user.unit.view(element=button-1))',
    denominator: exposures,
  }),
  new Metric({ id: 4, name: 'Buyers', nominator: 'unique(user.unit.conversion)', denominator: exposures }),
];
const checks = [new SrmCheck({ id: 1, name: 'SRM', denominator: exposures })];

const demo = (options: Partial<ExperimentOptions> = {}) =>
  new Experiment({
    id: 'demo',
    controlVariant: 'a',
    unitType: 'user',
    metrics,
    checks,
    breakdowns: ['country', 'product'],
    ...options,
  });

const SCENARIOS: readonly [string, Partial<ExperimentOptions>][] = [
  ['no dates', {}],
  [
    'sequential dates and a goal filter',
    {
      dateFrom: '2024-01-02',
      dateTo: '2024-01-09',
      dateFor: '2024-01-07',
      filters: [new Filter({ scope: 'goal', dimension: 'element', values: ['button-1', 'button-2'] })],
    },
  ],
];

/** Drops the breakdown columns of the totals rows: what getAggGoals returns. */
function withoutBreakdowns(rows: readonly AggregatedGoalRow[]): Record<string, unknown>[] {
  return rows.map(({ country: _c, product: _p, breakdown: _b, ...rest }) => rest);
}

/**
 * Per engine: the totals equal getAggGoals exactly, and each country's block equals the evaluation of
 * getAggGoals for the experiment with an exposure filter on that country (each demo unit is exposed once,
 * with its country on the exposure, so the filter keeps exactly the segment's units).
 */
function breakdownSuite(
  title: string,
  open: () => Promise<TestDatabase>,
  load: (db: TestDatabase) => Promise<EventsSchema>,
) {
  describe(title, () => {
    let database: TestDatabase;
    let schema: EventsSchema;
    beforeAll(async () => {
      database = await open();
      schema = await load(database);
    });
    afterAll(async () => {
      await database?.client.close();
    });

    for (const [name, options] of SCENARIOS) {
      it(`returns totals equal to getAggGoals and segments equal to their exposure-filtered evaluation: ${name}`, async () => {
        const dao = new SqlDao({ client: database.client, dialect: database.dialect, schema });
        const experiment = demo({ ...options, breakdownTop: 100 });
        const rows = await dao.getAggGoalSegments(experiment);
        const totals = rows.filter((row) => row.breakdown === '');
        // The same sums, up to the order in which the engine adds the per-unit values.
        const plain = await dao.getAggGoals(experiment);
        expect(withoutBreakdowns(totals).length).toBe(plain.length);
        expect(compareGoalRows(withoutBreakdowns(totals), plain, AGGREGATED_NUMBERS)).toEqual([]);

        const result = experiment.evaluateAggSegments(rows, { timestamp: 0 });
        const countries = result.segments.filter((segment) => segment.breakdown === 'country');
        expect(countries.length).toBeGreaterThanOrEqual(3);
        const exposed = countries.reduce((sum, segment) => sum + segment.exposures, 0);
        expect(exposed).toBe(result.overall.exposures.reduce((sum, row) => sum + row.exposures, 0));
        for (const segment of countries) {
          if (segment.value === '(none)') {
            // Units without an exposure in the date range (goals only): no exposures, no country.
            expect(segment.exposures).toBe(0);
            continue;
          }
          const filters = [
            ...(options.filters ?? []),
            new Filter({ scope: 'exposure', dimension: 'country', values: [segment.value] }),
          ];
          const filtered = demo({ ...options, filters });
          const alone = filtered.evaluateAgg(await dao.getAggGoals(filtered), { timestamp: 0 });
          expect(compareEvaluations(segment.evaluation, alone), segment.value).toEqual([]);
        }
        // No exposure carries a product: every unit is in the segment '(none)', which is the totals.
        const products = result.segments.filter((segment) => segment.breakdown === 'product');
        expect(products.map((segment) => segment.value)).toEqual(['(none)']);
        expect(compareEvaluations(products[0]!.evaluation, result.overall)).toEqual([]);
      });
    }
  });
}

breakdownSuite('compileBreakdownGoalsQuery on DuckDB', openDuckDb, (db) =>
  loadDemoCsvIntoDuckDb(db.client, 'demo_events'),
);

async function demoRowsInto(database: TestDatabase, engineDate?: 'date') {
  const duckdb = await openDuckDb();
  const events = await readEvents(duckdb, await loadDemoCsvIntoDuckDb(duckdb.client, 'demo_events'));
  await duckdb.client.close();
  await database.client.query('DROP TABLE IF EXISTS breakdown_events', []);
  return createTable(database, 'breakdown_events', events, SYNTHETIC_DIMENSIONS, engineDate);
}

const postgresUrl = postgresTestUrl();
if (postgresUrl) {
  breakdownSuite(
    'compileBreakdownGoalsQuery on PostgreSQL',
    () => openPostgres(postgresUrl),
    (db) => demoRowsInto(db),
  );
}
const clickhouseUrl = clickhouseTestUrl();
if (clickhouseUrl) {
  breakdownSuite(
    'compileBreakdownGoalsQuery on ClickHouse',
    () => openClickHouse(clickhouseUrl),
    (db) => demoRowsInto(db, 'date'),
  );
}

describe('compileBreakdownGoalsQuery', () => {
  const schema = { table: 'analytics.events', dimensions: ['element', 'product', 'country'] };
  const goldenOptions: Partial<ExperimentOptions> = {
    dateFrom: '2024-01-02',
    dateTo: '2024-01-09',
    dateFor: '2024-01-08',
    filters: [new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'US'] })],
  };
  const golden = demo(goldenOptions);

  it.each([
    ['bigquery', bigqueryDialect],
    ['spark', sparkDialect],
  ] as const)('writes the committed %s statement (golden text)', (name, dialect) => {
    const { sql, parameters } = compileBreakdownGoalsQuery(golden, { schema, dialect });
    const file = join(import.meta.dirname, 'golden', `${name}-breakdown.sql`);
    const text = `${sql}\n-- parameters: ${JSON.stringify(parameters)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
    expect(sql).toContain('GROUP BY GROUPING SETS (');
  });

  it('leaves the aggregated goals statement unchanged by breakdowns', () => {
    const without = demo({ ...goldenOptions, breakdowns: [] });
    for (const dialect of [bigqueryDialect, sparkDialect]) {
      expect(compileAggregatedGoalsQuery(golden, { schema, dialect })).toEqual(
        compileAggregatedGoalsQuery(without, { schema, dialect }),
      );
    }
  });

  it('rejects an experiment without breakdowns and an undeclared breakdown, with paths', () => {
    const none = thrownValidationError(() =>
      compileBreakdownGoalsQuery(demo({ breakdowns: [] }), { schema, dialect: bigqueryDialect }),
    );
    expect(none.path).toEqual(['breakdowns']);
    const undeclared = thrownValidationError(() =>
      compileBreakdownGoalsQuery(demo({ breakdowns: ['country', 'platform'] }), {
        schema,
        dialect: sparkDialect,
      }),
    );
    expect(undeclared.path).toEqual(['breakdowns', 1]);
    expect(undeclared.message).toContain('"platform"');
  });
});
