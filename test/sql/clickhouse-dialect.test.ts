import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Experiment, Filter, Metric } from '../../src/index.js';
import {
  clickhouseDialect,
  clickhouseParameterDialect,
  createClickHouseDialect,
} from '../../src/sql/clickhouse-dialect.js';
import {
  compileAggregatedGoalsQuery,
  compileUnitGoalsQuery,
  type EventRecord,
  type EventsSchema,
  SqlDao,
} from '../../src/sql/index.js';
import { metricSumsGoldenCases, unitGoalsCupedGoldenCases } from './golden/golden-statements.js';
import { clickhouseTestUrl, openClickHouse, recreateClickHouseTable } from './support/clickhouse-server.js';
import { goalRowDifferences } from './support/compare.js';
import { createTable, openDuckDb, type TestDatabase } from './support/event-tables.js';

const clickhouseUrl = clickhouseTestUrl();

/** A goal filter, text dates, a quote in the id and a numeric comparison: most of what the builder writes. */
const experiment = new Experiment({
  id: "e'1",
  controlVariant: 'a',
  unitType: 'user',
  dateFrom: '2024-01-01',
  dateTo: '2024-01-31',
  filters: [new Filter({ scope: 'goal', dimension: 'element', values: ['button-1'] })],
  metrics: [
    new Metric({
      id: 1,
      name: 'CTR',
      nominator: 'count(user.unit.click(product>=1.5))',
      denominator: 'count(user.global.exposure)',
    }),
  ],
});
const schema = { table: 'events', dimensions: ['element', 'product'] };

/** Filters of all three scopes, so that the filtered events are read by several subqueries. */
const filteredExperiment = new Experiment({
  id: 'e2',
  controlVariant: 'a',
  unitType: 'user',
  dateFrom: '2024-01-02',
  dateTo: '2024-01-09',
  dateFor: '2024-01-08',
  metrics: [
    new Metric({
      id: 1,
      name: 'Clicks on button-1 or link-1',
      nominator: 'count(user.unit.click(element=button-1|link-1))',
      denominator: 'count(user.global.exposure)',
    }),
    new Metric({
      id: 2,
      name: 'Button views of products above 1 per button-% view',
      nominator: 'count(user.unit.view(element=^button, product>1))',
      denominator: 'count(user.unit.view(element=button-%))',
    }),
    new Metric({
      id: 3,
      name: 'Net revenue without p-1 and p_1',
      nominator: 'value(user.unit.conversion(product!=p-1|p_1)) - value(user.unit.refund)',
      denominator: 'count(user.global.exposure)',
    }),
  ],
  filters: [
    new Filter({ scope: 'goal', dimension: 'product', values: ['1', '2', 'p-1', 10] }),
    new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'US'] }),
    new Filter({ scope: 'trigger', goal: 'view', dimension: 'element', values: ['button-1'] }),
    new Filter({ scope: 'trigger', goal: 'click' }),
  ],
});
const filteredSchema = { table: 'analytics.events', dimensions: ['element', 'product', 'country'] };

/** How often `part` occurs in `text`. */
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** A dialect's settings and which methods it has (its methods are new functions on each creation). */
const shape = (dialect: object) =>
  Object.fromEntries(
    Object.entries(dialect).map(([key, value]) => [key, typeof value === 'function' ? 'method' : value]),
  );

/**
 * The statement for current ClickHouse servers, with query parameters and common table expressions.
 * Written out in full because the ClickHouse server of the test suite (18.16) has neither and cannot run it.
 */
