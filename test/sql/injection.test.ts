import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DimensionCondition,
  type DimensionOperator,
  Experiment,
  Filter,
  type GoalReference,
  Metric,
  ValidationError,
} from '../../src/index.js';
import {
  compileAggregatedGoalsQuery,
  compileMetricSumsQuery,
  compileUnitGoalsQuery,
  type EventRecord,
  EventsSchema,
  type SqlClient,
  SqlDao,
  type SqlDialect,
} from '../../src/sql/index.js';
import { clickhouseTestUrl, openClickHouse } from './support/clickhouse-server.js';
import { createTable, openDuckDb, openPostgres, type TestDatabase } from './support/event-tables.js';
import { handMadeExperiment, handMadeGoal, type WrittenCondition } from './support/hand-made-goals.js';
import { postgresTestUrl } from './support/postgres.js';
import { conditionHolds } from './support/reference-unit-goals.js';

const postgresUrl = postgresTestUrl();
const clickhouseUrl = clickhouseTestUrl();
const DIMENSIONS = ['element', 'product', 'country'];

/** Attempts to break out of a string literal, a LIKE pattern or a placeholder. */
const ATTACKS = [
  "x'); DROP TABLE goals; --",
  "%' OR '1'='1",
  "\\'",
  '\\',
  "' OR 1=1 --",
  "'' OR ''=''",
  '"; DROP TABLE goals; --',
  'ʼ OR ʼ1ʼ=ʼ1',
  '’; DROP TABLE goals; --',
  '＇ OR ＇1＇=＇1',
  '$1',
  '?',
  '_',
  '\\%',
  'it’s',
];

const event = (unit: string, goal: string, dimensions: Record<string, string>): EventRecord => ({
  exp_id: 'inject',
  exp_variant_id: Number(unit) % 2 === 0 ? 'a' : 'b',
  unit_type: 'user',
  unit_id: unit,
  date: '2024-01-01',
  goal,
  count: 1,
  value: 2.5,
  element: '',
  product: '',
  country: '',
  ...dimensions,
});

/** Ordinary values, plus a quote, a backslash and a percent sign that must match literally. */
const EVENTS: EventRecord[] = [1, 2, 3, 4, 5, 6].flatMap((unit) => [
  event(String(unit), 'exposure', { country: unit % 3 === 0 ? "it's" : 'CZ' }),
  event(String(unit), 'click', {
    element: unit % 2 === 0 ? 'button-1' : 'a\\b',
    product: unit % 3 === 0 ? '50%' : '10',
  }),
]);

const goal = (name: string, conditions: readonly WrittenCondition[]) =>
  handMadeGoal(name, conditions, DIMENSIONS);
const experimentWithGoals = (goals: GoalReference[]) => handMadeExperiment('inject', goals, DIMENSIONS);

/** A client that records statements, to prove that validation rejects before any SQL runs. */
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

