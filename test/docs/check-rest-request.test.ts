/**
 * Checks the `POST /evaluate` request bodies of docs/rest-api.md (directive
 * `<!-- check: rest-request data=<source> [name=<name>] -->`): each body, sent as written, is answered with
 * 200 by the real server (`startServer` of `ep-stats/server`) over the data source the directive names:
 * `test-data` (the bundled reference test data, `TestDaoFactory`, what `ep-stats serve --test-data`
 * serves) or an events file `fixtures/events/<source>.parquet` (DuckDB in process, what
 * `ep-stats serve --events` serves).
 *
 * A sample must also fit its data: the response has the request's id and metrics, every variant has
 * exposures, every metric reads some data (a variant with a non-zero `sum_value`), and no warning says that
 * the request asks for something the data lacks (`empty-input`, `goal-without-rows`, `no-exposures`,
 * `variant-without-exposures`, `metric-without-rows`, `check-failed`), so a misspelled goal, experiment id
 * or unit type fails. `name=` lets the response samples of `check-rest-response.test.ts` refer to it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { samplesChecked } from '../../scripts/site-samples.js';
import { parsePythonJson, type WireResult } from '../server/support/server-client.js';
import { RestServers } from './support/rest-data.js';
import { directiveOptions } from './support/rest-json.js';

/** Warnings that say the request does not fit the data. */
const MISFIT_WARNINGS = [
  'empty-input',
  'goal-without-rows',
  'no-exposures',
  'variant-without-exposures',
  'metric-without-rows',
  'check-failed',
];

const servers = new RestServers();
afterAll(() => servers.close());

describe('the request bodies of docs/rest-api.md', () => {
  const samples = samplesChecked('rest-request');
  it('has samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(4);
  });

  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, async () => {
      const options = directiveOptions(sample.check?.args ?? []);
      const data = options.get('data');
      expect(data, 'the directive names its data: data=<source>').toBeTruthy();
      const server = await servers.server(data as string);
      const response = await fetch(`${server.url}/evaluate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: sample.code,
      });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      const request = JSON.parse(sample.code) as { id: string; metrics: { id: number }[] };
      const result = parsePythonJson(text) as WireResult;
      expect(result.id).toBe(request.id);
      expect(result.metrics.map((metric) => metric.id)).toEqual(request.metrics.map((metric) => metric.id));
      const misfits = result.warnings.filter((warning) => MISFIT_WARNINGS.includes(warning.code));
      expect(misfits, 'warnings that the request does not fit the data').toEqual([]);
      expect(result.exposure.stats.length).toBeGreaterThan(0);
      for (const stat of result.exposure.stats) expect(stat.count, stat.exp_variant_id).toBeGreaterThan(0);
      for (const metric of result.metrics) {
        expect(
          metric.stats.some((row) => row.sum_value !== 0),
          `metric ${metric.id} reads data`,
        ).toBe(true);
      }
    });
  }
});
