/**
 * The testing options on the wire: a check's `expected_weights`, the request's `correction`,
 * `correction_scope`, `sequential` and `sequential_tuning`, a metric's `alternative` and
 * `non_inferiority_margin`. Each is mapped to the library option of the same name in camelCase, so the
 * expected numbers are the library's (its evaluation of the same goals, or its statistics functions applied
 * to the rows of a plain evaluation); invalid values are 422 problems naming the wire field; one-sided rows
 * carry their infinite bound through both JSON formats.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  confidenceSequenceHalfWidth,
  confidenceSequencePValue,
  confidenceSequenceRho,
  correctForMultipleTesting,
  type Dao,
  type DaoFactory,
  type Evaluation,
  type Experiment,
  normalCdf,
  studentTQuantile,
} from '../../src/index.js';
import { buildOpenApiDocument, buildServer } from '../../src/server/index.js';
import {
  type EvaluateRequest,
  encodeResponseBody,
  toEvaluateResponse,
  toExperiment,
  validateEvaluateRequest,
} from '../../src/wire/index.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { thrownValidationError } from '../support/thrown.js';
import { parsePythonJson, type WireResult } from './support/server-client.js';

/** `n` exposed units of `variant` whose `goal` values have mean `mean` and standard deviation `sd`. */
function valueRows(variant: string, goal: string, n: number, mean: number, sd: number): AggregatedGoalRow {
  const sum = n * mean;
  // sum of squares = (n - 1) sd^2 + sum^2 / n
  return aggregatedGoalRow(variant, goal, n, {
    sum_value: sum,
    sum_sqr_value: (n - 1) * sd * sd + sum ** 2 / n,
  });
}

/** A 90/10 rollout: 9,000 units in `a`, 1,000 in `b`, three value goals. */
const GOALS: readonly AggregatedGoalRow[] = [
  aggregatedGoalRow('a', 'exposure', 9000),
  aggregatedGoalRow('b', 'exposure', 1000),
  valueRows('a', 'revenue', 9000, 10, 4),
  valueRows('b', 'revenue', 1000, 10.3, 4),
  valueRows('a', 'items', 9000, 2, 1.5),
  valueRows('b', 'items', 1000, 2.08, 1.5),
  valueRows('a', 'seconds', 9000, 30, 10),
  valueRows('b', 'seconds', 1000, 29.9, 10),
];

const EXPOSURES = 'count(u.global.exposure)';
const metric = (id: number, goal: string, fields: Record<string, unknown> = {}) => ({
  id,
  name: `${goal} per user`,
  nominator: `value(u.unit.${goal})`,
  denominator: EXPOSURES,
  ...fields,
});
const REVENUE = metric(1, 'revenue');
const ITEMS = metric(2, 'items');
const SECONDS = metric(3, 'seconds');
const SRM = { id: 1, name: 'SRM', denominator: EXPOSURES };

const body = (fields: Record<string, unknown> = {}) => ({
  id: 'e',
  control_variant: 'a',
  unit_type: 'u',
  metrics: [REVENUE, ITEMS, SECONDS],
  checks: [SRM],
  ...fields,
});

class GoalsDaoFactory implements DaoFactory {
  async getDao(): Promise<Dao> {
    return {
      getAggGoals: async () => [...GOALS],
      getUnitGoals: async () => [],
      close: async () => {},
    };
  }
}

