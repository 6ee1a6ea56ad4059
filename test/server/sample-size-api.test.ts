import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { parsePythonJson, post, startTestServer } from './support/server-client.js';

// The reference's tests/epstats/server/test_api_sample_size_calculation.py. The reference answers its errors
// with HTTP 500; we answer 422 with the same messages (in `detail` as FastAPI lists problems, and in
// `problems`).

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('POST /sample-size-calculation', () => {
  it.each([
    [2, 0.1, 0.2, 1.2, 56512],
    [2, 0.05, 0.4, null, 9489],
    [3, 0.05, 0.4, null, 11492],
    [2, 0.1, 0, 0, Number.NaN],
    [2, 0.1, 0, 1, Number.POSITIVE_INFINITY],
  ])(
    '(n_variants %d, minimum_effect %d, mean %d, std %s) -> %d',
    async (nVariants, minimumEffect, mean, std, expected) => {
      const response = await post(server, '/sample-size-calculation', {
        minimum_effect: minimumEffect,
        mean,
        std,
        n_variants: nVariants,
      });
      expect(response.status).toBe(200);
      expect(parsePythonJson(response.text)).toEqual({ sample_size_per_variant: expected });
    },
  );

  it('writes NaN and Infinity as bare tokens by default, as the reference does', async () => {
    const nan = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 0,
      std: 0,
    });
    expect(nan.text).toBe('{"sample_size_per_variant":NaN}');
    const infinity = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 0,
      std: 1,
    });
    expect(infinity.text).toBe('{"sample_size_per_variant":Infinity}');
  });

  it.each([
    [2, -0.4, 0.2, 'minimum_effect', 'minimum_effect must be greater than zero.'],
    [2, 0.05, 1.4, 'mean', 'mean must be between zero and one, received 1.4.'],
    [1, 0.05, 0.2, 'n_variants', 'There must be at least two variants.'],
  ])(
    '(n_variants %d, minimum_effect %d, mean %d) -> 422 on %s',
    async (nVariants, minimumEffect, mean, field, message) => {
      const response = await post(server, '/sample-size-calculation', {
        minimum_effect: minimumEffect,
        mean,
        n_variants: nVariants,
      });
      expect(response.status).toBe(422);
      const body = JSON.parse(response.text);
      expect(body.problems).toEqual([{ path: [field], message, type: 'value_error' }]);
      expect(body.detail).toEqual([
        { loc: ['body', field], msg: `Value error, ${message}`, type: 'value_error' },
      ]);
    },
  );

  it('reports every problem at once, including wrong types and ranges', async () => {
    const response = await post(server, '/sample-size-calculation', {
      n_variants: 2.5,
      mean: '0.2',
      minimum_effect: -1,
      confidence_level: 1.5,
    });
    expect(response.status).toBe(422);
    const { problems } = JSON.parse(response.text);
    expect(problems).toEqual([
      { path: ['n_variants'], message: 'Input should be a valid integer', type: 'int_type' },
      { path: ['mean'], message: 'Input should be a valid number', type: 'float_type' },
      { path: ['confidence_level'], message: 'Input should be less than 1', type: 'less_than' },
      { path: ['minimum_effect'], message: 'minimum_effect must be greater than zero.', type: 'value_error' },
    ]);
  });

  it('rejects a negative std on the field `std` (the reference would square it)', async () => {
    const response = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 0.2,
      std: -1.2,
    });
    expect(response.status).toBe(422);
    const body = JSON.parse(response.text);
    expect(body.problems).toEqual([
      { path: ['std'], message: 'Input should be greater than or equal to 0', type: 'greater_than_equal' },
    ]);
    expect(body.detail).toEqual([
      { loc: ['body', 'std'], msg: 'Input should be greater than or equal to 0', type: 'greater_than_equal' },
    ]);
  });

  it('names power and confidence_level outside (0, 1) by their wire names', async () => {
    const response = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 0.2,
      confidence_level: 0,
      power: 1,
    });
    expect(response.status).toBe(422);
    expect(JSON.parse(response.text).problems).toEqual([
      { path: ['confidence_level'], message: 'Input should be greater than 0', type: 'greater_than' },
      { path: ['power'], message: 'Input should be less than 1', type: 'less_than' },
    ]);
  });

  it('prints a rate outside [0, 1] as Python prints floats, as the reference does', async () => {
    const response = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 2,
    });
    expect(JSON.parse(response.text).problems).toEqual([
      { path: ['mean'], message: 'mean must be between zero and one, received 2.0.', type: 'value_error' },
    ]);
  });

  it('keeps the reference answers 0 for a std of 0 and NaN for a rate of 1', async () => {
    const zero = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 0.2,
      std: 0,
    });
    expect(zero.text).toBe('{"sample_size_per_variant":0}');
    const one = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 1,
    });
    expect(one.text).toBe('{"sample_size_per_variant":NaN}');
  });

  it('answers a missing field with the reference type `missing`', async () => {
    const response = await post(server, '/sample-size-calculation', { n_variants: 2, mean: 0.2 });
    expect(response.status).toBe(422);
    expect(JSON.parse(response.text).detail).toEqual([
      { loc: ['body', 'minimum_effect'], msg: 'Field required', type: 'missing' },
    ]);
  });

  it('uses confidence_level and power when given', async () => {
    const response = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.05,
      mean: 0.4,
      confidence_level: 0.95,
      power: 0.8,
    });
    expect(JSON.parse(response.text)).toEqual({ sample_size_per_variant: 9489 });
    const stricter = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.05,
      mean: 0.4,
      confidence_level: 0.99,
      power: 0.9,
    });
    expect(JSON.parse(stricter.text).sample_size_per_variant).toBeGreaterThan(9489);
  });
});
