/**
 * `Experiment.evaluateMetricSums`: a mean metric gives exactly what `evaluateAgg` gives for the equivalent goal
 * rows; a ratio metric gives the delta-method kernels' numbers; metric kinds; errors and warnings.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  type Check,
  DataError,
  type EvaluationWarning,
  Experiment,
  type Matrix,
  Metric,
  type MetricSumsRow,
  ratioMomentsMatrix,
  SrmCheck,
  SumRatioCheck,
  ValidationError,
  welchTestMatrix,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';
import { uniform } from '../support/uniform.js';

/** Per-unit (x, y) of `units` users of a variant: y orders (0-3), x revenue over them. */
function usersOf(random: () => number, units: number, lift: number): [number, number][] {
  return Array.from({ length: units }, () => {
    const orders = Math.floor(random() * 4);
    return [orders * 20 * (1 + random()) * lift, orders];
  });
}

function sumsRow(variant: string, metricId: number, users: readonly [number, number][]): MetricSumsRow {
  const sum = (f: (x: number, y: number) => number) => users.reduce((s, [x, y]) => s + f(x, y), 0);
  return {
    exp_id: 'checkout',
    exp_variant_id: variant,
    metric_id: metricId,
    units: users.length,
    sum_x: sum((x) => x),
    sum_x2: sum((x) => x * x),
    sum_y: sum((_, y) => y),
    sum_y2: sum((_, y) => y * y),
    sum_xy: sum((x, y) => x * y),
  };
}

const srm = new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(user.global.exposure)' });
const revenuePerUser = new Metric({
  id: 1,
  name: 'Revenue per user',
  nominator: 'value(user.unit.order)',
  denominator: 'count(user.global.exposure)',
  minimumEffect: 0.05,
});
const revenuePerOrder = new Metric({
  id: 2,
  name: 'Revenue per order',
  nominator: 'value(user.unit.order)',
  denominator: 'count(user.unit.order)',
  minimumEffect: 0.05,
});

function experimentOf(metrics: readonly Metric[], checks: readonly Check[] = [srm]) {
  return new Experiment({
    id: 'checkout',
    controlVariant: 'a',
    unitType: 'user',
    metrics: [...metrics],
    checks,
  });
}

const VARIANTS = ['a', 'b', 'c'] as const;
const random = uniform(11);
const users = VARIANTS.map((_, v) => usersOf(random, 900 + 37 * v, 1 + 0.04 * v));

