import { ValidationError } from '../index.js';
import type { SqlClient, SqlParameter, SqlRow } from './sql-client.js';
import { rejectNul } from './string-literal.js';

/**
 * Options of {@link ClickHouseClient.connect}.
 *
 * @example
 * ```ts
 * import type { ClickHouseClientOptions } from 'ep-stats/sql';
 * const options: ClickHouseClientOptions = {
 *   url: 'http://clickhouse.internal:8123',
 *   database: 'analytics',
 *   username: 'reader',
 *   settings: { max_execution_time: 60 },
 * };
 * options.settings?.max_execution_time; // => 60
 * ```
 * @public
 */
export interface ClickHouseClientOptions {
  /** The HTTP interface, e.g. `http://localhost:8123` (credentials in the URL are sent as Basic auth). */
  readonly url: string;
  /** Database of unqualified table names (the user's default when omitted). */
  readonly database?: string;
  /** User name (HTTP Basic auth; `default` when neither this nor the URL gives one). */
  readonly username?: string;
  /** Password of `username`. */
  readonly password?: string;
  /** ClickHouse settings sent with every statement, e.g. `{ max_execution_time: 60 }`. */
  readonly settings?: Readonly<Record<string, string | number>>;
  /** Milliseconds before a statement is abandoned (none by default). */
  readonly timeout?: number;
  /** Whether errors quote the whole statement (default `false`: its first line, shortened). */
  readonly includeStatementInErrors?: boolean;
}

/**
 * An error reported by a ClickHouse server, or a failed request to it.
 *
 * @remarks
 * The message holds ClickHouse's error text (shortened to 500 characters) and, by default, only the first
 * line of the statement (shortened to 120 characters), so that values written into the statement are not
 * copied into logs; {@link ClickHouseClientOptions.includeStatementInErrors} quotes it whole.
 *
 * @example
 * ```ts
 * import { ClickHouseError } from 'ep-stats/sql';
 * const error = new ClickHouseError('Code 47: Unknown identifier: x', { code: 47, status: 404, statement: 'SELECT x' });
 * [error.code, error.status, error.name]; // => [47, 404, 'ClickHouseError']
 * ```
 * @public
 */
export class ClickHouseError extends Error {
  /** ClickHouse's error code (`47` = unknown identifier), when the server answered with one. */
  readonly code: number | undefined;
  /** HTTP status of the answer; `undefined` when the server could not be reached. */
  readonly status: number | undefined;
  /** The statement as quoted in the message (first line only, by default). */
  readonly statement: string;

  constructor(
    message: string,
    details: { code?: number; status?: number; statement: string },
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClickHouseError';
    this.code = details.code;
    this.status = details.status;
    this.statement = details.statement;
  }
}

/** Integer types that ClickHouse's JSON output writes as strings. */
const QUOTED_INTEGER = /^U?Int(64|128|256)$/;

/** `Nullable(T)` and `LowCardinality(T)` as `T`. */
function baseType(type: string): string {
  const inner = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type);
  return inner ? baseType(inner[1] as string) : type;
}

/** A 64-bit integer cell as a number when it is one exactly, else the decimal string as written. */
function integerCell(cell: unknown): unknown {
  if (typeof cell !== 'string' || !/^-?\d+$/.test(cell)) return cell;
  const value = Number(cell);
  return Number.isSafeInteger(value) ? value : cell;
}

/** A value in ClickHouse's "escaped" text format, as query parameters are read. */
function escapedParameter(value: SqlParameter, position: number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ValidationError(
        `Cannot bind ${String(value)} as query parameter ${position}; only finite numbers are allowed`,
      );
    }
    return String(value);
  }
  rejectNul(value, []);
  const escapes: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
  return value.replace(/[\\\t\n\r]/g, (character) => escapes[character] ?? character);
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** ClickHouse's error text without its `Code: N, e.displayText() = ` and `e.what()` wrapping. */
function errorText(body: string): { code: number | undefined; text: string } {
  const code = /^Code: (\d+)/.exec(body)?.[1];
  const text = body
    .trim()
    .replace(/^Code: \d+[,.]\s*(e\.displayText\(\) = )?/, '')
    .replace(/, e\.what\(\) = .*$/s, '');
  return { code: code === undefined ? undefined : Number(code), text: shorten(text, 500) };
}

/**
 * A {@link SqlClient} over ClickHouse's HTTP interface (port 8123), with Node's built-in `fetch`: no
 * dependency.
 *
 * @remarks
 * Each statement is one `POST` whose body is the statement (so `INSERT ... FORMAT JSONEachRow` can carry
 * its rows), with `default_format=JSON` and `wait_end_of_query=1` (an error mid-way is still an error).
 * Rows come back as objects; 64-bit integers, which ClickHouse's JSON writes as strings, become numbers when
 * they are exact (else stay decimal strings), dates stay `YYYY-MM-DD` strings. Parameters are sent as
 * `param_p1`, `param_p2`, ... for statements of {@link clickhouseParameterDialect} (current servers);
 * statements of {@link clickhouseDialect} carry their values as literals and take no parameters.
 * Statements are sent as written: what the server accepts is decided when they are compiled, by the
 * dialect (see {@link createClickHouseDialect}). A refused statement rejects with a {@link ClickHouseError}.
 *
 * @example
 * ```ts
 * import { ClickHouseClient } from 'ep-stats/sql';
 * const client = await ClickHouseClient.connect('http://localhost:8123');
 * typeof client.query; // => 'function'
 * await client.close();
 * ```
 * @public
 */
