import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../../src/server/concurrency-limiter.js';
import {
  buildServer,
  closeOnSignals,
  createEvaluationService,
  DEFAULT_SERVER_OPTIONS,
  type ServerOptions,
  serverSettingsFromEnv,
  startServer,
} from '../../src/server/index.js';
import { TestDaoFactory } from '../../src/testing/index.js';
import { thrownValidationError } from '../support/thrown.js';

const daoFactory = new TestDaoFactory();

describe('serverSettingsFromEnv', () => {
  it('reads every variable', () => {
    expect(
      serverSettingsFromEnv({
        EP_STATS_HOST: '0.0.0.0',
        EP_STATS_PORT: '9000',
        EP_STATS_LOG_LEVEL: 'WARN',
        EP_STATS_BODY_LIMIT: '2097152',
        EP_STATS_EVALUATION_CONCURRENCY: ' 8 ',
        EP_STATS_STATISTICS_THREADS: '0',
        OTHER: 'ignored',
      }),
    ).toEqual({
      host: '0.0.0.0',
      port: 9000,
      logLevel: 'warn',
      bodyLimit: 2_097_152,
      evaluationConcurrency: 8,
      statisticsThreads: 0,
    });
  });

  it('leaves out unset and empty variables', () => {
    expect(serverSettingsFromEnv({})).toEqual({});
    expect(serverSettingsFromEnv({ EP_STATS_PORT: '', EP_STATS_HOST: '  ' })).toEqual({});
  });

  it.each([
    ['EP_STATS_PORT', 'http', 'EP_STATS_PORT must be an integer from 0 to 65535, received "http"'],
    ['EP_STATS_PORT', '70000', 'EP_STATS_PORT must be an integer from 0 to 65535, received "70000"'],
    ['EP_STATS_PORT', '-1', 'EP_STATS_PORT must be an integer from 0 to 65535, received "-1"'],
    ['EP_STATS_BODY_LIMIT', '1mb', 'EP_STATS_BODY_LIMIT must be an integer of at least 1, received "1mb"'],
    ['EP_STATS_BODY_LIMIT', '0', 'EP_STATS_BODY_LIMIT must be an integer of at least 1, received "0"'],
    [
      'EP_STATS_EVALUATION_CONCURRENCY',
      '2.5',
      'EP_STATS_EVALUATION_CONCURRENCY must be an integer of at least 1, received "2.5"',
    ],
    [
      'EP_STATS_STATISTICS_THREADS',
      '-1',
      'EP_STATS_STATISTICS_THREADS must be an integer of at least 0, received "-1"',
    ],
    [
      'EP_STATS_LOG_LEVEL',
      'verbose',
      'EP_STATS_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, received "verbose"',
    ],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    const error = thrownValidationError(() => serverSettingsFromEnv({ [name]: value }));
    expect(error.message).toBe(message);
    expect(error.path).toEqual([name]);
  });

  it('reads process.env by default', () => {
    const saved = process.env.EP_STATS_PORT;
    process.env.EP_STATS_PORT = '8123';
    try {
      expect(serverSettingsFromEnv().port).toBe(8123);
    } finally {
      if (saved === undefined) delete process.env.EP_STATS_PORT;
      else process.env.EP_STATS_PORT = saved;
    }
  });
});

