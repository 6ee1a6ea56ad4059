/**
 * A stand-in for `@google-cloud/bigquery` in the documentation's programs (`test/docs/check-run.test.ts`
 * redirects the package here): a `BigQuery` class whose `query({ query, params })` resolves to `[rows]`, as
 * the real client's does, and which really executes the statement, on DuckDB.
 *
 * What it does:
 *
 * - On the first query it opens an in-memory DuckDB (`DuckDbClient`) and creates the table
 *   `analytics.events` (schema `analytics`, table `events`) from the bundled demo events
 *   `fixtures/events/demo-events.parquet`, with the `date` column as a `DATE` (a BigQuery table of events
 *   would have one; the programs declare `dateType: 'date'`) and the other columns as the file has them.
 * - It rewrites the GoogleSQL that `bigqueryDialect` compiles into DuckDB SQL, token by token (string
 *   literals and quoted names are read whole, so their contents are never rewritten):
 *   backtick-quoted names become double-quoted ones; string literals, which BigQuery reads with backslash
 *   escapes, are unescaped and written as standard literals (`duckdbDialect.literal`); named parameters
 *   `@pN` become DuckDB's numbered `$N`; the types `STRING`, `FLOAT64` and `INT64` become `VARCHAR`,
 *   `DOUBLE` and `BIGINT`; `SAFE_CAST` becomes `TRY_CAST` and `REGEXP_CONTAINS` `regexp_matches` (both RE2,
 *   and the dialect's patterns are anchored); and `x LIKE CAST(@pN AS STRING)` gets `ESCAPE '\'`, since `\`
 *   is always the escape of BigQuery's `LIKE` and DuckDB's has none by default.
 * - It binds `params` (`{ p1, p2, ... }`, as `bigqueryNamedParameters` makes them) by number and returns
 *   DuckDB's rows (numbers as numbers, 64-bit integers converted to numbers when exact, as the real client
 *   does by default).
 *
 * Limits: only what the statements of `ep-stats/sql` use is translated (anything else, e.g. another
 * function of GoogleSQL, a `LIKE` whose pattern is not a bound parameter, a parameter name other than
 * `pN`, or a `DATE` value in the rows, is passed through or rejected, not emulated); there is one table,
 * `analytics.events`, holding the demo events; options of the constructor (project, credentials, location)
 * are ignored; and DuckDB's semantics apply where the two engines differ (e.g. the order in which floating
 * point sums are added). `test/docs/bigquery-stand-in.test.ts` checks that the rewritten statements return
 * the goal rows of `duckdbDialect` on the same table.
 */
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../../scripts/extract-examples.js';
import { DuckDbClient, duckdbDialect, type SqlParameter, type SqlRow } from '../../../src/sql/index.js';

/** The events file the stand-in's `analytics.events` table is made from. */
export const STAND_IN_EVENTS_FILE = join(REPOSITORY_ROOT, 'fixtures', 'events', 'demo-events.parquet');

/** GoogleSQL words the rewrite replaces (outside literals and quoted names). */
const WORDS: Readonly<Record<string, string>> = {
  STRING: 'VARCHAR',
  FLOAT64: 'DOUBLE',
  INT64: 'BIGINT',
  SAFE_CAST: 'TRY_CAST',
  REGEXP_CONTAINS: 'regexp_matches',
};

/** The characters a backslash escape of a GoogleSQL string literal stands for. */
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '0': '\0',
};

/** Reads the quoted token that starts at `start` (`quote` is `'` or a backtick); backslashes escape. */
function readQuoted(sql: string, start: number, quote: string): { text: string; end: number } {
  let text = '';
  for (let index = start + 1; index < sql.length; index++) {
    const character = sql[index] as string;
    if (character === quote) return { text, end: index + 1 };
    if (character === '\\') {
      const next = sql[index + 1];
      if (next === undefined) break;
      text += ESCAPES[next] ?? next;
      index++;
    } else {
      text += character;
    }
  }
  throw new Error(`BigQuery stand-in: unterminated ${quote} at ${start} of the statement`);
}

/**
 * The DuckDB statement for a GoogleSQL statement compiled by `bigqueryDialect` (see the module's comment for
 * what is translated).
 */
