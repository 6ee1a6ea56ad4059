/**
 * The real `ep-stats serve` command under load, measured from outside (this bench process is the client):
 *
 * 1. `ep-stats serve --events fixtures/events/demo-events.parquet` in a child process; autocannon from this
 *    process sends `POST /evaluate` of fixtures/examples/demo-events.experiment.json for 30 s
 *    (`EP_STATS_BENCH_LOAD_SECONDS` to change) over 16 connections. Reported: throughput, latency p50/p99,
 *    errors + timeouts + non-2xx answers (goal 0), and the server process's RSS before and after the load
 *    and its peak (VmRSS / VmHWM of /proc/<pid>/status, Linux only).
 * 2. `ep-stats serve --test-data` in a child process; 5 sequential `POST /evaluate` of 1,000 metrics (the
 *    default `maxMetrics`), each metric reading its own dimension value, while this process polls
 *    `GET /health` every 10 ms over its own keep-alive connection. Reported: the heavy request's median
 *    time and the largest and p99 wait of a health request (goal <= 100 ms).
 *
 * `EP_STATS_BENCH_BUILT=1` runs `node dist/cli.js serve` (what users run; `npm run build` first) instead of
 * the TypeScript sources under tsx, whose loader adds memory in the server and in each worker thread.
 *
 * `EP_STATS_BENCH_CPU_PROF=<dir>` runs the servers with `--cpu-prof --cpu-prof-dir=<dir>` (profiles are
 * written when the server exits).
 *
 * Run alone with `npm run bench -- service-load`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type AutocannonResult, loadAutocannon } from './autocannon.js';
import type { Measurement } from './measure.js';
import { withGoal } from './measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** `EP_STATS_BENCH_BUILT=1`: run the built command (`npm run build` first) instead of the sources under tsx. */
const BUILT = process.env.EP_STATS_BENCH_BUILT === '1';
const EXPERIMENT = readFileSync(
  fileURLToPath(new URL('../fixtures/examples/demo-events.experiment.json', import.meta.url)),
  'utf8',
);
const CONNECTIONS = 16;
const HEAVY_METRICS = 1000;
const HEAVY_REPETITIONS = 5;
const HEALTH_INTERVAL_MS = 10;
const HEALTH_GOAL_MS = 100;

const UNIT = 'test_unit_type';
const HEAVY_BODY = JSON.stringify({
  id: 'test-conversion',
  control_variant: 'a',
  unit_type: UNIT,
  metrics: Array.from({ length: HEAVY_METRICS }, (_, index) => ({
    id: index + 1,
    name: `Clicks on e${index}`,
    nominator: `count(${UNIT}.unit.click(element=e${index}))`,
    denominator: `count(${UNIT}.global.exposure)`,
  })),
  checks: [{ id: 1, name: 'SRM', denominator: `count(${UNIT}.global.exposure)` }],
});

/** The environment of a server: none of the developer's EP_STATS_* settings. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('EP_STATS_')) delete env[name];
  return env;
}

interface Served {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts `node --import tsx src/cli/main.ts serve --port 0 --log-level warn ...args`; resolves once listening. */
function serve(args: readonly string[]): Promise<Served> {
  const profileDir = process.env.EP_STATS_BENCH_CPU_PROF;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(BUILT ? ['dist/cli.js'] : ['--import', 'tsx', 'src/cli/main.ts']),
      'serve',
      ...args,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--log-level',
      'warn',
    ],
    { cwd: ROOT, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)\n/.exec(output);
      if (match?.[1] !== undefined && child.pid !== undefined) {
        resolve({
          url: match[1],
          pid: child.pid,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`the server exited before listening:\n${output}`)));
  });
}

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM), or NaN where there is none (not Linux). */
function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

const megabytes = (bytes: number) => bytes / 1024 / 1024;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

