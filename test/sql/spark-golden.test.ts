import { describe, expect, it } from 'vitest';
import { sqlStringLiteral } from '../../src/sql/index.js';
import { sparkDialect, sparkNamedParameters } from '../../src/sql/spark-dialect.js';
import {
  describeGoldenStatements,
  describeMetricSumsGolden,
  describeUnitGoalsCupedGolden,
  unquoteCteNames,
} from './golden/golden-statements.js';

describe('sparkDialect', () => {
  it('quotes with backticks and binds named :p parameter markers', () => {
    expect(sparkDialect.quoteIdentifier('value')).toBe('`value`');
    expect(sparkDialect.quoteIdentifier('a`b')).toBe('`a``b`');
    expect(sparkDialect.placeholder(7)).toBe(':p7');
    expect(sparkNamedParameters(['e1', 3])).toEqual({ p1: 'e1', p2: 3 });
  });

  it('spells types, casts, regular expressions and LIKE as Spark SQL does', () => {
    expect([sparkDialect.textType, sparkDialect.doubleType, sparkDialect.integerType]).toEqual([
      'STRING',
      'DOUBLE',
      'BIGINT',
    ]);
    expect(sparkDialect.castToText('x')).toBe('CAST(x AS STRING)');
    // TRY_CAST: no error under ANSI mode (the default of Spark 4) for a cell a CASE excludes.
    expect(sparkDialect.castToDouble('x')).toBe('TRY_CAST(x AS DOUBLE)');
    expect(sparkDialect.matchesRegex('x', '^[0-9]+$')).toBe("(x RLIKE '^[0-9]+$')");
    // `\` is the default escape character of Spark's LIKE.
    expect(sparkDialect.like('x', ':p1')).toBe('x LIKE :p1');
    // UTF8_BINARY, the default collation, compares by code points.
    expect(sparkDialect.binaryText('x')).toBe('x');
  });

  it('writes inline literals with backslash escapes (Spark string literals)', () => {
    expect(sparkDialect.literal("it's \\")).toBe(sqlStringLiteral("it's \\", { backslashEscapes: true }));
    expect(sparkDialect.literal(2)).toBe('2');
  });
});

/**
 * node-sql-parser has no Spark SQL grammar; its Hive grammar is the closest (backtick identifiers, `:name`
 * parameters, RLIKE, STRING and DOUBLE casts). Besides the quoted CTE names (see unquoteCteNames) it lacks
 * `TRY_CAST`, which Spark has had since 3.2: for parsing, `TRY_CAST(` is read as `CAST(` (same arguments).
 */
function forHiveParser(sql: string): string {
  return unquoteCteNames(sql).replaceAll('TRY_CAST(', 'CAST(');
}

const sparkGolden = {
  dialect: sparkDialect,
  parserDatabase: 'Hive',
  placeholderPattern: /:p\d+/g,
  namedParameters: sparkNamedParameters,
  forParser: forHiveParser,
};
describeGoldenStatements(sparkGolden);
describeMetricSumsGolden(sparkGolden);
describeUnitGoalsCupedGolden(sparkGolden);
