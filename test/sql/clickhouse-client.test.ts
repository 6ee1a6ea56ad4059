import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Experiment, Filter, Metric, ValidationError } from '../../src/index.js';
import { ClickHouseClient, ClickHouseError } from '../../src/sql/clickhouse-client.js';
import {
  clickhouseDialect,
  clickhouseParameterDialect,
  createClickHouseDialect,
} from '../../src/sql/clickhouse-dialect.js';
import { SqlDao } from '../../src/sql/index.js';
import { clickhouseTestUrl } from './support/clickhouse-server.js';

const clickhouseUrl = clickhouseTestUrl();

interface Request {
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Answer {
  readonly status?: number;
  readonly body: string;
}

/** A JSON answer as ClickHouse writes it (64-bit integers quoted). */
function json(meta: [string, string][], data: Record<string, unknown>[]): Answer {
  return {
    body: JSON.stringify({ meta: meta.map(([name, type]) => ({ name, type })), data, rows: data.length }),
  };
}

/** A stand-in for a ClickHouse server: records requests, answers with `answer`. */
describe('ClickHouseClient over HTTP (a stand-in server)', () => {
  let server: Server;
  let url: string;
  let requests: Request[];
  let answer: (request: Request) => Answer;

  beforeAll(async () => {
    server = createServer((incoming, outgoing) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        body += chunk;
      });
      incoming.on('end', () => {
        const request = {
          url: new URL(incoming.url ?? '/', 'http://localhost'),
          headers: incoming.headers,
          body,
        };
        requests.push(request);
        const { status = 200, body: text } = answer(request);
        outgoing.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8' }).end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });
  beforeEach(() => {
    requests = [];
    answer = () => ({ body: '' });
  });

  it('POSTs the statement with JSON output, the database, settings and Basic auth from the URL', async () => {
    const client = await ClickHouseClient.connect({
      url: `${url.replace('//', '//reader:s%40cret@')}/`,
      database: 'analytics',
      settings: { max_execution_time: 60 },
    });
    await client.query('CREATE TABLE t (a String) ENGINE = Memory', []);
    const [request] = requests;
    expect(request?.body).toBe('CREATE TABLE t (a String) ENGINE = Memory');
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      default_format: 'JSON',
      wait_end_of_query: '1',
      database: 'analytics',
      max_execution_time: '60',
    });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('reader:s@cret').toString('base64')}`);
  });

  it('sends parameters as param_p1, param_p2, ... in the escaped text format', async () => {
    const client = await ClickHouseClient.connect({ url });
    await client.query('SELECT {p1:String} AS a, CAST({p2:String} AS Float64) AS b', ["a\\b\tc\nd'", -1.5]);
    const search = requests[0]?.url.searchParams;
    expect([search?.get('param_p1'), search?.get('param_p2')]).toEqual(["a\\\\b\\tc\\nd'", '-1.5']);
  });

  it('rejects a NUL character or a non-finite number in a parameter before any request', async () => {
    const client = await ClickHouseClient.connect({ url });
    await expect(client.query('SELECT {p1:String}', ['a\u0000'])).rejects.toThrow(ValidationError);
    await expect(client.query('SELECT {p1:String}', [Number.NaN])).rejects.toThrow(/only finite numbers/);
    expect(requests).toEqual([]);
  });

  it('turns 64-bit integers into numbers when exact, keeps larger ones as decimal strings', async () => {
    answer = () =>
      json(
        [
          ['n', 'UInt64'],
          ['big', 'UInt64'],
          ['maybe', 'Nullable(Int64)'],
          ['x', 'Float64'],
          ['d', 'Date'],
        ],
        [
          { n: '3', big: '18446744073709551615', maybe: null, x: 1.5, d: '2024-01-02' },
          { n: '-0', big: '9007199254740993', maybe: '-7', x: null, d: '2024-01-03' },
        ],
      );
    const client = await ClickHouseClient.connect({ url });
    expect(await client.query('SELECT 1', [])).toEqual([
      { n: 3, big: '18446744073709551615', maybe: null, x: 1.5, d: '2024-01-02' },
      { n: -0, big: '9007199254740993', maybe: -7, x: null, d: '2024-01-03' },
    ]);
  });

  it('sends every statement as written, and asks the server nothing else', async () => {
    const sql = 'WITH a AS (SELECT 1 AS x)\nSELECT x FROM a';
    const client = await ClickHouseClient.connect(url);
    await client.query(sql, []);
    await client.query('SELECT SUM(c) AS c, COUNT(c) AS n FROM t', []);
    expect(requests.map((request) => request.body)).toEqual([
      sql,
      'SELECT SUM(c) AS c, COUNT(c) AS n FROM t',
    ]);
  });

  it("sends the parameter dialect's statement to a current server as the golden request", async () => {
    const experiment = new Experiment({
      id: 'e1',
      controlVariant: 'a',
      unitType: 'user',
      filters: [new Filter({ scope: 'goal', dimension: 'element', values: ['a_b1', 'x\\y\tz'] })],
      metrics: [
        new Metric({
          id: 1,
          name: 'Clicks',
          nominator: 'count(user.unit.click(element=^a_b))',
          denominator: 'count(user.global.exposure)',
        }),
      ],
    });
    const row = (goal: string, aggType: string, element: string, count: number) => ({
      exp_id: 'e1',
      exp_variant_id: 'a',
      unit_type: 'user',
      agg_type: aggType,
      goal,
      element,
      count,
      sum_sqr_count: count,
      sum_value: 0,
      sum_sqr_value: 0,
      count_unique: count,
    });
    answer = () => json([], [row('click', 'unit', '^a_b', 2), row('exposure', 'global', '', 4)]);
    const client = await ClickHouseClient.connect(url);
    const dao = new SqlDao({
      client,
      dialect: clickhouseParameterDialect,
      schema: { table: 'events', dimensions: ['element'] },
    });
    const rows = await dao.getAggGoals(experiment);
    expect(rows.map((r) => [r.goal, r.count]).sort()).toEqual([
      ['click', 2],
      ['exposure', 4],
    ]);
    const { sql, parameters } = dao.aggregatedGoalsStatement(experiment);
    expect(requests).toHaveLength(1);
    const request = requests[0] as Request;
    expect(request.body).toBe(sql);
    expect(
      request.body.startsWith('WITH `ep_events` AS (SELECT `ep_exp_variant_id` AS `exp_variant_id`'),
    ).toBe(true);
    expect(request.body).toContain('SUM(`count_0`) AS `total_count_0`, SUM(`count_0` * `count_0`) AS');
    const bound = parameters.map((_, index) => request.url.searchParams.get(`param_p${index + 1}`));
    expect(parameters).toContain('x\\y\tz');
    expect(bound).toEqual(
      parameters.map((value) => String(value).replaceAll('\\', '\\\\').replaceAll('\t', '\\t')),
    );
    expect(bound).toContain('a\\\\_b%');
    expect(bound).toContain('x\\\\y\\tz');
  });

  it('reports ClickHouse errors with their code and the first line of the statement only', async () => {
    answer = () => ({
      status: 404,
      body: "Code: 47. DB::Exception: Missing columns: 'x' while processing query (UNKNOWN_IDENTIFIER) (version 24.3.2.23)\n",
    });
    const client = await ClickHouseClient.connect({ url });
    const error = await client
      .query("SELECT x\nFROM t WHERE secret = 'hunter2'", [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickHouseError);
    const { code, status, statement, message } = error as ClickHouseError;
    expect([code, status, statement]).toEqual([47, 404, 'SELECT x']);
    expect(message).toBe(
      "ClickHouse refused the statement starting `SELECT x`: Code 47: DB::Exception: Missing columns: 'x' while processing query (UNKNOWN_IDENTIFIER) (version 24.3.2.23)",
    );
    expect(message).not.toContain('hunter2');
    const verbose = await ClickHouseClient.connect({
      url,
      includeStatementInErrors: true,
    });
    const whole = await verbose.query('SELECT x\nFROM t', []).catch((e: unknown) => e);
    expect((whole as ClickHouseError).statement).toBe('SELECT x\nFROM t');
  });

  it('shortens a long first line and reads the error text of ClickHouse 18', async () => {
    answer = () => ({
      status: 500,
      body: "Code: 60, e.displayText() = DB::Exception: Table default.t doesn't exist., e.what() = DB::Exception\n",
    });
    const client = await ClickHouseClient.connect({ url });
    const long = `SELECT ${'x, '.repeat(100)}y FROM t`;
    const error = (await client.query(long, []).catch((e: unknown) => e)) as ClickHouseError;
    expect(error.statement).toHaveLength(120);
    expect(error.statement.endsWith('…')).toBe(true);
    expect(error.message).toContain("Code 60: DB::Exception: Table default.t doesn't exist.");
    expect(error.message).not.toContain('e.what()');
  });

  it('reports an answer that is not JSON, an unreachable server, and use after close', async () => {
    answer = () => ({ body: '{"meta": [' });
    const client = await ClickHouseClient.connect({ url });
    await expect(client.query('SELECT 1', [])).rejects.toThrow(/with something other than JSON/);
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const unreachable = await ClickHouseClient.connect({
      url: `http://127.0.0.1:${closedPort}`,
    });
    const error = (await unreachable.query('SELECT 1', []).catch((e: unknown) => e)) as ClickHouseError;
    expect(error).toBeInstanceOf(ClickHouseError);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(
      /^Could not run the statement `SELECT 1` on ClickHouse at http:\/\/127\.0\.0\.1:\d+: /,
    );
    await client.close();
    await client.close();
    await expect(client.query('SELECT 1', [])).rejects.toThrow(/after close/);
  });
});

