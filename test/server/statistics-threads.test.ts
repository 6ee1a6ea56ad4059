import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { createEvaluationService } from '../../src/server/index.js';
import { createStatisticsRunner } from '../../src/server/statistics-pool.js';
import { TestDaoFactory } from '../../src/testing/index.js';
import { validateEvaluateRequest } from '../../src/wire/index.js';
import { CONVERSION_REQUEST } from './support/conversion-request.js';
import { captureLogs } from './support/log-capture.js';
import { parsePythonJson, post, startTestServer } from './support/server-client.js';

const UNIT = 'test_unit_type';
const HEALTH_BOUND_MS = 100;

/** 1,000 metrics (the default `maxMetrics`), each reading a dimension value of its own. */
function heavyRequest(variants?: readonly string[]) {
  return {
    id: 'test-conversion',
    control_variant: 'a',
    unit_type: UNIT,
    ...(variants === undefined ? {} : { variants }),
    metrics: Array.from({ length: 1000 }, (_, index) => ({
      id: index + 1,
      name: `Clicks on e${index}`,
      nominator: `count(${UNIT}.unit.click(element=e${index}))`,
      denominator: `count(${UNIT}.global.exposure)`,
    })),
    checks: [{ id: 1, name: 'SRM', denominator: `count(${UNIT}.global.exposure)` }],
  };
}

/** 100 variants (the default `maxVariants`): 100,000 metric rows, a 37 MB response (over the 10 MiB limit). */
const HUNDRED_VARIANTS = ['a', 'b', 'c', ...Array.from({ length: 97 }, (_, index) => `v${index}`)];

/**
 * Polls `GET /health` and `GET /metrics` in turn, one request at a time over one keep-alive connection,
 * 10 ms apart, until `stop()`. Each wait is the time from when a request was due (10 ms after the previous
 * answer) to its answer: this process runs the server, so a blocked event loop delays the timer or the
 * answer, and either counts.
 */
