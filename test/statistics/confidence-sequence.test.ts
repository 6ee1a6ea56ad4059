/**
 * The asymptotic confidence sequence (src/statistics/confidence-sequence.ts) against GrowthBook's published
 * sequential test values (gbstats, growthbook/growthbook at commit 8f1db4456915a8e7b7faf23d5632ca7219d2f469,
 * packages/stats/tests/frequentist/test_tests.py; literals quoted with file and lines, gbstats rounds them to 5
 * decimals) and against closed-form consequences of the formulas. gbstats' estimate and standard error of the
 * relative difference of sample means are ep-stats' (variance with n - 1, delta method); its proportions use
 * the divisor-n variance p (1 - p), which the proportion case computes here the same way. The sequence is a
 * normal-theory construction, so gbstats' fractional degrees of freedom play no part and the conventions agree.
 */
import { describe, expect, it } from 'vitest';
import {
  confidenceSequenceHalfWidth,
  confidenceSequencePValue,
  confidenceSequenceRho,
  DEFAULT_SEQUENTIAL_TUNING,
  normalQuantile,
} from '../../src/index.js';

/** Half a unit of the 5th decimal: the tolerance of a literal that gbstats' test rounded to 5 decimals. */
const ROUNDED_5 = 5e-6;

/** The relative difference of two sample means and its delta-method standard error (gbstats' and ours). */
function relativeMeans(control: Arm, treatment: Arm, variance: (arm: Arm) => number) {
  const mc = control.sum / control.n;
  const mt = treatment.sum / treatment.n;
  const vc = variance(control) / control.n;
  const vt = variance(treatment) / treatment.n;
  return {
    diff: (mt - mc) / mc,
    se: Math.sqrt(vt / mc ** 2 + (vc * mt ** 2) / mc ** 4),
    absolute: mt - mc,
    absoluteSe: Math.sqrt(vc + vt),
    n: control.n + treatment.n,
  };
}
interface Arm {
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
}
const sampleVariance = ({ n, sum, sumSquares }: Arm) => (sumSquares - sum ** 2 / n) / (n - 1);
const proportionVariance = ({ n, sum }: Arm) => (sum / n) * (1 - sum / n);

// test_tests.py lines 199-200 (and 464-466): SampleMeanStatistic arms.
const control: Arm = { n: 3000, sum: 1396.87, sumSquares: 52377.9767 };
const treatment: Arm = { n: 3461, sum: 2422.7, sumSquares: 134698.29 };

