import { describe, expect, it } from 'vitest';
import { rewriteClickHouseSql } from '../../src/sql/clickhouse-sql-rewrite.js';

const legacy = { inlineCommonTableExpressions: true } as const;

describe('rewriteClickHouseSql: aliases that name a column the SELECT reads', () => {
  it('moves the items into an inner SELECT with fresh aliases, so that the columns are read', () => {
    expect(rewriteClickHouseSql('SELECT g, SUM(c) AS c, SUM(c * c) AS s FROM t GROUP BY g')).toBe(
      'SELECT g, `ep_column_1` AS c, `ep_column_2` AS s FROM (SELECT g, SUM(c) AS `ep_column_1`, SUM(c * c) AS `ep_column_2` FROM t GROUP BY g)',
    );
  });

  it('counts a qualified column and a column read in WHERE (ClickHouse drops the qualifier)', () => {
    expect(rewriteClickHouseSql('SELECT toString(e.`u`) AS `u` FROM `t` AS e WHERE e.`u` IS NOT NULL')).toBe(
      'SELECT `ep_column_1` AS `u` FROM (SELECT toString(e.`u`) AS `ep_column_1` FROM `t` AS e WHERE e.`u` IS NOT NULL)',
    );
  });

  it('leaves a SELECT alone when no alias is read elsewhere, or only inside its own item', () => {
    const statements = [
      'SELECT toString(x) AS x, y AS z FROM t WHERE y > 1',
      'SELECT `count_0` AS `count`, `units_0` FROM `ep_per_variant` WHERE `units_0` > 0',
      'SELECT 1',
    ];
    for (const sql of statements) expect(rewriteClickHouseSql(sql)).toBe(sql);
  });

  it('leaves a SELECT alone where a clause may read the aliases, or with DISTINCT, or an unnamed item', () => {
    const statements = [
      'SELECT SUM(c) AS c, SUM(c * c) AS s FROM t ORDER BY c',
      'SELECT SUM(c) AS c, COUNT(c) AS n FROM t HAVING n > 1',
      'SELECT DISTINCT c + 1 AS c, c AS d FROM t',
      'SELECT SUM(c) AS c, c + 1 FROM t',
    ];
    for (const sql of statements) expect(rewriteClickHouseSql(sql)).toBe(sql);
  });

  it('reads names in strings and comments as text, not as columns', () => {
    const sql = "SELECT 'c' AS c, x AS y FROM t WHERE z = 'c' -- c\n";
    expect(rewriteClickHouseSql(sql)).toBe(sql);
  });

  it('rewrites each UNION ALL branch on its own', () => {
    expect(rewriteClickHouseSql('SELECT f(a) AS a, a AS b FROM t UNION ALL SELECT a, b FROM u')).toBe(
      'SELECT `ep_column_1` AS a, `ep_column_2` AS b FROM (SELECT f(a) AS `ep_column_1`, a AS `ep_column_2` FROM t) UNION ALL SELECT a, b FROM u',
    );
  });

  it('picks fresh names the statement does not use', () => {
    expect(
      rewriteClickHouseSql('SELECT SUM(ep_column_1) AS ep_column_1, COUNT(ep_column_1) AS n FROM t'),
    ).toBe(
      'SELECT `ep_column_2` AS ep_column_1, `ep_column_3` AS n FROM (SELECT SUM(ep_column_1) AS `ep_column_2`, COUNT(ep_column_1) AS `ep_column_3` FROM t)',
    );
  });
});