function injectionSuite(title: string, open: () => Promise<TestDatabase>): void {
  describe(title, () => {
    let database: TestDatabase;
    let schema: EventsSchema;
    const inline = (): SqlDialect => ({ ...database.dialect, parameterStyle: 'inline' });

    beforeAll(async () => {
      database = await open();
      await database.client.query('DROP TABLE IF EXISTS goals', []);
      await database.client.query('DROP TABLE IF EXISTS injection_events', []);
      await database.client.query('CREATE TABLE goals (id integer)', []);
      await database.client.query('INSERT INTO goals VALUES (1), (2), (3)', []);
      schema = await createTable(database, 'injection_events', EVENTS, DIMENSIONS);
    });
    afterAll(async () => {
      await database?.client.close();
    });

    /** The units with a matching click per the documented semantics, computed in memory. */
    const expectedUnits = (condition: DimensionCondition) =>
      EVENTS.filter((e) => e.goal === 'click' && conditionHolds(String(e[condition.name] ?? ''), condition))
        .map((e) => e.unit_id)
        .sort();

    async function unitsMatching(condition: DimensionCondition, dialect: SqlDialect): Promise<string[]> {
      const experiment = experimentWithGoals([goal('click', [condition])]);
      const { sql, parameters } = compileUnitGoalsQuery(experiment, { schema, dialect });
      const rows = await database.client.query(sql, parameters);
      return rows
        .filter((row) => row.goal === 'click')
        .map((row) => String(row.unit_id))
        .sort();
    }

    const operators: DimensionOperator[] = ['=', '=^', '!=', '<', '<=', '>', '>='];
    for (const attack of ATTACKS) {
      it(`dimension value ${JSON.stringify(attack)} is data: = and =^ match nothing, every operator matches as documented`, async () => {
        for (const operator of operators) {
          const condition = { name: 'element', operator, value: attack, storedValue: '' };
          const expected = expectedUnits(condition);
          if (operator === '=' || operator === '=^') expect(expected).toEqual([]);
          expect(await unitsMatching(condition, database.dialect), operator).toEqual(expected);
          expect(await unitsMatching(condition, inline()), `${operator}, inline literals`).toEqual(expected);
        }
      });

      it(`filter value, goal and experiment id ${JSON.stringify(attack)} match nothing`, async () => {
        const dao = new SqlDao({ client: database.client, dialect: database.dialect, schema });
        const metrics = [
          new Metric({
            id: 1,
            name: 'Clicks',
            nominator: 'count(user.unit.click)',
            denominator: 'count(user.unit.exposure)',
          }),
        ];
        const base = { id: 'inject', controlVariant: 'a', unitType: 'user', metrics };
        const goalsOf = async (filters: Filter[], id = 'inject') =>
          (await dao.getAggGoals(new Experiment({ ...base, id, filters }))).map((row) => row.goal).sort();
        expect(
          await goalsOf([new Filter({ scope: 'goal', dimension: 'element', values: [attack] })]),
        ).toEqual(['exposure', 'exposure', 'exposure', 'exposure']);
        expect(
          await goalsOf([new Filter({ scope: 'exposure', dimension: 'country', values: [attack] })]),
        ).toEqual([]);
        expect(await goalsOf([new Filter({ scope: 'trigger', goal: attack })])).toEqual([]);
        expect(await goalsOf([], attack)).toEqual([]);
      });
    }

    it('keeps hostile metric ids, goal names, dimension values and experiment ids data in metric sums', async () => {
      const exposure = goal('exposure', []);
      for (const attack of ATTACKS) {
        const hostile = goal(attack, [{ name: 'element', operator: '=', value: attack }]);
        const clicks = goal('click', [{ name: 'product', operator: '=^', value: attack }]);
        const metric = {
          id: attack,
          name: attack,
          nominatorExpression: {
            kind: 'binary',
            operator: '+',
            left: hostile,
            right: clicks,
            span: hostile.span,
          },
          denominatorExpression: exposure,
          cuped: { preDays: 3 },
        } as unknown as Metric;
        const experiment = (id: string) => ({
          ...handMadeExperiment(id, [hostile, clicks], DIMENSIONS, { dateFrom: '2024-01-01' }),
          metrics: [metric],
        });
        for (const dialect of [database.dialect, inline()]) {
          const { sql, parameters } = compileMetricSumsQuery(experiment('inject'), { schema, dialect });
          const rows = await database.client.query(sql, parameters);
          const cells = rows.map((row) => [
            row.metric_id,
            Number(row.units),
            Number(row.sum_x),
            Number(row.sum_u),
          ]);
          expect(cells.sort(), `${attack} (${dialect.parameterStyle})`).toEqual([
            [attack, 3, 0, 0],
            [attack, 3, 0, 0],
          ]);
          const other = compileMetricSumsQuery(experiment(attack), { schema, dialect });
          expect(await database.client.query(other.sql, other.parameters)).toEqual([]);
        }
      }
    });

    it('matches quotes, backslashes and percent signs literally', async () => {
      const condition = (name: string, operator: DimensionOperator, value: string) => ({
        name,
        operator,
        value,
        storedValue: '',
      });
      expect(await unitsMatching(condition('element', '=', 'a\\b'), database.dialect)).toEqual([
        '1',
        '3',
        '5',
      ]);
      expect(await unitsMatching(condition('element', '=^', 'a\\'), database.dialect)).toEqual([
        '1',
        '3',
        '5',
      ]);
      expect(await unitsMatching(condition('product', '=', '50\\%'), database.dialect)).toEqual([]);
      expect(await unitsMatching(condition('product', '=', '50%'), database.dialect)).toEqual(['3', '6']);
      const dao = new SqlDao({ client: database.client, dialect: database.dialect, schema });
      const experiment = new Experiment({
        id: 'inject',
        controlVariant: 'a',
        unitType: 'user',
        filters: [new Filter({ scope: 'exposure', dimension: 'country', values: ["it's"] })],
      });
      const rows = await dao.getUnitGoals(experiment);
      expect([...new Set(rows.map((row) => row.unit_id))].sort()).toEqual(['3', '6']);
    });

    it('rejects NUL characters with a ValidationError before any SQL runs (PostgreSQL cannot hold them)', async () => {
      const client = recording(database.client);
      const dao = new SqlDao({ client, dialect: database.dialect, schema });
      const nul = 'button\u0000-1';
      const withFilter = new Experiment({
        id: 'inject',
        controlVariant: 'a',
        unitType: 'user',
        filters: [new Filter({ scope: 'goal', dimension: 'element', values: ['ok', nul] })],
      });
      await expect(dao.getAggGoals(withFilter)).rejects.toThrow(ValidationError);
      await expect(dao.getAggGoals(withFilter)).rejects.toThrow(
        /\(filters\.0\.values\.1\) contains a NUL character/,
      );
      await expect(
        dao.getUnitGoals(new Experiment({ id: nul, controlVariant: 'a', unitType: 'user' })),
      ).rejects.toThrow(/NUL character/);
      const condition = { name: 'element', operator: '=' as const, value: nul, storedValue: nul };
      expect(() =>
        compileAggregatedGoalsQuery(experimentWithGoals([goal('click', [condition])]), {
          schema,
          dialect: database.dialect,
        }),
      ).toThrow(/\(goals\.1\.dimensions\.0\.value\) contains a NUL character \(\\u0000\) at position 6/);
      expect(client.statements).toEqual([]);
    });

    it('rejects undeclared dimensions, unsafe names and dimensions in filters with a clear ValidationError', async () => {
      const client = recording(database.client);
      const dao = new SqlDao({ client, dialect: database.dialect, schema });
      const undeclared = new Experiment({
        id: 'inject',
        controlVariant: 'a',
        unitType: 'user',
        metrics: [
          new Metric({
            id: 1,
            name: 'x',
            nominator: 'count(user.unit.click(color=red))',
            denominator: 'count(user.unit.exposure)',
          }),
        ],
      });
      await expect(dao.getAggGoals(undeclared)).rejects.toThrow(
        'The dimension "color" of goal `user.unit.click[color=red]` is not a declared dimension column of table `injection_events` (declared: element, product, country)',
      );
      const filtered = new Experiment({
        id: 'inject',
        controlVariant: 'a',
        unitType: 'user',
        filters: [new Filter({ scope: 'goal', dimension: 'element"; DROP TABLE goals; --', values: ['x'] })],
      });
      await expect(dao.getUnitGoals(filtered)).rejects.toThrow(
        /of the goal filter is not a declared dimension column/,
      );
      const named = goal('click', [{ name: 'element" OR 1=1 --', operator: '=', value: 'x' }]);
      expect(() =>
        compileAggregatedGoalsQuery(experimentWithGoals([named]), { schema, dialect: database.dialect }),
      ).toThrow(ValidationError);
      expect(() => new EventsSchema({ table: 'goals; DROP TABLE goals' })).toThrow(
        /is not a safe SQL table name/,
      );
      expect(() => new EventsSchema({ table: 'events', dimensions: ['element"'] })).toThrow(
        /is not a safe SQL identifier/,
      );
      expect(() => new EventsSchema({ table: 'events', columns: { unit_id: 'id; --' } })).toThrow(
        /Column name for `unit_id` "id; --" is not a safe SQL identifier/,
      );
      expect(() => new SqlDao({ client, dialect: database.dialect, schema: { table: 'a.b.c.d' } })).toThrow(
        ValidationError,
      );
      expect(client.statements).toEqual([]);
    });

    it('leaves every table intact', async () => {
      const [goals] = await database.client.query('SELECT COUNT(*) AS n FROM goals', []);
      const [events] = await database.client.query('SELECT COUNT(*) AS n FROM injection_events', []);
      expect(Number(goals?.n)).toBe(3);
      expect(Number(events?.n)).toBe(EVENTS.length);
    });
  });
}

injectionSuite('SQL injection attempts on DuckDB', openDuckDb);

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  injectionSuite('SQL injection attempts on PostgreSQL', () => openPostgres(postgresUrl));
});

describe.skipIf(!clickhouseUrl)('ClickHouse', () => {
  injectionSuite('SQL injection attempts on ClickHouse', () => openClickHouse(clickhouseUrl));
});