const PARAMETER_MODE_SQL = [
  "WITH `ep_events` AS (SELECT `ep_exp_variant_id` AS `exp_variant_id`, `ep_unit_type` AS `unit_type`, `ep_unit_id` AS `unit_id`, `ep_goal` AS `goal`, `ep_count` AS `count`, `ep_value` AS `value`, `ep_product` AS `product`, `ep_element` AS `element` FROM (SELECT toString(e.`exp_variant_id`) AS `ep_exp_variant_id`, toString(e.`unit_type`) AS `ep_unit_type`, toString(e.`unit_id`) AS `ep_unit_id`, toString(e.`goal`) AS `ep_goal`, COALESCE(e.`count`, 0) AS `ep_count`, COALESCE(e.`value`, 0) AS `ep_value`, COALESCE(toString(e.`product`), '') AS `ep_product`, COALESCE(toString(e.`element`), '') AS `ep_element` FROM `events` AS e WHERE e.`exp_id` = CAST({p1:String} AS String) AND e.`exp_variant_id` IS NOT NULL AND e.`unit_id` IS NOT NULL AND e.`goal` IN (CAST({p2:String} AS String), CAST({p3:String} AS String)) AND e.`date` <> '' AND e.`date` >= CAST({p4:String} AS String) AND e.`date` <= CAST({p5:String} AS String))),",
  '`ep_goal_filtered` AS (SELECT * FROM `ep_events` WHERE (`goal` = CAST({p6:String} AS String) OR `element` IN (CAST({p7:String} AS String)))),',
  "`ep_matches` AS (SELECT `exp_variant_id`, `unit_type`, `unit_id`, `count`, `value`, (`unit_type` = CAST({p8:String} AS String) AND `goal` = CAST({p9:String} AS String) AND (`product` <> '' AND CASE WHEN match(`product`, '^[+-]?([0-9]{1,30}([.][0-9]{0,30})?|[.][0-9]{1,30})$') THEN toFloat64OrNull(replaceRegexpOne(`product`, '^[+]', '')) >= CAST({p10:String} AS Nullable(Float64)) ELSE `product` >= CAST({p11:String} AS String) END)) AS `match_0`, (`unit_type` = CAST({p12:String} AS String) AND `goal` = CAST({p13:String} AS String)) AS `match_1` FROM `ep_goal_filtered`),",
  '`ep_per_unit` AS (SELECT `exp_variant_id`, `unit_type`, `unit_id`, CAST(SUM(CASE WHEN `match_0` THEN `count` END) AS Nullable(Float64)) AS `count_0`, CAST(SUM(CASE WHEN `match_0` THEN `value` END) AS Nullable(Float64)) AS `value_0`, CAST(SUM(CASE WHEN `match_1` THEN `count` END) AS Nullable(Float64)) AS `count_1`, CAST(SUM(CASE WHEN `match_1` THEN `value` END) AS Nullable(Float64)) AS `value_1` FROM `ep_matches` GROUP BY `exp_variant_id`, `unit_type`, `unit_id`),',
  '`ep_per_variant` AS (SELECT `exp_variant_id`, SUM(`count_0`) AS `total_count_0`, SUM(`count_0` * `count_0`) AS `sqr_count_0`, SUM(`value_0`) AS `total_value_0`, SUM(`value_0` * `value_0`) AS `sqr_value_0`, CAST(SUM(CASE WHEN `count_0` > 0 THEN 1 ELSE 0 END) AS Nullable(Float64)) AS `unique_0`, COUNT(`count_0`) AS `units_0`, SUM(`count_1`) AS `total_count_1`, SUM(`count_1` * `count_1`) AS `sqr_count_1`, SUM(`value_1`) AS `total_value_1`, SUM(`value_1` * `value_1`) AS `sqr_value_1`, CAST(SUM(CASE WHEN `count_1` > 0 THEN 1 ELSE 0 END) AS Nullable(Float64)) AS `unique_1`, COUNT(`count_1`) AS `units_1` FROM `ep_per_unit` GROUP BY `exp_variant_id`)',
  'SELECT CAST({p14:String} AS String) AS `exp_id`, `exp_variant_id`, CAST({p15:String} AS String) AS `unit_type`, CAST({p16:String} AS String) AS `agg_type`, CAST({p17:String} AS String) AS `goal`, CAST({p18:String} AS String) AS `product`, `total_count_0` AS `count`, `sqr_count_0` AS `sum_sqr_count`, `total_value_0` AS `sum_value`, `sqr_value_0` AS `sum_sqr_value`, `unique_0` AS `count_unique` FROM `ep_per_variant` WHERE `units_0` > 0',
  'UNION ALL',
  'SELECT CAST({p19:String} AS String) AS `exp_id`, `exp_variant_id`, CAST({p20:String} AS String) AS `unit_type`, CAST({p21:String} AS String) AS `agg_type`, CAST({p22:String} AS String) AS `goal`, CAST({p23:String} AS String) AS `product`, `total_count_1` AS `count`, `sqr_count_1` AS `sum_sqr_count`, `total_value_1` AS `sum_value`, `sqr_value_1` AS `sum_sqr_value`, `unique_1` AS `count_unique` FROM `ep_per_variant` WHERE `units_1` > 0',
].join('\n');

