/**
 * The BigQuery stand-in of the documentation's programs (`test/docs/support/bigquery-stand-in.ts`) runs what
 * `bigqueryDialect` compiles and returns what `duckdbDialect`'s statements return on the same events: goal
 * rows (aggregated and per unit) for every demo scenario of the equivalence tests (dates, every dimension
 * operator, filters of each scope), and metric sums with a CUPED metric; and its rewrite translates literals,
 * names, parameters and `LIKE` as its header says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Experiment, Metric, SrmCheck } from '../../src/index.js';
import {
  bigqueryDialect,
  bigqueryNamedParameters,
  DuckDbClient,
  duckdbDialect,
  type SqlClient,
  SqlDao,
  type SqlRow,
} from '../../src/sql/index.js';
import { goalRowDifferences } from '../sql/support/compare.js';
import { demoScenarios } from '../sql/support/scenarios.js';
import { BigQuery, bigqueryToDuckDb, STAND_IN_EVENTS_FILE } from './support/bigquery-stand-in.js';

const SCHEMA = {
  table: 'analytics.events',
  dimensions: ['element', 'product', 'country'],
  dateType: 'date',
} as const;

/**
 * Numbers within 1e-10 relative (DuckDB adds floating-point values in parallel, in an order that can differ
 * between two statements over the same data), other cells equal.
 */
function rowDifferences(actualRows: readonly SqlRow[], expectedRows: readonly SqlRow[]): string[] {
  if (actualRows.length !== expectedRows.length) {
    return [`${actualRows.length} rows instead of ${expectedRows.length}`];
  }
  // Statements without ORDER BY (goals per unit) return their rows in any order: compare them sorted.
  const actual = sortedRows(actualRows);
  const expected = sortedRows(expectedRows);
  const problems: string[] = [];
  expected.forEach((row, index) => {
    const other = actual[index] ?? {};
    for (const [column, value] of Object.entries(row)) {
      const cell = other[column];
      const same =
        typeof value === 'number' && typeof cell === 'number'
          ? // DuckDB sums floating-point values in parallel, in an order that can differ between two
            // statements over the same data: the last bits may differ.
            Math.abs(cell - value) <= 1e-10 * Math.max(1, Math.abs(value))
          : cell === value;
      if (!same) problems.push(`row ${index} ${column}: ${String(cell)} instead of ${String(value)}`);
    }
  });
  return problems;
}

/**
 * The rows in the order of their text cells (variant, unit type, unit id, goal, dimensions), which identify a
 * row of these statements, so that numbers that differ in their last bits do not change the order.
 */
