import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Experiment, Metric, SrmCheck } from '../../src/index.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';

const metrics = [
  new Metric({
    id: 1,
    name: 'CTR',
    nominator: 'count(u.unit.click)',
    denominator: 'count(u.global.exposure)',
  }),
  new Metric({
    id: 2,
    name: 'Revenue',
    nominator: 'value(u.unit.revenue)',
    denominator: 'count(u.global.exposure)',
  }),
];
const checks = [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' })];
const experiment = new Experiment({ id: 'x', controlVariant: 'a', unitType: 'u', metrics, checks });

/** Per-unit revenues of one variant; clicks and exposures are derived so every sum of squares is consistent. */
const variantData = fc.record({
  exposures: fc.integer({ min: 2, max: 5000 }),
  clickShare: fc.double({ min: 0, max: 1, noNaN: true }),
  // Negative revenues (refunds) included: a negative control mean must not flip any sign.
  revenues: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 30 }),
});

function rowsOf(variant: string, data: { exposures: number; clickShare: number; revenues: number[] }) {
  const clicks = Math.round(data.exposures * data.clickShare);
  const revenue = data.revenues.reduce((a, b) => a + b, 0);
  const revenueSquares = data.revenues.reduce((a, b) => a + b * b, 0);
  const row = (goal: string, count: number, sum: number, sumSqr: number) =>
    aggregatedGoalRow(variant, goal, count, { exp_id: 'x', sum_value: sum, sum_sqr_value: sumSqr });
  return [
    row('exposure', data.exposures, data.exposures, data.exposures),
    row('click', clicks, clicks, clicks),
    row('revenue', data.revenues.length, revenue, revenueSquares),
  ];
}

const experimentData = fc
  .array(variantData, { minLength: 2, maxLength: 5 })
  .map((variants) => variants.flatMap((data, index) => rowsOf(String.fromCharCode(97 + index), data)));

const RUNS = { numRuns: 300 };

describe('evaluateAgg invariants', () => {
  it('p-values are in [0, 1] (or NaN)', () => {
    fc.assert(
      fc.property(experimentData, (rows) => {
        for (const row of experiment.evaluateAgg(rows).metrics) {
          if (!Number.isNaN(row.pValue)) expect(row.pValue >= 0 && row.pValue <= 1).toBe(true);
        }
        for (const row of experiment.evaluateAgg(rows).checks) {
          if (row.variableId === 'p_value') expect(row.value >= 0 && row.value <= 1).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('intervals are never inverted and the statistic has the sign of diff, whatever the sign of the means', () => {
    fc.assert(
      fc.property(experimentData, (rows) => {
        const evaluation = experiment.evaluateAgg(rows);
        for (const row of evaluation.metrics) {
          // A control mean of 0 (diff and se infinite) has no meaningful interval.
          if (!Number.isFinite(row.confidenceInterval) || !Number.isFinite(row.diff)) continue;
          expect(row.confidenceInterval).toBeGreaterThanOrEqual(0);
          expect(row.standardError).toBeGreaterThanOrEqual(0);
          expect(row.confidenceLower).toBeLessThanOrEqual(row.confidenceUpper);
          expect(row.confidenceLower).toBe(row.diff - row.confidenceInterval);
          expect(row.confidenceUpper).toBe(row.diff + row.confidenceInterval);
          if (row.diff !== 0 && Number.isFinite(row.testStat) && row.testStat !== 0) {
            expect(Math.sign(row.testStat)).toBe(Math.sign(row.diff));
          }
          if (!Number.isNaN(row.absoluteDiffLower)) {
            expect(row.absoluteDiffLower).toBeLessThanOrEqual(row.absoluteDiff);
            expect(row.absoluteDiff).toBeLessThanOrEqual(row.absoluteDiffUpper);
          }
        }
      }),
      RUNS,
    );
  });

  it('a treatment is significant exactly when its interval excludes 0, and then p < 1 - level (two variants)', () => {
    const twoVariants = experimentData.filter(
      (rows) => new Set(rows.map((r) => r.exp_variant_id)).size === 2,
    );
    fc.assert(
      fc.property(twoVariants, (rows) => {
        const evaluation = experiment.evaluateAgg(rows);
        for (const row of evaluation.metrics) {
          if (row.expVariantId === 'a') {
            expect(row.significant).toBe(false);
            continue;
          }
          expect(row.significant).toBe(row.confidenceLower > 0 || row.confidenceUpper < 0);
          // |diff| > se q  <=>  |stat| > q  <=>  p < alpha (same t distribution); away from the boundary.
          const alpha = 1 - row.confidenceLevel;
          if (Number.isFinite(row.pValue) && Math.abs(row.pValue - alpha) > 1e-9 && row.standardError > 0) {
            expect(row.significant).toBe(row.pValue < alpha);
          }
        }
      }),
      RUNS,
    );
  });

  it('permuting the goal rows changes nothing', () => {
    fc.assert(
      fc.property(
        experimentData.chain((rows) =>
          fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length })),
        ),
        ([rows, shuffled]) => {
          expect(experiment.evaluateAgg(shuffled, { timestamp: 0 })).toEqual(
            experiment.evaluateAgg(rows, { timestamp: 0 }),
          );
        },
      ),
      RUNS,
    );
  });

  it('splitting a row into two halves changes nothing', () => {
    fc.assert(
      fc.property(experimentData, fc.nat(), (rows, pick) => {
        const index = pick % rows.length;
        const row = rows[index]!;
        const half = (key: string) => Number(row[key]) / 2;
        const halfRow = {
          ...row,
          count: half('count'),
          sum_sqr_count: half('sum_sqr_count'),
          sum_value: half('sum_value'),
          sum_sqr_value: half('sum_sqr_value'),
          count_unique: half('count_unique'),
        };
        const split = [...rows.slice(0, index), halfRow, halfRow, ...rows.slice(index + 1)];
        expect(experiment.evaluateAgg(split, { timestamp: 0 })).toEqual(
          experiment.evaluateAgg(rows, { timestamp: 0 }),
        );
      }),
      RUNS,
    );
  });

  it('a variant identical to the control gets diff 0 and p 1', () => {
    fc.assert(
      fc.property(variantData, (data) => {
        const control = rowsOf('a', data);
        const twin = control.map((row) => ({ ...row, exp_variant_id: 'b' }));
        const rows = experiment
          .evaluateAgg([...control, ...twin])
          .metrics.filter((row) => row.expVariantId === 'b');
        for (const row of rows) {
          if (row.mean > 0 && row.std > 0) {
            expect(row.diff).toBe(0);
            expect(row.pValue).toBe(1);
          }
        }
      }),
      RUNS,
    );
  });
});