describe('clickhouseDialect', () => {
  it('writes ClickHouse names, types, casts, regular expressions and LIKE', () => {
    const d = clickhouseDialect;
    expect([d.name, d.parameterStyle, d.textType, d.doubleType, d.integerType, d.dateType]).toEqual([
      'clickhouse',
      'inline',
      'String',
      'Nullable(Float64)',
      'Int64',
      'Date',
    ]);
    expect(d.quoteIdentifier('unit_id')).toBe('`unit_id`');
    expect(d.quoteIdentifier('a`b\\c')).toBe('`a\\`b\\\\c`');
    expect(d.castToText('e.`unit_id`')).toBe('toString(e.`unit_id`)');
    expect(d.castToDouble('`product`')).toBe("toFloat64OrNull(replaceRegexpOne(`product`, '^[+]', ''))");
    expect(d.matchesRegex('`product`', '^[0-9]+\\.?$')).toBe("match(`product`, '^[0-9]+\\\\.?$')");
    expect(d.like('`element`', "'a\\\\%'")).toBe("`element` LIKE 'a\\\\%'");
    expect(d.binaryText('`product`')).toBe('`product`');
  });

  it('writes every value as an escaped literal (no parameters)', () => {
    const { sql, parameters } = compileAggregatedGoalsQuery(experiment, {
      schema,
      dialect: clickhouseDialect,
    });
    expect(parameters).toEqual([]);
    expect(sql).toContain("e.`exp_id` = CAST('e\\'1' AS String)");
    expect(sql).toContain(">= CAST(1.5 AS Nullable(Float64)) ELSE `product` >= CAST('1.5' AS String) END");
    expect(sql).not.toContain('{p');
  });

  it('binds dates as Date with dateType "date"', () => {
    const { sql } = compileUnitGoalsQuery(experiment, {
      schema: { ...schema, dateType: 'date' },
      dialect: clickhouseDialect,
    });
    expect(sql).toContain(
      "e.`date` IS NOT NULL AND e.`date` >= CAST(CAST('2024-01-01' AS String) AS Date) AND e.`date` <= CAST(CAST('2024-01-31' AS String) AS Date)",
    );
  });

  it('is for every server from 18.16 on: no query parameters, no common table expressions', () => {
    expect(shape(clickhouseDialect)).toEqual(shape(createClickHouseDialect()));
    expect(clickhouseDialect.commonTableExpressions).toBe(false);
    expect(clickhouseDialect.aliasesShadowColumns).toBe(true);
    expect(Object.isFrozen(clickhouseDialect)).toBe(true);
  });

  it('writes no WITH: each named query is a subquery where it is read, down the chain', () => {
    for (const compile of [compileAggregatedGoalsQuery, compileUnitGoalsQuery]) {
      const { sql } = compile(filteredExperiment, { schema: filteredSchema, dialect: clickhouseDialect });
      expect(sql.startsWith('SELECT ')).toBe(true);
      expect(sql).not.toMatch(/\bWITH\b/);
      expect(sql).not.toContain('\n');
      // The goal-filtered events are read by the unit-filtered ones and by each of the three unit filters.
      expect(occurrences(sql, ') AS `ep_events` WHERE ')).toBe(4);
      expect(occurrences(sql, ') AS `ep_goal_filtered` WHERE ')).toBe(4);
      expect(sql).toContain(
        'WHERE `unit_id` IN (SELECT `unit_id` FROM (SELECT * FROM (SELECT `ep_exp_variant_id`',
      );
      expect(occurrences(sql, ') AS `ep_unit_filtered`) AS `ep_matches`')).toBe(1);
      expect(occurrences(sql, 'FROM `analytics`.`events` AS e WHERE')).toBe(4);
    }
  });

  it('reads the per-variant (or per-unit) totals once: one ARRAY JOIN over a tuple per goal, no UNION', () => {
    const aggregated = compileAggregatedGoalsQuery(experiment, { schema, dialect: clickhouseDialect }).sql;
    expect(aggregated).not.toContain('UNION');
    expect(occurrences(aggregated, 'FROM `events` AS e')).toBe(1);
    expect(occurrences(aggregated, ') AS `ep_per_variant` ARRAY JOIN [tuple(')).toBe(1);
    expect(
      aggregated.startsWith(
        'SELECT tupleElement(`ep_row`, 1) AS `exp_id`, tupleElement(`ep_row`, 2) AS `exp_variant_id`, ',
      ),
    ).toBe(true);
    expect(aggregated).toContain(
      "ARRAY JOIN [tuple(CAST('e\\'1' AS String), `exp_variant_id`, CAST('user' AS String), CAST('unit' AS String), " +
        "CAST('click' AS String), CAST('>=1.5' AS String), `total_count_0`, `sqr_count_0`, `total_value_0`, " +
        "`sqr_value_0`, `unique_0`, (`units_0` > 0)), tuple(CAST('e\\'1' AS String), `exp_variant_id`, " +
        "CAST('user' AS String), CAST('global' AS String), CAST('exposure' AS String), CAST('' AS String), " +
        '`total_count_1`, `sqr_count_1`, `total_value_1`, `sqr_value_1`, `unique_1`, (`units_1` > 0))] AS `ep_row` ' +
        'WHERE tupleElement(`ep_row`, 12))',
    );
    const byUnit = compileUnitGoalsQuery(experiment, { schema, dialect: clickhouseDialect }).sql;
    expect(byUnit).not.toContain('UNION');
    expect(occurrences(byUnit, ') AS `ep_per_unit` ARRAY JOIN [tuple(')).toBe(1);
    expect(byUnit).toContain('(`count_2` IS NOT NULL))] AS `ep_row` WHERE tupleElement(`ep_row`, 10))');
  });

  it('grows by about a kilobyte per goal, far below the 256 KiB max_query_size with 100 goals', () => {
    const withGoals = (count: number) =>
      new Experiment({
        id: 'e',
        controlVariant: 'a',
        unitType: 'user',
        filters: filteredExperiment.filters,
        metrics: Array.from(
          { length: count },
          (_, index) =>
            new Metric({
              id: index + 1,
              name: `m${index}`,
              nominator: `count(user.unit.click(element=button-${index}))`,
              denominator: 'count(user.global.exposure)',
            }),
        ),
      });
    for (const compile of [compileAggregatedGoalsQuery, compileUnitGoalsQuery]) {
      const length = (count: number) =>
        compile(withGoals(count), { schema: filteredSchema, dialect: clickhouseDialect }).sql.length;
      const perGoal = (length(100) - length(10)) / 90;
      expect(perGoal).toBeLessThan(1_200);
      expect(length(100)).toBeLessThan(128 * 1024);
    }
  });

  it('names no select item like a column that its SELECT reads', () => {
    const { sql } = compileAggregatedGoalsQuery(experiment, { schema, dialect: clickhouseDialect });
    // The events: computed under fresh aliases, renamed outside the SELECT whose WHERE reads the table.
    expect(sql).toContain(
      "(SELECT `ep_exp_variant_id` AS `exp_variant_id`, `ep_unit_type` AS `unit_type`, `ep_unit_id` AS `unit_id`, `ep_goal` AS `goal`, `ep_count` AS `count`, `ep_value` AS `value`, `ep_product` AS `product`, `ep_element` AS `element` FROM (SELECT toString(e.`exp_variant_id`) AS `ep_exp_variant_id`, toString(e.`unit_type`) AS `ep_unit_type`, toString(e.`unit_id`) AS `ep_unit_id`, toString(e.`goal`) AS `ep_goal`, COALESCE(e.`count`, 0) AS `ep_count`, COALESCE(e.`value`, 0) AS `ep_value`, COALESCE(toString(e.`product`), '') AS `ep_product`, COALESCE(toString(e.`element`), '') AS `ep_element` FROM `events` AS e WHERE e.`exp_id` = ",
    );
    // The per-variant sums: apart from the per-unit sums they read (ClickHouse would nest the aggregates).
    expect(sql).toContain(
      'SELECT `exp_variant_id`, SUM(`count_0`) AS `total_count_0`, SUM(`count_0` * `count_0`)',
    );
    expect(sql).not.toMatch(/SUM\(`(count|value)_\d+`\) AS `(count|value)_\d+`/);
  });

  it('picks fresh aliases apart from the columns and dimensions of the table', () => {
    const { sql } = compileAggregatedGoalsQuery(
      new Experiment({
        id: 'e',
        controlVariant: 'a',
        unitType: 'user',
        metrics: [
          new Metric({
            id: 1,
            name: 'm',
            nominator: 'count(user.unit.click(match_0=x, ep_goal=p))',
            denominator: 'count(user.global.exposure)',
          }),
        ],
      }),
      {
        schema: { table: 'events', dimensions: ['match_0', 'ep_goal'], columns: { unit_id: 'ep_unit_id' } },
        dialect: clickhouseDialect,
      },
    );
    expect(sql).toContain('toString(e.`ep_unit_id`) AS `ep_unit_id_1`');
    expect(sql).toContain('toString(e.`goal`) AS `ep_goal_1`');
    expect(sql).toContain("COALESCE(toString(e.`ep_goal`), '') AS `ep_ep_goal`");
    expect(sql).toContain("(`ep_goal` <> '' AND (`ep_goal` = CAST('p' AS String)))) AS `match_0_1`");
    expect(sql).toContain(
      'CAST(SUM(CASE WHEN `match_0_1` THEN `count` END) AS Nullable(Float64)) AS `count_0`',
    );
    expect(sql).toContain("`match_0` = CAST('x' AS String)");
  });
});

