import type { SqlDialect } from './sql-dialect.js';
import { sqlNumberLiteral, sqlStringLiteral } from './string-literal.js';

/**
 * The DuckDB dialect: `"quoted"` identifiers, `$1` placeholders, `TRY_CAST`, `regexp_full_match`, and
 * `LIKE ... ESCAPE '\'` (DuckDB has no default escape character).
 *
 * @example
 * ```ts
 * import { duckdbDialect } from 'ep-stats/sql';
 * duckdbDialect.placeholder(2); // => '$2'
 * duckdbDialect.like('"element"', '$1'); // => `"element" LIKE $1 ESCAPE '\\'`
 * ```
 * @public
 */
export const duckdbDialect: SqlDialect = Object.freeze({
  name: 'duckdb',
  parameterStyle: 'numbered',
  textType: 'VARCHAR',
  doubleType: 'DOUBLE',
  integerType: 'BIGINT',
  dateType: 'DATE',
  quoteIdentifier: (name: string) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (position: number) => `$${position}`,
  literal: (value: string | number) =>
    typeof value === 'number' ? sqlNumberLiteral(value) : sqlStringLiteral(value),
  castToText: (expression: string) => `CAST(${expression} AS VARCHAR)`,
  castToDouble: (expression: string) => `TRY_CAST(${expression} AS DOUBLE)`,
  matchesRegex: (expression: string, pattern: string) =>
    `regexp_full_match(${expression}, ${sqlStringLiteral(pattern)})`,
  like: (expression: string, pattern: string) => `${expression} LIKE ${pattern} ESCAPE '\\'`,
  binaryText: (expression: string) => expression,
} as const);
