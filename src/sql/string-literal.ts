import { ValidationError } from '../index.js';

/**
 * Options of {@link sqlStringLiteral}.
 *
 * @example
 * ```ts
 * import type { SqlStringLiteralOptions } from 'ep-stats/sql';
 * const clickhouse: SqlStringLiteralOptions = { backslashEscapes: true };
 * clickhouse.backslashEscapes; // => true
 * ```
 * @public
 */
export interface SqlStringLiteralOptions {
  /**
   * Whether the engine reads `\` as an escape character inside string literals (ClickHouse, BigQuery,
   * Spark SQL, MySQL). Standard SQL (PostgreSQL, DuckDB) does not.
   */
  readonly backslashEscapes?: boolean;
}

const BACKSLASH_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * Text as a single-quoted SQL string literal: the one escaping function for engines that cannot bind
 * parameters.
 *
 * @remarks
 * Standard SQL doubles every `'`; with `backslashEscapes` every `\` and `'` is escaped with a backslash, and
 * so are newline, carriage return and tab (BigQuery does not allow them raw). NUL characters are rejected:
 * PostgreSQL cannot store them in text and they end C strings elsewhere.
 *
 * @param text - Any text.
 * @param options - Whether the engine reads backslash escapes.
 * @returns The literal, quotes included.
 * @throws `ValidationError` when `text` contains a NUL character (U+0000).
 *
 * @example
 * ```ts
 * import { sqlStringLiteral } from 'ep-stats/sql';
 * import { ValidationError } from 'ep-stats';
 * sqlStringLiteral("x'); DROP TABLE goals; --"); // => "'x''); DROP TABLE goals; --'"
 * sqlStringLiteral("\\'", { backslashEscapes: true }); // => "'\\\\\\''"
 * sqlStringLiteral('a\u0000b'); // throws ValidationError
 * ```
 * @public
 */
export function sqlStringLiteral(text: string, options: SqlStringLiteralOptions = {}): string {
  rejectNul(text, []);
  if (options.backslashEscapes === true) {
    return `'${text.replace(/[\\'\n\r\t]/g, (character) => BACKSLASH_ESCAPES[character] ?? character)}'`;
  }
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A finite number as a SQL numeric literal (in parentheses when negative, so that it can follow `-`).
 *
 * @param value - A finite number.
 * @returns E.g. `1.5`, `(-2)`, `1e+21`.
 * @throws `ValidationError` for NaN and infinities, which SQL cannot write as numeric literals.
 *
 * @example
 * ```ts
 * import { sqlNumberLiteral } from 'ep-stats/sql';
 * sqlNumberLiteral(-2.5); // => '(-2.5)'
 * ```
 * @public
 */
export function sqlNumberLiteral(value: number): string {
  if (!Number.isFinite(value)) {
    throw new ValidationError(
      `Cannot write ${String(value)} as a SQL number; only finite numbers are allowed`,
    );
  }
  const text = String(value);
  return value < 0 || Object.is(value, -0) ? `(${text})` : text;
}

/**
 * Throws a `ValidationError` when text holds a NUL character (PostgreSQL rejects it in text).
 *
 * @internal
 */
export function rejectNul(text: string, path: readonly (string | number)[]): void {
  const position = text.indexOf('\u0000');
  if (position < 0) return;
  const where = path.length === 0 ? '' : ` (${path.join('.')})`;
  throw new ValidationError(
    `The value ${JSON.stringify(text)}${where} contains a NUL character (\\u0000) at position ${position}; ` +
      'SQL text cannot hold it: remove it from the definition or filter',
    path,
  );
}