describe('createClickHouseDialect', () => {
  it('uses query parameters and common table expressions only when asked', () => {
    const shapes = [
      {},
      { queryParameters: true },
      { commonTableExpressions: true },
      { queryParameters: true, commonTableExpressions: true },
    ].map((options) => {
      const dialect = createClickHouseDialect(options);
      const { sql } = compileAggregatedGoalsQuery(experiment, { schema, dialect });
      return [
        dialect.name,
        dialect.parameterStyle,
        dialect.commonTableExpressions,
        dialect.unionAll !== undefined,
        sql.slice(0, 4),
        sql.includes('{p1:String}'),
        sql.includes('\nUNION ALL\n'),
      ];
    });
    expect(shapes).toEqual([
      ['clickhouse', 'inline', false, true, 'SELE', false, false],
      ['clickhouse-parameters', 'numbered', false, true, 'SELE', true, false],
      ['clickhouse', 'inline', true, false, 'WITH', false, true],
      ['clickhouse-parameters', 'numbered', true, false, 'WITH', true, true],
    ]);
  });

  it('repeats a placeholder where its subquery is read (ClickHouse binds parameters by name)', () => {
    const dialect = createClickHouseDialect({ queryParameters: true });
    const { sql, parameters } = compileAggregatedGoalsQuery(filteredExperiment, {
      schema: filteredSchema,
      dialect,
    });
    const positions = new Set([...sql.matchAll(/\{p(\d+):String\}/g)].map((match) => Number(match[1])));
    expect([...positions].sort((a, b) => a - b)).toEqual(parameters.map((_, index) => index + 1));
    expect(occurrences(sql, 'e.`exp_id` = CAST({p1:String} AS String)')).toBe(4);
  });
});

