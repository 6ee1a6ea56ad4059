import type { SqlDialect } from './sql-dialect.js';
import { sqlNumberLiteral, sqlStringLiteral } from './string-literal.js';

/** ClickHouse string literals read `\` as an escape character. */
const CLICKHOUSE_STRINGS = { backslashEscapes: true } as const;

/**
 * Options of {@link createClickHouseDialect}: which features of newer ClickHouse servers the statements
 * may use. The defaults use none of them, so that the statements run on ClickHouse 18.16 and later.
 *
 * @example
 * ```ts
 * import type { ClickHouseDialectOptions } from 'ep-stats/sql';
 * const currentServers: ClickHouseDialectOptions = { queryParameters: true, commonTableExpressions: true };
 * currentServers.commonTableExpressions; // => true
 * ```
 * @public
 */
export interface ClickHouseDialectOptions {
  /**
   * Whether values are `{p1:String}`, `{p2:String}`, ... query parameters, which {@link ClickHouseClient}
   * binds as the HTTP parameters `param_p1`, `param_p2`, ... (servers with query parameters only; 18.16
   * has none). Default `false`: every value is written into the statement as an escaped literal.
   */
  readonly queryParameters?: boolean;
  /**
   * Whether the statements may start with `WITH name AS (query), ...` (ClickHouse 20.11 and later).
   * Default `false`: each of those queries is written as a subquery where it is read, and the `SELECT` per
   * goal become one pass over the per-variant (or per-unit) totals with `ARRAY JOIN` (see
   * {@link createClickHouseDialect}).
   */
  readonly commonTableExpressions?: boolean;
}

/**
 * The `SELECT` per goal as one pass over `relation`: each of its rows is repeated once per goal by an
 * `ARRAY JOIN` over one tuple per goal (the goal's values, then its condition), and the repetitions whose
 * condition fails are dropped. Without common table expressions `relation` is a subquery, which a
 * `UNION ALL` would write and evaluate once per goal (past the 256 KiB `max_query_size` with a few dozen
 * goals).
 */
function arrayJoinUnion(
  relation: string,
  names: readonly string[],
  selects: readonly { readonly values: readonly string[]; readonly where: string }[],
): string {
  const row = '`ep_row`';
  const columns = names.map((name, index) => `tupleElement(${row}, ${index + 1}) AS ${name}`);
  const tuples = selects.map(({ values, where }) => `tuple(${[...values, `(${where})`].join(', ')})`);
  return (
    `SELECT ${columns.join(', ')} FROM (SELECT ${row} FROM ${relation} ARRAY JOIN [${tuples.join(', ')}] ` +
    `AS ${row} WHERE tupleElement(${row}, ${names.length + 1}))`
  );
}

/**
 * A ClickHouse dialect: backtick-quoted identifiers, `toFloat64OrNull`, `match` and `LIKE`, and statements
 * shaped for ClickHouse servers as old as `options` allow.
 *
 * @remarks
 * - Values: escaped literals by default (`parameterStyle` `'inline'`): text goes through
 *   {@link sqlStringLiteral} with `backslashEscapes` (`\` and `'` escaped with a backslash, newline,
 *   carriage return and tab as `\n`, `\r`, `\t`; NUL rejected), numbers through {@link sqlNumberLiteral}.
 *   With `queryParameters`, `{p1:String}`, `{p2:String}`, ... (`parameterStyle` `'numbered'`), each cast
 *   by the query builder to its type (`CAST({p2:String} AS Nullable(Float64))`).
 * - `doubleType` is `Nullable(Float64)`: a per-unit sum over no matching event is NULL, which ClickHouse
 *   cannot cast to a plain `Float64`.
 * - Numbers in dimension comparisons: `toFloat64OrNull`, after dropping a leading `+` (which ClickHouse does
 *   not parse); it never fails, so the eager `CASE` of ClickHouse is safe.
 * - Regular expressions: `match` (RE2, the pattern is anchored with `^` and `$`). `LIKE` reads `\` as its
 *   escape character, as the query builder expects. Text compares by bytes, so UTF-8 text compares by code
 *   points without a collation.
 * - ClickHouse reads a select item's alias wherever its name appears in the same `SELECT`
 *   (`aliasesShadowColumns`): the events are selected under fresh aliases (`ep_<name>`) and renamed by an
 *   outer `SELECT`, the per-variant sums are named `total_count_<i>` and `total_value_<i>`, apart from the
 *   per-unit `count_<i>` and `value_<i>` they sum, so that every `SELECT` reads columns as standard SQL does.
 * - Without `commonTableExpressions` (servers before 20.11 have no `WITH name AS (query)`), each named
 *   query (`ep_events`, ...) is written as a subquery where it is read, as current servers evaluate a
 *   common table expression at each reference anyway, and the `SELECT` per goal over the per-variant (or
 *   per-unit) totals become one `ARRAY JOIN` over one tuple per goal, so that the totals are computed once
 *   and the statement stays short.
 *
 * @param options - Which features of newer servers to use (none by default).
 * @returns The dialect.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { compileAggregatedGoalsQuery, createClickHouseDialect } from 'ep-stats/sql';
 * const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' });
 * const schema = { table: 'events' };
 * const oldServers = createClickHouseDialect();
 * compileAggregatedGoalsQuery(experiment, { schema, dialect: oldServers }).sql.startsWith('SELECT tupleElement('); // => true
 * const current = createClickHouseDialect({ queryParameters: true, commonTableExpressions: true });
 * compileAggregatedGoalsQuery(experiment, { schema, dialect: current }).sql.startsWith('WITH `ep_events` AS ('); // => true
 * current.placeholder(2); // => '{p2:String}'
 * ```
 * @public
 */
