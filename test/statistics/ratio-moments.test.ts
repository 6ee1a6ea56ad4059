/**
 * The delta-method ratio kernel: against the per-unit definition, against the mean path when every
 * denominator is 1 (an evaluation of the equivalent goal rows), and by simulation (A/A coverage of the
 * interval when units contribute several correlated observations, where the per-observation interval
 * under-covers). Also the fractional Welch-Satterthwaite option against mpmath.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  adjustIntervalsForHolmMatrix,
  Experiment,
  holmBonferroniMatrix,
  type Matrix,
  Metric,
  ratioMomentsMatrix,
  studentTQuantile,
  studentTUpperTail,
  welchTestMatrix,
} from '../../src/index.js';
import { thrownValidationError } from '../support/thrown.js';
import { uniform } from '../support/uniform.js';

const row = (...values: number[]) => ndarray(Float64Array.from(values), [1, values.length]) as Matrix;

/** Per-variant sums of per-unit (x, y) pairs, one column per variant. */
function sumsOf(arms: readonly (readonly (readonly [number, number])[])[]) {
  const pick = (f: (x: number, y: number) => number) =>
    row(...arms.map((units) => units.reduce((sum, [x, y]) => sum + f(x, y), 0)));
  return {
    units: row(...arms.map((units) => units.length)),
    sumX: pick((x) => x),
    sumX2: pick((x) => x * x),
    sumY: pick((_, y) => y),
    sumY2: pick((_, y) => y * y),
    sumXY: pick((x, y) => x * y),
  };
}

function sums(units: readonly (readonly [number, number])[], f: (x: number, y: number) => number): number {
  return units.reduce((sum, [x, y]) => sum + f(x, y), 0);
}

/** The ratio moments of per-variant sums and the 95 % Welch test of their relative difference (control 0). */
function deltaMethodTest(sums: ReturnType<typeof sumsOf>) {
  const moments = ratioMomentsMatrix(sums);
  const welch = welchTestMatrix({
    estimate: moments.estimate,
    estimateVariance: moments.estimateVariance,
    sampleSize: sums.units,
    sumValue: sums.sumX,
    controlIndex: 0,
    confidenceLevel: 0.95,
  });
  return { moments, welch };
}

/** `Var(R)` by its definition: the sum of squared linearised residuals `x - R y`, two passes. */
function definitionVariance(units: readonly (readonly [number, number])[]): number {
  const n = units.length;
  const ratio = units.reduce((s, [x]) => s + x, 0) / units.reduce((s, [, y]) => s + y, 0);
  const meanY = units.reduce((s, [, y]) => s + y, 0) / n;
  const squares = units.reduce((s, [x, y]) => s + (x - ratio * y) ** 2, 0);
  return squares / (n - 1) / (n * meanY * meanY);
}

/** `|actual - expected|`, 0 when both are NaN (a degenerate cell is NaN on both paths). */
function absoluteError(actual: number, expected: number): number {
  return Number.isNaN(actual) && Number.isNaN(expected) ? 0 : Math.abs(actual - expected);
}

function relativeError(actual: number, expected: number): number {
  if (Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected))) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
}

