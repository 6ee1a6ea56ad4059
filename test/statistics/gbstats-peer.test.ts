/**
 * Published test values of GrowthBook's stats engine (gbstats 0.8.0, fixtures/peers/gbstats-cases.json, each
 * case naming its test file and lines) reproduced where the conventions agree: the two-sided t-test of the
 * relative difference of means and of ratios (delta method), with fractional Welch-Satterthwaite degrees of
 * freedom (gbstats does not truncate them), and the sample variance with n - 1. Checked at each case's own
 * tolerance (the literal as the gbstats test rounds it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { type Matrix, ratioMomentsMatrix, welchTestMatrix } from '../../src/index.js';

interface Moments {
  readonly n: number;
  readonly sum: number;
  readonly sum_squares: number;
}
interface RatioArm {
  readonly n: number;
  readonly m_statistic: Moments;
  readonly d_statistic: Moments;
  readonly m_d_sum_of_products: number;
}
interface PeerCase {
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
  readonly tolerance: { readonly abs: number };
}

const cases = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'peers', 'gbstats-cases.json'), 'utf8'),
) as PeerCase[];
const byId = (id: string) => {
  const found = cases.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no gbstats case ${id}`);
  return found;
};
const row = (...values: number[]) => ndarray(Float64Array.from(values), [1, values.length]) as Matrix;

/** The relative two-sided test of treatment against control from per-arm estimates and their variances. */
function relativeTest(estimate: Matrix, estimateVariance: Matrix, n: Matrix) {
  const result = welchTestMatrix({
    estimate,
    estimateVariance,
    sampleSize: n,
    sumValue: row(1e9, 1e9),
    controlIndex: 0,
    confidenceLevel: 0.95,
    fractionalDegreesOfFreedom: true,
  });
  const diff = result.diff.get(0, 1);
  const halfWidth = result.confidenceInterval.get(0, 1);
  return {
    diff,
    se: result.standardError.get(0, 1),
    p: result.pValue.get(0, 1),
    ci: [diff - halfWidth, diff + halfWidth],
  };
}

function meanArms(control: Moments, treatment: Moments) {
  const variance = ({ n, sum, sum_squares }: Moments) => (sum_squares - (sum * sum) / n) / (n - 1);
  return relativeTest(
    row(control.sum / control.n, treatment.sum / treatment.n),
    row(variance(control) / control.n, variance(treatment) / treatment.n),
    row(control.n, treatment.n),
  );
}

describe('gbstats published values', () => {
  it('tt-two-sided-mean-relative: estimate, interval, standard deviation of the uplift and p-value', () => {
    const peer = byId('tt-two-sided-mean-relative');
    const { control, treatment } = peer.inputs as { control: Moments; treatment: Moments };
    const result = meanArms(control, treatment);
    const expected = peer.expected as {
      expected: number;
      ci: [number, number];
      pValue: number;
      uplift: { stddev: number };
    };
    const tolerance = peer.tolerance.abs;
    expect(Math.abs(result.diff - expected.expected)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(result.ci[0]! - expected.ci[0])).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(result.ci[1]! - expected.ci[1])).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(result.se - expected.uplift.stddev)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(result.p - expected.pValue)).toBeLessThanOrEqual(tolerance);
  });

  it('gb-mean-relative: the engine-level mean metric, p-value to 9 decimals', () => {
    const peer = byId('gb-mean-relative');
    const { control, treatment } = peer.inputs as { control: Moments; treatment: Moments };
    const result = meanArms(control, treatment);
    const expected = peer.expected as { expected: number; pValue: number };
    expect(Math.abs(result.diff - expected.expected)).toBeLessThanOrEqual(peer.tolerance.abs);
    expect(Math.abs(result.p - expected.pValue)).toBeLessThanOrEqual(peer.tolerance.abs);
  });

  it('gb-ratio-relative: the engine-level ratio metric by the delta method, p-value to 9 decimals', () => {
    const peer = byId('gb-ratio-relative');
    const { control, treatment } = peer.inputs as { control: RatioArm; treatment: RatioArm };
    const arms = [control, treatment];
    const moments = ratioMomentsMatrix({
      units: row(...arms.map((arm) => arm.n)),
      sumX: row(...arms.map((arm) => arm.m_statistic.sum)),
      sumX2: row(...arms.map((arm) => arm.m_statistic.sum_squares)),
      sumY: row(...arms.map((arm) => arm.d_statistic.sum)),
      sumY2: row(...arms.map((arm) => arm.d_statistic.sum_squares)),
      sumXY: row(...arms.map((arm) => arm.m_d_sum_of_products)),
    });
    const result = relativeTest(moments.estimate, moments.estimateVariance, row(control.n, treatment.n));
    const expected = peer.expected as {
      control_cr: number;
      treatment_cr: number;
      expected: number;
      pValue: number;
    };
    const tolerance = peer.tolerance.abs;
    expect(Math.abs(moments.estimate.get(0, 0) - expected.control_cr)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(moments.estimate.get(0, 1) - expected.treatment_cr)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(result.diff - expected.expected)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(result.p - expected.pValue)).toBeLessThanOrEqual(tolerance);
  });

  it('sm-mean-relative-negative-baseline: the lift divides by |control mean|', () => {
    const peer = byId('sm-mean-relative-negative-baseline');
    const { control, treatment } = peer.inputs as { control: Moments; treatment: Moments };
    const result = meanArms(control, treatment);
    expect(
      Math.abs(result.diff - (peer.expected as { point_estimate: number }).point_estimate),
    ).toBeLessThanOrEqual(peer.tolerance.abs);
    expect(result.se).toBeGreaterThan(0);
  });

  it('ts-sample-mean-moments: the sample variance divides by n - 1', () => {
    const peer = byId('ts-sample-mean-moments');
    const { statistic } = peer.inputs as { statistic: Moments };
    const moments = ratioMomentsMatrix({
      units: row(statistic.n),
      sumX: row(statistic.sum),
      sumX2: row(statistic.sum_squares),
      sumY: row(statistic.n),
      sumY2: row(statistic.n),
      sumXY: row(statistic.sum),
    });
    const expected = peer.expected as { mean: number; variance: number };
    expect(Math.abs(moments.estimate.get(0, 0) - expected.mean)).toBeLessThanOrEqual(peer.tolerance.abs);
    // std is the per-unit standard deviation when every denominator is 1
    expect(Math.abs(moments.std.get(0, 0) ** 2 - expected.variance)).toBeLessThanOrEqual(peer.tolerance.abs);
  });
});
