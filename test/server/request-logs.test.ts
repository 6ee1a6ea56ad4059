import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { CONVERSION_REQUEST as BODY } from './support/conversion-request.js';
import { captureLogs, type LogCapture } from './support/log-capture.js';
import { startTestServer } from './support/server-client.js';

const BODY_MARKER = 'body-marker-7f3a';

let capture: LogCapture | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});

/** Polls until `count` lines of `level` with a request id were written (the line follows the response). */
async function requestLines(logs: LogCapture, count: number, level = 30): Promise<Record<string, unknown>[]> {
  const lines = () => logs.records().filter((record) => record.level === level && 'reqId' in record);
  for (let waited = 0; lines().length < count && waited < 5_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return lines();
}

async function call(
  server: RunningServer,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; text: string; bytes: number }> {
  const response = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': contentType },
        }),
  });
  const buffer = Buffer.from(await response.arrayBuffer());
  return { status: response.status, text: buffer.toString('utf8'), bytes: buffer.length };
}

describe('request logs', () => {
  it('one info line per request, with method, url, status, time and bytes, and no bodies', async () => {
    capture = captureLogs();
    const server = await startTestServer({ logLevel: 'info' });
    const calls: [string, unknown?, string?][] = [
      ['/health'],
      ['/metrics'],
      ['/openapi.json'],
      ['/docs'],
      ['/nowhere'],
      ['/evaluate', { ...BODY, note: BODY_MARKER }],
      ['/evaluate?strict=true', { ...BODY, note: BODY_MARKER }],
      ['/evaluate', { ...BODY, metrics: BODY_MARKER }],
      ['/evaluate', `{"id": "${BODY_MARKER}`],
      ['/evaluate', BODY_MARKER, 'text/plain'],
      ['/sample-size-calculation', { n_variants: 2, minimum_effect: 0.1, mean: 0.2, note: BODY_MARKER }],
    ];
    const responses: Awaited<ReturnType<typeof call>>[] = [];
    try {
      for (const [path, body, contentType] of calls)
        responses.push(await call(server, path, body, contentType));
    } finally {
      await server.close();
    }
    expect(responses.map((response) => response.status)).toEqual([
      200, 200, 200, 200, 404, 200, 200, 422, 400, 415, 200,
    ]);
    const lines = await requestLines(capture, calls.length);
    expect(lines).toHaveLength(calls.length);
    lines.forEach((line, index) => {
      const [path, body] = calls[index] as [string, unknown?];
      expect(line).toMatchObject({
        msg: 'request completed',
        method: body === undefined ? 'GET' : 'POST',
        url: path,
        statusCode: responses[index]?.status,
        bytes: responses[index]?.bytes,
      });
      expect(typeof line.responseTime).toBe('number');
      expect(Object.keys(line).sort()).toEqual(
        [
          'bytes',
          'hostname',
          'level',
          'method',
          'msg',
          'pid',
          'reqId',
          'responseTime',
          'statusCode',
          'time',
          'url',
        ].sort(),
      );
    });
    // No request body (the marker) nor response body (members of the answers) in any line.
    const text = capture.lines.join('\n');
    expect(text).not.toContain(BODY_MARKER);
    expect(text).not.toMatch(/sample_size_per_variant|exp_variant_id|ep-stats-api is ready|swagger/);
  });

  it('secret-looking query parameters are logged as ***', async () => {
    capture = captureLogs();
    const server = await startTestServer({ logLevel: 'info' });
    try {
      await call(server, '/health?token=abc123&password=hunter2&api_key=k3y&strict=true');
    } finally {
      await server.close();
    }
    const [line] = await requestLines(capture, 1);
    expect(line?.url).toBe('/health?token=***&password=***&api_key=***&strict=true');
    expect(capture.lines.join('\n')).not.toMatch(/abc123|hunter2|k3y/);
  });

  it('at warn, successful requests write nothing', async () => {
    capture = captureLogs();
    const server = await startTestServer({ logLevel: 'warn' });
    try {
      expect((await call(server, '/health')).status).toBe(200);
    } finally {
      await server.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(capture.lines).toEqual([]);
  });
});
