/**
 * `POST /evaluate` from metric sums (`evaluate_from: 'metric_sums'`, the default with a CUPED metric): the Dao's
 * `getMetricSums` is asked instead of `getAggGoals`, on the statistics threads and on the event loop alike; a
 * Dao without it is a 501; a request without the new fields is answered byte for byte as before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type {
  AggregatedGoalRow,
  AggregatedGoals,
  Dao,
  DaoFactory,
  Experiment,
  MetricSumsColumns,
  MetricSumsInput,
  MetricSumsRow,
} from '../../src/index.js';
import { buildServer, createEvaluationService } from '../../src/server/index.js';
import { TestDaoFactory } from '../../src/testing/index.js';
import {
  type EvaluateResponse,
  encodeResponseBody,
  toEvaluateResponse,
  toExperiment,
  validateEvaluateRequest,
} from '../../src/wire/index.js';
import { CONVERSION_REQUEST } from './support/conversion-request.js';

const EXPOSURES = 'count(user.global.exposure)';
const REVENUE = {
  id: 1,
  name: 'Revenue per user',
  nominator: 'value(user.unit.order)',
  denominator: EXPOSURES,
};
const ORDERS = {
  id: 2,
  name: 'Orders per user',
  nominator: 'count(user.unit.order)',
  denominator: EXPOSURES,
};
const SRM = { id: 1, name: 'SRM', denominator: EXPOSURES };
const BODY = {
  id: 'checkout',
  control_variant: 'a',
  unit_type: 'user',
  metrics: [REVENUE, ORDERS],
  checks: [SRM],
};

/** Orders and revenue of one unit. */
interface Unit {
  readonly orders: number;
  readonly revenue: number;
}

/** A few dozen units per variant with orders and revenue from a fixed pattern (a third of them buy nothing). */
function unitsOf(variant: number, count: number): Unit[] {
  return Array.from({ length: count }, (_, unit) => {
    const orders = (unit * 7 + variant * 3) % 3 === 0 ? 0 : ((unit * 5 + variant) % 4) + 1;
    return { orders, revenue: orders === 0 ? 0 : orders * 12.5 + ((unit * 13 + variant * 7) % 17) };
  });
}

const UNITS: Readonly<Record<string, readonly Unit[]>> = { a: unitsOf(0, 41), b: unitsOf(1, 37) };

const sum = (units: readonly Unit[], value: (unit: Unit) => number) =>
  units.reduce((total, unit) => total + value(unit), 0);

/**
 * The metric sums of the units: per metric and variant, `x` the metric's nominator per unit and `y` its
 * denominator, 1 for every exposed unit.
 */
function metricSumsRows(): MetricSumsRow[] {
  return Object.entries(UNITS).flatMap(([variant, units]) =>
    (
      [
        [REVENUE.id, (unit: Unit) => unit.revenue],
        [ORDERS.id, (unit: Unit) => unit.orders],
      ] as const
    ).map(([metricId, x]) => ({
      exp_id: 'checkout',
      exp_variant_id: variant,
      metric_id: metricId,
      units: units.length,
      sum_x: sum(units, x),
      sum_x2: sum(units, (unit) => x(unit) ** 2),
      sum_y: units.length,
      sum_y2: units.length,
      sum_xy: sum(units, x),
    })),
  );
}

/** The same units as goals aggregated per variant: the global exposure goal and the unit goal `order`. */
function goalRows(): AggregatedGoalRow[] {
  return Object.entries(UNITS).flatMap(([variant, units]) => {
    const common = { exp_id: 'checkout', exp_variant_id: variant, unit_type: 'user' };
    return [
      {
        ...common,
        agg_type: 'global',
        goal: 'exposure',
        count: units.length,
        sum_sqr_count: units.length,
        sum_value: 0,
        sum_sqr_value: 0,
        count_unique: units.length,
      },
      {
        ...common,
        agg_type: 'unit',
        goal: 'order',
        count: sum(units, (unit) => unit.orders),
        sum_sqr_count: sum(units, (unit) => unit.orders ** 2),
        sum_value: sum(units, (unit) => unit.revenue),
        sum_sqr_value: sum(units, (unit) => unit.revenue ** 2),
        count_unique: units.filter((unit) => unit.orders > 0).length,
      },
    ];
  });
}

