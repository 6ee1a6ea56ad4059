/**
 * The request fields of metric sums and CUPED: a metric's `cuped: { pre_days }` (mapped to the `Metric` option
 * `cuped: { preDays }`) and the request's `evaluate_from`, with their problems and the OpenAPI document.
 */
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/server/index.js';
import {
  evaluateRequestSchema,
  resolveEvaluateFrom,
  toExperiment,
  validateEvaluateRequest,
} from '../../src/wire/index.js';

const REVENUE = {
  id: 1,
  name: 'Revenue per user',
  nominator: 'value(user.unit.order)',
  denominator: 'count(user.global.exposure)',
};

const request = (metric: Record<string, unknown>, fields: Record<string, unknown> = {}) => ({
  id: 'checkout',
  control_variant: 'a',
  unit_type: 'user',
  date_from: '2024-03-01',
  metrics: [{ ...REVENUE, ...metric }],
  checks: [],
  ...fields,
});

/** The problems of a body as `[path, message, type]`, paths joined with dots. */
function problemsOf(body: unknown): [string, string, string][] {
  const result = validateEvaluateRequest(body);
  return result.ok ? [] : result.problems.map((p) => [p.path.join('.'), p.message, p.type]);
}

describe('cuped on the wire', () => {
  it('maps cuped.pre_days to the Metric option cuped.preDays', () => {
    const parsed = evaluateRequestSchema.parse(request({ cuped: { pre_days: 14 } }));
    expect(toExperiment(parsed).metrics[0]?.cuped).toEqual({ preDays: 14 });
  });

  it('leaves a metric without cuped (absent or null) unadjusted', () => {
    for (const metric of [{}, { cuped: null }]) {
      expect(toExperiment(evaluateRequestSchema.parse(request(metric))).metrics[0]?.cuped).toBeUndefined();
    }
  });

  it('rejects pre_days 0 with a problem naming the field', () => {
    expect(problemsOf(request({ cuped: { pre_days: 0 } }))).toEqual([
      ['metrics.0.cuped.pre_days', 'Input should be greater than or equal to 1', 'greater_than_equal'],
    ]);
  });

  it('rejects a fractional, missing or too long pre_days', () => {
    expect(problemsOf(request({ cuped: { pre_days: 1.5 } }))).toEqual([
      ['metrics.0.cuped.pre_days', 'Input should be a valid integer', 'int_type'],
    ]);
    expect(problemsOf(request({ cuped: {} }))).toEqual([
      ['metrics.0.cuped.pre_days', 'Field required', 'missing'],
    ]);
    expect(problemsOf(request({ cuped: { pre_days: 3661 } }))).toEqual([
      ['metrics.0.cuped.pre_days', 'Input should be less than or equal to 3660', 'less_than_equal'],
    ]);
  });

  it('rejects an unknown member of cuped at that member (unknown members elsewhere are still dropped)', () => {
    expect(problemsOf(request({ cuped: { preDays: 14 } }))).toEqual([
      ['metrics.0.cuped.pre_days', 'Field required', 'missing'],
      ['metrics.0.cuped.preDays', 'Extra inputs are not permitted', 'extra_forbidden'],
    ]);
    expect(problemsOf(request({ cuped: { pre_days: 14, window: 7 } }))).toEqual([
      ['metrics.0.cuped.window', 'Extra inputs are not permitted', 'extra_forbidden'],
    ]);
    expect(problemsOf(request({ cuped: { pre_days: 14 }, colour: 'red' }, { extra: true }))).toEqual([]);
  });

  it("rejects a CUPED metric with evaluate_from 'goals' at the metric's cuped, with the other problems", () => {
    const body = request({ cuped: { pre_days: 14 } }, { evaluate_from: 'goals', date_to: '2024-02-01' });
    const problems = problemsOf(body);
    expect(problems).toContainEqual([
      'metrics.0.cuped',
      "metric 'Revenue per user' asks for CUPED, which needs per-unit metric sums with their pre-period, but evaluate_from is 'goals' (goals aggregated per variant); set evaluate_from to 'metric_sums' or leave it out",
      'value_error',
    ]);
    expect(problems.map(([path]) => path)).toContain('date_to');
    // The schema alone (the rules as a refinement) rejects it too.
    expect(evaluateRequestSchema.safeParse(body).success).toBe(false);
  });

  it('rejects a CUPED metric without date_from, where its pre-period ends', () => {
    expect(problemsOf(request({ cuped: { pre_days: 14 } }, { date_from: null }))).toEqual([
      [
        'date_from',
        "metric 'Revenue per user' asks for CUPED, whose pre-period is the 14 days before date_from; set date_from",
        'value_error',
      ],
    ]);
  });

  it("rejects evaluate_from 'metric_sums' without metrics (the exposures are among their rows)", () => {
    const body = { ...request({}, { evaluate_from: 'metric_sums' }), metrics: [] };
    expect(problemsOf(body).map(([path, , type]) => [path, type])).toEqual([['metrics', 'value_error']]);
    expect(problemsOf({ ...body, evaluate_from: 'goals' })).toEqual([]);
  });

  it("accepts a CUPED metric with evaluate_from 'metric_sums' or without evaluate_from", () => {
    expect(problemsOf(request({ cuped: { pre_days: 14 } }, { evaluate_from: 'metric_sums' }))).toEqual([]);
    expect(problemsOf(request({ cuped: { pre_days: 14 } }))).toEqual([]);
  });

  it('rejects an evaluate_from that is neither goals nor metric_sums', () => {
    expect(problemsOf(request({}, { evaluate_from: 'units' }))).toEqual([
      ['evaluate_from', "Input should be 'goals' or 'metric_sums'", 'enum'],
    ]);
  });
});