describe('metric kinds', () => {
  it('are derived from the denominator, unless given', () => {
    expect(revenuePerUser.kind).toBe('mean');
    expect(revenuePerOrder.kind).toBe('ratio');
    const base = { id: 3, name: 'm', nominator: 'value(u.unit.x)' };
    expect(new Metric({ ...base, denominator: 'count(u.unit.exposure)' }).kind).toBe('mean');
    expect(new Metric({ ...base, denominator: 'count(u.unit.exposure(country=cz))' }).kind).toBe('ratio');
    expect(new Metric({ ...base, denominator: 'value(u.unit.exposure)' }).kind).toBe('ratio');
    expect(new Metric({ ...base, denominator: 'count(u.unit.order)', kind: 'mean' }).kind).toBe('mean');
    const error = thrown(
      () => new Metric({ ...base, denominator: 'count(u.unit.order)', kind: 'median' as never }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toEqual(['kind']);
  });
});

describe('evaluateMetricSums', () => {
  it('gives a mean metric exactly what evaluateAgg gives for the equivalent goal rows', () => {
    const rows = VARIANTS.map((variant, v) => sumsRow(variant, 1, users[v]!));
    const goalRows: AggregatedGoalRow[] = rows.flatMap((row) => {
      const base = { exp_id: 'checkout', exp_variant_id: row.exp_variant_id, unit_type: 'user' };
      return [
        {
          ...base,
          agg_type: 'global',
          goal: 'exposure',
          count: row.units,
          sum_sqr_count: row.units,
          sum_value: 0,
          sum_sqr_value: 0,
          count_unique: row.units,
        },
        {
          ...base,
          agg_type: 'unit',
          goal: 'order',
          count: row.sum_y,
          sum_sqr_count: row.sum_y2,
          sum_value: row.sum_x,
          sum_sqr_value: row.sum_x2,
          count_unique: row.units,
        },
      ];
    });
    const experiment = experimentOf([revenuePerUser]);
    const fromSums = experiment.evaluateMetricSums(rows, { timestamp: 1 });
    const fromGoals = experiment.evaluateAgg(goalRows, { timestamp: 1 });
    expect(fromSums.metrics).toEqual(fromGoals.metrics);
    expect(fromSums.checks).toEqual(fromGoals.checks);
    expect(fromSums.exposures).toEqual(fromGoals.exposures);
    expect(fromSums.warnings).toEqual(fromGoals.warnings);
  });

  it('gives a ratio metric the delta-method kernels with Holm over its treatments', () => {
    const rows = VARIANTS.map((variant, v) => sumsRow(variant, 2, users[v]!));
    const evaluation = experimentOf([revenuePerOrder]).evaluateMetricSums(rows, { timestamp: 1 });
    const matrix = (key: keyof MetricSumsRow) =>
      ndarray(
        Float64Array.from(rows, (row) => Number(row[key])),
        [1, 3],
      ) as Matrix;
    const moments = ratioMomentsMatrix({
      units: matrix('units'),
      sumX: matrix('sum_x'),
      sumX2: matrix('sum_x2'),
      sumY: matrix('sum_y'),
      sumY2: matrix('sum_y2'),
      sumXY: matrix('sum_xy'),
    });
    const welch = welchTestMatrix({
      estimate: moments.estimate,
      estimateVariance: moments.estimateVariance,
      sampleSize: matrix('units'),
      sumValue: matrix('sum_x'),
      controlIndex: 0,
      confidenceLevel: 0.95,
    });
    evaluation.metrics.forEach((row, v) => {
      expect(row.expVariantId).toBe(VARIANTS[v]);
      expect(row.mean).toBe(moments.estimate.get(0, v));
      expect(row.std).toBe(moments.std.get(0, v));
      expect(row.count).toBe(rows[v]!.sum_y);
      expect(row.sampleSize).toBe(rows[v]!.units);
      expect(row.diff).toBe(welch.diff.get(0, v));
      expect(row.standardError).toBe(welch.standardError.get(0, v));
      expect(row.degreesOfFreedom).toBe(welch.degreesOfFreedom.get(0, v));
    });
    // Holm over the two treatments: the smaller p-value doubled, the larger kept (or the running maximum).
    const [p1, p2] = [welch.pValue.get(0, 1), welch.pValue.get(0, 2)];
    const [small, large] = p1 <= p2 ? [1, 2] : [2, 1];
    const smallAdjusted = Math.min(1, 2 * Math.min(p1, p2));
    expect(evaluation.metrics[small]!.pValue).toBe(smallAdjusted);
    expect(evaluation.metrics[large]!.pValue).toBe(Math.max(smallAdjusted, Math.max(p1, p2)));
    // The ratio's own variance enters the sample size: n = z^2 (s_c^2 + s_t^2) / (R_c mei)^2.
    expect(evaluation.metrics[1]!.requiredSampleSize).toBeGreaterThan(0);
    expect(evaluation.checks.find((check) => check.variableId === 'p_value')?.value).toBeGreaterThan(0);
  });

  it('reads columns as it reads rows, and skips other experiments', () => {
    const rows = VARIANTS.map((variant, v) => sumsRow(variant, 2, users[v]!));
    const experiment = experimentOf([revenuePerOrder]);
    const column = (key: keyof MetricSumsRow) => rows.map((row) => row[key]) as never;
    const columns = {
      exp_id: column('exp_id'),
      exp_variant_id: column('exp_variant_id'),
      metric_id: column('metric_id'),
      units: Float64Array.from(rows, (row) => row.units),
      sum_x: Float64Array.from(rows, (row) => row.sum_x),
      sum_x2: Float64Array.from(rows, (row) => row.sum_x2),
      sum_y: Float64Array.from(rows, (row) => row.sum_y),
      sum_y2: Float64Array.from(rows, (row) => row.sum_y2),
      sum_xy: Float64Array.from(rows, (row) => row.sum_xy),
    };
    const foreign = { ...rows[0]!, exp_id: 'other', units: 1 };
    expect(experiment.evaluateMetricSums(columns, { timestamp: 1 })).toEqual(
      experiment.evaluateMetricSums([foreign, ...rows], { timestamp: 1 }),
    );
  });

  it('warns about a metric without rows, unknown metric ids and empty input', () => {
    const rows = [sumsRow('a', 1, users[0]!), sumsRow('b', 1, users[1]!), sumsRow('b', 7, users[1]!)];
    const warnings: EvaluationWarning[] = [];
    const evaluation = experimentOf([revenuePerUser, revenuePerOrder]).evaluateMetricSums(rows, {
      onWarning: (warning) => warnings.push(warning),
    });
    // (900 users per variant also give small-sample warnings, which are not the subject here)
    const rowWarnings = warnings.filter((warning) => warning.code !== 'small-sample');
    expect(rowWarnings.map((warning) => warning.code)).toEqual([
      'metric-without-rows',
      'unknown-metric-rows',
    ]);
    expect(rowWarnings[0]!.metricIds).toEqual([2]);
    expect(rowWarnings[0]!.variants).toEqual(['a', 'b']);
    expect(rowWarnings[1]!.message).toContain('metric ids 7 name no metric');
    expect(Number.isNaN(evaluation.metrics[2]!.mean)).toBe(true);
    const empty = experimentOf([revenuePerUser]).evaluateMetricSums([]);
    expect(empty.warnings.map((warning) => warning.code)).toContain('empty-input');
  });

  it('skips a check on goals metric sums do not carry, with check-failed', () => {
    const ratioCheck = new SumRatioCheck({
      id: 2,
      name: 'Refunds',
      nominator: 'count(user.unit.refund)',
      denominator: 'count(user.global.exposure)',
    });
    const evaluation = experimentOf([revenuePerUser], [srm, ratioCheck]).evaluateMetricSums(
      VARIANTS.map((variant, v) => sumsRow(variant, 1, users[v]!)),
    );
    const failed = evaluation.warnings.filter((warning) => warning.code === 'check-failed');
    expect(failed.map((warning) => warning.checkId)).toEqual([2]);
    expect(failed[0]!.message).toContain('count(user.unit.refund)');
    expect(evaluation.checks.some((check) => check.checkId === 1)).toBe(true);
  });

  it('warns about a ratio whose sums give a negative variance instead of a silent NaN', () => {
    // Two units per variant cannot have sum x^2 = 1 with sum x = 10: v_x = (1 - 100 / 2) / 1 < 0, and with
    // y = 1 per unit Var(R) = v_x / n < 0.
    const row = { metric_id: 2, units: 2, sum_x: 10, sum_x2: 1, sum_y: 2, sum_y2: 2, sum_xy: 10 };
    const evaluation = experimentOf([revenuePerOrder]).evaluateMetricSums([
      { ...row, exp_variant_id: 'a' },
      { ...row, exp_variant_id: 'b' },
    ]);
    const negative = evaluation.warnings.filter((warning) => warning.code === 'negative-variance');
    expect(negative.map((warning) => warning.metricIds)).toEqual([[2]]);
    expect(evaluation.metrics[1]!.std).toBeNaN();
  });

  it('rejects malformed rows with the row and column', () => {
    const experiment = experimentOf([revenuePerUser]);
    const good = sumsRow('a', 1, users[0]!);
    const negative = thrown(() =>
      experiment.evaluateMetricSums([good, { ...good, exp_variant_id: 'b', units: -3 }]),
    );
    expect(negative).toBeInstanceOf(DataError);
    expect([(negative as DataError).row, (negative as DataError).column]).toEqual([1, 'units']);
    const duplicate = thrown(() => experiment.evaluateMetricSums([good, { ...good }]));
    expect([(duplicate as DataError).row, (duplicate as DataError).column]).toEqual([1, 'metric_id']);
    expect((duplicate as DataError).message).toContain('the first is row 0');
    const text = thrown(() => experiment.evaluateMetricSums([{ ...good, sum_xy: 'many' as never }]));
    expect([(text as DataError).row, (text as DataError).column]).toEqual([0, 'sum_xy']);
    const { sum_y2: _dropped, ...withoutColumn } = good;
    const missing = thrown(() =>
      experiment.evaluateMetricSums({
        ...Object.fromEntries(Object.entries(withoutColumn).map(([k, v]) => [k, [v]])),
      } as never),
    );
    expect((missing as DataError).column).toBe('sum_y2');
  });

  it('rejects metric ids that are one metric_id as text (1 and "1")', () => {
    const twin = new Metric({
      id: '1',
      name: 'Revenue per user, again',
      nominator: 'value(user.unit.order)',
      denominator: 'count(user.global.exposure)',
    });
    const error = thrown(() => experimentOf([revenuePerUser, twin]).evaluateMetricSums([]));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toEqual(['metrics', 1, 'id']);
    expect((error as ValidationError).message).toContain(`metric ids 1 and "1" are the same metric_id '1'`);
  });

  it('warns inconsistent-sums when the metrics of a variant count different exposed units', () => {
    const warnings: EvaluationWarning[] = [];
    const rows = VARIANTS.flatMap((variant, v) => [
      sumsRow(variant, 1, users[v]!),
      sumsRow(variant, 2, variant === 'b' ? users[v]!.slice(0, 500) : users[v]!),
    ]);
    experimentOf([revenuePerUser, revenuePerOrder]).evaluateMetricSums(rows, {
      onWarning: (warning) => warnings.push(warning),
    });
    const inconsistent = warnings.filter((warning) => warning.code === 'inconsistent-sums');
    expect(inconsistent.map((warning) => warning.variants)).toEqual([['b']]);
    expect(inconsistent[0]?.message).toContain(`${users[1]!.length} (metrics 1), 500 (metrics 2)`);
  });
});
