/**
 * Checks the `curl` lines of docs/rest-api.md (directive `<!-- check: rest-curl -->`) against the real
 * server (`startServer` over the bundled test data) with an API key: each request, with the shell's
 * `$EP_STATS_KEY` standing for the server's key, is sent with fetch to the server (its host and port; the
 * URL's address must be the default, `DEFAULT_SERVER_OPTIONS`) and must be answered with 200 and the
 * content type of its route (`GET /metrics`: Prometheus' text format, `text/plain`; `GET /health`,
 * `POST /evaluate` and the like: `application/json`); without its `Authorization` header the same request
 * must be refused with 401, so the sample's header is what lets it in.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { samplesChecked } from '../../scripts/site-samples.js';
import { DEFAULT_SERVER_OPTIONS } from '../../src/server/index.js';
import { curlRequest, sendCurl } from './support/rest-cli.js';
import { RestServers } from './support/rest-data.js';
import { shellCommands } from './support/shell-lines.js';

const KEY = randomBytes(32).toString('hex');
const servers = new RestServers({ apiKeys: [KEY] });
afterAll(() => servers.close());

describe('the curl lines of docs/rest-api.md', () => {
  const samples = samplesChecked('rest-curl');
  it('has a sample', () => {
    expect(samples.length).toBeGreaterThanOrEqual(1);
  });

  for (const sample of samples) {
    for (const [index, command] of shellCommands(sample.code).entries()) {
      it(`${sample.name} (line ${sample.line}) command ${index + 1}`, async () => {
        const request = curlRequest(command, { EP_STATS_KEY: KEY });
        expect(request.url.host).toBe(`${DEFAULT_SERVER_OPTIONS.host}:${DEFAULT_SERVER_OPTIONS.port}`);
        const server = await servers.server('test-data');
        const response = await sendCurl(request, server.url);
        const body = await response.text();
        expect(response.status, body).toBe(200);
        const type = request.url.pathname === '/metrics' ? 'text/plain' : 'application/json';
        expect(response.headers.get('content-type')).toMatch(new RegExp(`^${type}`));
        if (request.url.pathname === '/metrics')
          expect(body).toContain('# TYPE ep_stats_evaluation_requests_total counter');

        const { authorization: _authorization, ...others } = request.headers;
        expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
        const without = await sendCurl({ ...request, headers: others }, server.url);
        expect(without.status).toBe(401);
        await without.arrayBuffer();
      });
    }
  }
});
