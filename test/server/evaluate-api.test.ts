import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { assertChecks, assertExposures, assertMetrics, TestData } from '../../src/testing/index.js';
import {
  evaluationOfResponse,
  parsePythonJson,
  post,
  startTestServer,
  WIRE_METRIC_COLUMNS,
  type WireResult,
} from './support/server-client.js';

// The reference's API tests (tests/epstats/server/test_api_evaluate.py): each request is posted to the real
// server over the bundled test data, and the numbers of the response are compared with the spreadsheet
// evaluations at the reference's tolerances (1e-3 absolute, 1e-2 for p-values and confidence intervals).

const UNIT = 'test_unit_type';
const EXPOSURES = `count(${UNIT}.global.exposure)`;
const SRM = { id: 1, name: 'SRM', denominator: EXPOSURES };
const CTR = {
  id: 1,
  name: 'Click-through Rate',
  nominator: `count(${UNIT}.unit.click)`,
  denominator: EXPOSURES,
};
const BOOKINGS = {
  id: 2,
  name: 'Average Bookings',
  nominator: `value(${UNIT}.unit.conversion)`,
  denominator: EXPOSURES,
};
const VIEWS_BUTTON_1 = {
  id: 1,
  name: 'Views per User of Screen button-1',
  nominator: `count(${UNIT}.unit.view(element=button-1))`,
  denominator: EXPOSURES,
};
const VIEWS_BUTTON_ANY = {
  id: 2,
  name: 'Views per User of Screen button-%',
  nominator: `count(${UNIT}.unit.view(element=button-%))`,
  denominator: EXPOSURES,
};
const EVA = {
  id: 1,
  name: 'EVA',
  type: 'SumRatio',
  nominator: `count(${UNIT}.global.inconsistent_exposure)`,
  denominator: EXPOSURES,
};

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function evaluate(body: Record<string, unknown>): Promise<WireResult> {
  const response = await post(server, '/evaluate', { control_variant: 'a', unit_type: UNIT, ...body });
  expect(response.status, response.text).toBe(200);
  expect(response.contentType).toMatch(/^application\/json/);
  return parsePythonJson(response.text) as WireResult;
}

/** The reference's `assert_experiment`: counts of metrics and checks, then every number. */
function assertExperiment(result: WireResult, expectedMetrics: number, expectedChecks = 1): void {
  expect(result.metrics).toHaveLength(expectedMetrics);
  expect(result.checks).toHaveLength(expectedChecks);
  for (const metric of result.metrics) expect(metric.stats.length).toBeGreaterThanOrEqual(2);
  const expected = TestData.loadEvaluations(result.id);
  const evaluation = evaluationOfResponse(result);
  // Like the reference, compare the metrics and checks that the response has (the kit refuses empty ones).
  if (result.metrics.length > 0)
    assertMetrics(evaluation, expected.metrics, { columns: WIRE_METRIC_COLUMNS });
  if (result.checks.length > 0) assertChecks(evaluation, expected.checks);
  assertExposures(evaluation, expected.exposures, { unitType: UNIT });
}

