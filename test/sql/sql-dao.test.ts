import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Experiment, Filter, Metric } from '../../src/index.js';
import {
  createEventsTable,
  DuckDbClient,
  duckdbDialect,
  type EventRecord,
  type SqlClient,
  SqlDao,
  SqlDaoFactory,
  type SqlDialect,
} from '../../src/sql/index.js';
import { importOptional } from '../../src/sql/optional-module.js';
import { compareGoalRows } from './support/compare.js';
import { loadDemoCsvIntoDuckDb } from './support/event-tables.js';
import { demoScenarios } from './support/scenarios.js';

const AGGREGATED_NUMBERS = ['count', 'sum_sqr_count', 'sum_value', 'sum_sqr_value', 'count_unique'];

const event = (overrides: Partial<Record<string, string | number | null>>): EventRecord =>
  ({
    exp_id: 'e1',
    exp_variant_id: 'a',
    unit_type: 'user',
    unit_id: '1',
    date: '2024-01-01',
    goal: 'click',
    count: 1,
    value: 0,
    element: '',
    ...overrides,
  }) as EventRecord;

const EVENTS: EventRecord[] = [
  event({ goal: 'exposure' }),
  event({ goal: 'exposure', date: '2024-01-02' }), // a second exposure of unit 1
  event({ element: 'button-1', count: 2, value: 1.5 }),
  event({ element: 'button-2', value: null }),
  event({ unit_id: '2', goal: 'exposure' }),
  event({ unit_id: '2', element: null, date: null }),
  event({ unit_id: '3', exp_variant_id: 'b', goal: 'exposure', date: '2024-01-03' }),
  event({ unit_id: '3', exp_variant_id: 'b', element: 'button-1', date: '2024-01-03', value: 4 }),
  event({ unit_id: null, goal: 'exposure' }),
  event({ exp_variant_id: null, goal: 'exposure' }),
  event({ exp_id: 'other', goal: 'exposure' }),
];

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

const metric = (id: number, nominator: string, denominator = 'count(user.global.exposure)') =>
  new Metric({ id, name: nominator, nominator, denominator });

