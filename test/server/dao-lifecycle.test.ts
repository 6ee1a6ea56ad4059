import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoals,
  type Dao,
  type DaoFactory,
  DataError,
  type Experiment,
} from '../../src/index.js';
import { createEvaluationService, type RunningServer } from '../../src/server/index.js';
import { TestData } from '../../src/testing/index.js';
import { CONVERSION_REQUEST as BODY } from './support/conversion-request.js';
import { captureLogs, type LogCapture } from './support/log-capture.js';
import { get, parsePythonJson, post, startTestServer } from './support/server-client.js';

/** A factory whose Daos run `load` and record their lifecycle. */
class RecordingDaoFactory implements DaoFactory {
  created = 0;
  closed = 0;
  constructor(
    private readonly load: (experiment: Experiment) => Promise<AggregatedGoals>,
    private readonly closeDao: () => Promise<void> = async () => {},
  ) {}
  async getDao(): Promise<Dao> {
    this.created++;
    return {
      getAggGoals: (experiment) => this.load(experiment),
      getUnitGoals: async () => [],
      close: async () => {
        this.closed++;
        await this.closeDao();
      },
    };
  }
}

async function withServer<T>(
  daoFactory: DaoFactory,
  run: (server: RunningServer) => Promise<T>,
  options = {},
): Promise<T> {
  const server = await startTestServer({ daoFactory, ...options });
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

/** A promise with its resolve function, to hold a Dao until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves after `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settles within `ms` milliseconds (far below the server's 72 s keep-alive timeout). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` every few milliseconds until it holds. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The client's socket, still open in `agent`'s pool after a keep-alive response. */
  readonly socket: Socket;
}

/** A request through `agent` (keep-alive), with the response's headers and the socket it used. */
function requestThrough(agent: Agent, url: string, body?: unknown): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    const request = httpRequest(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        agent,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            socket: socket as Socket,
          }),
        );
      },
    );
    request.on('socket', (used) => {
      socket = used;
    });
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Resolves when the socket has closed. */
function socketClosed(socket: Socket): Promise<void> {
  return socket.destroyed
    ? Promise.resolve()
    : new Promise((resolve) => socket.once('close', () => resolve()));
}