describe('gbstats published sequential values', () => {
  it('SequentialTwoSidedTTest, tuning 1000: estimate, interval and p-value (test_tests.py lines 198-216)', () => {
    const { diff, se, n } = relativeMeans(control, treatment, sampleVariance);
    const rho = confidenceSequenceRho(0.05, 1000);
    const halfWidth = confidenceSequenceHalfWidth(se, n, 0.05, rho);
    expect(Math.abs(diff - 0.50336)).toBeLessThanOrEqual(ROUNDED_5);
    expect(Math.abs(se - 0.33341)).toBeLessThanOrEqual(ROUNDED_5);
    expect(Math.abs(diff - halfWidth - -0.55844)).toBeLessThanOrEqual(ROUNDED_5);
    expect(Math.abs(diff + halfWidth - 1.56516)).toBeLessThanOrEqual(ROUNDED_5);
    // pValue=1: the e-value is below 1, so the p-value is capped.
    expect(confidenceSequencePValue(diff / se, n, rho)).toBe(1);
  });

  it('SequentialTwoSidedTTest of proportions, default tuning 5000 (test_tests.py lines 218-234)', () => {
    // ProportionStatistic(sum=1396, n=3000) and (sum=2422, n=3461): variance p (1 - p).
    const arms = relativeMeans(
      { n: 3000, sum: 1396, sumSquares: 1396 },
      { n: 3461, sum: 2422, sumSquares: 2422 },
      proportionVariance,
    );
    const rho = confidenceSequenceRho(0.05, DEFAULT_SEQUENTIAL_TUNING);
    const halfWidth = confidenceSequenceHalfWidth(arms.se, arms.n, 0.05, rho);
    expect(Math.abs(arms.diff - 0.50386)).toBeLessThanOrEqual(ROUNDED_5);
    expect(Math.abs(arms.se - 0.03386)).toBeLessThanOrEqual(ROUNDED_5);
    expect(Math.abs(arms.diff - halfWidth - 0.40098)).toBeLessThanOrEqual(ROUNDED_5);
    expect(Math.abs(arms.diff + halfWidth - 0.60675)).toBeLessThanOrEqual(ROUNDED_5);
    // pValue=0.0 after rounding to 5 decimals.
    expect(confidenceSequencePValue(arms.diff / arms.se, arms.n, rho)).toBeLessThan(ROUNDED_5);
  });

  it("SequentialOneSidedTreatmentGreater/Lesser: the interval's finite bound (test_tests.py lines 463-560)", () => {
    const { diff, se, absolute, absoluteSe, n } = relativeMeans(control, treatment, sampleVariance);
    const rho = confidenceSequenceRho(0.05, DEFAULT_SEQUENTIAL_TUNING, 'greater');
    const relative = confidenceSequenceHalfWidth(se, n, 0.05, rho, 'greater');
    const absoluteHalfWidth = confidenceSequenceHalfWidth(absoluteSe, n, 0.05, rho, 'less');
    // Full-precision literals; the test compares them rounded to 5 decimals.
    expect(Math.abs(diff - relative - -0.42356454602790883)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(diff + relative - 1.4302867177403806)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(absolute - absoluteHalfWidth - -0.12656844172804982)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(absolute + absoluteHalfWidth - 0.5953217750613832)).toBeLessThanOrEqual(1e-12);
  });

  it('one-sided p-value: the root that gbstats bisects for (absolute case, test_tests.py lines 490-511)', () => {
    const { absolute, absoluteSe, n } = relativeMeans(control, treatment, sampleVariance);
    const rho = confidenceSequenceRho(0.05, DEFAULT_SEQUENTIAL_TUNING, 'greater');
    const p = confidenceSequencePValue(absolute / absoluteSe, n, rho, 'greater');
    // gbstats' literal 0.46316491943359384 is the midpoint of its last bisection bracket (frequentist/tests.py
    // lines 363-455: bracket [1e-5, 0.4999] halved until the bound is within 1e-6 of 0, after 11 halvings):
    // the exact root lies within half a bracket, (0.4999 - 1e-5) / 2^12, of it.
    expect(Math.abs(p - 0.46316491943359384)).toBeLessThanOrEqual((0.4999 - 1e-5) / 2 ** 12);
    // At the exact root the lower bound is 0, to rounding.
    expect(absolute - confidenceSequenceHalfWidth(absoluteSe, n, p, rho, 'greater')).toBeCloseTo(0, 12);
    // Relative case: gbstats reports 0.4999 ("above its range"); the exact value is larger.
    const { diff, se } = relativeMeans(control, treatment, sampleVariance);
    expect(confidenceSequencePValue(diff / se, n, rho, 'greater')).toBeGreaterThan(0.4999);
  });
});

