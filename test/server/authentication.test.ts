import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DaoFactory } from '../../src/index.js';
import {
  buildOpenApiDocument,
  buildServer,
  type RunningServer,
  serverSettingsFromEnv,
} from '../../src/server/index.js';
import { TestDaoFactory } from '../../src/testing/index.js';
import { thrownValidationError } from '../support/thrown.js';
import { CONVERSION_REQUEST as BODY } from './support/conversion-request.js';
import { captureLogs, type LogCapture } from './support/log-capture.js';
import { startTestServer } from './support/server-client.js';

const KEY = 'key-0123456789abcdef-first';
const OTHER_KEY = 'key-fedcba9876543210-second';
const WRONG_KEY = 'key-0123456789abcdef-wrong';

interface Call {
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly authorization?: string;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

async function call(server: RunningServer, request: Call): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  if (request.authorization !== undefined) headers.authorization = request.authorization;
  const response = await fetch(`${server.url}${request.path}`, {
    method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
    headers,
    redirect: 'manual',
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const EVALUATE: Call = { path: '/evaluate', body: JSON.stringify(BODY) };
const SAMPLE_SIZE: Call = {
  path: '/sample-size-calculation',
  body: JSON.stringify({ n_variants: 2, minimum_effect: 0.1, mean: 0.2, std: 1.2 }),
};
const PROTECTED: readonly Call[] = [
  EVALUATE,
  SAMPLE_SIZE,
  { path: '/metrics' },
  { path: '/openapi.json' },
  { path: '/docs' },
  { path: '/docs/json' },
  { path: '/docs/static/index.html' },
  { path: '/nowhere' },
];

function expectUnauthorized(answer: Answer): void {
  expect(answer.status).toBe(401);
  expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const body = JSON.parse(answer.text) as { detail: string; error: string };
  expect(body.error).toBe('unauthorized');
  expect(body.detail).toMatch(/^Unauthorized/);
  expect(answer.text).not.toContain(KEY);
  expect(answer.text).not.toContain(OTHER_KEY);
  expect(answer.text).not.toContain(WRONG_KEY);
}

describe('with API keys', () => {
  let server: RunningServer;
  let getDaoCalls = 0;
  beforeAll(async () => {
    const testData = new TestDaoFactory();
    const daoFactory: DaoFactory = {
      getDao: () => {
        getDaoCalls++;
        return testData.getDao();
      },
    };
    server = await startTestServer({ daoFactory, apiKeys: [KEY, OTHER_KEY], bodyLimit: 10_000 });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(PROTECTED.map((request) => [request.path, request] as const))(
    '%s without a key is 401',
    async (_path, request) => {
      expectUnauthorized(await call(server, request));
    },
  );

  it.each(PROTECTED.map((request) => [request.path, request] as const))(
    '%s with a wrong key is 401',
    async (_path, request) => {
      const answer = await call(server, { ...request, authorization: `Bearer ${WRONG_KEY}` });
      expectUnauthorized(answer);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    },
  );

  it.each([
    ['another scheme', `Basic ${Buffer.from(`user:${KEY}`).toString('base64')}`],
    ['the scheme alone', 'Bearer'],
    ['an empty token', 'Bearer '],
    ['a prefix of a key', `Bearer ${KEY.slice(0, -1)}`],
    ['a key with more after it', `Bearer ${KEY}x`],
    ['two tokens', `Bearer ${KEY} ${KEY}`],
    ['the key without a scheme', KEY],
  ])('rejects %s', async (_case, authorization) => {
    expectUnauthorized(await call(server, { ...EVALUATE, authorization }));
  });

  it('answers with each configured key', async () => {
    for (const key of [KEY, OTHER_KEY]) {
      const authorization = `Bearer ${key}`;
      expect((await call(server, { ...EVALUATE, authorization })).status).toBe(200);
      expect((await call(server, { ...SAMPLE_SIZE, authorization })).status).toBe(200);
      expect((await call(server, { path: '/metrics', authorization })).status).toBe(200);
      const openApi = await call(server, { path: '/openapi.json', authorization });
      expect(openApi.status).toBe(200);
      expect((await call(server, { path: '/docs', authorization })).status).toBeLessThan(400);
      expect((await call(server, { path: '/docs/json', authorization })).status).toBe(200);
      const notFound = await call(server, { path: '/nowhere', authorization });
      expect(notFound.status).toBe(404);
    }
  });

  it('accepts the scheme in any case', async () => {
    expect((await call(server, { ...SAMPLE_SIZE, authorization: `bearer ${KEY}` })).status).toBe(200);
    expect((await call(server, { ...SAMPLE_SIZE, authorization: `BEARER  ${OTHER_KEY}` })).status).toBe(200);
  });

  it('keeps /health open', async () => {
    const answer = await call(server, { path: '/health' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ message: 'ep-stats-api is ready' });
    expect((await call(server, { path: '/health?probe=1' })).status).toBe(200);
    expect((await call(server, { path: '/health', authorization: `Bearer ${WRONG_KEY}` })).status).toBe(200);
  });

  it('answers before reading the body: no 400, 413 or 415, and no data access', async () => {
    const before = getDaoCalls;
    expectUnauthorized(await call(server, { path: '/evaluate', body: '{"id": ' }));
    expectUnauthorized(await call(server, { path: '/evaluate', body: 'x'.repeat(20_000) }));
    expectUnauthorized(await call(server, { path: '/evaluate', body: 'text', contentType: 'text/plain' }));
    expectUnauthorized(await call(server, { ...EVALUATE, authorization: `Bearer ${WRONG_KEY}` }));
    expect(getDaoCalls).toBe(before);
    // With the key, the body is read as before.
    expect(
      (await call(server, { path: '/evaluate', body: '{"id": ', authorization: `Bearer ${KEY}` })).status,
    ).toBe(400);
  });

  it('keeps the security headers on a 401', async () => {
    const answer = await call(server, { path: '/metrics' });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('declares the bearer scheme in the OpenAPI document', async () => {
    const answer = await call(server, { path: '/openapi.json', authorization: `Bearer ${KEY}` });
    const document = JSON.parse(answer.text) as {
      security: unknown;
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
    };
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/health']?.get?.security).toEqual([]);
    expect(Object.keys(document.paths['/evaluate']?.post?.responses ?? {})).toContain('401');
    expect(answer.text).not.toContain(KEY);
  });
});

describe('logs', () => {
  let capture: LogCapture | undefined;
  afterEach(() => {
    capture?.restore();
    capture = undefined;
  });

  it('never contain a key, presented or configured', async () => {
    capture = captureLogs();
    const server = await startTestServer({ logLevel: 'trace', apiKeys: [KEY, OTHER_KEY] });
    try {
      await call(server, { ...EVALUATE, authorization: `Bearer ${KEY}` });
      await call(server, { ...EVALUATE, authorization: `Bearer ${WRONG_KEY}` });
      await call(server, { path: '/evaluate', body: '{"id": ', authorization: `Bearer ${OTHER_KEY}` });
      await call(server, { path: '/nowhere', authorization: `Bearer ${OTHER_KEY}` });
      await call(server, { path: '/metrics' });
      await call(server, { path: `/health?api_key=${KEY}` });
    } finally {
      await server.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const text = capture.lines.join('\n');
    expect(capture.lines.length).toBeGreaterThan(0);
    expect(text).toContain('"statusCode":401');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(OTHER_KEY);
    expect(text).not.toContain(WRONG_KEY);
    expect(text.toLowerCase()).not.toContain('authorization');
  });
});

describe('without API keys', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('every route stays open', async () => {
    expect((await call(server, EVALUATE)).status).toBe(200);
    expect((await call(server, SAMPLE_SIZE)).status).toBe(200);
    expect((await call(server, { path: '/metrics' })).status).toBe(200);
    expect((await call(server, { path: '/openapi.json' })).status).toBe(200);
    expect((await call(server, { path: '/docs' })).status).toBeLessThan(400);
    expect((await call(server, { path: '/health' })).status).toBe(200);
    expect((await call(server, { path: '/nowhere' })).status).toBe(404);
    // A header is ignored.
    expect((await call(server, { ...SAMPLE_SIZE, authorization: `Bearer ${WRONG_KEY}` })).status).toBe(200);
  });

  it('the OpenAPI document declares no security', async () => {
    const document = JSON.parse((await call(server, { path: '/openapi.json' })).text) as Record<
      string,
      unknown
    >;
    expect(document.security).toBeUndefined();
    expect((document.components as Record<string, unknown>).securitySchemes).toBeUndefined();
    expect(buildOpenApiDocument().security).toBeUndefined();
  });

  it('an empty apiKeys is no authentication', async () => {
    const app = buildServer({ daoFactory: new TestDaoFactory(), logLevel: 'silent', apiKeys: [] });
    try {
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('the apiKeys option', () => {
  it('rejects a short key without echoing it', () => {
    const short = 'short-key-123';
    const error = thrownValidationError(() =>
      buildServer({ daoFactory: new TestDaoFactory(), logLevel: 'silent', apiKeys: [KEY, short] }),
    );
    expect(error.path).toEqual(['apiKeys']);
    expect(error.message).toBe(
      'API key 2 of 2 (`apiKeys`) is too short: 13 characters, at least 16 are required',
    );
    expect(error.message).not.toContain(short);
  });

  it.each([
    ['not an array', KEY],
    ['a number', [KEY, 1_234_567_890_123_456]],
    ['a space', ['key with a space inside']],
    ['a comma', ['key-0123456789,abcdef']],
  ])('rejects %s', (_case, apiKeys) => {
    const error = thrownValidationError(() =>
      buildServer({ daoFactory: new TestDaoFactory(), logLevel: 'silent', apiKeys: apiKeys as never }),
    );
    expect(error.path).toEqual(['apiKeys']);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('inside');
  });
});

describe('API keys from the environment', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'ep-stats-api-keys-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  function file(name: string, text: string): string {
    const path = join(directory, name);
    writeFileSync(path, text);
    return path;
  }

  it('reads EP_STATS_API_KEYS, comma-separated', () => {
    expect(serverSettingsFromEnv({ EP_STATS_API_KEYS: ` ${KEY} ,${OTHER_KEY},, ` }).apiKeys).toEqual([
      KEY,
      OTHER_KEY,
    ]);
    expect(serverSettingsFromEnv({ EP_STATS_API_KEYS: '  ' }).apiKeys).toBeUndefined();
  });

  it('reads EP_STATS_API_KEYS_FILE, one key per line, without comments and blank lines', () => {
    const path = file('keys.txt', `# the API keys\n\n  ${KEY}  \r\n# retired: none\n\t\n${OTHER_KEY}\n`);
    expect(serverSettingsFromEnv({ EP_STATS_API_KEYS_FILE: path })).toEqual({ apiKeys: [KEY, OTHER_KEY] });
  });

  it('the keys of the environment protect a server', async () => {
    const path = file('server-keys.txt', `${OTHER_KEY}\n`);
    const server = await startTestServer({ ...serverSettingsFromEnv({ EP_STATS_API_KEYS_FILE: path }) });
    try {
      expectUnauthorized(await call(server, SAMPLE_SIZE));
      expect((await call(server, { ...SAMPLE_SIZE, authorization: `Bearer ${OTHER_KEY}` })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('a missing file is an error naming the variable and the path', () => {
    const path = join(directory, 'absent.txt');
    const error = thrownValidationError(() => serverSettingsFromEnv({ EP_STATS_API_KEYS_FILE: path }));
    expect(error.message).toBe(
      `EP_STATS_API_KEYS_FILE: cannot read the API key file "${path}": it does not exist`,
    );
    expect(error.path).toEqual(['EP_STATS_API_KEYS_FILE']);
  });

  it('a directory is an error', () => {
    const error = thrownValidationError(() => serverSettingsFromEnv({ EP_STATS_API_KEYS_FILE: directory }));
    expect(error.message).toContain('EP_STATS_API_KEYS_FILE');
    expect(error.message).toContain(directory);
  });

  it('a file without keys is an error', () => {
    const path = file('empty.txt', '# nothing yet\n\n');
    const error = thrownValidationError(() => serverSettingsFromEnv({ EP_STATS_API_KEYS_FILE: path }));
    expect(error.message).toBe(
      `EP_STATS_API_KEYS_FILE: the API key file "${path}" holds no key (one per line; blank lines and # comments are ignored)`,
    );
  });

  it('a short key in the file is an error without the key', () => {
    const short = 'tiny-secret-9';
    const path = file('short.txt', `${KEY}\n${short}\n`);
    const error = thrownValidationError(() => serverSettingsFromEnv({ EP_STATS_API_KEYS_FILE: path }));
    expect(error.message).toBe(
      `API key 2 of 2 (EP_STATS_API_KEYS_FILE, file "${path}") is too short: 13 characters, at least 16 are required`,
    );
    expect(error.message).not.toContain(short);
    expect(error.message).not.toContain(KEY);
    expect(error.path).toEqual(['EP_STATS_API_KEYS_FILE']);
  });

  it('a short key in EP_STATS_API_KEYS is an error without the key', () => {
    const short = 'tiny-secret-9';
    const error = thrownValidationError(() =>
      serverSettingsFromEnv({ EP_STATS_API_KEYS: `${short},${KEY}` }),
    );
    expect(error.message).toBe(
      'API key 1 of 2 (EP_STATS_API_KEYS) is too short: 13 characters, at least 16 are required',
    );
    expect(error.path).toEqual(['EP_STATS_API_KEYS']);
  });

  it('EP_STATS_API_KEYS without a key is an error', () => {
    const error = thrownValidationError(() => serverSettingsFromEnv({ EP_STATS_API_KEYS: ', ,' }));
    expect(error.message).toBe('EP_STATS_API_KEYS holds no API key');
  });

  it('both variables are an error', () => {
    const path = file('both.txt', `${KEY}\n`);
    const error = thrownValidationError(() =>
      serverSettingsFromEnv({ EP_STATS_API_KEYS: OTHER_KEY, EP_STATS_API_KEYS_FILE: path }),
    );
    expect(error.message).toBe('Set only one of EP_STATS_API_KEYS and EP_STATS_API_KEYS_FILE, not both');
    expect(error.message).not.toContain(OTHER_KEY);
  });
});