export function createClickHouseDialect(options: ClickHouseDialectOptions = {}): SqlDialect {
  const queryParameters = options.queryParameters === true;
  const commonTableExpressions = options.commonTableExpressions === true;
  return Object.freeze({
    name: queryParameters ? 'clickhouse-parameters' : 'clickhouse',
    parameterStyle: queryParameters ? 'numbered' : 'inline',
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
    commonTableExpressions,
    aliasesShadowColumns: true,
    ...(commonTableExpressions ? {} : { unionAll: arrayJoinUnion }),
  } as const);
}

/**
 * The ClickHouse dialect for every server from 18.16 on: {@link createClickHouseDialect} without options.
 * Every value is written into the statement as an escaped literal, and the statement has neither query
 * parameters nor common table expressions.
 *
 * @remarks
 * Run its statements with {@link ClickHouseClient}. {@link clickhouseParameterDialect} is the variant for
 * current servers with `{name:Type}` query parameters.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { clickhouseDialect, compileUnitGoalsQuery } from 'ep-stats/sql';
 * clickhouseDialect.quoteIdentifier('goal'); // => '`goal`'
 * clickhouseDialect.literal("it's a \\ test"); // => "'it\\'s a \\\\ test'"
 * clickhouseDialect.literal(-1.5); // => '(-1.5)'
 * clickhouseDialect.castToDouble('`product`'); // => "toFloat64OrNull(replaceRegexpOne(`product`, '^[+]', ''))"
 * const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' });
 * const { sql } = compileUnitGoalsQuery(experiment, { schema: { table: 'events' }, dialect: clickhouseDialect });
 * sql.startsWith('WITH'); // => false
 * sql.includes(' ARRAY JOIN [tuple('); // => true
 * ```
 * @public
 */
export const clickhouseDialect: SqlDialect = createClickHouseDialect();

/**
 * The ClickHouse dialect for current servers, with query parameters and common table expressions:
 * {@link createClickHouseDialect} with `queryParameters` and `commonTableExpressions`. `{p1:String}`,
 * `{p2:String}`, ... in the statement are bound by {@link ClickHouseClient} as the HTTP parameters
 * `param_p1`, `param_p2`, ...
 *
 * @remarks
 * Every placeholder is typed `String` and the query builder casts it to its type
 * (`CAST({p2:String} AS Nullable(Float64))`), so one placeholder type serves text and numbers. Query
 * parameters and the common table expressions that the statements are made of need ClickHouse 20.11 or
 * later; for older servers use {@link clickhouseDialect}.
 *
 * @example
 * ```ts
 * import { clickhouseParameterDialect } from 'ep-stats/sql';
 * clickhouseParameterDialect.parameterStyle; // => 'numbered'
 * clickhouseParameterDialect.placeholder(3); // => '{p3:String}'
 * clickhouseParameterDialect.commonTableExpressions; // => true
 * ```
 * @public
 */
export const clickhouseParameterDialect: SqlDialect = createClickHouseDialect({
  queryParameters: true,
  commonTableExpressions: true,
});