describe('a dialect without common table expressions', () => {
  it('refuses positional placeholders, which a repeated subquery would misnumber', () => {
    const positional = { ...clickhouseDialect, name: 'positional', parameterStyle: 'positional' as const };
    expect(() => compileAggregatedGoalsQuery(experiment, { schema, dialect: positional })).toThrow(
      /positional parameters need common table expressions/,
    );
  });
});

describe('clickhouseParameterDialect (current servers; golden text, not run)', () => {
  it('places {pN:String} parameters and casts them to their types', () => {
    expect(clickhouseParameterDialect.placeholder(12)).toBe('{p12:String}');
    expect(clickhouseParameterDialect.parameterStyle).toBe('numbered');
    expect(shape(clickhouseParameterDialect)).toEqual(
      shape(createClickHouseDialect({ queryParameters: true, commonTableExpressions: true })),
    );
    const { sql, parameters } = compileAggregatedGoalsQuery(experiment, {
      schema,
      dialect: clickhouseParameterDialect,
    });
    expect(sql).toBe(PARAMETER_MODE_SQL);
    expect(parameters).toEqual([
      "e'1",
      'click',
      'exposure',
      '2024-01-01',
      '2024-01-31',
      'exposure',
      'button-1',
      'user',
      'click',
      1.5,
      '1.5',
      'user',
      'exposure',
      "e'1",
      'user',
      'unit',
      'click',
      '>=1.5',
      "e'1",
      'user',
      'global',
      'exposure',
      '',
    ]);
  });

  it('numbers its placeholders in the order of the parameters', () => {
    const { sql, parameters } = compileUnitGoalsQuery(experiment, {
      schema,
      dialect: clickhouseParameterDialect,
    });
    const positions = [...sql.matchAll(/\{p(\d+):String\}/g)].map((match) => Number(match[1]));
    expect(positions).toEqual(parameters.map((_, index) => index + 1));
    // Also with the pre-period rows of CUPED metrics (dates, then `pre_days` as Int64).
    const [cuped] = unitGoalsCupedGoldenCases(clickhouseParameterDialect);
    const cupedPositions = [...cuped!.statement.sql.matchAll(/\{p(\d+):String\}/g)].map((match) =>
      Number(match[1]),
    );
    expect(cupedPositions).toEqual(cuped!.statement.parameters.map((_, index) => index + 1));
    expect(cuped!.statement.sql).toContain('CAST({p140:String} AS Int64) AS `pre_days`');
  });
});