/** Rows as columns, numbers in typed arrays (as DuckDB gives them; copied to the worker threads). */
function asColumns(rows: readonly MetricSumsRow[]): MetricSumsColumns {
  const numbers = (name: 'units' | 'sum_x' | 'sum_x2' | 'sum_y' | 'sum_y2' | 'sum_xy') =>
    Float64Array.from(rows, (row) => row[name]);
  return {
    exp_variant_id: rows.map((row) => row.exp_variant_id),
    metric_id: rows.map((row) => row.metric_id),
    units: numbers('units'),
    sum_x: numbers('sum_x'),
    sum_x2: numbers('sum_x2'),
    sum_y: numbers('sum_y'),
    sum_y2: numbers('sum_y2'),
    sum_xy: numbers('sum_xy'),
  };
}

/** A Dao factory whose Daos answer with fixed data and count the calls of every method. */
class FixedDaoFactory implements DaoFactory {
  readonly calls = { getAggGoals: 0, getMetricSums: 0, close: 0 };
  constructor(
    private readonly goals: () => Promise<AggregatedGoals>,
    private readonly metricSums: (() => Promise<MetricSumsInput>) | undefined,
  ) {}
  async getDao(): Promise<Dao> {
    const { calls, goals, metricSums } = this;
    const dao: Dao = {
      getAggGoals: async () => {
        calls.getAggGoals++;
        return goals();
      },
      getUnitGoals: async () => [],
      close: async () => {
        calls.close++;
      },
    };
    if (metricSums === undefined) return dao;
    return {
      ...dao,
      getMetricSums: async () => {
        calls.getMetricSums++;
        return metricSums();
      },
    };
  }
}

const servers: { close(): Promise<unknown> }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** Posts a body to `POST /evaluate` of a server over `daoFactory` (default options: statistics threads). */
async function post(daoFactory: DaoFactory, body: unknown, options: { statisticsThreads?: number } = {}) {
  const server = buildServer({ daoFactory, logLevel: 'silent', ...options });
  servers.push(server);
  const response = await server.inject({ method: 'POST', url: '/evaluate', payload: body as object });
  return { status: response.statusCode, text: response.body };
}

function experimentOf(body: unknown): Experiment {
  const validation = validateEvaluateRequest(body);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return toExperiment(validation.value);
}

/** The response of `body` as the library's `evaluateAgg` of the goal rows gives it (the goals path). */
function expectedFromGoals(body: unknown, goals: AggregatedGoals): EvaluateResponse {
  const experiment = experimentOf(body);
  return toEvaluateResponse(experiment, experiment.evaluateAgg(goals));
}

/** The response of `body` as the library's `evaluateMetricSums` gives it. */
function expectedFromMetricSums(body: unknown, sums: MetricSumsInput): EvaluateResponse {
  const experiment = experimentOf(body);
  return toEvaluateResponse(experiment, experiment.evaluateMetricSums(sums));
}

const metricSumsBody = { ...BODY, evaluate_from: 'metric_sums' };

