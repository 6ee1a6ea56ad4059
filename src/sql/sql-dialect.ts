/**
 * How a dialect binds values: numbered placeholders (`$1`, `$2`), positional ones (`?`), or escaped
 * literals written into the statement (for servers without query parameters).
 *
 * @example
 * ```ts
 * import { duckdbDialect, type ParameterStyle } from 'ep-stats/sql';
 * const style: ParameterStyle = duckdbDialect.parameterStyle;
 * style; // => 'numbered'
 * ```
 * @public
 */
export type ParameterStyle = 'numbered' | 'positional' | 'inline';

/**
 * The SQL spelling of one database engine: identifier quoting, placeholders, casts, pattern matching.
 *
 * @remarks
 * The query builder writes one portable statement (common table expressions, `CASE`, `SUM`, `UNION ALL`)
 * and asks the dialect for everything that differs between engines. A dialect is a plain object, so a
 * warehouse is added by writing one more object: {@link duckdbDialect} and {@link postgresDialect} are
 * provided; an engine without query parameters (the older ClickHouse servers) sets `parameterStyle` to
 * `'inline'` and renders values with {@link sqlStringLiteral}, the one escaping function of this module.
 *
 * Every method receives SQL text built from quoted identifiers, placeholders and constants of this
 * module, never a value from a metric definition or a filter (those are bound).
 *
 * @example
 * ```ts
 * import { duckdbDialect, type SqlDialect } from 'ep-stats/sql';
 * const shouting: SqlDialect = { ...duckdbDialect, name: 'shouting', quoteIdentifier: (name) => `"${name.toUpperCase()}"` };
 * shouting.quoteIdentifier('goal'); // => '"GOAL"'
 * shouting.castToText('x'); // => 'CAST(x AS VARCHAR)'
 * ```
 * @public
 */
export interface SqlDialect {
  /** Name used in messages, e.g. `duckdb`. */
  readonly name: string;
  /** How values are bound. */
  readonly parameterStyle: ParameterStyle;
  /** The SQL type of text (`VARCHAR`, `text`, `String`). */
  readonly textType: string;
  /** The SQL type of a double precision number. */
  readonly doubleType: string;
  /** The SQL type of a 64-bit integer. */
  readonly integerType: string;
  /** The SQL type of a calendar date. */
  readonly dateType: string;
  /** Quotes a name that is already known to be a safe identifier (letters, digits, `_`). */
  quoteIdentifier(name: string): string;
  /** The placeholder of the `position`-th bound value (1-based); unused with the `inline` style. */
  placeholder(position: number): string;
  /** A value as a literal, for the `inline` style. */
  literal(value: string | number): string;
  /** `expression` cast to text. */
  castToText(expression: string): string;
  /**
   * `expression` (text already known to be a plain decimal number, see {@link NUMERIC_TEXT_PATTERN}) as a
   * double precision number; must not fail on rows that a surrounding `CASE` excludes.
   */
  castToDouble(expression: string): string;
  /** Whether text `expression` fully matches the constant regular expression `pattern`. */
  matchesRegex(expression: string, pattern: string): string;
  /** `expression LIKE pattern` where `\` escapes `%`, `_` and itself in the pattern. */
  like(expression: string, pattern: string): string;
  /** Text `expression` compared by code points (binary collation) in `<`, `>` and the like. */
  binaryText(expression: string): string;
}
