import { describe, expect, it } from 'vitest';
import { impreciseVarianceCells } from '../../src/experiment/imprecise-variance.js';
import { type AggregatedGoalRow, Experiment, Metric } from '../../src/index.js';
import { aggregatedGoalRow, unitGoalRow } from '../support/goal-rows.js';

const metric = new Metric({
  id: 1,
  name: 'Order value',
  nominator: 'value(u.unit.order)',
  denominator: 'count(u.global.exposure)',
});
const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [metric] });

/** Aggregated rows of a variant whose per-unit values are summed in floating point, as SQL would. */
function rowsOf(variant: string, values: readonly number[]): AggregatedGoalRow[] {
  let sum = 0;
  let squares = 0;
  for (const value of values) {
    sum += value;
    squares += value * value;
  }
  const n = values.length;
  return [
    aggregatedGoalRow(variant, 'exposure', n),
    aggregatedGoalRow(variant, 'order', n, { sum_value: sum, sum_sqr_value: squares }),
  ];
}

describe('imprecise-variance', () => {
  it('flags sums of squares that lose the variance to cancellation (mean 1e6, std 1, 1e5 units)', () => {
    // Summed in floating point, sum_sqr_value - sum_value^2 / count comes out about -2e5 here instead of
    // about 1e5: the variance is lost (negative-variance warns too).
    const n = 100_000;
    // Both arms: values around 1e6 with sample standard deviation about 1.
    const arm = (shift: number) => Array.from({ length: n }, (_, i) => 1e6 + shift + (i % 2 === 0 ? 1 : -1));
    const evaluation = experiment.evaluateAgg([...rowsOf('a', arm(0.1)), ...rowsOf('b', arm(0.3))]);
    const warning = evaluation.warnings.find((w) => w.code === 'imprecise-variance');
    expect(warning?.metricIds).toEqual([1]);
    expect(warning?.variants).toEqual(['a', 'b']);
    expect(warning?.message).toContain("metric 'Order value' in variants a, b");
  });

  it('stays quiet for ordinary data (mean 10, std 1) and for exact zero variances', () => {
    const ordinary = Array.from({ length: 1000 }, (_, i) => 10 + (i % 2 === 0 ? 1 : -1));
    const ones = Array.from({ length: 1000 }, () => 1);
    for (const values of [ordinary, ones]) {
      const evaluation = experiment.evaluateAgg([...rowsOf('a', values), ...rowsOf('b', values)]);
      expect(evaluation.warnings.filter((w) => w.code === 'imprecise-variance')).toEqual([]);
    }
  });

  it('flags exactly the cells whose ratio sum_sqr / centred exceeds 1e-6 / eps', () => {
    const limit = 1e-6 / Number.EPSILON; // about 4.5e9
    const sumSqr = Float64Array.of(limit * 2, limit / 2, 5, 5, 1e12, limit * 2);
    const centered = Float64Array.of(1, 1, 0, -1, 1e3, -1);
    // ratios: 2 limit (flagged), limit / 2, exact 0 (not flagged), -5 (inconsistent sums, not rounding),
    // 1e9 < limit, -2 limit (rounding noise below zero: flagged)
    expect(Array.from(impreciseVarianceCells(sumSqr, centered))).toEqual([1, 0, 0, 0, 0, 1]);
  });

  it('by unit, variances come from centred values and are not flagged', () => {
    const units = Array.from({ length: 1000 }, (_, i) => 1e6 + (i % 2 === 0 ? 1 : -1));
    const rows = ['a', 'b'].flatMap((variant) =>
      units.flatMap((value, i) => [
        unitGoalRow(variant, `${i}`, 'exposure'),
        unitGoalRow(variant, `${i}`, 'order', value),
      ]),
    );
    const byUnit = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [
        new Metric({
          id: 1,
          name: 'Order value',
          nominator: 'value(u.unit.order)',
          denominator: 'count(u.unit.exposure)',
        }),
      ],
    });
    const evaluation = byUnit.evaluateByUnit(rows);
    expect(evaluation.warnings.filter((w) => w.code === 'imprecise-variance')).toEqual([]);
    // sample variance of 1000 values +-1 around 1e6 is 1000 / 999
    expect(evaluation.metrics[0]!.std).toBeCloseTo(Math.sqrt(1000 / 999), 12);
  });
});
