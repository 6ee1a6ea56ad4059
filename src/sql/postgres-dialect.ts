import type { SqlDialect } from './sql-dialect.js';
import { sqlNumberLiteral, sqlStringLiteral } from './string-literal.js';

/**
 * The PostgreSQL dialect: `"quoted"` identifiers, `$1` placeholders, `~` regular expressions, `LIKE`
 * with its default `\` escape, and `COLLATE "C"` so that text compares by code points whatever the
 * database's collation (as in DuckDB).
 *
 * @example
 * ```ts
 * import { postgresDialect } from 'ep-stats/sql';
 * postgresDialect.placeholder(1); // => '$1'
 * postgresDialect.binaryText('"product"'); // => '"product" COLLATE "C"'
 * ```
 * @public
 */
export const postgresDialect: SqlDialect = Object.freeze({
  name: 'postgres',
  parameterStyle: 'numbered',
  textType: 'text',
  doubleType: 'double precision',
  integerType: 'bigint',
  dateType: 'date',
  quoteIdentifier: (name: string) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (position: number) => `$${position}`,
  literal: (value: string | number) =>
    typeof value === 'number' ? sqlNumberLiteral(value) : sqlStringLiteral(value),
  castToText: (expression: string) => `CAST(${expression} AS text)`,
  // Only reached for cells that match NUMERIC_TEXT_PATTERN (PostgreSQL evaluates CASE branches lazily).
  castToDouble: (expression: string) => `CAST(${expression} AS double precision)`,
  matchesRegex: (expression: string, pattern: string) => `(${expression} ~ ${sqlStringLiteral(pattern)})`,
  like: (expression: string, pattern: string) => `${expression} LIKE ${pattern}`,
  binaryText: (expression: string) => `${expression} COLLATE "C"`,
} as const);