function sortedRows(rows: readonly SqlRow[]): SqlRow[] {
  const key = (row: SqlRow) =>
    JSON.stringify(
      Object.keys(row)
        .sort()
        .filter((column) => typeof row[column] === 'string')
        .map((column) => row[column]),
    );
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe('the BigQuery stand-in', () => {
  const bigquery = new BigQuery();
  const client: SqlClient = {
    query: async (sql, parameters) =>
      (await bigquery.query({ query: sql, params: bigqueryNamedParameters(parameters) }))[0],
    close: async () => {},
  };
  const standIn = new SqlDao({ client, dialect: bigqueryDialect, schema: SCHEMA });
  let duckdb: DuckDbClient;
  let reference: SqlDao;
  beforeAll(async () => {
    duckdb = await DuckDbClient.open();
    await duckdb.query('CREATE SCHEMA analytics', []);
    await duckdb.query(
      `CREATE TABLE analytics.events AS SELECT * REPLACE (CAST("date" AS DATE) AS "date") FROM read_parquet(${duckdbDialect.literal(STAND_IN_EVENTS_FILE)})`,
      [],
    );
    reference = new SqlDao({ client: duckdb, dialect: duckdbDialect, schema: SCHEMA });
  });
  afterAll(async () => {
    await bigquery.close();
    await duckdb?.close();
  });

  it('translates literals, names, parameters, types and LIKE', () => {
    expect(bigqueryToDuckDb("SELECT 'it\\'s \\\\ \\n' AS `a\\`b` FROM `analytics`.`events`")).toBe(
      `SELECT 'it''s \\ \n' AS "a\`b" FROM "analytics"."events"`,
    );
    expect(bigqueryToDuckDb('SELECT SAFE_CAST(x AS FLOAT64), CAST(@p12 AS STRING), CAST(@p3 AS INT64)')).toBe(
      'SELECT TRY_CAST(x AS DOUBLE), CAST($12 AS VARCHAR), CAST($3 AS BIGINT)',
    );
    expect(bigqueryToDuckDb("WHERE x LIKE CAST(@p1 AS STRING) AND REGEXP_CONTAINS(x, '^a$')")).toBe(
      "WHERE x LIKE CAST($1 AS VARCHAR) ESCAPE '\\' AND regexp_matches(x, '^a$')",
    );
    expect(() => bigqueryToDuckDb("WHERE x LIKE 'a%'")).toThrow(/LIKE/);
    expect(() => bigqueryToDuckDb('WHERE x = @name')).toThrow(/parameter/);
  });

  it('binds named parameters and resolves to [rows] with plain numbers', async () => {
    const [rows] = await bigquery.query({
      query:
        'SELECT CAST(@p2 AS STRING) AS b, CAST(@p1 AS INT64) AS a, COUNT(*) AS n FROM `analytics`.`events`',
      params: { p1: 7, p2: 'x_y' },
    });
    expect(rows).toEqual([{ b: 'x_y', a: 7, n: expect.any(Number) }]);
    expect(rows[0]?.n).toBeGreaterThan(1000);
  });

  it('reads a LIKE pattern with escapes as BigQuery does', async () => {
    const query = 'SELECT COUNT(*) AS n FROM `analytics`.`events` WHERE `product` LIKE CAST(@p1 AS STRING)';
    const [[escaped]] = await bigquery.query({ query, params: { p1: 'p\\_1' } });
    const [[wildcard]] = await bigquery.query({ query, params: { p1: 'p_1' } });
    const [exact] = await duckdb.query(
      "SELECT COUNT(*) AS n FROM analytics.events WHERE product = 'p_1'",
      [],
    );
    expect(escaped?.n).toBe(Number(exact?.n));
    expect(Number(escaped?.n)).toBeGreaterThan(0);
    expect(await bigquery.query({ query, params: { p1: 'p\\%' } })).toEqual([[{ n: 0 }]]);
    expect(Number(wildcard?.n)).toBeGreaterThanOrEqual(Number(escaped?.n));
  });

  for (const { name, experiment } of demoScenarios) {
    it(`returns the goal rows of duckdbDialect: ${name}`, async () => {
      const rows = await standIn.getAggGoals(experiment);
      expect(rows.length).toBeGreaterThan(0);
      expect(await goalRowDifferences(standIn, reference, experiment)).toEqual([]);
    });
  }

  it('returns the metric sums of duckdbDialect, with a CUPED pre-period', async () => {
    const experiment = new Experiment({
      id: 'demo',
      controlVariant: 'a',
      unitType: 'user',
      dateFrom: '2024-01-01',
      dateTo: '2024-01-10',
      metrics: [
        new Metric({
          id: 6,
          name: 'Revenue per user (CUPED, 14 days)',
          nominator: 'value(user.unit.conversion)',
          denominator: 'count(user.global.exposure)',
          cuped: { preDays: 14 },
        }),
        new Metric({
          id: 3,
          name: 'Button click-through rate',
          nominator: 'count(user.unit.click(element=^button))',
          denominator: 'count(user.unit.view(element=^button))',
        }),
      ],
      checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(user.global.exposure)' })],
    });
    const sums = await standIn.getMetricSums(experiment);
    expect(sums).toHaveLength(6);
    expect(
      rowDifferences(
        sums as unknown as SqlRow[],
        (await reference.getMetricSums(experiment)) as unknown as SqlRow[],
      ),
    ).toEqual([]);
    expect(
      rowDifferences(
        (await standIn.getUnitGoals(experiment)) as unknown as SqlRow[],
        (await reference.getUnitGoals(experiment)) as unknown as SqlRow[],
      ),
    ).toEqual([]);
  });
});
