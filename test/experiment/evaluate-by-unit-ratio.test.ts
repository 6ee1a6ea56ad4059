/**
 * By unit, a metric of kind 'ratio' (its denominator varies per unit) is estimated by the delta method from
 * the per-unit values: the same numbers as `evaluateMetricSums` on the sums of those values. With
 * `kind: 'mean'` it keeps the reference's formula (variance of the per-unit nominators over the summed
 * denominator).
 */
import { describe, expect, it } from 'vitest';
import {
  type EvaluationWarning,
  Experiment,
  Metric,
  type MetricSumsRow,
  type UnitGoalRow,
} from '../../src/index.js';
import { uniform } from '../support/uniform.js';

const random = uniform(20_261_207);
const perUnit: { variant: 'a' | 'b'; id: string; orders: number; revenue: number }[] = [];
for (let i = 0; i < 2_000; i++) {
  const orders = Math.floor(random() * 4);
  perUnit.push({
    variant: i % 2 === 0 ? 'a' : 'b',
    id: `u${i}`,
    orders,
    revenue: orders * 25 * (1 + random()),
  });
}
const rows: UnitGoalRow[] = perUnit.flatMap(({ variant, id, orders, revenue }) => {
  const base = { exp_id: 'shop', exp_variant_id: variant, unit_type: 'user', agg_type: 'unit', unit_id: id };
  const exposure = { ...base, goal: 'exposure', count: 1, sum_value: 0 };
  return orders === 0
    ? [exposure]
    : [exposure, { ...base, goal: 'order', count: orders, sum_value: revenue }];
});

function experimentWith(kind: 'mean' | 'ratio' | undefined) {
  return new Experiment({
    id: 'shop',
    controlVariant: 'a',
    unitType: 'user',
    metrics: [
      new Metric({
        id: 1,
        name: 'Revenue per order',
        nominator: 'value(user.unit.order)',
        denominator: 'count(user.unit.order)',
        ...(kind === undefined ? {} : { kind }),
      }),
    ],
  });
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('evaluateByUnit with a ratio metric', () => {
  it('gives what evaluateMetricSums gives for the sums of the per-unit values', () => {
    const sums: MetricSumsRow[] = (['a', 'b'] as const).map((variant) => {
      const units = perUnit.filter((unit) => unit.variant === variant);
      const sum = (f: (x: number, y: number) => number) =>
        units.reduce((s, u) => s + f(u.revenue, u.orders), 0);
      return {
        exp_variant_id: variant,
        metric_id: 1,
        units: units.length,
        sum_x: sum((x) => x),
        sum_x2: sum((x) => x * x),
        sum_y: sum((_, y) => y),
        sum_y2: sum((_, y) => y * y),
        sum_xy: sum((x, y) => x * y),
      };
    });
    const experiment = experimentWith(undefined);
    expect(experiment.metrics[0]!.kind).toBe('ratio');
    const byUnit = experiment.evaluateByUnit(rows, { timestamp: 0 });
    const fromSums = experiment.evaluateMetricSums(sums, { timestamp: 0 });
    byUnit.metrics.forEach((row, v) => {
      const expected = fromSums.metrics[v]!;
      expect(row.sampleSize).toBe(1_000);
      expect(row.count).toBe(expected.count);
      for (const key of ['mean', 'std', 'standardError', 'confidenceInterval'] as const) {
        expect(relativeError(row[key], expected[key]), key).toBeLessThan(1e-12);
      }
      expect(row.degreesOfFreedom).toBe(expected.degreesOfFreedom);
    });
    expect(Math.abs(byUnit.metrics[1]!.pValue - fromSums.metrics[1]!.pValue)).toBeLessThan(1e-12);
  });

  it("keeps the reference's formula with kind 'mean'", () => {
    const evaluation = experimentWith('mean').evaluateByUnit(rows, { timestamp: 0 });
    for (const row of evaluation.metrics) {
      const units = perUnit.filter((unit) => unit.variant === row.expVariantId);
      const orders = units.reduce((s, u) => s + u.orders, 0);
      const revenue = units.reduce((s, u) => s + u.revenue, 0);
      const squares = units.reduce((s, u) => s + u.revenue * u.revenue, 0);
      // The reference: std^2 = (sum x^2 - (sum x)^2 / count) / (count - 1) with count = sum of the orders.
      expect(row.count).toBe(orders);
      expect(relativeError(row.mean, revenue / orders)).toBeLessThan(1e-14);
      expect(
        relativeError(row.std, Math.sqrt((squares - (revenue * revenue) / orders) / (orders - 1))),
      ).toBeLessThan(1e-12);
    }
  });

  it('warns ratio-without-unit-pairs when nominator and denominator are of different unit groups', () => {
    const warnings: EvaluationWarning[] = [];
    const unpaired = new Experiment({
      id: 'shop',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [
        new Metric({
          id: 1,
          name: 'Revenue per order',
          nominator: 'value(user.unit.order)',
          denominator: 'count(user.global.order)',
        }),
      ],
    });
    const globalRows = rows.flatMap((row) =>
      row.goal === 'order' ? [row, { ...row, agg_type: 'global' }] : [row],
    );
    const evaluation = unpaired.evaluateByUnit(globalRows, {
      onWarning: (warning) => warnings.push(warning),
    });
    expect(warnings.filter((w) => w.code === 'ratio-without-unit-pairs').map((w) => w.metricIds)).toEqual([
      [1],
    ]);
    // The reference's formula: the count is the summed denominator, not the units.
    const orders = perUnit.filter((unit) => unit.variant === 'a').reduce((s, u) => s + u.orders, 0);
    expect(evaluation.metrics[0]?.count).toBe(orders);
    // The same metric with both goals of one group: no warning.
    const paired: EvaluationWarning[] = [];
    experimentWith(undefined).evaluateByUnit(rows, { onWarning: (warning) => paired.push(warning) });
    expect(paired.filter((w) => w.code === 'ratio-without-unit-pairs')).toEqual([]);
  });
});
