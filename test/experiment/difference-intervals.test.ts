import { describe, expect, it } from 'vitest';
import { type AggregatedGoalRow, Experiment, Metric, studentTQuantile } from '../../src/index.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';

/** Rows of one variant of a value metric with `n` units of mean `mean` and sample standard deviation 1. */
function variantRows(variant: string, n: number, mean: number): AggregatedGoalRow[] {
  const sum = n * mean;
  // sum of squares = (n - 1) s^2 + sum^2 / n with s = 1
  const sumSqr = n - 1 + (sum * sum) / n;
  return [
    aggregatedGoalRow(variant, 'exposure', n),
    aggregatedGoalRow(variant, 'profit', n, { sum_value: sum, sum_sqr_value: sumSqr }),
  ];
}

const profit = new Metric({
  id: 1,
  name: 'Profit',
  nominator: 'value(u.unit.profit)',
  denominator: 'count(u.global.exposure)',
});

describe('interval fields of metric rows', () => {
  it('a negative control mean keeps the half-width positive and the statistic signed like diff', () => {
    const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [profit] });
    const evaluation = experiment.evaluateAgg([
      ...variantRows('a', 1000, -2),
      ...variantRows('b', 1000, -1.8),
    ]);
    const row = evaluation.metrics[1]!;
    // diff = (-1.8 - -2) / |-2| = 0.1
    expect(row.diff).toBeCloseTo(0.1, 12);
    // vc = vt = 1 / 1000; se = sqrt(mt^2 vc / mc^2 + vt) / |mc| = sqrt(0.81e-3 + 1e-3) / 2
    const se = Math.sqrt(0.81e-3 + 1e-3) / 2;
    expect(row.standardError).toBeCloseTo(se, 14);
    expect(row.testStat).toBeCloseTo(0.1 / se, 10);
    // f = (vc + vt)^2 / (vc^2 / 999 + vt^2 / 999) = 2 * 999 = 1998
    expect(row.degreesOfFreedom).toBe(1998);
    const q = studentTQuantile(0.975, 1998);
    expect(row.confidenceInterval).toBeCloseTo(se * q, 12);
    expect(row.confidenceLower).toBeCloseTo(0.1 - se * q, 12);
    expect(row.confidenceUpper).toBeCloseTo(0.1 + se * q, 12);
    expect(row.significant).toBe(true);
    // Absolute difference -1.8 - -2 = 0.2, standard error sqrt(vc + vt), same quantile.
    expect(row.absoluteDiff).toBeCloseTo(0.2, 12);
    expect(row.absoluteDiffLower).toBeCloseTo(0.2 - Math.sqrt(2e-3) * q, 12);
    expect(row.absoluteDiffUpper).toBeCloseTo(0.2 + Math.sqrt(2e-3) * q, 12);
    // The control row compares the control with itself: never significant.
    expect(evaluation.metrics[0]!.significant).toBe(false);
    expect(evaluation.metrics[0]!.absoluteDiff).toBe(0);
  });

  it('the absolute interval uses the Holm-adjusted level of the row', () => {
    const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [profit] });
    const evaluation = experiment.evaluateAgg([
      ...variantRows('a', 1000, 10),
      ...variantRows('b', 1000, 10.2),
      ...variantRows('c', 1000, 10.05),
    ]);
    for (const row of evaluation.metrics.slice(1)) {
      // Holm: the smaller raw p-value (b) is multiplied by 2, so b's interval has level 1 - 0.05 / 2.
      const level = row.expVariantId === 'b' ? 1 - 0.05 / 2 : 0.95;
      const q = studentTQuantile(level + (1 - level) / 2, row.degreesOfFreedom);
      expect(row.confidenceInterval).toBeCloseTo(row.standardError * q, 12);
      const absoluteError = Math.sqrt(2 / 1000);
      expect(row.absoluteDiffUpper - row.absoluteDiff).toBeCloseTo(absoluteError * q, 12);
      expect(row.absoluteDiff - row.absoluteDiffLower).toBeCloseTo(absoluteError * q, 12);
    }
    expect(evaluation.metrics.map((row) => row.significant)).toEqual([false, true, false]);
  });

  it('bounds are NaN where the control has no units', () => {
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      variants: ['a', 'b'],
      metrics: [profit],
    });
    const row = experiment.evaluateAgg(variantRows('b', 100, 1)).metrics[1]!;
    expect(row.confidenceLower).toBeNaN();
    expect(row.absoluteDiffLower).toBeNaN();
    expect(row.significant).toBe(false);
  });
});