describe('SqlDao', () => {
  let client: DuckDbClient;
  let dao: SqlDao;
  beforeAll(async () => {
    client = await DuckDbClient.open();
    const schema = await createEventsTable(client, duckdbDialect, EVENTS, {
      table: 'events',
      dimensions: ['element'],
    });
    dao = new SqlDao({ client, dialect: duckdbDialect, schema });
  });
  afterAll(async () => {
    await client.close();
  });

  it('runs one statement per request, however many goals the experiment needs', async () => {
    const duckdb = await DuckDbClient.open();
    const schema = await loadDemoCsvIntoDuckDb(duckdb, 'demo_events');
    const counting = recording(duckdb);
    const demoDao = new SqlDao({ client: counting, dialect: duckdbDialect, schema });
    const experiment = demoScenarios[demoScenarios.length - 1]!.experiment;
    expect(experiment.goals.length).toBeGreaterThan(30);
    await demoDao.getAggGoals(experiment);
    expect(counting.statements).toHaveLength(1);
    await demoDao.getUnitGoals(experiment);
    expect(counting.statements).toHaveLength(2);
    await demoDao.close();
  });

  it('binds positional (?) placeholders in the order they appear, and inline literals alike', async () => {
    const duckdb = await DuckDbClient.open();
    const schema = await loadDemoCsvIntoDuckDb(duckdb, 'demo_events');
    const experiment = demoScenarios[demoScenarios.length - 1]!.experiment;
    const rowsWith = (dialect: SqlDialect) =>
      new SqlDao({ client: duckdb, dialect, schema }).getAggGoals(experiment);
    const numbered = await rowsWith(duckdbDialect);
    const positional = await rowsWith({
      ...duckdbDialect,
      parameterStyle: 'positional',
      placeholder: () => '?',
    });
    const inline = await rowsWith({ ...duckdbDialect, parameterStyle: 'inline' });
    expect(numbered.length).toBeGreaterThan(20);
    expect(compareGoalRows(positional, numbered, AGGREGATED_NUMBERS)).toEqual([]);
    expect(compareGoalRows(inline, numbered, AGGREGATED_NUMBERS)).toEqual([]);
    await duckdb.close();
  });

  it('sums per unit first, then squares: count, sum_sqr_count, sum_value, sum_sqr_value, count_unique', async () => {
    const experiment = new Experiment({
      id: 'e1',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [metric(1, 'value(user.unit.click)')],
    });
    const rows = await dao.getAggGoals(experiment);
    const click = rows.filter((row) => row.goal === 'click');
    // Unit 1: counts 2 + 1 = 3, values 1.5 + 0 (null) = 1.5; unit 2: count 1, value 0. Variant b: unit 3.
    expect(click).toEqual([
      {
        exp_id: 'e1',
        exp_variant_id: 'a',
        unit_type: 'user',
        agg_type: 'unit',
        goal: 'click',
        count: 4,
        sum_sqr_count: 10,
        sum_value: 1.5,
        sum_sqr_value: 2.25,
        count_unique: 2,
      },
      {
        exp_id: 'e1',
        exp_variant_id: 'b',
        unit_type: 'user',
        agg_type: 'unit',
        goal: 'click',
        count: 1,
        sum_sqr_count: 1,
        sum_value: 4,
        sum_sqr_value: 16,
        count_unique: 1,
      },
    ]);
  });

  it('returns global goals with the same numbers as unit goals, and counts exposure events', async () => {
    const experiment = new Experiment({
      id: 'e1',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [metric(1, 'count(user.unit.click)'), metric(2, 'count(user.global.click)')],
    });
    const rows = await dao.getAggGoals(experiment);
    const without = ({ agg_type: _ignored, ...rest }: Record<string, unknown>) => rest;
    const unit = rows.filter((row) => row.goal === 'click' && row.agg_type === 'unit').map(without);
    const global = rows.filter((row) => row.goal === 'click' && row.agg_type === 'global').map(without);
    expect(global).toEqual(unit);
    const exposures = rows
      .filter((row) => row.goal === 'exposure')
      .map((row) => [row.exp_variant_id, row.count, row.count_unique]);
    expect(exposures).toEqual([
      ['a', 3, 2],
      ['b', 1, 1],
    ]);
    expect(experiment.evaluateAgg(rows).exposures.map((row) => row.exposures)).toEqual([3, 1]);
  });

  it('writes each goal’s stored dimension values back, and "" where a goal does not constrain a dimension', async () => {
    const experiment = new Experiment({
      id: 'e1',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [
        metric(1, 'count(user.unit.click(element=^button))'),
        metric(2, 'count(user.unit.click(element!=button-2))'),
        metric(3, 'count(user.unit.click)'),
      ],
    });
    const rows = await dao.getAggGoals(experiment);
    const clicks = rows
      .filter((row) => row.goal === 'click' && row.exp_variant_id === 'a')
      .map((row) => [row.element, row.count]);
    expect(clicks).toEqual([
      ['', 4],
      ['!=button-2', 2],
      ['^button', 3],
    ]);
    expect(experiment.evaluateAgg(rows).metrics.map((row) => row.sumValue)).toEqual([3, 1, 2, 1, 4, 1]);
  });

  it('returns per-unit rows with the unit exposure goal that by-unit evaluation counts', async () => {
    const experiment = new Experiment({
      id: 'e1',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [metric(1, 'value(user.unit.click)', 'count(user.unit.exposure)')],
    });
    const rows = await dao.getUnitGoals(experiment);
    const key = (row: Record<string, unknown>) =>
      `${row.agg_type} ${row.goal} ${row.exp_variant_id}/${row.unit_id} ${row.count} ${row.sum_value}`;
    expect(rows.map(key).sort()).toEqual([
      'global exposure a/1 2 0',
      'global exposure a/2 1 0',
      'global exposure b/3 1 0',
      'unit click a/1 3 1.5',
      'unit click a/2 1 0',
      'unit click b/3 1 4',
      'unit exposure a/1 2 0',
      'unit exposure a/2 1 0',
      'unit exposure b/3 1 0',
    ]);
    expect(experiment.evaluateByUnit(rows).exposures.map((row) => row.exposures)).toEqual([3, 1]);
  });

  it('drops undated events once a date bound is given, and ends the range at dateFor', async () => {
    const experiment = (dateFor: string) =>
      new Experiment({
        id: 'e1',
        controlVariant: 'a',
        unitType: 'user',
        dateFrom: '2024-01-01',
        dateTo: '2024-01-31',
        dateFor,
        metrics: [metric(1, 'count(user.unit.click)')],
      });
    const counts = async (dateFor: string) =>
      (await dao.getAggGoals(experiment(dateFor))).map((row) => [row.goal, row.exp_variant_id, row.count]);
    expect(await counts('2024-01-01')).toEqual([
      ['exposure', 'a', 2],
      ['click', 'a', 3],
    ]);
    expect(await counts('2024-02-10')).toEqual([
      ['exposure', 'a', 3],
      ['exposure', 'b', 1],
      ['click', 'a', 3],
      ['click', 'b', 1],
    ]);
  });

  it('keeps only units that pass exposure and trigger filters', async () => {
    const experiment = new Experiment({
      id: 'e1',
      controlVariant: 'a',
      unitType: 'user',
      filters: [new Filter({ scope: 'trigger', goal: 'click', dimension: 'element', values: ['button-1'] })],
    });
    const units = [...new Set((await dao.getUnitGoals(experiment)).map((row) => row.unit_id))].sort();
    expect(units).toEqual(['1', '3']);
  });

  it('reads renamed columns of a qualified table', async () => {
    await client.query(
      'CREATE TABLE renamed AS SELECT exp_id AS experiment, exp_variant_id AS variant, unit_type AS kind, unit_id AS user_id, date AS day, goal AS event, count AS n, value AS amount, element AS "Element" FROM events',
      [],
    );
    const renamed = new SqlDao({
      client,
      dialect: duckdbDialect,
      schema: {
        table: 'memory.main.renamed',
        dimensions: ['Element'],
        columns: {
          exp_id: 'experiment',
          exp_variant_id: 'variant',
          unit_type: 'kind',
          unit_id: 'user_id',
          date: 'day',
          goal: 'event',
          count: 'n',
          value: 'amount',
        },
      },
    });
    const experiment = new Experiment({
      id: 'e1',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [metric(1, 'count(user.unit.click(Element=button-1))')],
    });
    const rows = await renamed.getAggGoals(experiment);
    expect(rows.map((row) => [row.goal, row.exp_variant_id, row.Element, row.count])).toEqual([
      ['exposure', 'a', '', 3],
      ['exposure', 'b', '', 1],
      ['click', 'a', 'button-1', 2],
      ['click', 'b', 'button-1', 1],
    ]);
  });

  it('exposes the statements it runs', () => {
    const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' });
    const statement = dao.aggregatedGoalsStatement(experiment);
    expect(statement.sql).toContain('GROUP BY "exp_variant_id", "unit_type", "unit_id"');
    expect(statement.parameters[0]).toBe('e1');
    expect(dao.unitGoalsStatement(experiment).sql).toContain('"unit_id"');
    expect(dao.schema.table).toEqual(['events']);
  });
});

