import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, type RunningServer } from '../../src/server/index.js';
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
  it('has the members of the reference Result, in its order, followed by the added ones', async () => {
    const result = await evaluate({ id: 'test-conversion', metrics: [CTR], checks: [SRM] });
    expect(Object.keys(result)).toEqual(['id', 'metrics', 'checks', 'exposure', 'warnings']);
    // 21, 26 and 30 units per variant are below the calibrated regime (1,000 units): b and c are flagged.
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'small-sample', metric_ids: [1], variants: ['b', 'c'] }),
    ]);
    expect(Object.keys(result.warnings[0] ?? {})).toEqual(['code', 'message', 'metric_ids', 'variants']);
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
      'confidence_lower',
      'confidence_upper',
      'absolute_diff',
      'absolute_diff_lower',
      'absolute_diff_upper',
      'significant',
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
  it('adds interval bounds, the absolute difference and significance to every metric row', async () => {
    const result = await evaluate({
      id: 'test-conversion',
      variants: ['a', 'b'],
      metrics: [CTR],
      checks: [SRM],
    });
    const [a, b] = result.metrics[0]?.stats ?? [];
    if (a === undefined || b === undefined) throw new Error('expected rows for a and b');
    // The control mean is positive (5 / 21): the interval of diff is diff -+ confidence_interval.
    expect(a.mean).toBeGreaterThan(0);
    expect(b.confidence_lower).toBeCloseTo(b.diff - b.confidence_interval, 12);
    expect(b.confidence_upper).toBeCloseTo(b.diff + b.confidence_interval, 12);
    // Reference README numbers: diff 0.1307692308, half-width 1.1817986934.
    expect(b.confidence_lower).toBeCloseTo(0.1307692308 - 1.1817986934, 9);
    expect(b.absolute_diff).toBeCloseTo(7 / 26 - 5 / 21, 12);
    // The absolute interval uses the quantile of the relative one, ci / se, with se from the delta method
    // (se = sqrt(mb^2 va / ma^2 + vb) / |ma|, v = std^2 / n) and the standard error sqrt(va + vb).
    const va = a.std ** 2 / a.sample_size;
    const vb = b.std ** 2 / b.sample_size;
    const relativeError = Math.sqrt((b.mean ** 2 * va) / a.mean ** 2 + vb) / Math.abs(a.mean);
    const halfWidth = Math.sqrt(va + vb) * (b.confidence_interval / relativeError);
    expect(b.absolute_diff_lower).toBeCloseTo(b.absolute_diff - halfWidth, 12);
    expect(b.absolute_diff_upper).toBeCloseTo(b.absolute_diff + halfWidth, 12);
    // p = 0.82: the interval contains 0; the control is never significant.
    expect(b.significant).toBe(false);
    expect(a.significant).toBe(false);
  });

  it('answers a misspelled goal with 200 and a goal-without-rows warning suggesting the goal of the data', async () => {
    const clck = { ...CTR, nominator: `count(${UNIT}.unit.clck)` };
    const result = await evaluate({ id: 'test-conversion', metrics: [clck], checks: [SRM] });
    const warning = result.warnings.find((item) => item.code === 'goal-without-rows');
    expect(warning, JSON.stringify(result.warnings)).toMatchObject({ suggestion: 'click' });
    expect(warning?.goal).toContain('clck');
    expect(warning?.message).toContain('click');
    // The goal counts as zero: every mean is 0 / exposures = 0.
    expect(result.metrics[0]?.stats.map((stat) => stat.mean)).toEqual([0, 0, 0]);
    expect(Object.keys(warning ?? {}).slice(0, 2)).toEqual(['code', 'message']);
  });
  it('documents the added members in the OpenAPI document, leaving the reference members required', () => {
    const result = buildOpenApiDocument().components.schemas.Result as {
      required: string[];
      properties: Record<string, { items: Record<string, unknown> }>;
    };
    expect(result.required).toEqual(['id', 'metrics', 'checks', 'exposure', 'warnings']);
    const warning = result.properties.warnings!.items as { required: string[]; properties: object };
    expect(warning.required).toEqual(['code', 'message']);
    expect(Object.keys(warning.properties)).toEqual([
      'code',
      'message',
      'metric_ids',
      'check_id',
      'variants',
      'goal',
      'suggestion',
      'count',
      'segment',
      'day',
    ]);
    // The drill-down and the timeline are optional additions.
    expect(Object.keys(result.properties).slice(5)).toEqual(['segments', 'timeline']);
    const stat = (
      result.properties.metrics!.items as {
        properties: { stats: { items: { properties: Record<string, { type: string }> } } };
      }
    ).properties.stats.items.properties;
    expect(
      Object.entries(stat)
        .slice(12)
        .map(([name, schema]) => [name, schema.type]),
    ).toEqual([
      ['confidence_lower', 'number'],
      ['confidence_upper', 'number'],
      ['absolute_diff', 'number'],
      ['absolute_diff_lower', 'number'],
      ['absolute_diff_upper', 'number'],
      ['significant', 'boolean'],
      // Rows of CUPED metrics only (optional).
      ['cuped_theta', 'number'],
      ['variance_reduction', 'number'],
    ]);
    const required = (
      result.properties.metrics!.items as { properties: { stats: { items: { required: string[] } } } }
    ).properties.stats.items.required;
    expect(required).toHaveLength(18);
    expect(required).not.toContain('cuped_theta');
    expect(required).not.toContain('variance_reduction');
  });
});
