import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresClient, SYNTHETIC_DIMENSIONS } from '../../src/sql/index.js';
import { createDemoEventsTable } from '../sql/support/event-tables.js';
import { postgresTestUrl } from '../sql/support/postgres.js';
import { demoGoalsExperiment } from '../support/demo-experiment.js';
import { demoExposures } from '../support/demo-exposures.js';
import { parseJsonWithNonFinite, ROOT, runCli, type ServeProcess, startServe } from './run-cli.js';

const EXPERIMENT = demoGoalsExperiment();
const EVENTS_CSV = 'fixtures/events/demo-events.csv';
const EVENTS_PARQUET = 'fixtures/events/demo-events.parquet';
const REQUEST = readFileSync(join(ROOT, EXPERIMENT), 'utf8');
const DEMO_METRIC_COUNT = (JSON.parse(REQUEST) as { metrics: unknown[] }).metrics.length;
const SECRET = 'sw0rdf1sh-secret';
const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-serve-data-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** The environment of a child: none of the developer's EP_STATS_* source variables. */
function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', EP_STATS_LOG_LEVEL: 'info' };
  for (const name of Object.keys(env)) {
    if (/^EP_STATS_(EVENTS|DATABASE|DATABASE_FILE|TABLE|DIMENSIONS|TEST_DATA)$/.test(name)) delete env[name];
  }
  return { ...env, ...extra };
}

interface Served extends ServeProcess {
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
}

/** Starts `ep-stats serve --port 0 ...args` and resolves once it printed its address and data source. */
async function serve(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const served = await startServe(['serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    env: childEnv(env),
  });
  return { ...served, output: () => `${served.stdout()}${served.stderr()}` };
}

async function postEvaluate(url: string, body: string): Promise<EvaluateResponse> {
  const response = await fetch(`${url}/evaluate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(response.status).toBe(200);
  return parseJsonWithNonFinite(await response.text()) as EvaluateResponse;
}

interface EvaluateResponse {
  readonly metrics: { id: number; stats: { exp_variant_id: string; [key: string]: unknown }[] }[];
  readonly checks: { id: number; stats: { variable_id: string; value: number }[] }[];
  readonly exposure: { stats: { exp_variant_id: string; count: number }[] };
  readonly warnings: { code: string }[];
}

interface CliEvaluation {
  readonly metrics: { metric_id: number; exp_variant_id: string; [key: string]: unknown }[];
  readonly exposures: { exp_variant_id: string; exposures: number }[];
}

const FIELDS = ['mean', 'std', 'sum_value', 'diff', 'p_value', 'confidence_interval', 'sample_size'];

/**
 * The response's numbers are those of `ep-stats evaluate --events ... --format json` to 1e-12 relative: the
 * same statement, but floating-point sums depend on the order of addition, which DuckDB's parallel
 * aggregation does not fix from one run to the next (seen: a standard deviation 1 ulp apart) and which
 * PostgreSQL chooses otherwise. Counts (`sample_size`) and NaN cells are compared exactly.
 */
async function expectNumbersOfEvaluate(response: EvaluateResponse): Promise<void> {
  const result = await runCli([
    'evaluate',
    '--experiment',
    EXPERIMENT,
    '--events',
    EVENTS_PARQUET,
    '--format',
    'json',
  ]);
  expect(result.code).toBe(0);
  const cli = parseJsonWithNonFinite(result.stdout) as CliEvaluation;
  expect(cli.exposures.map((row) => row.exposures)).toEqual(demoExposures());
  let compared = 0;
  for (const metric of response.metrics) {
    for (const stat of metric.stats) {
      const row = cli.metrics.find(
        (candidate) => candidate.metric_id === metric.id && candidate.exp_variant_id === stat.exp_variant_id,
      );
      expect(row).toBeDefined();
      for (const field of FIELDS) {
        const path = `metric ${metric.id} ${stat.exp_variant_id} ${field}`;
        const [actual, expected] = [stat[field], row?.[field]];
        if (field === 'sample_size' || typeof expected !== 'number' || Number.isNaN(expected)) {
          expect(actual, path).toEqual(expected);
        } else {
          expect(typeof actual, path).toBe('number');
          expect(Math.abs((actual as number) - expected), path).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(expected)),
          );
        }
        compared++;
      }
    }
  }
  expect(compared).toBe(DEMO_METRIC_COUNT * 3 * FIELDS.length);
}

describe('ep-stats serve over real data', () => {
  it('--events: POST /evaluate queries the demo events through DuckDB', async () => {
    const server = await serve(['--events', EVENTS_PARQUET]);
    try {
      expect(server.output()).toContain(`serving the events file "${EVENTS_PARQUET}" (DuckDB in process)`);
      const response = await postEvaluate(server.url, REQUEST);
      expect(response.exposure.stats.map((stat) => stat.count)).toEqual(demoExposures());
      await expectNumbersOfEvaluate(response);
      // Concurrent requests share the DuckDB connection, one query at a time.
      const concurrent = await Promise.all([1, 2, 3].map(() => postEvaluate(server.url, REQUEST)));
      for (const each of concurrent) {
        expect(each.exposure.stats.map((stat) => stat.count)).toEqual(demoExposures());
      }

      // An experiment without events: zero exposures, and the warnings say why.
      const unknown = JSON.parse(REQUEST) as Record<string, unknown>;
      const empty = await postEvaluate(server.url, JSON.stringify({ ...unknown, id: 'no-such-experiment' }));
      expect(empty.exposure.stats.map((stat) => stat.count)).toEqual([0, 0, 0]);
      expect(empty.warnings.map((warning) => warning.code)).toContain('empty-input');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('EP_STATS_EVENTS and EP_STATS_DIMENSIONS choose the source without options', async () => {
    const server = await serve([], {
      EP_STATS_EVENTS: EVENTS_CSV,
      EP_STATS_DIMENSIONS: SYNTHETIC_DIMENSIONS.join(','),
    });
    try {
      const response = await postEvaluate(server.url, REQUEST);
      expect(response.exposure.stats.map((stat) => stat.count)).toEqual(demoExposures());
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('EP_STATS_TEST_DATA=1 serves the bundled test data', async () => {
    const server = await serve([], { EP_STATS_TEST_DATA: '1' });
    try {
      expect(server.output()).toContain('serving the bundled reference test data');
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it.concurrent.each([
    ['no source', [], {}, 'exactly one of --events <file>, --database <target> or --test-data is required'],
    [
      'two sources',
      ['--events', EVENTS_CSV, '--test-data'],
      {},
      'exactly one of --events <file>, --database <target> or --test-data must be given, not several',
    ],
    [
      'two sources in the environment',
      [],
      { EP_STATS_EVENTS: EVENTS_CSV, EP_STATS_TEST_DATA: '1' },
      'must be given, not several',
    ],
    [
      'a password in a --database URL',
      ['--database', `postgres://reader:${SECRET}@127.0.0.1:1/analytics`],
      {},
      '--database: the URL has a password, which other users could read in the process list; pass the URL in ' +
        'EP_STATS_DATABASE or in a file named by EP_STATS_DATABASE_FILE, or the password in PGPASSWORD',
    ],
    [
      '--table without --database',
      ['--events', EVENTS_CSV, '--table', 'events'],
      {},
      'applies to --database only',
    ],
    [
      'an unreadable EP_STATS_DATABASE_FILE',
      [],
      { EP_STATS_DATABASE_FILE: join(scratch, 'missing.txt') },
      'cannot read the EP_STATS_DATABASE_FILE file',
    ],
  ] as const)('exits with 2 for %s', async (_name, args, env, message) => {
    const result = await runCli(['serve', '--port', '0', ...args], childEnv(env));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });
});