describe('the formulas', () => {
  const rho = confidenceSequenceRho(0.05, 5000);

  it('rho is eq. 161: sqrt((-2 ln alpha + ln(1 - 2 ln alpha)) / N*), with 2 alpha one-sided', () => {
    const a = -2 * Math.log(0.05);
    expect(rho).toBeCloseTo(Math.sqrt((a + Math.log(1 + a)) / 5000), 15);
    const b = -2 * Math.log(0.1);
    expect(confidenceSequenceRho(0.05, 5000, 'less')).toBeCloseTo(
      Math.sqrt((b + Math.log(1 + b)) / 5000),
      15,
    );
    // rho^2 N* does not depend on N*.
    expect(confidenceSequenceRho(0.05, 20_000) ** 2 * 20_000).toBeCloseTo(rho ** 2 * 5000, 12);
  });

  it("the half-width equals GrowthBook's published form se sqrt(N) sqrt(2 (N rho^2 + 1) / (N^2 rho^2) ln(sqrt(N rho^2 + 1) / alpha))", () => {
    for (const [se, n, alpha] of [
      [0.01, 100, 0.05],
      [0.3, 6461, 0.05],
      [2, 1e7, 0.01],
      [0.05, 5000, 0.2],
    ] as const) {
      const r = confidenceSequenceRho(alpha, 5000);
      const published =
        se *
        Math.sqrt(n) *
        Math.sqrt(((2 * (n * r ** 2 + 1)) / (n ** 2 * r ** 2)) * Math.log(Math.sqrt(n * r ** 2 + 1) / alpha));
      expect(confidenceSequenceHalfWidth(se, n, alpha, r)).toBeCloseTo(published, 12);
    }
  });

  it('is wider than the fixed-horizon normal interval at every N, least so near the tuning sample size', () => {
    const z = normalQuantile(0.975);
    const multiplier = (n: number) => confidenceSequenceHalfWidth(1, n, 0.05, rho);
    const sizes = [10, 100, 1000, 2000, 5000, 10_000, 100_000, 1e6, 1e8];
    for (const n of sizes) expect(multiplier(n)).toBeGreaterThan(z);
    // The minimum over N of the multiplier divided by sqrt(N) against the fixed-horizon width z / sqrt(N):
    // the ratio multiplier(N) / z is smallest near N* and grows on both sides.
    const ratios = sizes.map((n) => multiplier(n) / z);
    const smallest = sizes[ratios.indexOf(Math.min(...ratios))];
    expect(smallest).toBeGreaterThanOrEqual(2000);
    expect(smallest).toBeLessThanOrEqual(10_000);
    // Large N: the multiplier grows like sqrt(ln N) (law of the iterated logarithm rate), so the width still
    // shrinks to 0 like sqrt(ln N / N).
    expect(multiplier(1e12) / Math.sqrt(1e12)).toBeLessThan(multiplier(1e8) / Math.sqrt(1e8));
    expect(multiplier(1e12) ** 2 / Math.log(1e12)).toBeCloseTo(1, 1);
  });

  it('the two-sided p-value is the smallest alpha whose sequence excludes 0', () => {
    for (const [t, n] of [
      [3, 10_000],
      [4.5, 800],
      [-3.7, 50_000],
      [5, 1e6],
    ] as const) {
      const p = confidenceSequencePValue(t, n, rho);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
      // With se 1 the estimate is t: at alpha = p the sequence's bound touches 0.
      expect(confidenceSequenceHalfWidth(1, n, p, rho)).toBeCloseTo(Math.abs(t), 12);
      expect(confidenceSequenceHalfWidth(1, n, p * 1.001, rho)).toBeLessThan(Math.abs(t));
      expect(confidenceSequenceHalfWidth(1, n, p * 0.999, rho)).toBeGreaterThan(Math.abs(t));
    }
  });

  it('the p-value is the reciprocal of the mixture e-value exp(rho^2 N t^2 / (2 (N rho^2 + 1))) / sqrt(N rho^2 + 1)', () => {
    const n = 20_000;
    const t = 4;
    const s = n * rho ** 2;
    const eValue = Math.exp((rho ** 2 * n * t ** 2) / (2 * (s + 1))) / Math.sqrt(s + 1);
    expect(confidenceSequencePValue(t, n, rho)).toBeCloseTo(1 / eValue, 15);
  });

  it('p-values lie in [0, 1]; the statistic 0 gives 1; NaN stays NaN; an infinite statistic gives 0', () => {
    expect(confidenceSequencePValue(0, 10_000, rho)).toBe(1);
    expect(confidenceSequencePValue(0.5, 10_000, rho, 'greater')).toBe(1);
    expect(confidenceSequencePValue(-6, 10_000, rho, 'greater')).toBe(1);
    expect(confidenceSequencePValue(6, 10_000, rho, 'less')).toBe(1);
    expect(confidenceSequencePValue(Number.NaN, 10_000, rho)).toBeNaN();
    expect(confidenceSequencePValue(Number.POSITIVE_INFINITY, 10_000, rho)).toBe(0);
    expect(confidenceSequencePValue(Number.NEGATIVE_INFINITY, 10_000, rho, 'less')).toBe(0);
  });

  it('the one-sided p-value is the smallest alpha whose one-sided bound excludes 0, for either direction', () => {
    const oneSided = confidenceSequenceRho(0.05, 5000, 'greater');
    const n = 12_000;
    const p = confidenceSequencePValue(3.5, n, oneSided, 'greater');
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.5);
    expect(confidenceSequenceHalfWidth(1, n, p, oneSided, 'greater')).toBeCloseTo(3.5, 12);
    expect(confidenceSequencePValue(-3.5, n, oneSided, 'less')).toBe(p);
    // A one-sided bound at alpha is closer than the two-sided one at the same alpha.
    expect(confidenceSequenceHalfWidth(1, n, 0.05, oneSided, 'greater')).toBeLessThan(
      confidenceSequenceHalfWidth(1, n, 0.05, confidenceSequenceRho(0.05, 5000)),
    );
  });
});
