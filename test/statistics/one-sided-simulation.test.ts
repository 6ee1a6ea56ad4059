/**
 * One-sided and non-inferiority tests by simulation: seeded A/A experiments (and experiments whose true
 * difference lies exactly on the non-inferiority margin) evaluated with `Experiment.evaluateAgg`, one metric
 * per simulated experiment, all in one evaluation. A one-sided test at alpha must reject a true null
 * hypothesis at rate alpha (not alpha / 2, as a two-sided p-value halved the wrong way or a two-sided
 * quantile would), and a non-inferiority test must reject at rate at most alpha when the treatment is worse
 * by exactly the margin.
 */
import { describe, expect, it } from 'vitest';
import { type AggregatedGoalRow, Experiment, Metric, type MetricRow } from '../../src/index.js';
import { binomialBand } from '../calibration/binomial-band.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { standardNormal, uniform } from '../support/uniform.js';

/** Simulated experiments per setting. */
const EXPERIMENTS = 4000;
/** Units per variant, values normal with mean 10 and standard deviation 2. */
const UNITS = 200;
const MEAN = 10;
const SD = 2;
const ALPHA = 0.05;
const MARGIN = 0.02;

/** The aggregated row of `goal` of one variant: the sums of `UNITS` normal values of mean `mean`. */
function simulatedRow(random: () => number, variant: string, goal: string, mean: number): AggregatedGoalRow {
  let sum = 0;
  let sumSqr = 0;
  for (let unit = 0; unit < UNITS; unit++) {
    const value = mean + SD * standardNormal(random);
    sum += value;
    sumSqr += value * value;
  }
  return aggregatedGoalRow(variant, goal, UNITS, { sum_value: sum, sum_sqr_value: sumSqr });
}

function simulate() {
  const random = uniform(20_240_517);
  const rows: AggregatedGoalRow[] = [
    aggregatedGoalRow('a', 'exposure', UNITS),
    aggregatedGoalRow('b', 'exposure', UNITS),
  ];
  const metrics: Metric[] = [];
  const metricOf = (id: number, goal: string, options: Partial<ConstructorParameters<typeof Metric>[0]>) =>
    new Metric({
      id,
      name: `${goal} ${options.alternative}`,
      nominator: `value(u.unit.${goal})`,
      denominator: 'count(u.global.exposure)',
      ...options,
    });
  for (let k = 0; k < EXPERIMENTS; k++) {
    // A/A: both variants of mean 10; tested once for an increase and once for a decrease.
    rows.push(simulatedRow(random, 'a', `aa${k}`, MEAN), simulatedRow(random, 'b', `aa${k}`, MEAN));
    metrics.push(metricOf(3 * k, `aa${k}`, { alternative: 'greater' }));
    metrics.push(metricOf(3 * k + 1, `aa${k}`, { alternative: 'less' }));
    // On the margin: the treatment is worse by exactly 2 % (higher is better).
    rows.push(
      simulatedRow(random, 'a', `ni${k}`, MEAN),
      simulatedRow(random, 'b', `ni${k}`, MEAN * (1 - MARGIN)),
    );
    metrics.push(metricOf(3 * k + 2, `ni${k}`, { alternative: 'greater', nonInferiorityMargin: MARGIN }));
  }
  const evaluation = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics }).evaluateAgg(
    rows,
  );
  const treatments = evaluation.metrics.filter((row) => row.expVariantId === 'b');
  const rejections = (remainder: number) =>
    treatments.filter((row) => (row.metricId as number) % 3 === remainder && row.pValue < ALPHA).length;
  return { treatments, greater: rejections(0), less: rejections(1), nonInferiority: rejections(2) };
}

describe('one-sided tests by simulation (4,000 experiments per setting, 200 units per variant)', () => {
  const result = simulate();
  // Exact central 99.9 % band of Binomial(4000, p): about 200 -+ 45 at alpha = 5 %, about 100 -+ 33 at
  // alpha / 2; the two do not overlap, so a test calibrated at alpha / 2 fails the first.
  const atAlpha = binomialBand(EXPERIMENTS, ALPHA, 0.999);
  const atHalfAlpha = binomialBand(EXPERIMENTS, ALPHA / 2, 0.999);

  it('the bands at alpha and alpha / 2 are disjoint', () => {
    expect(atHalfAlpha.upper).toBeLessThan(atAlpha.lower);
  });

  it('an A/A one-sided test rejects at rate alpha on either side', () => {
    console.log(
      `one-sided A/A rejections at ${ALPHA}: greater ${result.greater / EXPERIMENTS}, less ` +
        `${result.less / EXPERIMENTS}; band ${atAlpha.lower / EXPERIMENTS}-${atAlpha.upper / EXPERIMENTS}`,
    );
    for (const count of [result.greater, result.less]) {
      expect(count).toBeGreaterThanOrEqual(atAlpha.lower);
      expect(count).toBeLessThanOrEqual(atAlpha.upper);
    }
  });

  it('a non-inferiority test with the true difference on the margin rejects at rate at most alpha', () => {
    console.log(
      `non-inferiority rejections at the margin: ${result.nonInferiority / EXPERIMENTS} (alpha ${ALPHA})`,
    );
    expect(result.nonInferiority).toBeLessThanOrEqual(atAlpha.upper);
    // At the boundary the test is exact up to the delta method: the rate is alpha itself, not below it.
    expect(result.nonInferiority).toBeGreaterThanOrEqual(atAlpha.lower);
  });

  it('significant is the p-value below alpha, row by row', () => {
    const disagreeing = result.treatments.filter((row: MetricRow) => row.significant !== row.pValue < ALPHA);
    expect(disagreeing).toEqual([]);
  });
});