/**
 * The statements of clickhouseDialect for the experiment with filters of every scope, committed as
 * `golden/clickhouse-<case>.sql`; `UPDATE_GOLDEN=1 npx vitest run test/sql/clickhouse-dialect.test.ts`
 * rewrites them (review the difference before committing it).
 */
describe('clickhouseDialect golden statements', () => {
  const cases = [
    ['aggregated', compileAggregatedGoalsQuery],
    ['by-unit', compileUnitGoalsQuery],
  ] as const;
  for (const [name, compile] of cases) {
    it(`${name}: is the committed golden SQL`, () => {
      const file = join(import.meta.dirname, 'golden', `clickhouse-${name}.sql`);
      const text = `${compile(filteredExperiment, { schema: filteredSchema, dialect: clickhouseDialect }).sql}\n`;
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
      expect(existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
  // The metric sums statements of the BigQuery and Spark golden files (a CUPED experiment with filters of
  // every scope; a DATE column) and the unit goals of the CUPED experiment, compiled for ClickHouse.
  for (const { name, statement } of [
    ...metricSumsGoldenCases(clickhouseDialect),
    ...unitGoalsCupedGoldenCases(clickhouseDialect),
  ]) {
    it(`${name}: is the committed golden SQL`, () => {
      const file = join(import.meta.dirname, 'golden', `clickhouse-${name}.sql`);
      const text = `${statement.sql}\n`;
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
      expect(existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
      expect(statement.parameters).toEqual([]);
    });
  }
});

/** Events whose dimensions are named like the builder's aliases (`match_0`, `ep_goal`). */
function collidingEvents(): EventRecord[] {
  const event = (
    variant: string,
    unit: number,
    goal: string,
    match: string,
    epGoal: string,
    count = 1,
    value = 0,
  ): EventRecord => ({
    exp_id: 'e',
    exp_variant_id: variant,
    unit_type: 'user',
    unit_id: String(unit),
    date: '2024-01-02',
    goal,
    count,
    value,
    match_0: match,
    ep_goal: epGoal,
  });
  return [
    event('a', 1, 'exposure', 'x', 'p'),
    event('a', 1, 'click', 'x', 'p', 2),
    event('a', 1, 'click', 'y', 'q', 1, 3),
    event('a', 2, 'exposure', 'y', 'q'),
    event('a', 2, 'click', 'x', 'q', 1, 1.5),
    event('b', 3, 'exposure', 'x', 'p'),
    event('b', 3, 'click', 'y', 'p', 3, 2.5),
    event('b', 4, 'exposure', '', ''),
    event('b', 4, 'click', 'x', ''),
    event('b', 5, 'click', 'x', 'p', 4),
  ];
}

/** `count` metrics over the colliding dimensions, `goals` of them, with or without filters. */
function collidingExperiment(goals: number, filtered: boolean): Experiment {
  const nominators = [
    'count(user.unit.click(match_0=x))',
    'value(user.unit.click(ep_goal=p|q))',
    'count(user.unit.click(match_0!=y, ep_goal=p))',
  ];
  return new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: 'user',
    filters: filtered
      ? [
          new Filter({ scope: 'goal', dimension: 'ep_goal', values: ['p', 'q'] }),
          new Filter({ scope: 'exposure', dimension: 'match_0', values: ['x', 'y'] }),
          new Filter({ scope: 'trigger', goal: 'click' }),
        ]
      : [],
    metrics: Array.from(
      { length: goals },
      (_, index) =>
        new Metric({
          id: index + 1,
          name: `m${index}`,
          nominator:
            nominators[index] ?? `count(user.unit.click(match_0=x|m${index}, ep_goal=p|q|g${index}))`,
          denominator: 'count(user.global.exposure)',
        }),
    ),
  });
}

describe.skipIf(!clickhouseUrl)('clickhouseDialect on the ClickHouse test server (18.16)', () => {
  let duckdb: TestDatabase;
  let clickhouse: TestDatabase;
  const schemas: { duckdb?: EventsSchema; clickhouse?: EventsSchema } = {};
  beforeAll(async () => {
    duckdb = await openDuckDb();
    clickhouse = await openClickHouse(clickhouseUrl);
    const dimensions = ['match_0', 'ep_goal'];
    schemas.duckdb = await createTable(duckdb, 'colliding_events', collidingEvents(), dimensions);
    schemas.clickhouse = await recreateClickHouseTable(
      clickhouse,
      'clickhouse_dialect_colliding_events',
      collidingEvents(),
      dimensions,
    );
  });
  afterAll(async () => {
    await duckdb?.client.close();
    await clickhouse?.client.close();
  });

  const sources = () => ({
    clickhouse: new SqlDao({
      client: clickhouse.client,
      dialect: clickhouse.dialect,
      schema: schemas.clickhouse!,
    }),
    duckdb: new SqlDao({ client: duckdb.client, dialect: duckdb.dialect, schema: schemas.duckdb! }),
  });

  for (const filtered of [false, true]) {
    it(`returns DuckDB's rows with dimensions named like its aliases (${filtered ? 'all filter scopes' : 'no filters'})`, async () => {
      const { clickhouse: fromClickHouse, duckdb: fromDuckDb } = sources();
      const colliding = collidingExperiment(3, filtered);
      expect(await goalRowDifferences(fromClickHouse, fromDuckDb, colliding)).toEqual([]);
      expect((await fromClickHouse.getAggGoals(colliding)).length).toBeGreaterThan(4);
    });
  }

  it("runs a statement with 60 goals and filters of every scope, with DuckDB's rows", async () => {
    const { clickhouse: fromClickHouse, duckdb: fromDuckDb } = sources();
    const many = collidingExperiment(60, true);
    expect(fromClickHouse.aggregatedGoalsStatement(many).sql.length).toBeLessThan(256 * 1024);
    expect(await goalRowDifferences(fromClickHouse, fromDuckDb, many)).toEqual([]);
  });
});