describe('SqlDaoFactory', () => {
  it('opens a client per Dao, which the Dao closes', async () => {
    const opened: SqlClient[] = [];
    let closed = 0;
    const factory = new SqlDaoFactory({
      connect: async () => {
        const client = await DuckDbClient.open();
        await createEventsTable(client, duckdbDialect, EVENTS, { table: 'events', dimensions: ['element'] });
        const wrapped: SqlClient = {
          query: (sql, parameters) => client.query(sql, parameters),
          close: async () => {
            closed++;
            await client.close();
          },
        };
        opened.push(wrapped);
        return wrapped;
      },
      dialect: duckdbDialect,
      schema: { table: 'events', dimensions: ['element'] },
    });
    const first = await factory.getDao();
    const second = await factory.getDao();
    expect(opened).toHaveLength(2);
    const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' });
    expect((await first.getAggGoals(experiment)).map((row) => row.count)).toEqual([3, 1]);
    await first.close();
    await second.close();
    expect(closed).toBe(2);
  });

  it('validates the schema once, on construction', () => {
    expect(
      () =>
        new SqlDaoFactory({ connect: DuckDbClient.open, dialect: duckdbDialect, schema: { table: 'x y' } }),
    ).toThrow(/not a safe SQL table name/);
  });
});

describe('optional dependencies', () => {
  it('say which package to install when one is missing', async () => {
    await expect(
      importOptional(
        () => import('ep-stats-no-such-package' as string),
        'ep-stats-no-such-package',
        'DuckDbClient',
      ),
    ).rejects.toThrow(
      /^DuckDbClient needs the optional dependency `ep-stats-no-such-package`, which could not be loaded: install it with `npm install ep-stats-no-such-package`/,
    );
  });

  it('close idempotently', async () => {
    const client = await DuckDbClient.open();
    await client.close();
    await client.close();
  });
});