describe('the Dao of an evaluation', () => {
  it('a Dao that throws gives 502 with the experiment id, no internals, and is closed', async () => {
    const factory = new RecordingDaoFactory(async () => {
      throw new Error('connect ECONNREFUSED postgres://admin:s3cret@10.0.0.1:5432');
    });
    await withServer(factory, async (server) => {
      const response = await post(server, '/evaluate', BODY);
      expect(response.status).toBe(502);
      const body = JSON.parse(response.text);
      expect(body).toEqual({
        detail: 'Cannot load the goals of experiment [test-conversion] from the data source',
        experiment_id: 'test-conversion',
        error: 'data-access-failed',
      });
      expect(response.text).not.toMatch(/s3cret|ECONNREFUSED|at /);
      expect([factory.created, factory.closed]).toEqual([1, 1]);
      expect((await get(server, '/health')).status).toBe(200);
    });
  });

  it('a factory that fails to create a Dao gives 502', async () => {
    const factory: DaoFactory = {
      getDao: async () => {
        throw new Error('pool exhausted');
      },
    };
    await withServer(factory, async (server) => {
      const response = await post(server, '/evaluate', BODY);
      expect(response.status).toBe(502);
      expect(JSON.parse(response.text).error).toBe('data-access-failed');
    });
  });

  it('goal rows the evaluation cannot read give 502 invalid-goal-data naming row and column, and the Dao is closed', async () => {
    const factory = new RecordingDaoFactory(async () => {
      const rows = TestData.loadGoalsAgg('test-conversion');
      return rows.map((row, index) => (index === 2 ? { ...row, count: 'many' as unknown as number } : row));
    });
    await withServer(factory, async (server) => {
      const response = await post(server, '/evaluate', BODY);
      expect(response.status).toBe(502);
      const body = JSON.parse(response.text);
      expect(body.error).toBe('invalid-goal-data');
      expect(body.experiment_id).toBe('test-conversion');
      expect(body.detail).toMatch(
        /^Cannot evaluate experiment \[test-conversion\] because the data source returned invalid goal rows: Row 2, column `count`/,
      );
      expect(factory.closed).toBe(1);
    });
  });

  it('a Dao whose close fails still answers 200', async () => {
    const factory = new RecordingDaoFactory(
      async () => TestData.loadGoalsAgg('test-conversion'),
      async () => {
        throw new Error('close failed');
      },
    );
    await withServer(factory, async (server) => {
      expect((await post(server, '/evaluate', BODY)).status).toBe(200);
      expect(factory.closed).toBe(1);
    });
  });

  it('one Dao per request, always closed', async () => {
    const factory = new RecordingDaoFactory(async () => TestData.loadGoalsAgg('test-conversion'));
    await withServer(factory, async (server) => {
      const statuses = await Promise.all(Array.from({ length: 6 }, () => post(server, '/evaluate', BODY)));
      expect(statuses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect([factory.created, factory.closed]).toEqual([6, 6]);
    });
  });

  it('invalid requests never get a Dao', async () => {
    const factory = new RecordingDaoFactory(async () => []);
    await withServer(factory, async (server) => {
      expect((await post(server, '/evaluate', { ...BODY, metrics: 'x' })).status).toBe(422);
      expect(factory.created).toBe(0);
    });
  });
});

/** A factory of Daos over the bundled test data whose `close` is `close` (typed loosely, to break the contract). */
function factoryWithClose(close: () => unknown): DaoFactory & { closed: number } {
  const factory = {
    closed: 0,
    async getDao(): Promise<Dao> {
      return {
        getAggGoals: async (experiment) => TestData.loadGoalsAgg(experiment.id),
        getUnitGoals: async () => [],
        close: (() => {
          factory.closed++;
          return close();
        }) as Dao['close'],
      };
    },
  };
  return factory;
}

/** Runs `run` on a server logging at info, with its log lines captured. */
async function withLoggedServer(
  daoFactory: DaoFactory,
  run: (server: RunningServer) => Promise<void>,
): Promise<Record<string, unknown>[]> {
  const capture: LogCapture = captureLogs();
  try {
    await withServer(daoFactory, run, { logLevel: 'info' });
    await sleep(50);
    return capture.records();
  } finally {
    capture.restore();
  }
}

describe('a Dao whose close breaks its contract', () => {
  it.each([
    [
      'throws synchronously',
      () => {
        throw new Error('close exploded');
      },
      'close exploded',
    ],
    ['rejects', () => Promise.reject(new Error('close rejected')), 'close rejected'],
    ['returns a non-promise value', () => 'done', 'Dao.close() returned a string instead of a promise'],
    ['returns undefined', () => undefined, 'Dao.close() returned undefined instead of a promise'],
  ])('%s: logged as a warning, the answer unchanged', async (_name, close, message) => {
    let expected = '';
    await withServer(
      factoryWithClose(async () => {}),
      async (server) => {
        expected = (await post(server, '/evaluate?strict=true', BODY)).text;
      },
    );
    const factory = factoryWithClose(close);
    let response = { status: 0, text: '' };
    const records = await withLoggedServer(factory, async (server) => {
      response = await post(server, '/evaluate?strict=true', BODY);
    });
    expect(response.status).toBe(200);
    expect(response.text).toBe(expected);
    expect(factory.closed).toBe(1);
    const warnings = records.filter((record) => record.level === 40 && String(record.msg).includes('close'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toBe(
      `Cannot close the data access object of experiment [test-conversion]: ${message}`,
    );
    expect(warnings[0]?.experimentId).toBe('test-conversion');
  });
});

describe('Dao errors do not leak credentials', () => {
  const CONNECTION = 'postgres://reader:secret@db.internal:5432/goals';

  it.each([
    [
      'a DataError',
      () =>
        new DataError(
          `Cannot read goals from ${CONNECTION} (host=db.internal password=secret sslmode=require)`,
        ),
      'DataError',
      'Cannot load the goals of experiment [test-conversion] from the data source: Cannot read goals from ' +
        'postgres://reader:***@db.internal:5432/goals (host=db.internal password=*** sslmode=require)',
    ],
    [
      'any other error',
      () => new Error(`connect ECONNREFUSED ${CONNECTION}?sslmode=require&password=secret`),
      'Error',
      'Cannot load the goals of experiment [test-conversion] from the data source',
    ],
  ])(
    '%s: neither the 502 nor the logs hold the secret; both name the error',
    async (_name, error, type, detail) => {
      const factory = new RecordingDaoFactory(async () => {
        throw error();
      });
      let response = { status: 0, text: '' };
      const records = await withLoggedServer(factory, async (server) => {
        response = await post(server, '/evaluate', BODY);
      });
      expect(response.status).toBe(502);
      expect(JSON.parse(response.text)).toEqual({
        detail,
        experiment_id: 'test-conversion',
        error: 'data-access-failed',
      });
      expect(response.text).not.toContain('secret');
      const logs = JSON.stringify(records);
      expect(logs).not.toContain('secret');
      const failure = records.find((record) => record.level === 50);
      expect(failure?.msg).toBe('Cannot load the goals of experiment [test-conversion]');
      const err = failure?.err as { type: string; message: string; stack: string };
      expect(err.type).toBe(type);
      expect(err.message).toContain('postgres://reader:***@db.internal:5432/goals');
      expect(err.stack).toContain('password=***');
    },
  );

  it('goal rows holding a connection string: the 502 invalid-goal-data and the logs redact it', async () => {
    const factory = new RecordingDaoFactory(async () => {
      const rows = TestData.loadGoalsAgg('test-conversion');
      return rows.map((row, index) =>
        index === 2 ? { ...row, count: 'postgres://reader:secret@db/x' as unknown as number } : row,
      );
    });
    let response = { status: 0, text: '' };
    const records = await withLoggedServer(factory, async (server) => {
      response = await post(server, '/evaluate', BODY);
    });
    expect(response.status).toBe(502);
    expect(JSON.parse(response.text).error).toBe('invalid-goal-data');
    expect(response.text).not.toContain('secret');
    expect(JSON.stringify(records)).not.toContain('secret');
    expect((records.find((record) => record.level === 50)?.err as { type?: string } | undefined)?.type).toBe(
      'DataError',
    );
  });
});

describe('concurrency', () => {
  it('runs at most evaluationConcurrency evaluations at once and queues the rest', async () => {
    const held = gate();
    let running = 0;
    let mostRunning = 0;
    const factory = new RecordingDaoFactory(async () => {
      running++;
      mostRunning = Math.max(mostRunning, running);
      await held.promise;
      running--;
      return TestData.loadGoalsAgg('test-conversion');
    });
    await withServer(
      factory,
      async (server) => {
        const requests = Array.from({ length: 5 }, () => post(server, '/evaluate', BODY));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(running).toBe(2);
        // The server keeps answering other routes while evaluations wait.
        expect((await get(server, '/health')).status).toBe(200);
        held.open();
        const responses = await Promise.all(requests);
        expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
        expect(mostRunning).toBe(2);
      },
      { evaluationConcurrency: 2 },
    );
  });

  it('the service reports active and waiting evaluations', async () => {
    const held = gate();
    const factory = new RecordingDaoFactory(async () => {
      await held.promise;
      return [];
    });
    const service = createEvaluationService({ daoFactory: factory, concurrency: 1 });
    const outcomes = [service.evaluate(BODY), service.evaluate(BODY), service.evaluate(BODY)];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([service.activeEvaluations, service.waitingEvaluations]).toEqual([1, 2]);
    held.open();
    expect((await Promise.all(outcomes)).map((outcome) => outcome.status)).toEqual([200, 200, 200]);
    expect([service.activeEvaluations, service.waitingEvaluations]).toEqual([0, 0]);
  });
});

describe('graceful shutdown', () => {
  it('close waits for the request in flight but not for idle keep-alive connections', async () => {
    const held = gate();
    const factory = new RecordingDaoFactory(async () => {
      await held.promise;
      return TestData.loadGoalsAgg('test-conversion');
    });
    const server = await startTestServer({ daoFactory: factory });
    // Two clients with keep-alive connections: one idle when the server closes, one with a request in flight.
    const idleClient = new Agent({ keepAlive: true });
    const busyClient = new Agent({ keepAlive: true });
    try {
      const idle = await requestThrough(idleClient, `${server.url}/health`);
      expect(idle.status).toBe(200);
      expect(idle.headers.connection).toBe('keep-alive');
      expect(idle.socket.destroyed).toBe(false);
      const idleSocketClosed = socketClosed(idle.socket);
      const inFlight = requestThrough(busyClient, `${server.url}/evaluate`, BODY);
      await waitUntil(() => factory.created === 1);

      let closed = false;
      const closing = server.close().then(() => {
        closed = true;
      });
      // The idle connection is closed at once, not after the keep-alive timeout.
      expect(await settlesWithin(idleSocketClosed, 5_000)).toBe(true);
      // New connections are refused while the request in flight keeps the server from closing.
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
      await sleep(100);
      expect(closed).toBe(false);
      expect(factory.closed).toBe(0);

      held.open();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect((parsePythonJson(response.text) as { id: string }).id).toBe('test-conversion');
      // Answered with `Connection: close`: its connection does not linger as an idle keep-alive one...
      expect(response.headers.connection).toBe('close');
      // ...so close resolves right after the response instead of waiting for the keep-alive timeout.
      expect(await settlesWithin(closing, 5_000)).toBe(true);
      expect(closed).toBe(true);
      expect(await settlesWithin(socketClosed(response.socket), 5_000)).toBe(true);
      expect([factory.created, factory.closed]).toEqual([1, 1]);
    } finally {
      held.open();
      idleClient.destroy();
      busyClient.destroy();
      await server.close();
    }
  });
});
