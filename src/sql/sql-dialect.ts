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
 * Three optional members change the statement's structure for engines that need it (ClickHouse):
 * `commonTableExpressions`, `aliasesShadowColumns` and `unionAll`; without them the statement is the
 * portable one.
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
  /**
   * Whether the engine runs a leading `WITH name AS (query), ...` list (default `true`). With `false` the
   * query builder writes each of those queries as a subquery `(query) AS name` wherever it is read, which
   * repeats the text of the query (so its values too: not for the `positional` parameter style).
   */
  readonly commonTableExpressions?: boolean;
  /**
   * Whether a select item's alias hides a column of the same name in the rest of its `SELECT` (ClickHouse
   * reads `SUM(x) AS x, SUM(x * x) AS y` as `SUM(SUM(x) * SUM(x))`, and a `WHERE` reads the aliases too);
   * default `false`. With `true` the query builder gives no select item an alias that names a column the
   * same `SELECT` reads.
   */
  readonly aliasesShadowColumns?: boolean;
  /**
   * Writes one `SELECT` per goal over the same relation as one query, in place of the query builder's
   * `SELECT value AS name, ... FROM relation WHERE where` per goal joined by `UNION ALL` (which reads the
   * relation once per goal). `relation` is what a `FROM` writes to read the relation, `names` the quoted
   * output columns (the same in every `SELECT`), and each of `selects` has one SQL expression per name over
   * the relation's columns (`values`) and the condition of its rows (`where`).
   */
  unionAll?(
    relation: string,
    names: readonly string[],
    selects: readonly { readonly values: readonly string[]; readonly where: string }[],
  ): string;
}

/**
 * The named queries of one statement (`ep_events`, `ep_matches`, ...), each reading earlier ones: a leading
 * `WITH` list, or subqueries where they are read for a dialect without common table expressions.
 *
 * @internal
 */
export class NamedQueries {
  readonly #dialect: SqlDialect;
  readonly #inline: boolean;
  readonly #list: string[] = [];
  readonly #subqueries = new Map<string, string>();

  constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
    this.#inline = dialect.commonTableExpressions === false;
    if (this.#inline && dialect.parameterStyle === 'positional') {
      throw new TypeError(
        `SQL dialect ${dialect.name}: positional parameters need common table expressions (a subquery repeats its values)`,
      );
    }
  }

  /** Defines the query `name` (unquoted), which may read the queries defined before it. */
  define(name: string, query: string): void {
    const quoted = this.#dialect.quoteIdentifier(name);
    this.#list.push(`${quoted} AS (${query})`);
    this.#subqueries.set(name, `(${query}) AS ${quoted}`);
  }

  /** What a `FROM` writes to read the query `name`: its quoted name, or the subquery. */
  read(name: string): string {
    const subquery = this.#subqueries.get(name);
    if (subquery === undefined) throw new Error(`No query named ${name} was defined`);
    return this.#inline ? subquery : this.#dialect.quoteIdentifier(name);
  }

  /** The statement whose main query is `query`: after the `WITH` list of the named queries, or alone. */
  statement(query: string): string {
    return this.#inline ? query : `WITH ${this.#list.join(',\n')}\n${query}`;
  }
}

/** `name`, or else the first of `name_1`, `name_2`, ... that is not `taken`. @internal */
export function unusedName(name: string, taken: ReadonlySet<string>): string {
  let unused = name;
  for (let suffix = 1; taken.has(unused); suffix++) unused = `${name}_${suffix}`;
  return unused;
}
