/**
 * CUPED rows go through everything downstream of the test: Holm-Bonferroni across three variants on the
 * CUPED p-values, the O'Brien-Fleming level of an interim day, and a required sample size from the adjusted
 * (smaller) standard deviation. Each expectation is recomputed here from the pair estimates and the public
 * statistics functions.
 */
import { describe, expect, it } from 'vitest';
import { Experiment, holmBonferroni, Metric, type MetricSumsRow } from '../../src/index.js';
import { cupedMeanPair } from '../../src/statistics/cuped-estimates.js';
import { studentTQuantile, studentTUpperTail } from '../../src/statistics/distributions.js';
import { armSums, metricSumsRow } from '../support/cuped-sums.js';
import { standardNormal, uniform } from '../support/uniform.js';

const random = uniform(31_337);
const VARIANTS = ['a', 'b', 'c'] as const;

/** Per-unit (x, u) with correlation about 0.8, treatment lifts 0, 3 % and 6 %. */
const arms = VARIANTS.map((_, v) =>
  Array.from({ length: 1_500 + 100 * v }, () => {
    const propensity = standardNormal(random);
    const u = 10 + 3 * propensity + standardNormal(random);
    const x = (10 + 3 * propensity + standardNormal(random)) * (1 + 0.03 * v);
    return [x, u] as const;
  }),
);

const sums = arms.map((units) => armSums(units.map(([x, u]) => ({ x, u }))));

function rows(metricId: number): MetricSumsRow[] {
  return sums.map((s, v) => metricSumsRow(VARIANTS[v]!, metricId, s));
}

function experiment(options: { dateFor?: string } = {}) {
  const base = { nominator: 'value(u.unit.x)', denominator: 'count(u.global.exposure)', minimumEffect: 0.02 };
  return new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: 'u',
    dateFrom: '2024-01-01',
    dateTo: '2024-01-10',
    dateFor: options.dateFor ?? '2024-01-10',
    metrics: [
      new Metric({ id: 1, name: 'x with CUPED', ...base, cuped: { preDays: 14 } }),
      new Metric({ id: 2, name: 'x', ...base }),
    ],
  });
}

/** The unadjusted two-sided p-value and half-width of a pair at a level, degrees of freedom truncated. */
function pairTest(treatment: number, level: number) {
  const pair = cupedMeanPair(sums[0]!, sums[treatment]!);
  const vc = pair.unitVarianceControl / sums[0]!.n;
  const vt = pair.unitVarianceTreatment / sums[treatment]!.n;
  const df = Math.trunc((vc + vt) ** 2 / (vc ** 2 / (sums[0]!.n - 1) + vt ** 2 / (sums[treatment]!.n - 1)));
  const se = Math.sqrt(pair.relativeVariance);
  return {
    pair,
    p: 2 * studentTUpperTail(Math.abs(pair.relativeDiff / se), df),
    halfWidth: se * studentTQuantile(level + (1 - level) / 2, df),
  };
}

describe('CUPED rows downstream of the test', () => {
  it('Holm-Bonferroni adjusts the CUPED p-values of the two treatments', () => {
    const evaluation = experiment().evaluateMetricSums([...rows(1), ...rows(2)]);
    const cuped = evaluation.metrics.filter((row) => row.metricId === 1);
    const raw = [pairTest(1, 0.95).p, pairTest(2, 0.95).p];
    const adjusted = holmBonferroni(raw);
    expect(cuped[1]?.pValue).toBeCloseTo(adjusted[0]!, 14);
    expect(cuped[2]?.pValue).toBeCloseTo(adjusted[1]!, 14);
    // The adjusted difference itself is the pair's.
    expect(cuped[2]?.diff).toBe(pairTest(2, 0.95).pair.relativeDiff);
    // The +6 % treatment is detected with CUPED with a smaller p-value than without.
    const plain = evaluation.metrics.filter((row) => row.metricId === 2);
    expect(cuped[2]!.pValue).toBeLessThan(plain[2]!.pValue);
  });

  it("uses the O'Brien-Fleming level of an interim day for the CUPED interval", () => {
    const interim = experiment({ dateFor: '2024-01-05' });
    const level = interim.evaluationConfidenceLevel('2024-01-05');
    expect(level).toBeGreaterThan(0.95);
    // Two variants, so no Holm: the half-width is the pair's standard error times the t quantile at `level`.
    const twoVariants = [...rows(1), ...rows(2)].filter((row) => row.exp_variant_id !== 'c');
    const evaluation = new Experiment({
      ...{ id: 'e', controlVariant: 'a', unitType: 'u', dateFrom: '2024-01-01', dateTo: '2024-01-10' },
      dateFor: '2024-01-05',
      variants: ['a', 'b'],
      metrics: interim.metrics,
    }).evaluateMetricSums(twoVariants);
    const row = evaluation.metrics.find((r) => r.metricId === 1 && r.expVariantId === 'b')!;
    expect(row.confidenceLevel).toBe(level);
    expect(row.confidenceInterval).toBeCloseTo(pairTest(1, level).halfWidth, 14);
  });

  it('gives a smaller required sample size from the adjusted standard deviation', () => {
    const evaluation = experiment().evaluateMetricSums([...rows(1), ...rows(2)]);
    const cuped = evaluation.metrics.find((r) => r.metricId === 1 && r.expVariantId === 'b')!;
    const plain = evaluation.metrics.find((r) => r.metricId === 2 && r.expVariantId === 'b')!;
    const pair = pairTest(2, 0.95).pair;
    // The control's std is of its pair with the last treatment (c).
    const control = evaluation.metrics.find((r) => r.metricId === 1 && r.expVariantId === 'a')!;
    expect(control.std).toBeCloseTo(Math.sqrt(pair.unitVarianceControl), 12);
    expect(cuped.std).toBeCloseTo(Math.sqrt(pairTest(1, 0.95).pair.unitVarianceTreatment), 12);
    // Sample size scales with the variance: about 1 - rho^2 of the unadjusted one (rho about 0.9 here).
    const ratio = cuped.requiredSampleSize / plain.requiredSampleSize;
    expect(ratio).toBeGreaterThan(0.1);
    expect(ratio).toBeLessThan(0.3);
    expect(cuped.power).toBeGreaterThan(plain.power);
  });
});
