import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaoFactory } from '../../src/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { CONVERSION_REQUEST as BODY } from './support/conversion-request.js';
import { startTestServer } from './support/server-client.js';

const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

let server: RunningServer;
let failing: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
  const daoFactory: DaoFactory = {
    getDao: async () => {
      throw new Error('unreachable');
    },
  };
  failing = await startTestServer({ daoFactory });
});
afterAll(async () => {
  await Promise.all([server.close(), failing.close()]);
});

interface Call {
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly status: number;
  readonly on?: () => RunningServer;
}

async function headersOf(call: Call): Promise<Headers> {
  const target = call.on?.() ?? server;
  const response = await fetch(`${target.url}${call.path}`, {
    method: call.method ?? 'GET',
    ...(call.body === undefined
      ? {}
      : { body: call.body, headers: { 'content-type': call.contentType ?? 'application/json' } }),
  });
  await response.arrayBuffer();
  expect(response.status).toBe(call.status);
  return response.headers;
}

function expectCommonHeaders(headers: Headers): void {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.has('x-powered-by')).toBe(false);
}

const API_CALLS: [string, Call][] = [
  ['GET /health', { path: '/health', status: 200 }],
  ['GET /metrics (text)', { path: '/metrics', status: 200 }],
  ['GET /openapi.json', { path: '/openapi.json', status: 200 }],
  ['POST /evaluate 200', { method: 'POST', path: '/evaluate', body: JSON.stringify(BODY), status: 200 }],
  [
    'POST /sample-size-calculation 200',
    {
      method: 'POST',
      path: '/sample-size-calculation',
      body: JSON.stringify({ n_variants: 2, minimum_effect: 0.1, mean: 0.2 }),
      status: 200,
    },
  ],
  ['400 (not JSON)', { method: 'POST', path: '/evaluate', body: '{"id":', status: 400 }],
  [
    '400 (bad strict)',
    { method: 'POST', path: '/evaluate?strict=yes', body: JSON.stringify(BODY), status: 400 },
  ],
  ['404', { path: '/nowhere', status: 404 }],
  ['404 (POST)', { method: 'POST', path: '/nowhere', body: '{}', status: 404 }],
  ['415', { method: 'POST', path: '/evaluate', body: 'x', contentType: 'text/plain', status: 415 }],
  ['422', { method: 'POST', path: '/evaluate', body: '{}', status: 422 }],
  [
    '502 (data access failed)',
    { method: 'POST', path: '/evaluate', body: JSON.stringify(BODY), status: 502, on: () => failing },
  ],
];

describe('security headers', () => {
  it.each(API_CALLS)('%s: nosniff, no-referrer, no X-Powered-By, the API policy', async (_name, call) => {
    const headers = await headersOf(call);
    expectCommonHeaders(headers);
    expect(headers.get('content-security-policy')).toBe(API_POLICY);
  });

  it('413 (body over the limit) has them too', async () => {
    const headers = await headersOf({
      method: 'POST',
      path: '/evaluate',
      body: JSON.stringify({ ...BODY, padding: 'x'.repeat(2 * 1024 * 1024) }),
      status: 413,
    });
    expectCommonHeaders(headers);
    expect(headers.get('content-security-policy')).toBe(API_POLICY);
  });

  it.each([
    ['/docs', 200],
    ['/docs/', 200],
    ['/docs/static/swagger-ui-bundle.js', 200],
    ['/docs/static/swagger-ui.css', 200],
    ['/docs/static/swagger-initializer.js', 200],
    ['/docs/json', 200],
  ])('GET %s: a policy under which Swagger UI runs, nothing may frame it', async (path, status) => {
    const headers = await headersOf({ path, status });
    expectCommonHeaders(headers);
    const policy = new Map(
      (headers.get('content-security-policy') ?? '').split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    // Self-hosted scripts only: no inline script, no eval, no other origin.
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('script-src-attr')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    // The stylesheets embed their icons as data: URLs; the bundle sets an inline style at run time.
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('the Swagger UI page loads only same-origin scripts and has no inline script or style', async () => {
    const response = await fetch(`${server.url}/docs`);
    const page = await response.text();
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/src="\/docs\/static\//);
      expect(content?.trim()).toBe('');
    }
    expect(page).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});
