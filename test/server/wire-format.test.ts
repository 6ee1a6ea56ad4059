import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { WITH_EMPTY_VARIANT_REQUEST as BODY } from './support/conversion-request.js';
import { parsePythonJson, post, startTestServer } from './support/server-client.js';

// The default response is what Python's json.dumps writes (bare NaN / Infinity); a Python client must read it
// as is (python-clients.test.ts reads it with python3). The strict mode is standard JSON that JSON.parse
// reads, with the non-finite values named.

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('the default wire format', () => {
  it('writes NaN as a bare token that JSON.parse rejects', async () => {
    const response = await post(server, '/evaluate', BODY);
    expect(response.status).toBe(200);
    expect(response.text).toContain('"exp_variant_id":"z","diff":NaN,"mean":NaN');
    expect(() => JSON.parse(response.text)).toThrow(SyntaxError);
  });

  it('writes the added interval members of a row without units as NaN too, and significant as false', async () => {
    const response = await post(server, '/evaluate', BODY);
    // z has no exposures: diff is NaN, so are its bounds and the absolute difference (0 / 0 - mean of a).
    expect(response.text).toContain(
      '"confidence_lower":NaN,"confidence_upper":NaN,"absolute_diff":NaN,"absolute_diff_lower":NaN,' +
        '"absolute_diff_upper":NaN,"significant":false}',
    );
  });
});

describe('the strict wire format (?strict=true)', () => {
  it('is standard JSON: non-finite numbers are null and named in non_finite', async () => {
    const response = await post(server, '/evaluate?strict=true', BODY);
    expect(response.status).toBe(200);
    const result = JSON.parse(response.text);
    const z = result.metrics[0].stats[2];
    expect(z.exp_variant_id).toBe('z');
    expect(z.mean).toBeNull();
    expect(z.sum_value).toBe(0);
    expect(z.non_finite).toMatchObject({ mean: 'NaN', diff: 'NaN' });
    // The added members follow the same rule: null, named in non_finite; the boolean stays a boolean.
    for (const name of [
      'confidence_lower',
      'confidence_upper',
      'absolute_diff',
      'absolute_diff_lower',
      'absolute_diff_upper',
    ]) {
      expect(z[name], name).toBeNull();
      expect(z.non_finite[name], name).toBe('NaN');
    }
    expect(z.significant).toBe(false);
    const a = result.metrics[0].stats[0];
    expect(a.non_finite).toEqual({ required_sample_size: 'NaN', power: 'NaN', false_positive_risk: 'NaN' });
    expect(result.exposure.stats[2]).toEqual({ exp_variant_id: 'z', count: 0 });
    // The warnings are in strict responses too: z is a requested variant without exposures.
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'variant-without-exposures', variants: ['z'] }),
    );
  });

  it('restores every value: strict and default responses agree', async () => {
    const strict = JSON.parse((await post(server, '/evaluate?strict=true', BODY)).text);
    const restore = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(restore);
      if (typeof value !== 'object' || value === null) return value;
      const { non_finite: nonFinite = {}, ...rest } = value as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(rest).map(([key, item]) => [
          key,
          key in (nonFinite as object) ? Number((nonFinite as Record<string, string>)[key]) : restore(item),
        ]),
      );
    };
    const defaultResult = parsePythonJson((await post(server, '/evaluate', BODY)).text);
    expect(restore(strict)).toEqual(defaultResult);
  });

  it('the sample size in strict JSON', async () => {
    const response = await post(server, '/sample-size-calculation?strict=true', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 0,
      std: 0,
    });
    expect(JSON.parse(response.text)).toEqual({
      sample_size_per_variant: null,
      non_finite: { sample_size_per_variant: 'NaN' },
    });
  });

  it('is the default with the strictJson option, and ?strict=false turns it off', async () => {
    const strictServer = await startTestServer({ strictJson: true });
    try {
      const body = { n_variants: 2, minimum_effect: 0.1, mean: 0, std: 1 };
      expect((await post(strictServer, '/sample-size-calculation', body)).text).toBe(
        '{"sample_size_per_variant":null,"non_finite":{"sample_size_per_variant":"Infinity"}}',
      );
      expect((await post(strictServer, '/sample-size-calculation?strict=false', body)).text).toBe(
        '{"sample_size_per_variant":Infinity}',
      );
    } finally {
      await strictServer.close();
    }
  });

  it('rejects a strict value other than true or false with 400', async () => {
    const response = await post(server, '/evaluate?strict=yes', BODY);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).detail).toBe(
      'Query parameter `strict` must be `true` or `false`, received "yes"',
    );
  });
});