describe("POST /evaluate with evaluate_from 'metric_sums'", () => {
  it('reproduces the numbers of the equivalent goal rows when y is 1 per unit (statistics threads)', async () => {
    const daoFactory = new FixedDaoFactory(
      async () => goalRows(),
      async () => metricSumsRows(),
    );
    const answer = await post(daoFactory, metricSumsBody);
    expect(answer.status, answer.text).toBe(200);
    expect(daoFactory.calls).toEqual({ getAggGoals: 0, getMetricSums: 1, close: 1 });
    const fromGoals = expectedFromGoals(BODY, goalRows());
    expect(fromGoals.metrics.flatMap((metric) => metric.stats)).toHaveLength(4);
    // Same sums, same kernels: the numbers agree to the last bit (and so does the whole encoded body).
    expect(answer.text).toBe(encodeResponseBody(fromGoals, false));
  });

  it('answers the same on the event loop (statisticsThreads 0), from columns too', async () => {
    const expected = encodeResponseBody(expectedFromGoals(BODY, goalRows()), false);
    for (const sums of [async () => metricSumsRows(), async () => asColumns(metricSumsRows())]) {
      for (const statisticsThreads of [0, 1]) {
        const daoFactory = new FixedDaoFactory(async () => [], sums);
        const answer = await post(daoFactory, metricSumsBody, { statisticsThreads });
        expect(answer.status, answer.text).toBe(200);
        expect(answer.text).toBe(expected);
      }
    }
  });

  it('is what the service answers with objects (evaluate) and in strict JSON', async () => {
    const daoFactory = new FixedDaoFactory(
      async () => [],
      async () => metricSumsRows(),
    );
    const service = createEvaluationService({ daoFactory, statisticsThreads: 1 });
    try {
      const outcome = await service.evaluate(metricSumsBody);
      expect(outcome.ok && outcome.response).toEqual(expectedFromMetricSums(BODY, metricSumsRows()));
      const strict = await service.evaluateJson(metricSumsBody, { strict: true });
      expect(strict.ok && new TextDecoder().decode(strict.body)).toBe(
        encodeResponseBody(expectedFromMetricSums(BODY, metricSumsRows()), true),
      );
    } finally {
      await service.close();
    }
  });

  it('returns the warnings of metric sums: a metric without rows, rows of an unknown metric, no rows', async () => {
    const rows = [
      ...metricSumsRows().filter((row) => !(row.metric_id === ORDERS.id && row.exp_variant_id === 'b')),
      { ...metricSumsRows()[0]!, metric_id: 99 },
    ];
    const answer = await post(
      new FixedDaoFactory(
        async () => [],
        async () => rows,
      ),
      metricSumsBody,
    );
    expect(answer.status, answer.text).toBe(200);
    const warnings = (
      JSON.parse(encodeResponseBody(expectedFromMetricSums(BODY, rows), true)) as EvaluateResponse
    ).warnings;
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'metric-without-rows', metric_ids: [ORDERS.id], variants: ['b'] }),
    );
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'unknown-metric-rows', count: 1 }));
    expect(answer.text).toBe(encodeResponseBody(expectedFromMetricSums(BODY, rows), false));

    const empty = await post(
      new FixedDaoFactory(
        async () => [],
        async () => [],
      ),
      metricSumsBody,
    );
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('"code":"empty-input"');
  });

  it('a Dao without getMetricSums: 501 metric-sums-not-supported, the Dao closed, no goals loaded', async () => {
    const daoFactory = new FixedDaoFactory(async () => goalRows(), undefined);
    const answer = await post(daoFactory, metricSumsBody);
    expect(answer.status).toBe(501);
    expect(JSON.parse(answer.text)).toEqual({
      detail:
        "Cannot evaluate experiment [checkout] from metric sums (evaluate_from 'metric_sums'): the server's data access layer (its Dao) has no getMetricSums; leave evaluate_from out or set it to 'goals'",
      experiment_id: 'checkout',
      error: 'metric-sums-not-supported',
    });
    expect(daoFactory.calls).toEqual({ getAggGoals: 0, getMetricSums: 0, close: 1 });
  });

  it('a getMetricSums that rejects is a 502 naming the metric sums', async () => {
    const daoFactory = new FixedDaoFactory(
      async () => [],
      async () => {
        throw new Error('connection refused');
      },
    );
    const answer = await post(daoFactory, metricSumsBody);
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.text)).toMatchObject({
      detail: 'Cannot load the metric sums of experiment [checkout] from the data source',
      error: 'data-access-failed',
    });
    expect(daoFactory.calls.close).toBe(1);
  });
});

