/**
 * Load test of the REST server: `POST /evaluate` of the bundled test-conversion experiment for 30 s
 * (`EP_STATS_BENCH_SERVER_SECONDS` to change), from a second process running autocannon, then a burst of
 * malformed bodies and a final health check.
 *
 * The server runs in this process, so the event-loop delay (perf_hooks.monitorEventLoopDelay) and the
 * resident set size are the server's. The load process is this same file, forked with
 * `EP_STATS_BENCH_LOAD_URL` set; it reports autocannon's result over the IPC channel.
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/server/index.js';
import { TestDaoFactory } from '../src/testing/index.js';
import { loadAutocannon } from './autocannon.js';
import type { Measurement } from './measure.js';

const UNIT = 'test_unit_type';
const EXPOSURES = `count(${UNIT}.global.exposure)`;
const EVALUATE_BODY = JSON.stringify({
  id: 'test-conversion',
  control_variant: 'a',
  unit_type: UNIT,
  metrics: [
    { id: 1, name: 'Click-through Rate', nominator: `count(${UNIT}.unit.click)`, denominator: EXPOSURES },
  ],
  checks: [{ id: 1, name: 'SRM', denominator: EXPOSURES }],
});
const CONNECTIONS = 16;
const LOAD_URL_VARIABLE = 'EP_STATS_BENCH_LOAD_URL';

/** What the load process reports (a subset of autocannon's result). */
interface LoadResult {
  readonly requestsPerSecond: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly requests: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

/** The load process: autocannon against the server, result sent to the parent. */
async function runLoad(url: string, seconds: number): Promise<void> {
  const autocannon = loadAutocannon();
  const result = await autocannon({
    url: `${url}/evaluate`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: EVALUATE_BODY,
    connections: CONNECTIONS,
    duration: seconds,
  });
  const report: LoadResult = {
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
  process.send?.(report);
}

function loadFromSecondProcess(url: string, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, [LOAD_URL_VARIABLE]: url, EP_STATS_BENCH_SERVER_SECONDS: String(seconds) },
    });
    let result: LoadResult | undefined;
    child.on('message', (message) => {
      result = message as LoadResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`the load process exited with code ${code} without a result`));
    });
  });
}

/** Malformed requests of every kind; each must get a 4xx. */
function malformedRequests(): { body: string; contentType: string }[] {
  const json = 'application/json';
  return [
    { body: '{"id": "test-conversion", "metrics": [', contentType: json },
    { body: '', contentType: json },
    { body: JSON.stringify({ id: 7, metrics: 'none', checks: [{}] }), contentType: json },
    { body: `${'['.repeat(50_000)}${']'.repeat(50_000)}`, contentType: json },
    { body: JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }), contentType: json },
    { body: EVALUATE_BODY, contentType: 'text/plain' },
    {
      body: EVALUATE_BODY.replace('count(test_unit_type.unit.click)', 'count(test_unit_type.session'),
      contentType: json,
    },
  ];
}

const megabytes = (bytes: number) => bytes / 1024 / 1024;

/** Runs the load test and returns its measurements. */
export async function runServerBench(): Promise<Measurement[]> {
  const seconds = Number(process.env.EP_STATS_BENCH_SERVER_SECONDS ?? 30);
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    daoFactory: new TestDaoFactory(),
  });
  try {
    const warmUp = await fetch(`${server.url}/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: EVALUATE_BODY,
    });
    if (warmUp.status !== 200) throw new Error(`warm-up request answered ${warmUp.status}`);
    await warmUp.text();

    const rssBefore = process.memoryUsage().rss;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const load = await loadFromSecondProcess(server.url, seconds);
    delay.disable();
    const rssAfter = process.memoryUsage().rss;

    const burst = Array.from({ length: 20 }, () => malformedRequests()).flat();
    const statuses = await Promise.all(
      burst.map(async ({ body, contentType }) => {
        const response = await fetch(`${server.url}/evaluate`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const health = await fetch(`${server.url}/health`);
    await health.arrayBuffer();

    return [
      {
        name: `server: POST /evaluate throughput (${CONNECTIONS} connections, ${seconds} s)`,
        value: load.requestsPerSecond,
        unit: 'req/s',
      },
      { name: 'server: POST /evaluate latency p50', value: load.latencyP50, unit: 'ms' },
      { name: 'server: POST /evaluate latency p99', value: load.latencyP99, unit: 'ms' },
      { name: 'server: POST /evaluate requests', value: load.requests, unit: 'requests' },
      {
        name: 'server: errors, timeouts and non-2xx answers',
        value: load.errors + load.timeouts + load.non2xx,
        unit: 'count',
      },
      { name: 'server: max event-loop delay during load', value: delay.max / 1e6, unit: 'ms' },
      { name: 'server: p99 event-loop delay during load', value: delay.percentile(99) / 1e6, unit: 'ms' },
      { name: 'server: RSS before load', value: megabytes(rssBefore), unit: 'MB' },
      { name: 'server: RSS after load', value: megabytes(rssAfter), unit: 'MB' },
      {
        name: `server: malformed requests answered 4xx (of ${burst.length})`,
        value: statuses.filter((status) => status >= 400 && status < 500).length,
        unit: 'count',
      },
      {
        name: 'server: health after the malformed burst (HTTP status)',
        value: health.status,
        unit: 'status',
      },
    ];
  } finally {
    await server.close();
  }
}

const loadUrl = process.env[LOAD_URL_VARIABLE];
if (loadUrl !== undefined && process.send !== undefined) {
  await runLoad(loadUrl, Number(process.env.EP_STATS_BENCH_SERVER_SECONDS ?? 30));
  process.disconnect?.();
}