export function bigqueryToDuckDb(sql: string): string {
  let out = '';
  let index = 0;
  while (index < sql.length) {
    const character = sql[index] as string;
    if (character === "'" || character === '`') {
      const { text, end } = readQuoted(sql, index, character);
      out += character === "'" ? duckdbDialect.literal(text) : duckdbDialect.quoteIdentifier(text);
      index = end;
    } else if (character === '"') {
      throw new Error('BigQuery stand-in: double-quoted strings are not translated');
    } else if (character === '@') {
      const match = /^@p([1-9][0-9]*)\b/.exec(sql.slice(index));
      if (match === null)
        throw new Error(`BigQuery stand-in: unknown parameter at ${sql.slice(index, index + 20)}`);
      out += `$${match[1]}`;
      index += match[0].length;
    } else if (/[A-Za-z_]/.test(character)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(index))?.[0] as string;
      out += WORDS[word.toUpperCase()] ?? word;
      index += word.length;
    } else {
      out += character;
      index++;
    }
  }
  const liked = out.replace(/\bLIKE (CAST\(\$[0-9]+ AS VARCHAR\))/g, "LIKE $1 ESCAPE '\\'");
  const likes = out.match(/\bLIKE\b/g)?.length ?? 0;
  const escaped = liked.match(/ESCAPE '\\'/g)?.length ?? 0;
  if (likes !== escaped) throw new Error('BigQuery stand-in: a LIKE pattern that is not a bound parameter');
  return liked;
}

/** The values of `params` (`{ p1, p2, ... }`) in placeholder order. */
function positionalValues(params: Readonly<Record<string, SqlParameter>>): SqlParameter[] {
  const values: SqlParameter[] = [];
  for (const [name, value] of Object.entries(params)) {
    const match = /^p([1-9][0-9]*)$/.exec(name);
    if (match === null) throw new Error(`BigQuery stand-in: parameter ${name} is not named p<n>`);
    values[Number(match[1]) - 1] = value;
  }
  for (let index = 0; index < values.length; index++) {
    if (!(index in values)) throw new Error(`BigQuery stand-in: parameter p${index + 1} is missing`);
  }
  return values;
}

/** A 64-bit integer as a number when exact, as the BigQuery client returns `INT64` by default. */
function plainValue(value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new Error(`BigQuery stand-in: ${value} is not a safe integer`);
  return number;
}

/** Options of `BigQuery.query`, as the real client takes them (only `query` and `params` are read). */
export interface StandInQueryOptions {
  readonly query: string;
  readonly params?: Readonly<Record<string, SqlParameter>>;
}

/**
 * The stand-in for `@google-cloud/bigquery`'s `BigQuery` client: `query` runs the statement on DuckDB over
 * `analytics.events` (the demo events) and resolves to `[rows]`.
 */
export class BigQuery {
  #database: Promise<DuckDbClient> | undefined;

  /** The options of the real client (project, credentials, location): kept, not read. */
  readonly options: Readonly<Record<string, unknown>>;

  /** Takes the real client's options, which the stand-in does not need. */
  constructor(options: Readonly<Record<string, unknown>> = {}) {
    this.options = options;
  }

  /** Rewrites the GoogleSQL statement for DuckDB, runs it with `params` bound, and resolves to `[rows]`. */
  async query(options: StandInQueryOptions): Promise<[SqlRow[]]> {
    const sql = bigqueryToDuckDb(options.query);
    const database = await this.#open();
    const rows = await database.query(sql, positionalValues(options.params ?? {}));
    return [
      rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([name, value]) => [name, plainValue(value)])),
      ),
    ];
  }

  /** Closes the DuckDB database (the real client has nothing to close; programs need not call it). */
  async close(): Promise<void> {
    const database = this.#database;
    this.#database = undefined;
    if (database !== undefined) await (await database).close();
  }

  #open(): Promise<DuckDbClient> {
    this.#database ??= (async () => {
      const database = await DuckDbClient.open();
      await database.query('CREATE SCHEMA analytics', []);
      await database.query(
        'CREATE TABLE analytics.events AS SELECT * REPLACE (CAST("date" AS DATE) AS "date") ' +
          `FROM read_parquet(${duckdbDialect.literal(STAND_IN_EVENTS_FILE)})`,
        [],
      );
      return database;
    })();
    return this.#database;
  }
}