describe('rewriteClickHouseSql: common table expressions', () => {
  it('keeps the WITH list for current servers (each expression rewritten on its own)', () => {
    expect(
      rewriteClickHouseSql('WITH a AS (SELECT SUM(x) AS x, COUNT(x) AS n FROM t)\nSELECT x FROM a'),
    ).toBe(
      'WITH a AS (SELECT `ep_column_1` AS x, `ep_column_2` AS n FROM (SELECT SUM(x) AS `ep_column_1`, COUNT(x) AS `ep_column_2` FROM t))\nSELECT x FROM a',
    );
  });

  it('inlines every expression where a FROM or JOIN reads it, through the chain', () => {
    const sql =
      'WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a WHERE x IN (SELECT x FROM a))\nSELECT * FROM b';
    expect(rewriteClickHouseSql(sql, legacy)).toBe(
      'SELECT * FROM (SELECT x FROM (SELECT 1 AS x) AS a WHERE x IN (SELECT x FROM (SELECT 1 AS x) AS a)) AS b',
    );
  });

  it('keeps an existing table alias and leaves columns, qualified names and strings named alike', () => {
    const sql =
      "WITH `a` AS (SELECT 1 AS `a`)\nSELECT `a`, 'FROM a' FROM `a` AS t JOIN db.a USING x JOIN a u ON 1";
    expect(rewriteClickHouseSql(sql, legacy)).toBe(
      "SELECT `a`, 'FROM a' FROM (SELECT 1 AS `a`) AS t JOIN db.a USING x JOIN (SELECT 1 AS `a`) u ON 1",
    );
  });

  it('reads backslash escapes and doubled quotes in strings', () => {
    const sql = "WITH a AS (SELECT 'it\\'s ) FROM a' AS s, 'x''y' AS t)\nSELECT s FROM a";
    expect(rewriteClickHouseSql(sql, legacy)).toBe(
      "SELECT s FROM (SELECT 'it\\'s ) FROM a' AS s, 'x''y' AS t) AS a",
    );
  });

  it('folds UNION ALL branches over one relation into one ARRAY JOIN, so that it is evaluated once', () => {
    const sql =
      "WITH v AS (SELECT 1 AS c0, 2 AS c1)\nSELECT 'g0' AS goal, c0 AS count FROM v WHERE c0 > 0\nUNION ALL\nSELECT 'g1' AS goal, c1 AS count FROM v WHERE c1 > 0";
    expect(rewriteClickHouseSql(sql, legacy)).toBe(
      'SELECT tupleElement(`ep_row`, 1) AS goal, tupleElement(`ep_row`, 2) AS count FROM (SELECT `ep_row` FROM ' +
        "(SELECT 1 AS c0, 2 AS c1) AS v ARRAY JOIN [tuple('g0', c0, (c0 > 0)), tuple('g1', c1, (c1 > 0))] AS `ep_row` " +
        'WHERE tupleElement(`ep_row`, 3))',
    );
  });

  it('does not fold branches over different relations, with other clauses, or UNION DISTINCT', () => {
    const statements = [
      'WITH v AS (SELECT 1 AS c)\nSELECT c FROM v UNION ALL SELECT c FROM w',
      'WITH v AS (SELECT 1 AS c)\nSELECT c FROM v UNION ALL SELECT c FROM v GROUP BY c',
      'WITH v AS (SELECT 1 AS c)\nSELECT c FROM v UNION DISTINCT SELECT c FROM v',
    ];
    for (const sql of statements) expect(rewriteClickHouseSql(sql, legacy)).not.toContain('ARRAY JOIN');
    expect(rewriteClickHouseSql(statements[0] as string, legacy)).toBe(
      'SELECT c FROM (SELECT 1 AS c) AS v UNION ALL SELECT c FROM w',
    );
  });

  it('returns statements that are not a SELECT, or cannot be split into tokens, unchanged', () => {
    const statements = [
      'CREATE TABLE t (a String) ENGINE = Memory',
      'INSERT INTO t FORMAT JSONEachRow\n{"a": "x\'"}',
      "SELECT SUM(c) AS c, COUNT(c) AS n FROM t WHERE s = 'not closed",
      'WITH 1 AS one SELECT one',
      'WITH (SELECT 1) AS one SELECT one',
    ];
    for (const sql of statements) expect(rewriteClickHouseSql(sql, legacy)).toBe(sql);
  });
});