describe('ep-stats serve --database postgres:// (EP_STATS_DATABASE)', () => {
  const url = postgresTestUrl();
  const table = `serve_demo_events_${process.pid}`;
  let client: PostgresClient | undefined;

  afterAll(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${table}`, []);
    await client?.close();
  });

  it.skipIf(url === '')(
    'serves an events table of PostgreSQL with the numbers of evaluate --events, the URL never printed',
    async () => {
      client = await PostgresClient.connect(url);
      await createDemoEventsTable(client, table);
      const parsed = new URL(url);
      const password = parsed.password;

      const fromVariable = await serve(['--table', table], { EP_STATS_DATABASE: url });
      try {
        expect(fromVariable.output()).toContain(`serving table "${table}" of a PostgreSQL database`);
        const response = await postEvaluate(fromVariable.url, REQUEST);
        expect(response.exposure.stats.map((stat) => stat.count)).toEqual(demoExposures());
        await expectNumbersOfEvaluate(response);
        const empty = await postEvaluate(
          fromVariable.url,
          JSON.stringify({ ...(JSON.parse(REQUEST) as object), id: 'no-such-experiment' }),
        );
        expect(empty.warnings.map((warning) => warning.code)).toContain('empty-input');
      } finally {
        expect(await fromVariable.stop()).toBe(0);
      }
      expect(fromVariable.output()).not.toContain(url);
      if (password !== '') expect(fromVariable.output()).not.toContain(password);

      // The URL in a file (EP_STATS_DATABASE_FILE), the table from EP_STATS_TABLE.
      const file = join(scratch, 'database-url.txt');
      writeFileSync(file, `${url}\n`);
      const fromFile = await serve([], { EP_STATS_DATABASE_FILE: file, EP_STATS_TABLE: table });
      try {
        const response = await postEvaluate(fromFile.url, REQUEST);
        expect(response.exposure.stats.map((stat) => stat.count)).toEqual(demoExposures());
      } finally {
        expect(await fromFile.stop()).toBe(0);
      }
      expect(fromFile.output()).not.toContain(url);
      if (password !== '') expect(fromFile.output()).not.toContain(password);
    },
  );
});

describe('ep-stats serve with a secret in EP_STATS_DATABASE', () => {
  it('never prints the password when the database cannot be reached', async () => {
    const file = join(scratch, 'unreachable-url.txt');
    writeFileSync(file, `postgres://reader:${SECRET}@127.0.0.1:1/analytics\n`);
    const [fromVariable, fromFile] = await Promise.all([
      runCli(
        ['serve', '--port', '0'],
        childEnv({ EP_STATS_DATABASE: `postgres://reader:${SECRET}@127.0.0.1:1/analytics` }),
      ),
      runCli(['serve', '--port', '0'], childEnv({ EP_STATS_DATABASE_FILE: file })),
    ]);
    for (const result of [fromVariable, fromFile]) {
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
  });
});