describe('ratioMomentsMatrix', () => {
  it('gives the ratio and the variance of its linearised residuals (hand example)', () => {
    // (x, y): (2, 1), (0, 0), (9, 3), (4, 2). R = 15 / 6 = 2.5; residuals -0.5, 0, 1.5, -1: sum of squares 3.5;
    // Var(R) = 3.5 / 3 / (4 * 1.5^2) = 0.1296296...
    const moments = ratioMomentsMatrix(
      sumsOf([
        [
          [2, 1],
          [0, 0],
          [9, 3],
          [4, 2],
        ],
      ]),
    );
    expect(moments.estimate.get(0, 0)).toBe(2.5);
    expect(relativeError(moments.estimateVariance.get(0, 0), 3.5 / 3 / 9)).toBeLessThan(1e-14);
    expect(relativeError(moments.std.get(0, 0), Math.sqrt((4 * 3.5) / 3 / 9))).toBeLessThan(1e-14);
  });

  it('matches the per-unit definition on random units with varying denominators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 2, max: 400 }), (seed, n) => {
        const random = uniform(seed);
        const arms = [0, 1, 2].map(() =>
          Array.from({ length: n }, () => {
            const y = Math.floor(random() * 8);
            return [y * (1 + 3 * random()), y] as const;
          }),
        );
        if (arms.some((units) => units.every(([, y]) => y === 0))) return;
        const moments = ratioMomentsMatrix(sumsOf(arms));
        arms.forEach((units, v) => {
          const expected = definitionVariance(units);
          // Raw sums cancel digits that the two-pass definition keeps: the error is relative to the size of
          // the terms that cancel, sum x^2 / (n - 1) / (n ybar^2), not to a variance that may be 0.
          const n = units.length;
          const meanY = sums(units, (_, y) => y) / n;
          const scale = sums(units, (x) => x * x) / (n - 1) / (n * meanY * meanY);
          expect(Math.abs(moments.estimateVariance.get(0, v) - expected)).toBeLessThanOrEqual(1e-12 * scale);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('reproduces evaluateAgg on the equivalent goal rows when every denominator is 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 3, max: 300 }), (seed, n) => {
        const random = uniform(seed);
        const arms = ['a', 'b', 'c'].map((_, v) =>
          Array.from(
            { length: n + v * 7 },
            () => [random() < 0.3 ? 10 * random() * (1 + v * 0.1) : 0, 1] as const,
          ),
        );
        const sums = sumsOf(arms);
        const { moments, welch } = deltaMethodTest(sums);
        const adjusted = holmBonferroniMatrix(welch.pValue, { controlIndex: 0 });
        const intervals = adjustIntervalsForHolmMatrix({
          pValues: welch.pValue,
          adjustedPValues: adjusted,
          standardErrors: welch.standardError,
          degreesOfFreedom: welch.degreesOfFreedom,
          confidenceLevel: 0.95,
        });
        const experiment = new Experiment({
          id: 'e',
          controlVariant: 'a',
          unitType: 'u',
          metrics: [
            new Metric({
              id: 1,
              name: 'Revenue',
              nominator: 'value(u.unit.buy)',
              denominator: 'count(u.global.exposure)',
            }),
          ],
        });
        const goalRows: AggregatedGoalRow[] = ['a', 'b', 'c'].flatMap((variant, v) => {
          const units = arms[v]!;
          const base = { exp_id: 'e', exp_variant_id: variant, unit_type: 'u' };
          return [
            {
              ...base,
              agg_type: 'global',
              goal: 'exposure',
              count: units.length,
              sum_sqr_count: units.length,
              sum_value: 0,
              sum_sqr_value: 0,
              count_unique: units.length,
            },
            {
              ...base,
              agg_type: 'unit',
              goal: 'buy',
              count: units.length,
              sum_sqr_count: units.length,
              sum_value: sums.sumX.get(0, v),
              sum_sqr_value: sums.sumX2.get(0, v),
              count_unique: units.length,
            },
          ];
        });
        const evaluation = experiment.evaluateAgg(goalRows, { timestamp: 0 });
        evaluation.metrics.forEach((metricRow, v) => {
          expect(relativeError(moments.estimate.get(0, v), metricRow.mean)).toBeLessThan(1e-12);
          expect(relativeError(moments.std.get(0, v), metricRow.std)).toBeLessThan(1e-12);
          if (v === 0) return;
          expect(relativeError(welch.standardError.get(0, v), metricRow.standardError)).toBeLessThan(1e-12);
          expect(welch.degreesOfFreedom.get(0, v)).toBe(metricRow.degreesOfFreedom);
          // three variants: the evaluation reports Holm-adjusted p-values and intervals
          expect(absoluteError(adjusted.get(0, v), metricRow.pValue)).toBeLessThan(1e-12);
          expect(relativeError(intervals.get(0, v), metricRow.confidenceInterval)).toBeLessThan(1e-12);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('names a matrix of another shape', () => {
    const sums = sumsOf([[[1, 1]], [[2, 1]]]);
    const error = thrownValidationError(() => ratioMomentsMatrix({ ...sums, sumXY: row(1) }));
    expect(error.path).toEqual(['sumXY']);
  });
});

describe('delta-method ratio intervals by simulation (A/A, views per user vary, clicks correlated within a user)', () => {
  /**
   * 2,000 A/A experiments of 2 x 400 users. A user has 1 + Geometric(0.25) views (mean 4) and a click
   * probability ~ Beta(1, 4) (mean 0.2) for each view. Metric: clicks per view. The 95 % interval of the
   * relative difference by the delta method must cover 0 in a share of experiments inside the two-sided
   * 99.9 % binomial band around 95 % (0.95 +- 3.29 sqrt(0.95 0.05 / 2000) = [0.934, 0.966]); the interval that
   * treats every view as an independent Bernoulli observation must under-cover.
   */
  it('covers at the nominal rate; the per-view interval does not', () => {
    const random = uniform(20_261_207);
    const experiments = 2_000;
    const users = 400;
    let deltaCovered = 0;
    let naiveCovered = 0;
    for (let e = 0; e < experiments; e++) {
      const arms = [0, 1].map(() =>
        Array.from({ length: users }, () => {
          const views = 1 + Math.floor(Math.log(random()) / Math.log(0.75));
          const p = 1 - random() ** (1 / 4);
          let clicks = 0;
          for (let view = 0; view < views; view++) if (random() < p) clicks++;
          return [clicks, views] as const;
        }),
      );
      const sums = sumsOf(arms);
      const { moments, welch: delta } = deltaMethodTest(sums);
      if (Math.abs(delta.diff.get(0, 1)) <= delta.confidenceInterval.get(0, 1)) deltaCovered++;
      // Per view: n = views, a Bernoulli variance p (1 - p) of the click-through rate.
      const rate = moments.estimate;
      const naiveVariance = row(
        ...[0, 1].map((v) => (rate.get(0, v) * (1 - rate.get(0, v))) / (sums.sumY.get(0, v) - 1)),
      );
      const naive = welchTestMatrix({
        estimate: rate,
        estimateVariance: naiveVariance,
        sampleSize: sums.sumY,
        sumValue: sums.sumX,
        controlIndex: 0,
        confidenceLevel: 0.95,
      });
      if (Math.abs(naive.diff.get(0, 1)) <= naive.confidenceInterval.get(0, 1)) naiveCovered++;
    }
    const deltaCoverage = deltaCovered / experiments;
    const naiveCoverage = naiveCovered / experiments;
    console.info(
      `A/A coverage of 95 % intervals, clicks per view, ${experiments} experiments: delta method ${deltaCoverage}, per view ${naiveCoverage}`,
    );
    expect(deltaCoverage).toBeGreaterThanOrEqual(0.934);
    expect(deltaCoverage).toBeLessThanOrEqual(0.966);
    expect(naiveCoverage).toBeLessThan(0.934);
  });
});

describe('fractional Welch-Satterthwaite degrees of freedom', () => {
  // mpmath 1.3 (dps 40): P[T > t] = I_{nu / (nu + t^2)}(nu / 2, 1 / 2) / 2; quantile by findroot.
  const MPMATH_TWO_SIDED: readonly [number, number, number][] = [
    [2.1, 7.3, 0.07224671342485336],
    [1.5, 123.456, 0.1361674318492023],
    [3.2, 2345.67, 0.0013926247281182615],
    [0.4, 1.5, 0.7387209380028642],
  ];
  const MPMATH_QUANTILE_975: readonly [number, number][] = [
    [7.3, 2.345066736547704],
    [123.456, 1.9793660561670785],
    [2345.67, 1.9609758382855884],
    [1.5, 6.0166631044279315],
  ];

  it('evaluates the t distribution at non-integer degrees of freedom within 1e-12 of mpmath', () => {
    for (const [t, df, p] of MPMATH_TWO_SIDED) {
      expect(relativeError(2 * studentTUpperTail(t, df), p)).toBeLessThan(1e-12);
    }
    for (const [df, q] of MPMATH_QUANTILE_975) {
      expect(relativeError(studentTQuantile(0.975, df), q)).toBeLessThan(1e-12);
    }
  });

  it('keeps the Satterthwaite value and tests against it', () => {
    const input = {
      estimate: row(4, 5),
      estimateVariance: row(0.04, 0.05),
      sampleSize: row(100, 120),
      sumValue: row(400, 600),
      controlIndex: 0,
      confidenceLevel: 0.95,
    };
    const truncated = welchTestMatrix(input);
    const fractional = welchTestMatrix({ ...input, fractionalDegreesOfFreedom: true });
    const f = (0.04 + 0.05) ** 2 / (0.04 ** 2 / 99 + 0.05 ** 2 / 119);
    expect(relativeError(fractional.degreesOfFreedom.get(0, 1), f)).toBeLessThan(1e-15);
    expect(truncated.degreesOfFreedom.get(0, 1)).toBe(Math.trunc(f));
    const stat = fractional.testStat.get(0, 1);
    expect(fractional.pValue.get(0, 1)).toBe(
      2 * studentTUpperTail(stat, fractional.degreesOfFreedom.get(0, 1)),
    );
    expect(fractional.pValue.get(0, 1)).not.toBe(truncated.pValue.get(0, 1));
  });
});
