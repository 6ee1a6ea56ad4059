import type { SqlParameter } from './sql-client.js';
import type { SqlDialect } from './sql-dialect.js';
import { rejectNul } from './string-literal.js';

/**
 * Collects the values bound to a statement and writes their typed placeholders (or, for the `inline`
 * style, their escaped literals). Every value of a metric definition or a filter goes through here.
 *
 * @internal
 */
export class SqlParameters {
  readonly values: SqlParameter[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  /** A text value, typed as text; rejects NUL characters (with `path` in the error). */
  text(value: string, path: readonly (string | number)[] = []): string {
    rejectNul(value, path);
    return `CAST(${this.bind(value)} AS ${this.dialect.textType})`;
  }

  /** A finite number, typed as double precision. */
  number(value: number): string {
    return `CAST(${this.bind(value)} AS ${this.dialect.doubleType})`;
  }

  /** A whole number, typed as the dialect's integer. */
  integer(value: number): string {
    return `CAST(${this.bind(value)} AS ${this.dialect.integerType})`;
  }

  private bind(value: SqlParameter): string {
    if (this.dialect.parameterStyle === 'inline') return this.dialect.literal(value);
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
}
