import { describe, expect, it } from 'vitest';
import { Experiment, Filter, Metric } from '../../src/index.js';
import { clickhouseDialect, clickhouseParameterDialect } from '../../src/sql/clickhouse-dialect.js';
import { compileAggregatedGoalsQuery, compileUnitGoalsQuery } from '../../src/sql/index.js';

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

/**
 * The statement for current ClickHouse servers, with query parameters. Written out in full because the
 * ClickHouse server of the test suite (18.16) predates query parameters and cannot run it.
 */
const PARAMETER_MODE_SQL = [
  "WITH `ep_events` AS (SELECT toString(e.`exp_variant_id`) AS `exp_variant_id`, toString(e.`unit_type`) AS `unit_type`, toString(e.`unit_id`) AS `unit_id`, toString(e.`goal`) AS `goal`, COALESCE(e.`count`, 0) AS `count`, COALESCE(e.`value`, 0) AS `value`, COALESCE(toString(e.`product`), '') AS `product`, COALESCE(toString(e.`element`), '') AS `element` FROM `events` AS e WHERE e.`exp_id` = CAST({p1:String} AS String) AND e.`exp_variant_id` IS NOT NULL AND e.`unit_id` IS NOT NULL AND e.`goal` IN (CAST({p2:String} AS String), CAST({p3:String} AS String)) AND e.`date` <> '' AND e.`date` >= CAST({p4:String} AS String) AND e.`date` <= CAST({p5:String} AS String)),",
  '`ep_goal_filtered` AS (SELECT * FROM `ep_events` WHERE (`goal` = CAST({p6:String} AS String) OR `element` IN (CAST({p7:String} AS String)))),',
  "`ep_matches` AS (SELECT `exp_variant_id`, `unit_type`, `unit_id`, `count`, `value`, (`unit_type` = CAST({p8:String} AS String) AND `goal` = CAST({p9:String} AS String) AND (`product` <> '' AND CASE WHEN match(`product`, '^[+-]?([0-9]{1,30}([.][0-9]{0,30})?|[.][0-9]{1,30})$') THEN toFloat64OrNull(replaceRegexpOne(`product`, '^[+]', '')) >= CAST({p10:String} AS Nullable(Float64)) ELSE `product` >= CAST({p11:String} AS String) END)) AS `match_0`, (`unit_type` = CAST({p12:String} AS String) AND `goal` = CAST({p13:String} AS String)) AS `match_1` FROM `ep_goal_filtered`),",
  '`ep_per_unit` AS (SELECT `exp_variant_id`, `unit_type`, `unit_id`, CAST(SUM(CASE WHEN `match_0` THEN `count` END) AS Nullable(Float64)) AS `count_0`, CAST(SUM(CASE WHEN `match_0` THEN `value` END) AS Nullable(Float64)) AS `value_0`, CAST(SUM(CASE WHEN `match_1` THEN `count` END) AS Nullable(Float64)) AS `count_1`, CAST(SUM(CASE WHEN `match_1` THEN `value` END) AS Nullable(Float64)) AS `value_1` FROM `ep_matches` GROUP BY `exp_variant_id`, `unit_type`, `unit_id`),',
  '`ep_per_variant` AS (SELECT `exp_variant_id`, SUM(`count_0`) AS `count_0`, SUM(`count_0` * `count_0`) AS `sqr_count_0`, SUM(`value_0`) AS `value_0`, SUM(`value_0` * `value_0`) AS `sqr_value_0`, CAST(SUM(CASE WHEN `count_0` > 0 THEN 1 ELSE 0 END) AS Nullable(Float64)) AS `unique_0`, COUNT(`count_0`) AS `units_0`, SUM(`count_1`) AS `count_1`, SUM(`count_1` * `count_1`) AS `sqr_count_1`, SUM(`value_1`) AS `value_1`, SUM(`value_1` * `value_1`) AS `sqr_value_1`, CAST(SUM(CASE WHEN `count_1` > 0 THEN 1 ELSE 0 END) AS Nullable(Float64)) AS `unique_1`, COUNT(`count_1`) AS `units_1` FROM `ep_per_unit` GROUP BY `exp_variant_id`)',
  'SELECT CAST({p14:String} AS String) AS `exp_id`, `exp_variant_id`, CAST({p15:String} AS String) AS `unit_type`, CAST({p16:String} AS String) AS `agg_type`, CAST({p17:String} AS String) AS `goal`, CAST({p18:String} AS String) AS `product`, `count_0` AS `count`, `sqr_count_0` AS `sum_sqr_count`, `value_0` AS `sum_value`, `sqr_value_0` AS `sum_sqr_value`, `unique_0` AS `count_unique` FROM `ep_per_variant` WHERE `units_0` > 0',
  'UNION ALL',
  'SELECT CAST({p19:String} AS String) AS `exp_id`, `exp_variant_id`, CAST({p20:String} AS String) AS `unit_type`, CAST({p21:String} AS String) AS `agg_type`, CAST({p22:String} AS String) AS `goal`, CAST({p23:String} AS String) AS `product`, `count_1` AS `count`, `sqr_count_1` AS `sum_sqr_count`, `value_1` AS `sum_value`, `sqr_value_1` AS `sum_sqr_value`, `unique_1` AS `count_unique` FROM `ep_per_variant` WHERE `units_1` > 0',
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
});

describe('clickhouseParameterDialect (current servers; golden text, not run)', () => {
  it('places {pN:String} parameters and casts them to their types', () => {
    expect(clickhouseParameterDialect.placeholder(12)).toBe('{p12:String}');
    expect(clickhouseParameterDialect.parameterStyle).toBe('numbered');
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
  });
});