function pollHealth(server: RunningServer) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const waits: number[] = [];
  let running = true;
  const once = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const call = request(`${server.url}${path}`, { agent }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${path} answered ${response.statusCode}`));
          resolve();
        });
      });
      call.on('error', reject);
      call.end();
    });
  const done = (async () => {
    for (let turn = 0; running; turn++) {
      const due = performance.now() + 10;
      await new Promise((resolve) => setTimeout(resolve, 10));
      await once(turn % 2 === 0 ? '/health' : '/metrics');
      waits.push(performance.now() - due);
    }
  })();
  // A failed poll ends the loop; `stop()` reports it.
  done.catch(() => {});
  return {
    waits,
    /** Ends the loop; rejects when a poll failed. */
    async stop() {
      running = false;
      try {
        await done;
      } finally {
        agent.destroy();
      }
    },
  };
}

/**
 * The client of the heavy requests, in a process of its own so that reading 1.7 MB answers does not hold up
 * this process's event loop (the server's, which the poll measures): posts each body of `files` at once,
 * `rounds` times, and resolves with the status and the number of metrics of each answer.
 */
function postFromChild(
  url: string,
  files: readonly string[],
  rounds: number,
): Promise<{ status: number; metrics: number; text: string }[]> {
  const script = `
    const { readFileSync } = require('node:fs');
    const [url, rounds, ...files] = process.argv.slice(1);
    (async () => {
      const answers = [];
      for (let round = 0; round < Number(rounds); round++) {
        answers.push(...(await Promise.all(files.map(async (file) => {
          const response = await fetch(url + '/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(file) });
          const text = await response.text();
          const body = JSON.parse(text.replace(/:(-?Infinity|NaN)/g, ':null'));
          return { status: response.status, metrics: body.metrics ? body.metrics.length : 0, text: text.slice(0, 300) };
        }))));
      }
      process.stdout.write(JSON.stringify(answers));
    })();`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script, url, String(rounds), ...files],
      { maxBuffer: 1e7 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    );
  });
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('statistics threads', () => {
  it('keep GET /health and GET /metrics answering within 100 ms while 1,000-metric evaluations run', {
    retry: 1,
    timeout: 60_000,
  }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ep-stats-threads-'));
    try {
      const thousand = join(folder, 'thousand-metrics.json');
      const hundredVariants = join(folder, 'hundred-variants.json');
      writeFileSync(thousand, JSON.stringify(heavyRequest()));
      writeFileSync(hundredVariants, JSON.stringify(heavyRequest(HUNDRED_VARIANTS)));
      server = await startTestServer({ statisticsThreads: 1 });
      // Warm-up: starts the worker thread and compiles the code paths once.
      await postFromChild(server.url, [thousand], 1);
      const poll = pollHealth(server);
      let answers: Awaited<ReturnType<typeof postFromChild>>;
      const started = performance.now();
      try {
        answers = await postFromChild(server.url, [thousand, hundredVariants], 3);
      } finally {
        await poll.stop();
      }
      const heavyMs = performance.now() - started;
      // 200 with 1,000 metrics; 422 (response too large) for the 100-variant version, computed anyway.
      expect(answers.map((answer) => [answer.status, answer.metrics])).toEqual([
        [200, 1000],
        [422, 0],
        [200, 1000],
        [422, 0],
        [200, 1000],
        [422, 0],
      ]);
      expect(answers[1]?.text).toContain('response_too_large');
      // The poll ran throughout: at least one answer per 50 ms of heavy work.
      expect(poll.waits.length).toBeGreaterThan(heavyMs / 50);
      expect(Math.max(...poll.waits)).toBeLessThanOrEqual(HEALTH_BOUND_MS);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('without threads (statisticsThreads 0) the same poll sees the event loop held up', async () => {
    // The counter-check of the test above: it measures what it claims to.
    server = await startTestServer({ statisticsThreads: 0 });
    const poll = pollHealth(server);
    let answer: Awaited<ReturnType<typeof post>>;
    try {
      await new Promise((resolve) => setTimeout(resolve, 30));
      answer = await post(server, '/evaluate', heavyRequest(HUNDRED_VARIANTS));
    } finally {
      await poll.stop();
    }
    expect(answer.status).toBe(422);
    expect(Math.max(...poll.waits)).toBeGreaterThan(HEALTH_BOUND_MS);
  });

  it('answer byte for byte as the event loop does, in both JSON formats', async () => {
    const threaded = createEvaluationService({ daoFactory: new TestDaoFactory(), statisticsThreads: 2 });
    const onLoop = createEvaluationService({ daoFactory: new TestDaoFactory() });
    try {
      for (const body of [CONVERSION_REQUEST, heavyRequest(['a', 'b'])]) {
        for (const strict of [false, true]) {
          const [fromThread, fromLoop] = await Promise.all([
            threaded.evaluateJson(body, { strict }),
            onLoop.evaluateJson(body, { strict }),
          ]);
          expect(fromThread.ok && fromLoop.ok).toBe(true);
          if (!fromThread.ok || !fromLoop.ok) continue;
          expect(Buffer.from(fromThread.body).equals(Buffer.from(fromLoop.body))).toBe(true);
        }
      }
      // ... and as `evaluate` plus the encoding of the wire format.
      const objects = await onLoop.evaluate(CONVERSION_REQUEST);
      const encoded = await threaded.evaluateJson(CONVERSION_REQUEST);
      const { encodeResponseBody } = await import('../../src/wire/index.js');
      expect(objects.ok && encoded.ok).toBe(true);
      if (objects.ok && encoded.ok) {
        expect(new TextDecoder().decode(encoded.body)).toBe(encodeResponseBody(objects.response, false));
      }
    } finally {
      await threaded.close();
      await onLoop.close();
    }
  });

  it('a response over maxResponseBytes is a 422 naming its size and the limit', async () => {
    const service = createEvaluationService({
      daoFactory: new TestDaoFactory(),
      statisticsThreads: 1,
      maxResponseBytes: 500,
    });
    try {
      const small = await service.evaluateJson(CONVERSION_REQUEST);
      expect(small.ok).toBe(false);
      expect(small.ok ? undefined : small.kind).toBe('invalid-request');
      const problem = small.ok || small.kind !== 'invalid-request' ? undefined : small.problems[0];
      expect(problem?.type).toBe('response_too_large');
      expect(problem?.message).toMatch(
        /^the response would be \d+ bytes, more than the maximum response size of 500 bytes \(EP_STATS_MAX_RESPONSE_BYTES\)/,
      );
    } finally {
      await service.close();
    }
  });

  it('log the warnings of an evaluation as one line per code, with the count', async () => {
    const logs = captureLogs();
    try {
      server = await startTestServer({ logLevel: 'warn', statisticsThreads: 1 });
      const answer = await post(server, '/evaluate', heavyRequest());
      expect(answer.status).toBe(200);
      const warned = logs.records().filter((record) => record.level === 40 && 'warning' in record);
      // The 1,000 metrics read goals the test data does not have: 1,000 goal-without-rows warnings...
      const missing = warned.filter((record) => record.warning === 'goal-without-rows');
      expect(missing).toHaveLength(1);
      expect(missing[0]?.count).toBe(1000);
      expect(missing[0]?.msg).toMatch(/\(and 999 more goal-without-rows warnings\)$/);
      // ... all of which the response carries.
      const codes = (parsePythonJson(answer.text) as { warnings: { code: string }[] }).warnings.map(
        (w) => w.code,
      );
      expect(codes.filter((code) => code === 'goal-without-rows')).toHaveLength(1000);
      // One line per code in all.
      expect(new Set(warned.map((record) => record.warning)).size).toBe(warned.length);
    } finally {
      logs.restore();
    }
  });
});

describe('the statistics runner', () => {
  const job = () => {
    const validation = validateEvaluateRequest(CONVERSION_REQUEST);
    if (!validation.ok) throw new Error('invalid request');
    return validation;
  };

  it('evaluates goals that cannot be copied to a thread on the event loop instead', async () => {
    const runner = createStatisticsRunner(1);
    try {
      const dao = await new TestDaoFactory().getDao();
      const { toExperiment } = await import('../../src/wire/index.js');
      const request = job().value;
      const goals = await dao.getAggGoals(toExperiment(request));
      // A row with a method: structured clone refuses it (DataCloneError).
      const rows = (goals as readonly object[]).map((row) => ({ ...row, describe: () => 'row' }));
      const [copied, uncopyable] = await Promise.all([
        runner.run({ request, goals, strict: false, maxResponseBytes: 1e7 }),
        runner.run({ request, goals: rows as never, strict: false, maxResponseBytes: 1e7 }),
      ]);
      expect(copied.ok && uncopyable.ok).toBe(true);
      if (copied.ok && uncopyable.ok) expect(Buffer.from(uncopyable.body)).toEqual(Buffer.from(copied.body));
    } finally {
      await runner.close();
    }
  });

  it('answers jobs after close() as failed instead of starting threads again', async () => {
    const runner = createStatisticsRunner(1);
    await runner.close();
    const result = await runner.run({
      request: job().value,
      goals: [],
      strict: false,
      maxResponseBytes: 1e7,
    });
    expect(result).toMatchObject({ ok: false, kind: 'evaluation-failed' });
    expect(result.ok ? '' : 'error' in result ? result.error.message : '').toMatch(/closed/);
  });

  it('rejects a negative or fractional number of threads', () => {
    const daoFactory = new TestDaoFactory();
    expect(() => createEvaluationService({ daoFactory, statisticsThreads: -1 })).toThrow(
      /`statisticsThreads` must be a non-negative integer, received -1/,
    );
    expect(() => createEvaluationService({ daoFactory, statisticsThreads: 1.5 })).toThrow(RangeError);
  });
});