describe('server options', () => {
  it('defaults to 127.0.0.1:8080, info logs, 1 MiB bodies, 4 evaluations at once', () => {
    expect(DEFAULT_SERVER_OPTIONS).toEqual({
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      bodyLimit: 1_048_576,
      evaluationConcurrency: 4,
      strictJson: false,
      maxMetrics: 1000,
      maxChecks: 100,
      maxVariants: 100,
      maxFilters: 100,
      maxResponseBytes: 10_485_760,
      requestTimeout: 30_000,
      headersTimeout: 10_000,
      keepAliveTimeout: 5_000,
      daoTimeout: 60_000,
      shutdownTimeout: 10_000,
    });
  });

  it.each([
    [{ port: 65_536 }, ['port']],
    [{ port: 1.5 }, ['port']],
    [{ bodyLimit: 0 }, ['bodyLimit']],
    [{ evaluationConcurrency: 0 }, ['evaluationConcurrency']],
    [{ statisticsThreads: -1 }, ['statisticsThreads']],
    [{ statisticsThreads: 0.5 }, ['statisticsThreads']],
    [{ logLevel: 'loud' }, ['logLevel']],
    [{ host: '' }, ['host']],
    [{ maxMetrics: 0 }, ['maxMetrics']],
    [{ daoTimeout: 1.5 }, ['daoTimeout']],
    [{ shutdownTimeout: -1 }, ['shutdownTimeout']],
    [{ requestTimeout: 100, headersTimeout: 200 }, ['headersTimeout']],
  ])('rejects %j naming the option', (options, path) => {
    expect(
      thrownValidationError(() => buildServer({ daoFactory, ...options } as ServerOptions)).path,
    ).toEqual(path);
  });

  describe('requires a daoFactory: there is no default data source', () => {
    const REQUIRED =
      /^`daoFactory` is required: pass the DaoFactory the server loads goals with, e\.g\. a SqlDaoFactory of ep-stats\/sql, or `new TestDaoFactory\(\)` of ep-stats\/testing for the bundled test data$/;

    it.each([
      ['no daoFactory', { logLevel: 'silent' }],
      ['daoFactory undefined', { daoFactory: undefined }],
      ['daoFactory null', { daoFactory: null }],
    ])('buildServer rejects %s with a ValidationError saying what to pass', (_name, options) => {
      const error = thrownValidationError(() => buildServer(options as unknown as ServerOptions));
      expect(error.path).toEqual(['daoFactory']);
      expect(error.message).toMatch(REQUIRED);
    });

    it('buildServer rejects a daoFactory without getDao, and options that are not an object', () => {
      const notFactory = thrownValidationError(() =>
        buildServer({ daoFactory: {} } as unknown as ServerOptions),
      );
      expect(notFactory.path).toEqual(['daoFactory']);
      expect(notFactory.message).toBe(
        '`daoFactory` must be a DaoFactory (an object with a `getDao()` method), received an object',
      );
      for (const options of [undefined, null, 'daoFactory']) {
        const error = thrownValidationError(() => buildServer(options as unknown as ServerOptions));
        expect(error.path).toEqual([]);
        expect(error.message).toMatch(/^The server options must be an object with a `daoFactory`, received /);
      }
    });

    it('startServer rejects before listening, and createEvaluationService throws, naming daoFactory', async () => {
      await expect(startServer({ port: 0 } as unknown as ServerOptions)).rejects.toMatchObject({
        name: 'ValidationError',
        path: ['daoFactory'],
        message: expect.stringMatching(REQUIRED),
      });
      for (const options of [{}, undefined, { daoFactory: 'test data' }]) {
        const error = thrownValidationError(() => createEvaluationService(options as never));
        expect(error.path).toEqual(['daoFactory']);
      }
    });
  });

  it('honours bodyLimit', async () => {
    const server = await startServer({ daoFactory, port: 0, logLevel: 'silent', bodyLimit: 100 });
    try {
      const response = await fetch(`${server.url}/sample-size-calculation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          n_variants: 2,
          minimum_effect: 0.1,
          mean: 0.2,
          std: 1.2,
          padding: 'x'.repeat(200),
        }),
      });
      expect(response.status).toBe(413);
    } finally {
      await server.close();
    }
  });

  it('startServer rejects when the port is taken, and close can be called twice', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await expect(startServer({ daoFactory, port, logLevel: 'silent' })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const server = await startServer({ daoFactory, port: 0, logLevel: 'silent' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await Promise.all([server.close(), server.close()]);
  });
});

describe('closeOnSignals', () => {
  it('closes the server on the first signal and removes its handlers', async () => {
    let closes = 0;
    const before = process.listenerCount('SIGUSR2');
    const closed = new Promise<unknown>((resolve) => {
      closeOnSignals(
        {
          close: async () => {
            closes++;
          },
        },
        { signals: ['SIGUSR2'], onClosed: resolve },
      );
    });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await closed).toBeUndefined();
    expect(closes).toBe(1);
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('passes a close error to onClosed, and the returned function removes the handlers', async () => {
    const failure = new Error('cannot close');
    const closed = new Promise<unknown>((resolve) => {
      closeOnSignals({ close: () => Promise.reject(failure) }, { signals: ['SIGUSR2'], onClosed: resolve });
    });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await closed).toBe(failure);
    const before = process.listenerCount('SIGUSR2');
    const remove = closeOnSignals({ close: async () => {} }, { signals: ['SIGUSR2'] });
    remove();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});

describe('ConcurrencyLimiter', () => {
  it('runs tasks in arrival order once slots free up, also after a task fails', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const order: string[] = [];
    const failing = limiter.run(async () => {
      order.push('first');
      throw new Error('boom');
    });
    const second = limiter.run(async () => {
      order.push('second');
      return 2;
    });
    const third = limiter.run(async () => {
      order.push('third');
      return 3;
    });
    expect(limiter.waiting).toBe(2);
    await expect(failing).rejects.toThrow('boom');
    expect(await Promise.all([second, third])).toEqual([2, 3]);
    expect(order).toEqual(['first', 'second', 'third']);
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
  });
});

describe('statistics threads by default', () => {
  it('one per evaluation slot, at most the parallelism minus one, at least one', async () => {
    const { availableParallelism } = await import('node:os');
    const { defaultStatisticsThreads } = await import('../../src/server/statistics-pool.js');
    const cores = availableParallelism();
    expect(defaultStatisticsThreads(1)).toBe(1);
    expect(defaultStatisticsThreads(4)).toBe(Math.max(1, Math.min(4, cores - 1)));
    expect(defaultStatisticsThreads(1000)).toBe(Math.max(1, cores - 1));
  });
});
