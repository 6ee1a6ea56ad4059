import type { SqlParameter } from './sql-client.js';
import type { SqlDialect } from './sql-dialect.js';
import { sqlNumberLiteral, sqlStringLiteral } from './string-literal.js';

/**
 * The BigQuery (GoogleSQL) dialect: backtick-quoted identifiers, named query parameters `@p1`, `@p2`, ...,
 * `SAFE_CAST`, `REGEXP_CONTAINS` and `LIKE` with its built-in `\` escape.
 *
 * @remarks
 * - **Parameters**: the `n`-th value of a statement's `parameters` is bound to the named parameter `@pn`;
 *   {@link bigqueryNamedParameters} turns the list into the `params` object of the BigQuery client
 *   (`bigquery.query({ query: sql, params })`). Every placeholder is wrapped in a cast
 *   (`CAST(@p1 AS STRING)`), so the type the client infers for a value does not matter.
 * - **Types**: `STRING`, `FLOAT64`, `INT64`, `DATE`.
 * - **Numbers in text**: `SAFE_CAST(x AS FLOAT64)` (`NULL` instead of an error), guarded by
 *   `REGEXP_CONTAINS(x, '^...$')` (the pattern is anchored, so "contains" is a full match).
 * - **LIKE**: BigQuery's `LIKE` has no `ESCAPE` clause; `\` is always its escape character, which is what
 *   the bound patterns use (`\_`, `\\`).
 * - **Text order**: BigQuery compares `STRING` values by their UTF-8 bytes, which is code point order, so
 *   `binaryText` leaves expressions as they are. There is no `COLLATE "C"`; a table or dataset with a
 *   default collation (`DEFAULT COLLATE 'und:ci'`) changes equality, `LIKE`, grouping and ordering alike:
 *   read such a table through a view whose text columns carry no collation.
 * - **Names**: `project.dataset.table` names are quoted part by part; project ids with `-` are not safe
 *   identifiers here: set the default project of the job and name `dataset.table`.
 * - `literal` (only used by the `inline` style) writes backslash-escaped literals.
 *
 * @example
 * ```ts
 * import { bigqueryDialect } from 'ep-stats/sql';
 * bigqueryDialect.placeholder(3); // => '@p3'
 * bigqueryDialect.quoteIdentifier('date'); // => '`date`'
 * bigqueryDialect.castToDouble('`product`'); // => 'SAFE_CAST(`product` AS FLOAT64)'
 * bigqueryDialect.like('`element`', 'CAST(@p1 AS STRING)'); // => '`element` LIKE CAST(@p1 AS STRING)'
 * ```
 * @public
 */
export const bigqueryDialect: SqlDialect = Object.freeze({
  name: 'bigquery',
  parameterStyle: 'numbered',
  textType: 'STRING',
  doubleType: 'FLOAT64',
  integerType: 'INT64',
  dateType: 'DATE',
  quoteIdentifier: (name: string) => `\`${name.replace(/[`\\]/g, (character) => `\\${character}`)}\``,
  placeholder: (position: number) => `@p${position}`,
  literal: (value: string | number) =>
    typeof value === 'number' ? sqlNumberLiteral(value) : sqlStringLiteral(value, { backslashEscapes: true }),
  castToText: (expression: string) => `CAST(${expression} AS STRING)`,
  castToDouble: (expression: string) => `SAFE_CAST(${expression} AS FLOAT64)`,
  matchesRegex: (expression: string, pattern: string) =>
    `REGEXP_CONTAINS(${expression}, ${sqlStringLiteral(pattern, { backslashEscapes: true })})`,
  like: (expression: string, pattern: string) => `${expression} LIKE ${pattern}`,
  binaryText: (expression: string) => expression,
} as const);

/**
 * A statement's parameters as BigQuery named parameters: `{ p1: first, p2: second, ... }`, the `params`
 * of a query compiled with {@link bigqueryDialect}.
 *
 * @param parameters - The statement's `parameters`, in placeholder order.
 * @returns An object with one property `p<n>` per parameter.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { bigqueryDialect, bigqueryNamedParameters, compileAggregatedGoalsQuery } from 'ep-stats/sql';
 * const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' });
 * const { sql, parameters } = compileAggregatedGoalsQuery(experiment, { schema: { table: 'analytics.events' }, dialect: bigqueryDialect });
 * sql.includes('FROM `analytics`.`events` AS e WHERE e.`exp_id` = CAST(@p1 AS STRING)'); // => true
 * bigqueryNamedParameters(parameters).p1; // => 'e1'
 * // const [rows] = await bigquery.query({ query: sql, params: bigqueryNamedParameters(parameters) });
 * ```
 * @public
 */
export function bigqueryNamedParameters(
  parameters: readonly SqlParameter[],
): Readonly<Record<string, SqlParameter>> {
  return Object.fromEntries(parameters.map((value, index) => [`p${index + 1}`, value]));
}