describe('POST /evaluate with a CUPED metric', () => {
  const cupedBody = {
    ...BODY,
    date_from: '2024-03-01',
    metrics: [{ ...REVENUE, cuped: { pre_days: 14 } }, ORDERS],
  };
  /** Metric sums with pre-period columns: each unit's pre-period values a shifted copy of its own. */
  const withPrePeriod = (): MetricSumsRow[] =>
    metricSumsRows().map((row) => ({
      ...row,
      sum_u: row.sum_x * 0.8,
      sum_u2: row.sum_x2 * 0.7,
      sum_v: row.sum_y,
      sum_v2: row.sum_y2,
      sum_xu: row.sum_x2 * 0.75,
      sum_xv: row.sum_xy,
      sum_yu: row.sum_x * 0.8,
      sum_yv: row.sum_y2,
      sum_uv: row.sum_x * 0.8,
    }));

  it('is evaluated from metric sums by default, as the library evaluates them', async () => {
    const daoFactory = new FixedDaoFactory(
      async () => goalRows(),
      async () => withPrePeriod(),
    );
    const answer = await post(daoFactory, cupedBody);
    expect(answer.status, answer.text).toBe(200);
    expect(daoFactory.calls).toEqual({ getAggGoals: 0, getMetricSums: 1, close: 1 });
    expect(answer.text).toBe(encodeResponseBody(expectedFromMetricSums(cupedBody, withPrePeriod()), false));
    // The CUPED metric's rows end with its coefficient and variance reduction; the other metric's rows do not.
    const result = JSON.parse(answer.text.replace(/\bNaN\b/g, 'null')) as EvaluateResponse;
    for (const stat of result.metrics[0]!.stats) {
      expect(Object.keys(stat).slice(-2)).toEqual(['cuped_theta', 'variance_reduction']);
    }
    for (const stat of result.metrics[1]!.stats) expect(stat).not.toHaveProperty('cuped_theta');
  });

  it('metric sums without the pre-period columns: 502 invalid-goal-data naming the column', async () => {
    const answer = await post(
      new FixedDaoFactory(
        async () => [],
        async () => metricSumsRows(),
      ),
      cupedBody,
    );
    expect(answer.status).toBe(502);
    const error = JSON.parse(answer.text) as { detail: string; error: string };
    expect(error.error).toBe('invalid-goal-data');
    expect(error.detail).toMatch(
      /^Cannot evaluate experiment \[checkout\] because the data source returned invalid metric sums rows: .*sum_u/,
    );
  });

  it('a Dao without getMetricSums: 501 naming the CUPED metric', async () => {
    const daoFactory = new FixedDaoFactory(async () => goalRows(), undefined);
    const answer = await post(daoFactory, cupedBody, { statisticsThreads: 0 });
    expect(answer.status).toBe(501);
    expect(JSON.parse(answer.text)).toEqual({
      detail:
        "Cannot evaluate experiment [checkout]: metric 'Revenue per user' (id 1) asks for CUPED, which is evaluated from metric sums, and the server's data access layer (its Dao) has no getMetricSums",
      experiment_id: 'checkout',
      error: 'metric-sums-not-supported',
    });
    expect(daoFactory.calls).toEqual({ getAggGoals: 0, getMetricSums: 0, close: 1 });
  });

  it("with evaluate_from 'goals': 422 at the metric's cuped, before any data access", async () => {
    const daoFactory = new FixedDaoFactory(
      async () => goalRows(),
      async () => withPrePeriod(),
    );
    const answer = await post(daoFactory, { ...cupedBody, evaluate_from: 'goals' });
    expect(answer.status).toBe(422);
    const { problems } = JSON.parse(answer.text) as { problems: { path: unknown[]; type: string }[] };
    expect(problems.map((problem) => [problem.path, problem.type])).toEqual([
      [['metrics', 0, 'cuped'], 'value_error'],
    ]);
    expect(daoFactory.calls).toEqual({ getAggGoals: 0, getMetricSums: 0, close: 0 });
  });

  it('pre_days 0 and an unknown member of cuped: 422 naming the fields', async () => {
    const daoFactory = new FixedDaoFactory(
      async () => [],
      async () => [],
    );
    const answer = await post(daoFactory, {
      ...BODY,
      date_from: '2024-03-01',
      metrics: [
        { ...REVENUE, cuped: { pre_days: 0 } },
        { ...ORDERS, cuped: { pre_days: 7, days: 7 } },
      ],
    });
    expect(answer.status).toBe(422);
    const { detail } = JSON.parse(answer.text) as { detail: { loc: unknown[]; msg: string }[] };
    expect(detail).toEqual([
      {
        loc: ['body', 'metrics', 0, 'cuped', 'pre_days'],
        msg: 'Input should be greater than or equal to 1',
        type: 'greater_than_equal',
      },
      {
        loc: ['body', 'metrics', 1, 'cuped', 'days'],
        msg: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      },
    ]);
  });
});

describe('a request without evaluate_from and cuped', () => {
  /** The bundled test data, with a `getMetricSums` that must never be called. */
  class TestDataWithMetricSums implements DaoFactory {
    readonly calls = { getMetricSums: 0 };
    async getDao(): Promise<Dao> {
      const dao = await new TestDaoFactory().getDao();
      return {
        getAggGoals: (experiment) => dao.getAggGoals(experiment),
        getUnitGoals: (experiment) => dao.getUnitGoals(experiment),
        getMetricSums: async () => {
          this.calls.getMetricSums++;
          return [];
        },
        close: () => dao.close(),
      };
    }
  }

  it("is answered byte for byte as evaluateAgg of the Dao's goals gives it, as is evaluate_from 'goals'", async () => {
    const experiment = experimentOf(CONVERSION_REQUEST);
    const dao = await new TestDaoFactory().getDao();
    const goals = await dao.getAggGoals(experiment);
    await dao.close();
    const expected = encodeResponseBody(toEvaluateResponse(experiment, experiment.evaluateAgg(goals)), false);
    const daoFactory = new TestDataWithMetricSums();
    for (const body of [CONVERSION_REQUEST, { ...CONVERSION_REQUEST, evaluate_from: 'goals' }]) {
      for (const statisticsThreads of [0, 1]) {
        const answer = await post(daoFactory, body, { statisticsThreads });
        expect(answer.status).toBe(200);
        expect(answer.text).toBe(expected);
      }
    }
    expect(daoFactory.calls.getMetricSums).toBe(0);
    // No CUPED member in the rows of an evaluation without CUPED.
    expect(expected).not.toMatch(/cuped_theta|variance_reduction/);
  });
});