async function postEvaluate(url: string, body: string): Promise<number> {
  const response = await fetch(`${url}/evaluate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`POST /evaluate answered ${response.status}: ${text.slice(0, 500)}`);
  return response.status;
}

/** Part 1: the events file served by the command, loaded by autocannon from this process. */
async function loadTest(): Promise<Measurement[]> {
  const seconds = Number(process.env.EP_STATS_BENCH_LOAD_SECONDS ?? 30);
  const server = await serve(['--events', 'fixtures/events/demo-events.parquet']);
  try {
    await postEvaluate(server.url, EXPERIMENT); // warm-up; also checks the body is accepted
    const rssBefore = procStatusBytes(server.pid, 'VmRSS');
    let sampledPeak = rssBefore;
    const sampler = setInterval(() => {
      const rss = procStatusBytes(server.pid, 'VmRSS');
      if (rss > sampledPeak) sampledPeak = rss;
    }, 100);
    const autocannon = loadAutocannon();
    let result: AutocannonResult;
    try {
      result = await autocannon({
        url: `${server.url}/evaluate`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: EXPERIMENT,
        connections: CONNECTIONS,
        duration: seconds,
      });
    } finally {
      clearInterval(sampler);
    }
    const rssAfter = procStatusBytes(server.pid, 'VmRSS');
    const peak = procStatusBytes(server.pid, 'VmHWM');
    const failures = result.errors + result.timeouts + result.non2xx;
    return [
      {
        name: `service-load: POST /evaluate demo events throughput (${CONNECTIONS} connections, ${seconds} s)`,
        value: result.requests.average,
        unit: 'req/s',
      },
      { name: 'service-load: POST /evaluate latency p50', value: result.latency.p50, unit: 'ms' },
      { name: 'service-load: POST /evaluate latency p99', value: result.latency.p99, unit: 'ms' },
      { name: 'service-load: POST /evaluate requests', value: result.requests.total, unit: 'requests' },
      {
        name: withGoal('service-load: errors, timeouts and non-2xx answers', failures, 0, 'count'),
        value: failures,
        unit: 'count',
      },
      { name: 'service-load: server RSS before load (VmRSS)', value: megabytes(rssBefore), unit: 'MB' },
      { name: 'service-load: server RSS after load (VmRSS)', value: megabytes(rssAfter), unit: 'MB' },
      { name: 'service-load: server peak RSS (VmHWM)', value: megabytes(peak), unit: 'MB' },
      {
        name: 'service-load: server peak RSS during load (VmRSS sampled every 100 ms)',
        value: megabytes(sampledPeak),
        unit: 'MB',
      },
    ];
  } finally {
    await server.stop();
  }
}

/** One GET /health over `agent`; resolves to its wait in milliseconds. */
function healthWait(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(`${url}/health`, { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`GET /health answered ${response.statusCode}`));
        else resolve(performance.now() - start);
      });
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Part 2: 1,000-metric requests on the test data while /health is polled. */
async function heavyRequestHealth(): Promise<Measurement[]> {
  const server = await serve(['--test-data']);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await postEvaluate(server.url, HEAVY_BODY); // warm-up; also checks the body is accepted
    await healthWait(server.url, agent); // opens the health connection

    const waits: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        waits.push(await healthWait(server.url, agent));
        await new Promise((resolve) => setTimeout(resolve, HEALTH_INTERVAL_MS));
      }
    })();
    const times: number[] = [];
    try {
      for (let index = 0; index < HEAVY_REPETITIONS; index++) {
        const start = performance.now();
        await postEvaluate(server.url, HEAVY_BODY);
        times.push(performance.now() - start);
      }
    } finally {
      polling = false;
      await poller;
    }
    const maxWait = Math.max(...waits);
    return [
      {
        name: `service-load: POST /evaluate ${HEAVY_METRICS} metrics, test data (median of ${HEAVY_REPETITIONS})`,
        value: percentile(times, 50),
        unit: 'ms',
      },
      {
        name: withGoal(
          'service-load: max GET /health wait during the heavy requests',
          maxWait,
          HEALTH_GOAL_MS,
          'ms',
        ),
        value: maxWait,
        unit: 'ms',
      },
      {
        name: 'service-load: p99 GET /health wait during the heavy requests',
        value: percentile(waits, 99),
        unit: 'ms',
      },
      {
        name: 'service-load: GET /health requests during the heavy requests',
        value: waits.length,
        unit: 'requests',
      },
    ];
  } finally {
    agent.destroy();
    await server.stop();
  }
}

/** Runs both parts and returns their measurements. */
export async function runServiceLoadBench(): Promise<Measurement[]> {
  return [...(await loadTest()), ...(await heavyRequestHealth())];
}