const servers: ReturnType<typeof buildServer>[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** Posts a body to `POST /evaluate` over {@link GOALS} (`?strict=true` when `strict`). */
async function post(payload: unknown, options: { statisticsThreads?: number; strict?: boolean } = {}) {
  const server = buildServer({
    daoFactory: new GoalsDaoFactory(),
    logLevel: 'silent',
    statisticsThreads: options.statisticsThreads ?? 0,
  });
  servers.push(server);
  const url = options.strict === true ? '/evaluate?strict=true' : '/evaluate';
  const response = await server.inject({ method: 'POST', url, payload: payload as object });
  return { status: response.statusCode, text: response.body };
}

async function evaluateOk(payload: unknown, options: { statisticsThreads?: number } = {}) {
  const answer = await post(payload, options);
  expect(answer.status, answer.text).toBe(200);
  return { text: answer.text, result: parsePythonJson(answer.text) as WireResult };
}

function requestOf(payload: unknown): EvaluateRequest {
  const validation = validateEvaluateRequest(payload);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.value;
}

/** The library's experiment and evaluation of a body (the request mapped by `toExperiment`). */
function libraryOf(payload: unknown): { experiment: Experiment; evaluation: Evaluation } {
  const experiment = toExperiment(requestOf(payload));
  return { experiment, evaluation: experiment.evaluateAgg([...GOALS], { timestamp: 0 }) };
}

/** The body the server answers for a body, as the library evaluates it. */
function expectedText(payload: unknown, strict = false): string {
  const { experiment, evaluation } = libraryOf(payload);
  return encodeResponseBody(toEvaluateResponse(experiment, evaluation), strict);
}

const treatment = (result: WireResult, index: number) => {
  const row = result.metrics[index]?.stats.find((stat) => stat.exp_variant_id === 'b');
  if (row === undefined) throw new Error(`no row of b for metric ${index}`);
  return row;
};

/** The 422 problems of a body as `[path, type]`, paths joined with dots, and the messages. */
async function problemsOf(payload: unknown): Promise<{ where: [string, string][]; messages: string[] }> {
  const answer = await post(payload);
  expect(answer.status, answer.text).toBe(422);
  const { problems } = JSON.parse(answer.text) as {
    problems: { path: (string | number)[]; message: string; type: string }[];
  };
  return {
    where: problems.map((problem) => [problem.path.join('.'), problem.type]),
    messages: problems.map((problem) => problem.message),
  };
}

describe('requests without the new fields', () => {
  it('are answered byte for byte as with every new field at its default, with no new response member', async () => {
    const plain = await post(body());
    expect(plain.status).toBe(200);
    const defaults = body({
      correction: 'holm',
      correction_scope: 'metric',
      sequential: 'obrien-fleming',
      metrics: [REVENUE, ITEMS, SECONDS].map((m) => ({
        ...m,
        alternative: 'two-sided',
        non_inferiority_margin: null,
      })),
      checks: [{ ...SRM, expected_weights: null }],
    });
    for (const statisticsThreads of [0, 1]) {
      expect((await post(defaults, { statisticsThreads })).text).toBe(plain.text);
    }
    expect(plain.text).not.toMatch(/alternative|non_inferiority_margin|Infinity/);
  });
});

describe("correction and correction_scope 'report'", () => {
  it('adjust the p-values of every treatment of every metric as correctForMultipleTesting does', async () => {
    const raw = (await evaluateOk(body({ correction: 'none' }))).result;
    const rawPValues = [0, 1, 2].map((index) => treatment(raw, index).p_value);
    // Two variants: the default scope 'metric' corrects nothing (a family of one per metric).
    const perMetric = (await evaluateOk(body({ correction: 'benjamini-hochberg' }))).result;
    expect([0, 1, 2].map((index) => treatment(perMetric, index).p_value)).toEqual(rawPValues);
    for (const correction of ['benjamini-hochberg', 'bonferroni', 'holm'] as const) {
      const { result, text } = await evaluateOk(body({ correction, correction_scope: 'report' }), {
        statisticsThreads: 1,
      });
      const expected = correctForMultipleTesting({
        correction,
        pValues: rawPValues,
        standardErrors: [1, 1, 1],
        degreesOfFreedom: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
        confidenceLevel: 0.95,
      });
      const pValues = [0, 1, 2].map((index) => treatment(result, index).p_value);
      pValues.forEach((pValue, index) => {
        expect(pValue).toBeCloseTo(expected.pValues[index]!, 14);
      });
      // The family changed the numbers (the raw p-values differ from the adjusted ones) ...
      expect(pValues).not.toEqual(rawPValues);
      // ... and the control rows are in no family.
      expect(result.metrics.map((m) => m.stats[0]?.p_value)).toEqual(
        raw.metrics.map((m) => m.stats[0]?.p_value),
      );
      expect(text).toBe(expectedText(body({ correction, correction_scope: 'report' })));
    }
  });

  it('rejects an unknown correction or scope naming the field', async () => {
    const { where, messages } = await problemsOf(body({ correction: 'sidak', correction_scope: 'all' }));
    expect(where).toEqual([
      ['correction', 'enum'],
      ['correction_scope', 'enum'],
    ]);
    expect(messages[0]).toBe("Input should be 'holm', 'benjamini-hochberg', 'bonferroni' or 'none'");
  });
});

describe('a one-sided non-inferiority metric', () => {
  const guardrail = { ...SECONDS, alternative: 'less', non_inferiority_margin: 0.02 };
  const oneSided = body({ metrics: [REVENUE, guardrail] });

  it("has an upper bound only: -Infinity as the lower bounds, the margin against 'significant'", async () => {
    const { result, text } = await evaluateOk(oneSided);
    expect(text).toBe(expectedText(oneSided));
    const row = treatment(result, 1);
    expect(row.confidence_lower).toBe(Number.NEGATIVE_INFINITY);
    expect(row.absolute_diff_lower).toBe(Number.NEGATIVE_INFINITY);
    // The one-sided 95 % upper bound of a t-test is the two-sided 90 % one: diff + se t_f^-1(0.95).
    const plain = libraryOf(body({ metrics: [REVENUE, SECONDS] })).evaluation.metrics.find(
      (r) => r.metricId === 3 && r.expVariantId === 'b',
    );
    if (plain === undefined) throw new Error('no plain row');
    const upper = plain.diff + plain.standardError * studentTQuantile(0.95, plain.degreesOfFreedom);
    expect(row.confidence_upper).toBeCloseTo(upper, 12);
    // Non-inferior when the upper bound lies below +margin; significant and p < 0.05 say the same.
    expect(row.significant).toBe(upper < 0.02);
    expect(row.significant).toBe(row.p_value < 0.05);
    expect(row.significant).toBe(true);
    // The metric's result names its hypothesis; a two-sided metric's does not.
    expect(result.metrics[1]).toMatchObject({ alternative: 'less', non_inferiority_margin: 0.02 });
    expect(Object.keys(result.metrics[1] ?? {})).toEqual([
      'id',
      'name',
      'stats',
      'alternative',
      'non_inferiority_margin',
    ]);
    expect(Object.keys(result.metrics[0] ?? {})).toEqual(['id', 'name', 'stats']);
  });

  it('writes the open bounds as bare -Infinity tokens, and in strict JSON as null named in non_finite', async () => {
    const python = await post(oneSided);
    expect(python.text).toMatch(/"confidence_lower":-Infinity,/);
    expect(python.text).toMatch(/"absolute_diff_lower":-Infinity,/);
    const strict = await post(oneSided, { strict: true, statisticsThreads: 1 });
    expect(strict.text).toBe(expectedText(oneSided, true));
    const parsed = JSON.parse(strict.text) as {
      metrics: { stats: Record<string, unknown>[] }[];
    };
    const row = parsed.metrics[1]?.stats[1];
    expect(row).toMatchObject({
      exp_variant_id: 'b',
      confidence_lower: null,
      absolute_diff_lower: null,
      non_finite: { confidence_lower: '-Infinity', absolute_diff_lower: '-Infinity' },
    });
    expect(typeof row?.confidence_upper).toBe('number');
    // 'greater' opens the other end.
    const greater = body({ metrics: [{ ...REVENUE, alternative: 'greater' }] });
    const strictGreater = JSON.parse((await post(greater, { strict: true })).text) as typeof parsed;
    expect(strictGreater.metrics[0]?.stats[1]?.non_finite).toMatchObject({
      confidence_upper: 'Infinity',
      absolute_diff_upper: 'Infinity',
    });
  });

  it('rejects a margin with a two-sided alternative, and one outside (0, 1), at non_inferiority_margin', async () => {
    const twoSided = await problemsOf(body({ metrics: [{ ...SECONDS, non_inferiority_margin: 0.02 }] }));
    expect(twoSided.where).toEqual([['metrics.0.non_inferiority_margin', 'value_error']]);
    expect(twoSided.messages[0]).toMatch(/needs a one-sided alternative.*'greater'.*'less'/);
    const explicit = await problemsOf(
      body({ metrics: [{ ...SECONDS, alternative: 'two-sided', non_inferiority_margin: 0.02 }] }),
    );
    expect(explicit.where).toEqual([['metrics.0.non_inferiority_margin', 'value_error']]);
    const outside = await problemsOf(
      body({ metrics: [{ ...SECONDS, alternative: 'less', non_inferiority_margin: 1 }] }),
    );
    expect(outside.where).toEqual([['metrics.0.non_inferiority_margin', 'less_than']]);
    const unknown = await problemsOf(body({ metrics: [{ ...SECONDS, alternative: 'lower' }] }));
    expect(unknown.where).toEqual([['metrics.0.alternative', 'enum']]);
  });

  it('maps preferred_direction to the metric, and rejects one that contradicts the alternative', async () => {
    const refunds = toExperiment(
      requestOf(body({ metrics: [{ ...SECONDS, preferred_direction: 'lower' }] })),
    );
    expect(refunds.metrics[0]!.preferredDirection).toBe('lower');
    const contradiction = await problemsOf(
      body({ metrics: [{ ...SECONDS, alternative: 'greater', preferred_direction: 'lower' }] }),
    );
    expect(contradiction.where).toEqual([['metrics.0.preferred_direction', 'value_error']]);
    expect(contradiction.messages[0]).toContain("contradicts `alternative` 'greater'");
    const unknown = await problemsOf(body({ metrics: [{ ...SECONDS, preferred_direction: 'up' }] }));
    expect(unknown.where).toEqual([['metrics.0.preferred_direction', 'enum']]);
  });

  it("maps the library's ValidationError path to the wire field when the rules are bypassed", () => {
    const request = requestOf(body());
    const bypassed = {
      ...request,
      metrics: [{ ...request.metrics[0]!, non_inferiority_margin: 0.02 }],
    } as EvaluateRequest;
    const error = thrownValidationError(() => toExperiment(bypassed));
    expect(error.path).toEqual(['metrics', 0, 'non_inferiority_margin']);
    // A variant id under expected_weights keeps its spelling (it is not a field name).
    const weights = {
      ...request,
      checks: [{ ...request.checks[0]!, expected_weights: { a: 1, controlB: -1 } }],
    } as EvaluateRequest;
    expect(thrownValidationError(() => toExperiment(weights)).path).toEqual([
      'checks',
      0,
      'expected_weights',
      'controlB',
    ]);
  });
});

describe('expected_weights of an SRM check', () => {
  const pValueOf = (result: WireResult) =>
    result.checks[0]?.stats.find((stat) => stat.variable_id === 'p_value')?.value;

  it('passes a 90/10 rollout that the equal split fails', async () => {
    const planned = body({ checks: [{ ...SRM, expected_weights: { a: 90, b: 10 } }] });
    const { result, text } = await evaluateOk(planned, { statisticsThreads: 1 });
    expect(text).toBe(expectedText(planned));
    // 9,000 / 1,000 against expected 9,000 / 1,000: statistic 0, p-value 1.
    expect(pValueOf(result)).toBe(1);
    expect(result.checks[0]?.stats.find((stat) => stat.variable_id === 'test_stat')?.value).toBe(0);
    // An equal split of 10,000 expects 5,000 each: chi^2 = 2 * 4000^2 / 5000 = 6400, p far below 0.001.
    const equal = (await evaluateOk(body())).result;
    expect(equal.checks[0]?.stats.find((stat) => stat.variable_id === 'test_stat')?.value).toBeCloseTo(
      6400,
      9,
    );
    expect(pValueOf(equal)).toBeLessThan(0.001);
  });

  it('computes the chi-square of a near fit: 9,012 / 988 against 0.9 / 0.1', async () => {
    const near = [...GOALS];
    near[0] = aggregatedGoalRow('a', 'exposure', 9012);
    near[1] = aggregatedGoalRow('b', 'exposure', 988);
    const experiment = toExperiment(
      requestOf(body({ checks: [{ ...SRM, expected_weights: { a: 0.9, b: 0.1 } }] })),
    );
    const rows = experiment.evaluateAgg(near, { timestamp: 0 }).checks;
    // chi^2 = 12^2 / 9000 + 12^2 / 1000 = 0.16 with one degree of freedom: p = 2 (1 - Phi(0.4)).
    expect(rows.find((row) => row.variableId === 'test_stat')?.value).toBeCloseTo(0.16, 12);
    expect(rows.find((row) => row.variableId === 'p_value')?.value).toBeCloseTo(2 * (1 - normalCdf(0.4)), 10);
  });

  it('rejects weights that are not positive, empty, without the control, or on a SumRatio check', async () => {
    const negative = await problemsOf(body({ checks: [{ ...SRM, expected_weights: { a: 90, b: -10 } }] }));
    expect(negative.where).toEqual([['checks.0.expected_weights.b', 'greater_than']]);
    const empty = await problemsOf(body({ checks: [{ ...SRM, expected_weights: {} }] }));
    expect(empty.where).toEqual([['checks.0.expected_weights', 'value_error']]);
    const noControl = await problemsOf(body({ checks: [{ ...SRM, expected_weights: { b: 10 } }] }));
    expect(noControl.where).toEqual([['checks.0.expected_weights.a', 'value_error']]);
    const sumRatio = await problemsOf(
      body({
        checks: [
          { ...SRM, type: 'SumRatio', nominator: 'count(u.unit.items)', expected_weights: { a: 9, b: 1 } },
        ],
      }),
    );
    expect(sumRatio.where).toEqual([['checks.0.expected_weights', 'value_error']]);
  });

  it('fails the check with a check-failed warning when a variant of the data has no weight', async () => {
    const { result } = await evaluateOk(body({ checks: [{ ...SRM, expected_weights: { a: 90 } }] }));
    expect(result.checks[0]?.stats).toEqual([]);
    const warning = result.warnings.find((w) => w.code === 'check-failed');
    expect(warning?.check_id).toBe(1);
    expect(warning?.message).toMatch(/no weight for variant 'b'/);
    // The metrics are evaluated all the same.
    expect(treatment(result, 0).p_value).toBeGreaterThan(0);
  });

  it('with explicit variants, names each variant without a weight and each weight without a variant', async () => {
    const { where, messages } = await problemsOf(
      body({ variants: ['a', 'b'], checks: [{ ...SRM, expected_weights: { a: 90, c: 10 } }] }),
    );
    expect(where).toEqual([
      ['checks.0.expected_weights.b', 'value_error'],
      ['checks.0.expected_weights.c', 'value_error'],
    ]);
    expect(messages[1]).toMatch(/names variant 'c', not among variants \["a","b"\]/);
  });
});

describe("sequential 'confidence-sequence'", () => {
  it('gives the always-valid p-values and half-widths of the library at the tuning asked for', async () => {
    const plain = libraryOf(body()).evaluation.metrics.filter((row) => row.expVariantId === 'b');
    for (const tuning of [undefined, 20_000]) {
      const request = body({
        sequential: 'confidence-sequence',
        ...(tuning === undefined ? {} : { sequential_tuning: tuning }),
      });
      const { result, text } = await evaluateOk(request, { statisticsThreads: 1 });
      expect(text).toBe(expectedText(request));
      const rho = confidenceSequenceRho(0.05, tuning ?? 5000);
      plain.forEach((row, index) => {
        const stat = treatment(result, index);
        // 10,000 units in the two arms compared.
        expect(stat.p_value).toBeCloseTo(confidenceSequencePValue(row.testStat, 10_000, rho), 12);
        expect(stat.confidence_interval).toBeCloseTo(
          confidenceSequenceHalfWidth(row.standardError, 10_000, 0.05, rho),
          12,
        );
        // Valid at every look, so wider than the fixed-horizon interval.
        expect(stat.confidence_interval).toBeGreaterThan(row.confidenceInterval);
        expect(stat.confidence_level).toBe(0.95);
      });
    }
  });

  it('rejects sequential_tuning without confidence sequences, or not positive, at sequential_tuning', async () => {
    const alone = await problemsOf(body({ sequential_tuning: 5000 }));
    expect(alone.where).toEqual([['sequential_tuning', 'value_error']]);
    expect(alone.messages[0]).toMatch(/set sequential to 'confidence-sequence'/);
    const zero = await problemsOf(body({ sequential: 'confidence-sequence', sequential_tuning: 0 }));
    expect(zero.where).toEqual([['sequential_tuning', 'greater_than']]);
    const unknown = await problemsOf(body({ sequential: 'pocock' }));
    expect(unknown.where).toEqual([['sequential', 'enum']]);
  });
});

describe('the OpenAPI document', () => {
  it('describes the testing options with their values and bounds, and the optional result members', () => {
    const schemas = buildOpenApiDocument().components.schemas as Record<
      string,
      { properties: Record<string, Record<string, unknown>> }
    >;
    const request = schemas.Experiment!.properties;
    expect(request.correction).toMatchObject({
      nullable: true,
      enum: ['holm', 'benjamini-hochberg', 'bonferroni', 'none'],
    });
    expect(request.correction_scope).toMatchObject({ enum: ['metric', 'report'] });
    expect(request.sequential).toMatchObject({ enum: ['obrien-fleming', 'confidence-sequence'] });
    expect(request.sequential_tuning).toMatchObject({ type: 'number', minimum: 0, exclusiveMinimum: true });
    const metricProperties = (request.metrics as { items: { properties: Record<string, unknown> } }).items
      .properties;
    expect(metricProperties.alternative).toMatchObject({ enum: ['two-sided', 'greater', 'less'] });
    expect(metricProperties.non_inferiority_margin).toMatchObject({
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      exclusiveMaximum: true,
    });
    const checkProperties = (request.checks as { items: { properties: Record<string, unknown> } }).items
      .properties;
    expect(checkProperties.expected_weights).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'number', minimum: 0, exclusiveMinimum: true },
    });
    const result = schemas.Result!.properties.metrics as {
      items: { properties: Record<string, unknown>; required?: string[] };
    };
    expect(result.items.properties.alternative).toMatchObject({ enum: ['greater', 'less'] });
    expect(result.items.required).toEqual(['id', 'name', 'stats']);
  });
});
