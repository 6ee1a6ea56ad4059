import { ValidationError } from '../index.js';
import type { SqlDialect } from './sql-dialect.js';

const SAFE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Whether a name can be used as a SQL identifier by this module: a letter or `_`, then letters, digits
 * and `_`, at most 63 characters (PostgreSQL's limit). Such names are still quoted in the SQL.
 *
 * @param name - A table, column or dimension name.
 * @returns `true` for `events`, `exp_id`, `_x1`; `false` for `1x`, `a-b`, `a b`, `x"; DROP`.
 *
 * @example
 * ```ts
 * import { isSafeIdentifier } from 'ep-stats/sql';
 * [isSafeIdentifier('element'), isSafeIdentifier('events; DROP TABLE goals')]; // => [true, false]
 * ```
 * @public
 */
export function isSafeIdentifier(name: string): boolean {
  return SAFE_IDENTIFIER.test(name);
}

/**
 * Checks a name with {@link isSafeIdentifier}, throwing a `ValidationError` that quotes it.
 *
 * @internal
 */
export function requireSafeIdentifier(
  name: unknown,
  what: string,
  path: readonly (string | number)[],
): string {
  if (typeof name === 'string' && isSafeIdentifier(name)) return name;
  throw new ValidationError(
    `${what} ${JSON.stringify(name)} is not a safe SQL identifier: use letters, digits and \`_\`, ` +
      'starting with a letter or `_`, at most 63 characters',
    path,
  );
}

/**
 * A possibly schema-qualified table name (`events`, `analytics.events`) split and checked part by part.
 *
 * @internal
 */
export function requireSafeTableName(name: unknown, path: readonly (string | number)[]): readonly string[] {
  const parts = typeof name === 'string' ? name.split('.') : [];
  if (parts.length === 0 || parts.length > 3 || !parts.every(isSafeIdentifier)) {
    throw new ValidationError(
      `Table name ${JSON.stringify(name)} is not a safe SQL table name: use up to three dot-separated ` +
        'identifiers (`events`, `analytics.events`) of letters, digits and `_`, each starting with a letter or `_`',
      path,
    );
  }
  return Object.freeze(parts);
}

/**
 * Quotes the parts of a qualified name with the dialect and joins them with `.`.
 *
 * @internal
 */
export function quoteQualified(dialect: SqlDialect, parts: readonly string[]): string {
  return parts.map((part) => dialect.quoteIdentifier(part)).join('.');
}