describe.skipIf(!clickhouseUrl)('ClickHouseClient on the ClickHouse test server', () => {
  let client: ClickHouseClient;
  beforeAll(async () => {
    client = await ClickHouseClient.connect(clickhouseUrl);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('maps result types: 64-bit integers to numbers (exact) or decimal strings, dates to text', async () => {
    const [row] = await client.query(
      "SELECT toUInt64(3) AS a, toUInt64('18446744073709551615') AS b, toInt64(-5) AS c, toDate('2024-01-02') AS d, " +
        'toNullable(toFloat64(1.5)) AS e, CAST(NULL AS Nullable(Int64)) AS f',
      [],
    );
    expect(row).toEqual({ a: 3, b: '18446744073709551615', c: -5, d: '2024-01-02', e: 1.5, f: null });
  });

  it('carries the rows of INSERT ... FORMAT JSONEachRow in the body', async () => {
    await client.query('DROP TABLE IF EXISTS clickhouse_client_rows', []);
    await client.query('CREATE TABLE clickhouse_client_rows (a String, n UInt32) ENGINE = Memory', []);
    await client.query(
      `INSERT INTO clickhouse_client_rows FORMAT JSONEachRow\n${JSON.stringify({ a: "x'\\", n: 1 })}\n`,
      [],
    );
    expect(await client.query('SELECT a, n FROM clickhouse_client_rows', [])).toEqual([{ a: "x'\\", n: 1 }]);
    await client.query('DROP TABLE clickhouse_client_rows', []);
  });

  it("rejects with ClickHouse's code and text, not the statement's later lines", async () => {
    const error = (await client
      .query("SELECT 1 FROM clickhouse_no_such_table\nWHERE secret = 'hunter2'", [])
      .catch((e: unknown) => e)) as ClickHouseError;
    expect(error).toBeInstanceOf(ClickHouseError);
    expect(error.code).toBe(60);
    expect(error.message).toMatch(
      /^ClickHouse refused the statement starting `SELECT 1 FROM clickhouse_no_such_table`: Code 60: /,
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('runs the statements of clickhouseDialect as compiled on 18.16, which refuses common table expressions', async () => {
    const [{ version: running } = { version: '' }] = (await client.query(
      'SELECT version() AS version',
      [],
    )) as { version: string }[];
    expect(running.startsWith('18.')).toBe(true);
    await client.query('DROP TABLE IF EXISTS clickhouse_client_events', []);
    await client.query(
      'CREATE TABLE clickhouse_client_events (exp_id String, exp_variant_id String, unit_type String, ' +
        'unit_id UInt64, date Date, goal String, count UInt32, value Float64) ENGINE = Memory',
      [],
    );
    const events = [
      ['a', 1, 'exposure', 1, 0],
      ['a', 1, 'click', 2, 0],
      ['b', 2, 'exposure', 1, 0],
      ['b', 3, 'exposure', 1, 0],
      ['b', 3, 'click', 1, 0],
    ].map(([variant, unit, goal, count, value]) =>
      JSON.stringify({
        exp_id: 'e1',
        exp_variant_id: variant,
        unit_type: 'user',
        unit_id: unit,
        date: '2024-01-02',
        goal,
        count,
        value,
      }),
    );
    await client.query(`INSERT INTO clickhouse_client_events FORMAT JSONEachRow\n${events.join('\n')}\n`, []);
    const experiment = new Experiment({
      id: 'e1',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [
        new Metric({
          id: 1,
          name: 'Clicks',
          nominator: 'count(user.unit.click)',
          denominator: 'count(user.global.exposure)',
        }),
      ],
    });
    const schema = { table: 'clickhouse_client_events', dateType: 'date' } as const;
    const dao = new SqlDao({ client, dialect: clickhouseDialect, schema });
    const rows = await dao.getAggGoals(experiment);
    expect(rows.map((row) => [row.exp_variant_id, row.goal, row.count, row.sum_sqr_count]).sort()).toEqual([
      ['a', 'click', 2, 4],
      ['a', 'exposure', 1, 1],
      ['b', 'click', 1, 1],
      ['b', 'exposure', 2, 2],
    ]);
    const { sql } = dao.aggregatedGoalsStatement(experiment);
    expect(sql.startsWith('SELECT ')).toBe(true);
    const withList = new SqlDao({
      client,
      dialect: createClickHouseDialect({ commonTableExpressions: true }),
      schema,
    });
    await expect(withList.getAggGoals(experiment)).rejects.toThrow(/Code 62: .*Syntax error/);
    await client.query('DROP TABLE clickhouse_client_events', []);
  });
});
