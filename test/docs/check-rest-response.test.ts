/**
 * Checks the response samples of docs/rest-api.md (directive `<!-- check: rest-response request=<name>
 * [set.<path>=<value> ...] [strict] [status=<n>] match=<how> -->`) against what the real server answers.
 *
 * The request is the body of the page's `rest-request` sample `name=<name>` (over its data source, see
 * `check-rest-request.test.ts`), changed by each `set.<path>=<value>` (`set.metrics.0.nominator=""` empties
 * the first metric's nominator; the value is read as JSON when it parses, else as text), and sent to
 * `POST /evaluate` (with `?strict=true` for `strict`). The status must be `status` (default 200), and the
 * body must match the sample:
 *
 * - `match=text`: the sample with its line breaks removed (each newline and the indentation after it) is
 *   the body, byte for byte (for samples that say "line breaks added");
 * - `match=equal`: the sample is the same JSON as the body, members in the same order;
 * - `match=excerpt`: the sample is an excerpt of the body, by the rule of `support/rest-json.ts` (`"...":
 *   "..."` members and `"..."` elements stand for what is left out; numbers may be rounded).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type SiteSample, samplesChecked } from '../../scripts/site-samples.js';
import { stringifyPythonJson } from '../../src/wire/index.js';
import { parsePythonJson } from '../server/support/server-client.js';
import { RestServers } from './support/rest-data.js';
import { containsExcerpt, directiveOptions, parseSample, withChanges } from './support/rest-json.js';

const servers = new RestServers();
afterAll(() => servers.close());

/** The `rest-request` sample named `name` and its data source. */
function namedRequest(name: string): { body: unknown; data: string } {
  const found: SiteSample[] = samplesChecked('rest-request').filter(
    (sample) => directiveOptions(sample.check?.args ?? []).get('name') === name,
  );
  expect(
    found.map((sample) => sample.name),
    `one rest-request sample with name=${name}`,
  ).toHaveLength(1);
  const sample = found[0] as SiteSample;
  return {
    body: JSON.parse(sample.code),
    data: directiveOptions(sample.check?.args ?? []).get('data') as string,
  };
}

describe('the response samples of docs/rest-api.md', () => {
  const samples = samplesChecked('rest-response');
  it('has samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(4);
  });

  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, async () => {
      const args = sample.check?.args ?? [];
      const options = directiveOptions(args);
      const { body, data } = namedRequest(options.get('request') ?? '');
      const changes = args
        .filter((arg) => arg.startsWith('set.'))
        .map((arg) => {
          const at = arg.indexOf('=');
          return [arg.slice('set.'.length, at), arg.slice(at + 1)] as const;
        });
      const server = await servers.server(data);
      const response = await fetch(`${server.url}/evaluate${options.has('strict') ? '?strict=true' : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(withChanges(body, changes)),
      });
      const text = await response.text();
      expect(response.status, text).toBe(Number(options.get('status') ?? 200));
      const match = options.get('match');
      if (match === 'text') {
        expect(text).toBe(sample.code.replace(/\n[ \t]*/g, ''));
      } else if (match === 'equal') {
        expect(stringifyPythonJson(parsePythonJson(text))).toBe(
          stringifyPythonJson(parseSample(sample.code)),
        );
      } else if (match === 'excerpt') {
        const excerpt = parseSample(sample.code);
        expect(containsExcerpt(parsePythonJson(text), excerpt), `excerpt not found in ${text}`).toBe(true);
      } else {
        throw new Error(`match=text, equal or excerpt expected, got ${String(match)}`);
      }
    });
  }
});
