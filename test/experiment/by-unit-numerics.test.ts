import { describe, expect, it } from 'vitest';
import { Experiment, Metric, type UnitGoalRow } from '../../src/index.js';
import { unitGoalRow } from '../support/goal-rows.js';

describe('evaluateByUnit variances from centred per-unit values', () => {
  const revenue = new Metric({
    id: 1,
    name: 'Revenue per user',
    nominator: 'value(u.unit.revenue)',
    denominator: 'count(u.unit.exposure)',
  });
  const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [revenue] });

  function rowsOf(values: Record<string, readonly number[]>): UnitGoalRow[] {
    return Object.entries(values).flatMap(([variant, list]) =>
      list.flatMap((value, i) => [
        unitGoalRow(variant, `${variant}${i}`, 'exposure', 1),
        unitGoalRow(variant, `${variant}${i}`, 'revenue', value),
      ]),
    );
  }

  it('a constant metric has a standard deviation of exactly 0', () => {
    const constant = Array.from({ length: 1000 }, () => 0.1);
    const evaluation = experiment.evaluateByUnit(rowsOf({ a: constant, b: constant }));
    // sum_sqr_value - sum_value^2 / count is not 0 in floating point here (0.1 is not a binary fraction).
    const m = evaluation.matrices;
    const sum = m.sumValue.get(0, 0);
    expect(m.sumSqrValue.get(0, 0) - (sum * sum) / 1000).not.toBe(0);
    expect(evaluation.metrics.map((r) => r.std)).toEqual([0, 0]);
  });

  it('a mean of 1e6 with a standard deviation of 1 keeps its digits in both arms', () => {
    // Values 1e6 +- 1, alternating: the sample variance is n / (n - 1) exactly (mean 1e6).
    const n = 100_000;
    const values = Array.from({ length: n }, (_, i) => 1e6 + (i % 2 === 0 ? 1 : -1));
    const evaluation = experiment.evaluateByUnit(rowsOf({ a: values, b: values }));
    const expected = Math.sqrt(n / (n - 1));
    for (const metricRow of evaluation.metrics) expect(metricRow.std).toBeCloseTo(expected, 9);
  });

  it('units of the denominator without a nominator value count as zeros in the variance', () => {
    // Unit 1: revenue 4; units 2, 3: exposure only. Values 4, 0, 0: mean 4/3,
    // variance ((4 - 4/3)^2 + 2 (4/3)^2) / 2 = (64/9 + 32/9) / 2 = 16/3.
    const rows = [
      unitGoalRow('a', '1', 'exposure', 1),
      unitGoalRow('a', '1', 'revenue', 4),
      unitGoalRow('a', '2', 'exposure', 1),
      unitGoalRow('a', '3', 'exposure', 1),
      unitGoalRow('b', '4', 'exposure', 1),
      unitGoalRow('b', '4', 'revenue', 1),
      unitGoalRow('b', '5', 'exposure', 1),
    ];
    const control = experiment.evaluateByUnit(rows).metrics[0]!;
    expect(control.mean).toBeCloseTo(4 / 3, 15);
    expect(control.std).toBeCloseTo(Math.sqrt(16 / 3), 14);
  });
});

describe('evaluateByUnit winsorization pool', () => {
  it('exposed units without a conversion are zeros of the pool, even when no metric reads exposures', () => {
    const revenuePerConversion = new Metric({
      id: 1,
      name: 'Revenue per conversion',
      nominator: 'value(u.unit.conversion)',
      denominator: 'count(u.unit.conversion)',
      outlierUpperPercentile: 5,
    });
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [revenuePerConversion],
    });
    // Per variant 45 exposed units that never convert and 5 converting units: a with revenues 1..5,
    // b with revenues 6..10. Pool: 90 zeros and 1..10; the 0.95 quantile of the 100 sorted values has
    // h = 99 * 0.95 = 94.05, between sorted[94] = 5 and sorted[95] = 6: 5.05. So a keeps 1..5 (mean 3) and
    // b's revenues are all capped to 5.05 (mean 5.05). Without the zeros the pool would be 1..10 with the
    // threshold 9.55, and b's mean 7.91.
    const rows: UnitGoalRow[] = [];
    for (const [variant, first] of [
      ['a', 1],
      ['b', 6],
    ] as const) {
      for (let unit = 0; unit < 50; unit++) {
        const id = `${variant}${unit}`;
        rows.push(unitGoalRow(variant, id, 'exposure', 1));
        if (unit < 5) rows.push(unitGoalRow(variant, id, 'conversion', first + unit));
      }
    }
    const means = experiment.evaluateByUnit(rows).metrics.map((r) => r.mean);
    expect(means[0]).toBeCloseTo(3, 14);
    expect(means[1]).toBeCloseTo(5.05, 13);
  });
});
