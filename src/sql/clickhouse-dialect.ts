import type { SqlDialect } from './sql-dialect.js';
import { sqlNumberLiteral, sqlStringLiteral } from './string-literal.js';

/** ClickHouse string literals read `\` as an escape character. */
const CLICKHOUSE_STRINGS = { backslashEscapes: true } as const;

/**
 * The ClickHouse dialect for servers without query parameters (ClickHouse 18.16 and later): every value is
 * written into the statement as an escaped literal, backtick-quoted identifiers, `toFloat64OrNull`, `match`
 * and `LIKE`.
 *
 * @remarks
 * - Values: `parameterStyle` is `'inline'`; text goes through {@link sqlStringLiteral} with
 *   `backslashEscapes` (`\` and `'` escaped with a backslash, newline, carriage return and tab as `\n`,
 *   `\r`, `\t`; NUL rejected), numbers through {@link sqlNumberLiteral}.
 * - `doubleType` is `Nullable(Float64)`: a per-unit sum over no matching event is NULL, which ClickHouse
 *   cannot cast to a plain `Float64`.
 * - Numbers in dimension comparisons: `toFloat64OrNull`, after dropping a leading `+` (which ClickHouse does
 *   not parse); it never fails, so the eager `CASE` of ClickHouse is safe.
 * - Regular expressions: `match` (RE2, the pattern is anchored with `^` and `$`).
 * - `LIKE` reads `\` as its escape character, as the query builder expects.
 * - Text compares by bytes, so UTF-8 text compares by code points without a collation.
 *
 * Run its statements with {@link ClickHouseClient}, which also adapts them to what older servers lack
 * (see {@link rewriteClickHouseSql}). {@link clickhouseParameterDialect} is the variant for current servers
 * with `{name:Type}` query parameters.
 *
 * @example
 * ```ts
 * import { clickhouseDialect } from 'ep-stats/sql';
 * clickhouseDialect.quoteIdentifier('goal'); // => '`goal`'
 * clickhouseDialect.literal("it's a \\ test"); // => "'it\\'s a \\\\ test'"
 * clickhouseDialect.literal(-1.5); // => '(-1.5)'
 * clickhouseDialect.castToDouble('`product`'); // => "toFloat64OrNull(replaceRegexpOne(`product`, '^[+]', ''))"
 * ```
 * @public
 */
export const clickhouseDialect: SqlDialect = Object.freeze({
  name: 'clickhouse',
  parameterStyle: 'inline',
  textType: 'String',
  doubleType: 'Nullable(Float64)',
  integerType: 'Int64',
  dateType: 'Date',
  quoteIdentifier: (name: string) => `\`${name.replace(/[\\`]/g, (character) => `\\${character}`)}\``,
  placeholder: (position: number) => `{p${position}:String}`,
  literal: (value: string | number) =>
    typeof value === 'number' ? sqlNumberLiteral(value) : sqlStringLiteral(value, CLICKHOUSE_STRINGS),
  castToText: (expression: string) => `toString(${expression})`,
  castToDouble: (expression: string) =>
    `toFloat64OrNull(replaceRegexpOne(${expression}, ${sqlStringLiteral('^[+]', CLICKHOUSE_STRINGS)}, ''))`,
  matchesRegex: (expression: string, pattern: string) =>
    `match(${expression}, ${sqlStringLiteral(pattern, CLICKHOUSE_STRINGS)})`,
  like: (expression: string, pattern: string) => `${expression} LIKE ${pattern}`,
  binaryText: (expression: string) => expression,
} as const);

/**
 * The ClickHouse dialect for current servers, with query parameters: `{p1:String}`, `{p2:String}`, ... in
 * the statement, bound by {@link ClickHouseClient} as the HTTP parameters `param_p1`, `param_p2`, ...
 *
 * @remarks
 * Everything else is {@link clickhouseDialect}. Every placeholder is typed `String` and the query builder
 * casts it to its type (`CAST({p2:String} AS Nullable(Float64))`), so one placeholder type serves text
 * and numbers. Query parameters and the common table expressions that the goal queries are made of need
 * ClickHouse 20.11 or later; for older servers use {@link clickhouseDialect}.
 *
 * @example
 * ```ts
 * import { clickhouseParameterDialect } from 'ep-stats/sql';
 * clickhouseParameterDialect.parameterStyle; // => 'numbered'
 * clickhouseParameterDialect.placeholder(3); // => '{p3:String}'
 * ```
 * @public
 */
export const clickhouseParameterDialect: SqlDialect = Object.freeze({
  ...clickhouseDialect,
  name: 'clickhouse-parameters',
  parameterStyle: 'numbered',
} as const);