describe('POST /evaluate reproduces the reference API tests', () => {
  it('conversion', async () => {
    assertExperiment(await evaluate({ id: 'test-conversion', metrics: [CTR], checks: [SRM] }), 1);
  });

  it('real-valued', async () => {
    assertExperiment(await evaluate({ id: 'test-real-valued', metrics: [BOOKINGS], checks: [SRM] }), 1);
  });

  it('multiple metrics', async () => {
    assertExperiment(await evaluate({ id: 'test-multiple', metrics: [CTR, BOOKINGS], checks: [SRM] }), 2);
  });

  it('sequential, in the middle and on the last day', async () => {
    const dates = { date_from: '2020-01-01', date_to: '2020-01-14' };
    const metric = { ...BOOKINGS, id: 1 };
    const middle = await evaluate({
      id: 'test-sequential-v2',
      ...dates,
      date_for: '2020-01-10',
      metrics: [metric],
      checks: [],
    });
    assertExperiment(middle, 1, 0);
    const last = await evaluate({
      id: 'test-sequential-v3',
      ...dates,
      date_for: '2020-01-14',
      metrics: [metric],
      checks: [],
    });
    assertExperiment(last, 1, 0);
    expect(middle.metrics[0]?.stats[0]?.confidence_level).toBeGreaterThan(0.95);
  });

  it('dimension', async () => {
    const body = {
      id: 'test-dimension',
      variants: ['a', 'b'],
      metrics: [VIEWS_BUTTON_1, VIEWS_BUTTON_ANY],
      checks: [SRM],
    };
    assertExperiment(await evaluate(body), 2);
  });

  it('goal filter', async () => {
    const body = {
      id: 'test-dimension',
      variants: ['a', 'b'],
      filters: [{ dimension: 'element', value: ['button-1'], scope: 'goal' }],
      metrics: [
        {
          id: 1,
          name: 'Views per User of Screen S',
          nominator: `count(${UNIT}.unit.view)`,
          denominator: EXPOSURES,
        },
      ],
      checks: [SRM],
    };
    assertExperiment(await evaluate(body), 1);
  });

  it('SumRatio check', async () => {
    const result = await evaluate({
      id: 'test-sum-ratio',
      variants: ['a', 'b', 'c'],
      filters: [],
      metrics: [],
      checks: [EVA],
    });
    assertExperiment(result, 0);
    expect(result.checks[0]?.stats.map((stat) => stat.variable_id)).toEqual([
      'sum_ratio',
      'max_sum_ratio',
      'p_value',
      'test_stat',
      'confidence_level',
    ]);
  });

  it('several checks', async () => {
    const checks = [EVA, { ...SRM, id: 2 }];
    const result = await evaluate({
      id: 'test-multi-check',
      variants: ['a', 'b', 'c'],
      filters: [],
      metrics: [],
      checks,
    });
    assertExperiment(result, 0, 2);
  });

  it('minimum effect', async () => {
    const result = await evaluate({
      id: 'test-conversion-with-minimum-effect',
      metrics: [{ ...CTR, minimum_effect: 0.1 }],
      checks: [],
    });
    assertExperiment(result, 1, 0);
    const treatment = result.metrics[0]?.stats[1];
    expect(Number.isFinite(treatment?.required_sample_size)).toBe(true);
    expect(Number.isFinite(treatment?.power)).toBe(true);
  });

  it('false positive risk', async () => {
    const result = await evaluate({
      id: 'test-false-positive-risk',
      variants: ['a', 'b'],
      metrics: [
        { ...VIEWS_BUTTON_1, minimum_effect: 0.05 },
        { ...VIEWS_BUTTON_ANY, minimum_effect: 0.05 },
      ],
      checks: [],
      null_hypothesis_rate: 0.1,
    });
    assertExperiment(result, 2, 0);
  });
});

describe('POST /evaluate response layout', () => {
  it('has the members of the reference Result, in its order', async () => {
    const result = await evaluate({ id: 'test-conversion', metrics: [CTR], checks: [SRM] });
    expect(Object.keys(result)).toEqual(['id', 'metrics', 'checks', 'exposure']);
    expect(Object.keys(result.metrics[0] ?? {})).toEqual(['id', 'name', 'stats']);
    expect(Object.keys(result.metrics[0]?.stats[0] ?? {})).toEqual([
      'exp_variant_id',
      'diff',
      'mean',
      'std',
      'sum_value',
      'p_value',
      'confidence_interval',
      'confidence_level',
      'sample_size',
      'required_sample_size',
      'power',
      'false_positive_risk',
    ]);
    expect(result.checks[0]).toMatchObject({ id: 1, name: 'SRM' });
    expect(result.checks[0]?.stats.map((stat) => stat.variable_id)).toEqual([
      'p_value',
      'test_stat',
      'confidence_level',
    ]);
    expect(result.exposure).toEqual({
      unit_type: UNIT,
      stats: [
        { exp_variant_id: 'a', count: 21 },
        { exp_variant_id: 'b', count: 26 },
        { exp_variant_id: 'c', count: 30 },
      ],
    });
  });

  it('the reference README numbers: CTR of b against a', async () => {
    const result = await evaluate({
      id: 'test-conversion',
      variants: ['a', 'b'],
      metrics: [CTR],
      checks: [SRM],
    });
    const b = result.metrics[0]?.stats[1];
    expect(b?.diff).toBeCloseTo(0.1307692308, 9);
    expect(b?.p_value).toBeCloseTo(0.8244735669, 9);
  });
});