describe('DuckDbClient settings', () => {
  const settings = async (client: DuckDbClient) =>
    (
      await client.query(
        "SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads, " +
          "current_setting('temp_directory') AS folder, current_setting('preserve_insertion_order') AS ordered",
        [],
      )
    )[0];

  it('passes memoryLimit, threads and tempDirectory to DuckDB, over the same settings in config', async () => {
    const client = await DuckDbClient.open({
      memoryLimit: '256MiB',
      threads: 1,
      tempDirectory: '/tmp/ep-stats-settings',
      config: { memory_limit: '2GB', threads: '2', preserve_insertion_order: 'false' },
    });
    expect(await settings(client)).toEqual({
      memory: '256.0 MiB',
      threads: 1n,
      folder: '/tmp/ep-stats-settings',
      ordered: false,
    });
    await client.close();
  });

  it("keeps DuckDB's defaults when left out, and config's settings when only they are given", async () => {
    const defaults = await DuckDbClient.open();
    const configured = await DuckDbClient.open({ config: { memory_limit: '300MB', threads: '1' } });
    const fromDefaults = await settings(defaults);
    expect(fromDefaults?.folder).toBe('.tmp');
    expect(fromDefaults?.memory).not.toBe('286.1 MiB');
    expect(await settings(configured)).toMatchObject({ memory: '286.1 MiB', threads: 1n });
    await defaults.close();
    await configured.close();
  });

  it('rejects threads that are not a positive integer before opening, and a malformed memoryLimit', async () => {
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      await expect(DuckDbClient.open({ threads })).rejects.toThrow(
        new RangeError(`DuckDbClient: threads must be a positive integer, received ${threads}`),
      );
    }
    await expect(DuckDbClient.open({ memoryLimit: 'lots' })).rejects.toThrow(
      'DuckDB refused one of the settings {"memory_limit":"lots"}: Failed to set config',
    );
  });

  it('spills a GROUP BY beyond memoryLimit to tempDirectory, which it creates and removes on close', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ep-stats-spill-'));
    const folder = join(parent, 'duckdb');
    try {
      const client = await DuckDbClient.open({ memoryLimit: '64MB', threads: 1, tempDirectory: folder });
      expect(existsSync(folder)).toBe(false);
      const rows = await client.query(
        'SELECT COUNT(*) AS n FROM (SELECT i % 2000000 AS k, list(i) AS l FROM range(4000000) AS t(i) GROUP BY k)',
        [],
      );
      expect(rows).toEqual([{ n: 2000000n }]);
      expect(existsSync(folder)).toBe(true);
      await client.close();
      expect(existsSync(folder)).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
