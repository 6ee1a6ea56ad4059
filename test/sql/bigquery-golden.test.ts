import { describe, expect, it } from 'vitest';
import { Experiment, Metric } from '../../src/index.js';
import { bigqueryDialect, bigqueryNamedParameters } from '../../src/sql/bigquery-dialect.js';
import { compileAggregatedGoalsQuery, sqlStringLiteral } from '../../src/sql/index.js';
import {
  describeGoldenStatements,
  describeMetricSumsGolden,
  describeUnitGoalsCupedGolden,
  unquoteCteNames,
} from './golden/golden-statements.js';

describe('bigqueryDialect', () => {
  it('quotes with backticks and binds named @p parameters', () => {
    expect(bigqueryDialect.quoteIdentifier('count')).toBe('`count`');
    expect(bigqueryDialect.placeholder(12)).toBe('@p12');
    expect(bigqueryNamedParameters(['e1', 2.5])).toEqual({ p1: 'e1', p2: 2.5 });
  });

  it('spells types, casts, regular expressions and LIKE as GoogleSQL does', () => {
    expect([bigqueryDialect.textType, bigqueryDialect.doubleType, bigqueryDialect.integerType]).toEqual([
      'STRING',
      'FLOAT64',
      'INT64',
    ]);
    expect(bigqueryDialect.castToText('x')).toBe('CAST(x AS STRING)');
    expect(bigqueryDialect.castToDouble('x')).toBe('SAFE_CAST(x AS FLOAT64)');
    expect(bigqueryDialect.matchesRegex('x', '^[0-9]+$')).toBe("REGEXP_CONTAINS(x, '^[0-9]+$')");
    // No ESCAPE clause in BigQuery: `\` is LIKE's escape character already.
    expect(bigqueryDialect.like('x', '@p1')).toBe('x LIKE @p1');
    // STRING compares by UTF-8 bytes, i.e. by code points.
    expect(bigqueryDialect.binaryText('x')).toBe('x');
  });

  it('writes inline literals with backslash escapes (GoogleSQL string literals)', () => {
    expect(bigqueryDialect.literal("it's \\ 1\n")).toBe(
      sqlStringLiteral("it's \\ 1\n", { backslashEscapes: true }),
    );
    expect(bigqueryDialect.literal("it's")).toBe("'it\\'s'");
    expect(bigqueryDialect.literal(-1.5)).toBe('(-1.5)');
  });

  it('casts a DATE bound with the date column type', () => {
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'user',
      dateFrom: '2024-01-01',
      metrics: [
        new Metric({
          id: 1,
          name: 'm',
          nominator: 'count(user.unit.click)',
          denominator: 'count(user.global.exposure)',
        }),
      ],
    });
    const { sql } = compileAggregatedGoalsQuery(experiment, {
      schema: { table: 'events', dateType: 'date' },
      dialect: bigqueryDialect,
    });
    expect(sql).toMatch(/e\.`date` IS NOT NULL AND e\.`date` >= CAST\(CAST\(@p\d+ AS STRING\) AS DATE\)/);
  });
});

// node-sql-parser's BigQuery grammar parses the whole statement once the CTE names are unquoted (see
// unquoteCteNames): SAFE_CAST, REGEXP_CONTAINS, `@p` parameters, backtick identifiers, UNION ALL.
const bigqueryGolden = {
  dialect: bigqueryDialect,
  parserDatabase: 'BigQuery',
  placeholderPattern: /@p\d+/g,
  namedParameters: bigqueryNamedParameters,
  forParser: unquoteCteNames,
};
describeGoldenStatements(bigqueryGolden);
describeMetricSumsGolden(bigqueryGolden);
describeUnitGoalsCupedGolden(bigqueryGolden);
