/**
 * Checks the request log line of docs/rest-api.md (directive `<!-- check: rest-log-line request=<name> -->`)
 * against a line the real server writes: a server over the named request's data source (see
 * `check-rest-request.test.ts`), at log level `info`, is sent the sample's `method` and `url` with the
 * page's `rest-request` body `name=<name>`, and the line it writes for that request must have the sample's
 * members in the sample's order, each of the sample's JSON type, and the same `level`, `method`, `url`,
 * `statusCode` and `msg` (the other values, such as `time`, `pid`, `hostname` and `responseTime`, differ
 * from run to run; `reqId` must have the sample's form `req-<n>`).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { samplesChecked } from '../../scripts/site-samples.js';
import { captureLogs, type LogCapture } from '../server/support/log-capture.js';
import { RestServers } from './support/rest-data.js';
import { directiveOptions } from './support/rest-json.js';

const servers = new RestServers({ logLevel: 'info' });
let capture: LogCapture | undefined;
afterEach(() => {
  capture?.restore();
  capture = undefined;
});
afterAll(() => servers.close());

/** The JSON type of a value: `string`, `number`, `boolean`, `null`, `array` or `object`. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Waits until a request line (one with a `reqId`) of `url` was written. */
async function requestLine(logs: LogCapture, url: string): Promise<Record<string, unknown>> {
  for (let waited = 0; waited < 5_000; waited += 10) {
    const line = logs.records().find((record) => 'reqId' in record && record.url === url);
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no request line of ${url} among:\n${logs.lines.join('\n')}`);
}

describe('the request log line of docs/rest-api.md', () => {
  const samples = samplesChecked('rest-log-line');
  it('has a sample', () => {
    expect(samples.length).toBeGreaterThanOrEqual(1);
  });

  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, async () => {
      const expected = JSON.parse(sample.code) as Record<string, unknown>;
      const name = directiveOptions(sample.check?.args ?? []).get('request');
      const request = samplesChecked('rest-request').find(
        (candidate) => directiveOptions(candidate.check?.args ?? []).get('name') === name,
      );
      expect(request, `a rest-request sample name=${name}`).toBeDefined();
      const data = directiveOptions(request?.check?.args ?? []).get('data') as string;
      const server = await servers.server(data);
      capture = captureLogs();
      const response = await fetch(`${server.url}${expected.url as string}`, {
        method: expected.method as string,
        headers: { 'content-type': 'application/json' },
        body: request?.code,
      });
      await response.arrayBuffer();
      const line = await requestLine(capture, expected.url as string);
      expect(Object.keys(line)).toEqual(Object.keys(expected));
      for (const [key, value] of Object.entries(expected)) {
        expect(typeOf(line[key]), key).toBe(typeOf(value));
      }
      for (const key of ['level', 'method', 'url', 'statusCode', 'msg']) {
        expect(line[key], key).toEqual(expected[key]);
      }
      expect(line.statusCode).toBe(response.status);
      expect(String(expected.reqId)).toMatch(/^req-\d+$/);
      expect(String(line.reqId)).toMatch(/^req-\d+$/);
    });
  }
});
