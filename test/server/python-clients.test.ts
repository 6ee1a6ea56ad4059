import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, stringifyPythonJson } from '../../src/server/index.js';
import { WITH_EMPTY_VARIANT_REQUEST as BODY } from './support/conversion-request.js';
import { post, startTestServer } from './support/server-client.js';

// The default wire format is what Python's json.dumps writes (bare NaN / Infinity): a Python client (python3,
// a child process) reads it as is. Kept apart from the in-process tests (wire-format.test.ts,
// stringify-python-json.test.ts) so that the unit test config runs those without child processes.

const PYTHON_CLIENT = `
import json, math, sys
result = json.load(sys.stdin)
stats = {s["exp_variant_id"]: s for s in result["metrics"][0]["stats"]}
print(json.dumps({
    "z_mean_is_nan": math.isnan(stats["z"]["mean"]),
    "z_sum_value": stats["z"]["sum_value"],
    "a_required_is_nan": math.isnan(stats["a"]["required_sample_size"]),
    "b_mean": stats["b"]["mean"],
    "exposures": [s["count"] for s in result["exposure"]["stats"]],
}))
`;

function python(script: string, input: string): unknown {
  const run = spawnSync('python3', ['-c', script], { input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('stringifyPythonJson', () => {
  it('is read back by Python json.loads, non-finite values and unicode included', () => {
    const value = {
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      low: Number.NEGATIVE_INFINITY,
      text: 'a "q" ä 😀\n',
      n: [0.1, 2, -3e-7],
    };
    const script =
      'import json,math,sys; d=json.load(sys.stdin); ' +
      'print(json.dumps([math.isnan(d["nan"]), d["inf"] == float("inf"), d["low"] == -float("inf"), d["text"], d["n"]]))';
    expect(python(script, stringifyPythonJson(value))).toEqual([
      true,
      true,
      true,
      'a "q" ä 😀\n',
      [0.1, 2, -3e-7],
    ]);
  });
});

describe('the default wire format read by Python', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('is read by a Python client as NaN', async () => {
    const response = await post(server, '/evaluate', BODY);
    expect(python(PYTHON_CLIENT, response.text)).toEqual({
      z_mean_is_nan: true,
      z_sum_value: 0,
      a_required_is_nan: true,
      b_mean: 7 / 26,
      exposures: [21, 26, 0],
    });
  });

  it('Python reads Infinity of the sample size as float("inf")', async () => {
    const response = await post(server, '/sample-size-calculation', {
      n_variants: 2,
      minimum_effect: 0.1,
      mean: 0,
      std: 1,
    });
    const script =
      'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["sample_size_per_variant"] == float("inf")))';
    expect(python(script, response.text)).toBe(true);
  });
});
