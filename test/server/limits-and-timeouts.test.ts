import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { AggregatedGoals, Dao, DaoFactory } from '../../src/index.js';
import {
  buildServer,
  closeOnSignals,
  createEvaluationService,
  type RunningServer,
  type ServerOptions,
  serverSettingsFromEnv,
} from '../../src/server/index.js';
import { TestDaoFactory } from '../../src/testing/index.js';
import { CONVERSION_REQUEST as BODY } from './support/conversion-request.js';
import { captureLogs } from './support/log-capture.js';
import { post, startTestServer } from './support/server-client.js';

const EXPOSURES = 'count(test_unit_type.global.exposure)';

function metric(id: number) {
  return { id, name: `m${id}`, nominator: 'count(test_unit_type.unit.click)', denominator: EXPOSURES };
}

async function inject(options: Partial<ServerOptions>, body: unknown, url = '/evaluate?strict=true') {
  const server = buildServer({ daoFactory: new TestDaoFactory(), logLevel: 'silent', ...options });
  try {
    const response = await server.inject({ method: 'POST', url, payload: body as object });
    return { status: response.statusCode, body: response.json() };
  } finally {
    await server.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Daos whose `getAggGoals` never settles until the test ends, counting `close` calls. */
class HungDaoFactory implements DaoFactory {
  closed = 0;
  created = 0;
  constructor(
    /** Calls from this number on are served by the bundled test data. */
    private readonly hungCalls = Number.POSITIVE_INFINITY,
    private readonly close: () => Promise<void> = async () => {},
  ) {}
  async getDao(): Promise<Dao> {
    this.created++;
    if (this.created > this.hungCalls) return new TestDaoFactory().getDao();
    return {
      getAggGoals: () => new Promise<AggregatedGoals>(() => {}),
      getUnitGoals: async () => [],
      close: async () => {
        this.closed++;
        await this.close();
      },
    };
  }
}

/** Opens a raw TCP connection and collects everything the server sends until it closes the socket. */
function rawConnection(server: RunningServer): Promise<{
  socket: Socket;
  received: () => string;
  closed: Promise<{ text: string; after: number }>;
}> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let text = '';
    const started = performance.now();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => {});
    const closed = new Promise<{ text: string; after: number }>((done) =>
      socket.on('close', () => done({ text, after: performance.now() - started })),
    );
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

describe('request limits', () => {
  it.each([
    ['metrics', { maxMetrics: 2 }, { metrics: [metric(1), metric(2), metric(3)] }, 'EP_STATS_MAX_METRICS', 3],
    [
      'checks',
      { maxChecks: 1 },
      { checks: [BODY.checks[0], { ...BODY.checks[0], id: 2 }] },
      'EP_STATS_MAX_CHECKS',
      2,
    ],
    ['variants', { maxVariants: 2 }, { variants: ['a', 'b', 'c'] }, 'EP_STATS_MAX_VARIANTS', 3],
    [
      'filters',
      { maxFilters: 1 },
      { filters: [{ scope: 'exposure', dimension: 'x', value: ['1'] }, { scope: 'goal' }] },
      'EP_STATS_MAX_FILTERS',
      2,
    ],
  ])(
    'answers more %s than the limit with 422 naming field and limit',
    async (field, options, change, variable, got) => {
      const limit = Object.values(options)[0];
      const response = await inject(options, { ...BODY, ...change });
      expect(response.status).toBe(422);
      const message = `at most ${limit} ${field} per request (${variable}); got ${got}`;
      expect(response.body).toEqual({
        detail: [{ loc: ['body', field], msg: message, type: 'too_long' }],
        problems: [{ path: [field], message, type: 'too_long' }],
      });
    },
  );

  it('accepts exactly the limit', async () => {
    expect((await inject({ maxMetrics: 1, maxChecks: 1, maxVariants: 3 }, BODY)).status).toBe(200);
  });

  it('checks the counts before the rest of the body, without touching the data', async () => {
    const factory = new HungDaoFactory();
    const response = await inject({ daoFactory: factory, maxMetrics: 1 }, { metrics: [1, 2], checks: 'x' });
    expect(response.status).toBe(422);
    expect(response.body.problems).toHaveLength(1);
    expect(factory.created).toBe(0);
  });

  it('answers 422 at `variants` when the data has more variants than the limit and none are asked for', async () => {
    // test-conversion has the variants a, b and c.
    const response = await inject({ maxVariants: 2 }, BODY);
    expect(response.status).toBe(422);
    expect(response.body.problems).toEqual([
      {
        path: ['variants'],
        message:
          'at most 2 variants per request (EP_STATS_MAX_VARIANTS); the data of experiment [test-conversion] has more; pass `variants` to choose some',
        type: 'too_long',
      },
    ]);
    expect((await inject({ maxVariants: 2 }, { ...BODY, variants: ['a', 'b'] })).status).toBe(200);
  });

  it('answers a response over maxResponseBytes with 422 naming the limit', async () => {
    const response = await inject({ maxResponseBytes: 500 }, BODY);
    expect(response.status).toBe(422);
    const [problem] = response.body.problems;
    expect(problem.path).toEqual([]);
    expect(problem.type).toBe('response_too_large');
    expect(problem.message).toMatch(
      /^the response would be \d+ bytes, more than the maximum response size of 500 bytes \(EP_STATS_MAX_RESPONSE_BYTES\); ask for fewer metrics, checks or variants$/,
    );
    const sampleSize = { n_variants: 2, minimum_effect: 0.1, mean: 0.2 };
    expect((await inject({ maxResponseBytes: 10 }, sampleSize, '/sample-size-calculation')).status).toBe(422);
    expect((await inject({ maxResponseBytes: 40 }, sampleSize, '/sample-size-calculation')).status).toBe(200);
  });

  it('applies the limits in the service layer too', async () => {
    const service = createEvaluationService({ daoFactory: new TestDaoFactory(), maxMetrics: 1 });
    const outcome = await service.evaluate({ ...BODY, metrics: [metric(1), metric(2)] });
    expect(outcome.status).toBe(422);
    expect(() => createEvaluationService({ daoFactory: new TestDaoFactory(), daoTimeout: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('the Dao deadline', () => {
  it('answers a hung Dao with 504, closes it and frees the slot for the next request', async () => {
    const factory = new HungDaoFactory(1);
    const server = await startTestServer({ daoFactory: factory, daoTimeout: 150, evaluationConcurrency: 1 });
    try {
      const started = performance.now();
      const first = post(server, '/evaluate', BODY);
      await sleep(20);
      // Queued behind the hung evaluation (concurrency 1): served once the deadline frees the slot.
      const second = post(server, '/evaluate', BODY);
      const hung = await first;
      expect(hung.status).toBe(504);
      expect(JSON.parse(hung.text)).toEqual({
        detail:
          'Cannot load the goals of experiment [test-conversion]: the data source did not answer within the Dao deadline of 150 ms (daoTimeout, EP_STATS_DAO_TIMEOUT_MS)',
        experiment_id: 'test-conversion',
        error: 'data-access-timed-out',
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(factory.closed).toBe(1);
      expect((await second).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers a hung getDao() with 504 and closes the Dao it returns later', async () => {
    let closed = 0;
    let release = () => {};
    const factory: DaoFactory = {
      getDao: () =>
        new Promise<Dao>((resolve) => {
          release = () =>
            resolve({
              getAggGoals: async () => [],
              getUnitGoals: async () => [],
              close: async () => {
                closed++;
              },
            });
        }),
    };
    const service = createEvaluationService({ daoFactory: factory, daoTimeout: 50 });
    const outcome = await service.evaluate(BODY);
    expect(outcome).toMatchObject({ status: 504, kind: 'data-access-timed-out' });
    expect(service.activeEvaluations).toBe(0);
    release();
    await sleep(10);
    expect(closed).toBe(1);
  });

  it('only logs a close() that fails after the deadline', async () => {
    const capture = captureLogs();
    try {
      const factory = new HungDaoFactory(Number.POSITIVE_INFINITY, async () => {
        throw new Error('close failed');
      });
      const server = buildServer({ daoFactory: factory, logLevel: 'warn', daoTimeout: 50 });
      const response = await server.inject({ method: 'POST', url: '/evaluate', payload: BODY });
      await server.close();
      expect(response.statusCode).toBe(504);
      await sleep(10);
      expect(capture.records().some((record) => String(record.msg).includes('close failed'))).toBe(true);
    } finally {
      capture.restore();
    }
  });

  it('does not wait past the deadline for a hung close() of a Dao that loaded its goals', async () => {
    const daoFactory: DaoFactory = {
      async getDao() {
        const dao = await new TestDaoFactory().getDao();
        return {
          getAggGoals: (e) => dao.getAggGoals(e),
          getUnitGoals: (e) => dao.getUnitGoals(e),
          close: () => new Promise<void>(() => {}),
        };
      },
    };
    const service = createEvaluationService({ daoFactory, daoTimeout: 100 });
    const started = performance.now();
    expect((await service.evaluate(BODY)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('connection timeouts (raw sockets)', () => {
  it('answers a client that drips its body with 408 and closes the connection', async () => {
    const server = await startTestServer({ requestTimeout: 300, headersTimeout: 200 });
    try {
      const { socket, closed } = await rawConnection(server);
      socket.write(
        'POST /evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
      );
      const drip = setInterval(() => socket.write(' '), 50);
      const { text, after } = await closed;
      clearInterval(drip);
      expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(text).toContain('Connection: close');
      const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, string>;
      expect(body.error).toBe('request-timeout');
      expect(body.detail).toContain('EP_STATS_REQUEST_TIMEOUT_MS');
      expect(after).toBeGreaterThanOrEqual(250);
      expect(after).toBeLessThan(2000);
    } finally {
      await server.close();
    }
  });

  it('answers a client that does not finish its headers with 408', async () => {
    const server = await startTestServer({ requestTimeout: 1000, headersTimeout: 150 });
    try {
      const { socket, closed } = await rawConnection(server);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      const { text, after } = await closed;
      expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(after).toBeGreaterThanOrEqual(140);
      expect(after).toBeLessThan(1000);
    } finally {
      await server.close();
    }
  });

  it('closes an idle keep-alive connection after keepAliveTimeout', async () => {
    const server = await startTestServer({ keepAliveTimeout: 150 });
    try {
      const { socket, closed, received } = await rawConnection(server);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      await sleep(50);
      expect(received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      const { after } = await closed;
      // Node 20 keeps the socket one second longer than the timeout it advertises (against races).
      expect(after).toBeGreaterThanOrEqual(140);
      expect(after).toBeLessThan(2500);
    } finally {
      await server.close();
    }
  });
});

describe('bounded shutdown', () => {
  it('close() resolves after about shutdownTimeout with a hung Dao, answering the request with 503', async () => {
    const server = await startTestServer({ daoFactory: new HungDaoFactory(), shutdownTimeout: 200 });
    const pending = post(server, '/evaluate', BODY);
    await sleep(50);
    const started = performance.now();
    await server.close();
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(1500);
    const response = await pending;
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toEqual({
      detail:
        'The server shut down before the request was finished (shutdown grace of 200 ms, shutdownTimeout, EP_STATS_SHUTDOWN_TIMEOUT_MS)',
      error: 'shutdown-timeout',
    });
  });

  it('closeOnSignals finishes within the grace too, also with a client still sending its body', async () => {
    const server = await startTestServer({ daoFactory: new HungDaoFactory(), shutdownTimeout: 150 });
    const pending = post(server, '/evaluate', BODY);
    const { socket, closed } = await rawConnection(server);
    socket.write(
      'POST /evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99\r\n\r\n{',
    );
    await sleep(50);
    const started = performance.now();
    const done = new Promise((resolve) =>
      closeOnSignals(server, { signals: ['SIGUSR2'], onClosed: resolve }),
    );
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await done).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1500);
    expect((await pending).status).toBe(503);
    await closed;
  });

  it('does not delay the close of an idle server', async () => {
    const server = await startTestServer({ shutdownTimeout: 5000 });
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('settings from the environment', () => {
  it('reads every limit and timeout', () => {
    expect(
      serverSettingsFromEnv({
        EP_STATS_MAX_METRICS: '10',
        EP_STATS_MAX_CHECKS: '11',
        EP_STATS_MAX_VARIANTS: '12',
        EP_STATS_MAX_FILTERS: '13',
        EP_STATS_MAX_RESPONSE_BYTES: '14',
        EP_STATS_REQUEST_TIMEOUT_MS: '15',
        EP_STATS_HEADERS_TIMEOUT_MS: '16',
        EP_STATS_KEEP_ALIVE_TIMEOUT_MS: '17',
        EP_STATS_DAO_TIMEOUT_MS: '18',
        EP_STATS_SHUTDOWN_TIMEOUT_MS: '19',
      }),
    ).toEqual({
      maxMetrics: 10,
      maxChecks: 11,
      maxVariants: 12,
      maxFilters: 13,
      maxResponseBytes: 14,
      requestTimeout: 15,
      headersTimeout: 16,
      keepAliveTimeout: 17,
      daoTimeout: 18,
      shutdownTimeout: 19,
    });
  });

  it('rejects a bad value naming the variable', () => {
    expect(() => serverSettingsFromEnv({ EP_STATS_DAO_TIMEOUT_MS: '0' })).toThrow(
      'EP_STATS_DAO_TIMEOUT_MS must be an integer of at least 1, received "0"',
    );
  });
});
