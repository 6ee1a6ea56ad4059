import type { SqlParameter } from './sql-client.js';
import type { SqlDialect } from './sql-dialect.js';
import { sqlNumberLiteral, sqlStringLiteral } from './string-literal.js';

/**
 * The Spark SQL dialect (Spark 3.4 and later, Databricks): backtick-quoted identifiers, named parameter
 * markers `:p1`, `:p2`, ..., `TRY_CAST`, `RLIKE` and `LIKE` with its default `\` escape.
 *
 * @remarks
 * - **Parameters**: named parameter markers, bound by `spark.sql(query, args)` since Spark 3.4 (also in
 *   common table expressions and subqueries) and by the Databricks SQL connectors; the `n`-th value of a
 *   statement's `parameters` is bound to `:pn`, and {@link sparkNamedParameters} builds the `args` map.
 *   Named markers are used rather than positional `?` ones because `?` needs Spark 3.5. Every marker is
 *   wrapped in a cast (`CAST(:p1 AS STRING)`).
 * - **Types**: `STRING`, `DOUBLE`, `BIGINT`, `DATE`.
 * - **Numbers in text**: `TRY_CAST(x AS DOUBLE)` (`NULL` instead of an error, also with ANSI mode, the
 *   default of Spark 4), guarded by `x RLIKE '^...$'` (Java regular expressions; the pattern is anchored).
 * - **LIKE**: `\` is the default escape character of Spark's `LIKE`, as the bound patterns need.
 * - **Text order**: Spark compares strings by their UTF-8 bytes (code point order) under its default
 *   collation `UTF8_BINARY`, so `binaryText` leaves expressions as they are. Spark 3 has no `COLLATE`
 *   clause; Spark 4 does, and a column or session with another collation (`UTF8_LCASE`, `UNICODE_CI`) changes
 *   equality, `LIKE`, grouping and ordering alike: read such a table through a view with `UTF8_BINARY`
 *   text columns.
 * - `literal` (only used by the `inline` style) writes backslash-escaped literals, as Spark reads them
 *   unless `spark.sql.parser.escapedStringLiterals` is set.
 *
 * @example
 * ```ts
 * import { sparkDialect } from 'ep-stats/sql';
 * sparkDialect.placeholder(3); // => ':p3'
 * sparkDialect.quoteIdentifier('count'); // => '`count`'
 * sparkDialect.castToDouble('`product`'); // => 'TRY_CAST(`product` AS DOUBLE)'
 * sparkDialect.matchesRegex('`product`', '^[0-9]+$'); // => "(`product` RLIKE '^[0-9]+$')"
 * ```
 * @public
 */
export const sparkDialect: SqlDialect = Object.freeze({
  name: 'spark',
  parameterStyle: 'numbered',
  textType: 'STRING',
  doubleType: 'DOUBLE',
  integerType: 'BIGINT',
  dateType: 'DATE',
  quoteIdentifier: (name: string) => `\`${name.replaceAll('`', '``')}\``,
  placeholder: (position: number) => `:p${position}`,
  literal: (value: string | number) =>
    typeof value === 'number' ? sqlNumberLiteral(value) : sqlStringLiteral(value, { backslashEscapes: true }),
  castToText: (expression: string) => `CAST(${expression} AS STRING)`,
  castToDouble: (expression: string) => `TRY_CAST(${expression} AS DOUBLE)`,
  matchesRegex: (expression: string, pattern: string) =>
    `(${expression} RLIKE ${sqlStringLiteral(pattern, { backslashEscapes: true })})`,
  like: (expression: string, pattern: string) => `${expression} LIKE ${pattern}`,
  binaryText: (expression: string) => expression,
} as const);

/**
 * A statement's parameters as Spark SQL named arguments: `{ p1: first, p2: second, ... }`, the `args` of
 * `spark.sql(query, args)` for a query compiled with {@link sparkDialect}.
 *
 * @param parameters - The statement's `parameters`, in placeholder order.
 * @returns An object with one property `p<n>` per parameter.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { compileUnitGoalsQuery, sparkDialect, sparkNamedParameters } from 'ep-stats/sql';
 * const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' });
 * const { sql, parameters } = compileUnitGoalsQuery(experiment, { schema: { table: 'events' }, dialect: sparkDialect });
 * sql.includes('e.`exp_id` = CAST(:p1 AS STRING)'); // => true
 * const args = sparkNamedParameters(parameters);
 * [args.p1, Object.keys(args).length === parameters.length]; // => ['e1', true]
 * sparkNamedParameters(['e1', 2.5]); // => { p1: 'e1', p2: 2.5 }
 * // PySpark 3.5+: spark.sql(sql, args=args)
 * ```
 * @public
 */
export function sparkNamedParameters(
  parameters: readonly SqlParameter[],
): Readonly<Record<string, SqlParameter>> {
  return Object.fromEntries(parameters.map((value, index) => [`p${index + 1}`, value]));
}