export class ClickHouseClient implements SqlClient {
  readonly #endpoint: URL;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #options: ClickHouseClientOptions;
  #closed = false;

  private constructor(options: ClickHouseClientOptions) {
    const endpoint = new URL(options.url);
    const username = options.username ?? decodeURIComponent(endpoint.username);
    const password = options.password ?? decodeURIComponent(endpoint.password);
    endpoint.username = '';
    endpoint.password = '';
    this.#endpoint = endpoint;
    this.#headers = {
      'Content-Type': 'text/plain; charset=utf-8',
      ...(username === '' && password === ''
        ? {}
        : {
            Authorization: `Basic ${Buffer.from(`${username || 'default'}:${password}`).toString('base64')}`,
          }),
    };
    this.#options = options;
  }

  /**
   * Creates a client (no request is made until the first statement).
   *
   * @param options - The server URL, or options.
   * @returns The client.
   * @throws `TypeError` for a URL that cannot be parsed.
   */
  static async connect(options: string | ClickHouseClientOptions): Promise<ClickHouseClient> {
    return new ClickHouseClient(typeof options === 'string' ? { url: options } : options);
  }

  /**
   * Runs one statement.
   *
   * @param sql - The statement (without a `FORMAT` clause for `SELECT`s).
   * @param parameters - Values of `{p1:String}`, `{p2:String}`, ... (none for inline statements).
   * @returns The rows (none for statements without a result).
   * @throws {@link ClickHouseError} when the server refuses the statement or cannot be reached;
   *   `ValidationError` for a parameter with a NUL character or a non-finite number.
   */
  async query(sql: string, parameters: readonly SqlParameter[] = []): Promise<readonly SqlRow[]> {
    if (this.#closed) throw new Error('ClickHouseClient.query called after close()');
    const body = await this.#post(sql, parameters);
    if (body.trim() === '') return [];
    let result: { meta?: { name: string; type: string }[]; data?: Record<string, unknown>[] };
    try {
      result = JSON.parse(body);
    } catch (error) {
      throw new ClickHouseError(
        `ClickHouse answered ${this.#quote(sql)} with something other than JSON: ${shorten(body.trim(), 200)}`,
        { statement: this.#statement(sql) },
        { cause: error },
      );
    }
    const integers = (result.meta ?? [])
      .filter((column) => QUOTED_INTEGER.test(baseType(column.type)))
      .map((column) => column.name);
    return (result.data ?? []).map((row) => {
      if (integers.length === 0) return row;
      const converted = { ...row };
      for (const name of integers) converted[name] = integerCell(row[name]);
      return converted;
    });
  }

  /** Marks the client closed (idempotent); HTTP connections are pooled by Node. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  async #post(statement: string, parameters: readonly SqlParameter[]): Promise<string> {
    const url = new URL(this.#endpoint);
    const search = url.searchParams;
    search.set('default_format', 'JSON');
    search.set('wait_end_of_query', '1');
    if (this.#options.database !== undefined) search.set('database', this.#options.database);
    for (const [name, value] of Object.entries(this.#options.settings ?? {})) search.set(name, String(value));
    parameters.forEach((value, index) => {
      search.set(`param_p${index + 1}`, escapedParameter(value, index + 1));
    });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: this.#headers,
        body: statement,
        ...(this.#options.timeout === undefined
          ? {}
          : { signal: AbortSignal.timeout(this.#options.timeout) }),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ClickHouseError(
        `Could not run ${this.#quote(statement)} on ClickHouse at ${this.#endpoint.origin}: ${reason}`,
        { statement: this.#statement(statement) },
        { cause: error },
      );
    }
    const body = await response.text();
    if (response.ok) return body;
    const { code, text } = errorText(body);
    throw new ClickHouseError(
      `ClickHouse refused ${this.#quote(statement)}: ${code === undefined ? '' : `Code ${code}: `}${text}`,
      {
        ...(code === undefined ? {} : { code }),
        status: response.status,
        statement: this.#statement(statement),
      },
    );
  }

  #statement(sql: string): string {
    if (this.#options.includeStatementInErrors === true) return sql;
    const [first = ''] = sql.trim().split('\n');
    return shorten(first, 120);
  }

  #quote(sql: string): string {
    const statement = this.#statement(sql);
    const whole = this.#options.includeStatementInErrors === true || statement === sql.trim();
    return whole ? `the statement \`${statement}\`` : `the statement starting \`${statement}\``;
  }
}