describe('resolveEvaluateFrom', () => {
  const resolve = (body: unknown) => {
    const validation = validateEvaluateRequest(body);
    if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
    return resolveEvaluateFrom(validation.value);
  };

  it("defaults to 'metric_sums' when a metric has cuped, else to 'goals'", () => {
    expect(resolve(request({}))).toBe('goals');
    expect(resolve(request({ cuped: null }, { evaluate_from: null }))).toBe('goals');
    expect(resolve(request({ cuped: { pre_days: 7 } }))).toBe('metric_sums');
  });

  it('takes an explicit evaluate_from', () => {
    expect(resolve(request({}, { evaluate_from: 'metric_sums' }))).toBe('metric_sums');
    expect(resolve(request({}, { evaluate_from: 'goals' }))).toBe('goals');
  });
});

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument();
  const experiment = document.components.schemas.Experiment as {
    properties: Record<string, Record<string, unknown>>;
  };

  it('describes evaluate_from and a metric cuped with pre_days >= 1 and no other member', () => {
    const evaluateFrom = experiment.properties.evaluate_from as { enum?: unknown[]; description?: string };
    expect(evaluateFrom.enum).toEqual(['goals', 'metric_sums']);
    expect(evaluateFrom.description).toMatch(/Default: 'metric_sums' when a metric has `cuped`/);
    const metric = (experiment.properties.metrics as { items: { properties: Record<string, unknown> } })
      .items;
    const cuped = metric.properties.cuped as {
      type: string;
      nullable?: boolean;
      additionalProperties: boolean;
      required: string[];
      properties: { pre_days: { type: string; minimum: number; maximum: number } };
      description: string;
    };
    expect(cuped).toMatchObject({
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['pre_days'],
      properties: { pre_days: { type: 'integer', minimum: 1, maximum: 3660 } },
    });
    expect(cuped.description).toMatch(/CUPED/);
  });

  it('has a request example evaluated from metric sums that the schema accepts', () => {
    const evaluate = document.paths['/evaluate'] as {
      post: { requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> } };
    };
    const examples = evaluate.post.requestBody.content['application/json']!.examples;
    expect(Object.keys(examples)).toEqual(['goals', 'metricSums']);
    for (const { value } of Object.values(examples)) expect(problemsOf(value)).toEqual([]);
    const validation = validateEvaluateRequest(examples.metricSums!.value);
    expect(validation.ok && resolveEvaluateFrom(validation.value)).toBe('metric_sums');
  });

  it('lists the 501 of a data access layer without metric sums', () => {
    const evaluate = document.paths['/evaluate'] as {
      post: { responses: Record<string, { description: string }> };
    };
    expect(evaluate.post.responses['501']?.description).toMatch(/metric-sums-not-supported/);
  });
});
