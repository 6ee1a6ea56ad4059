/**
 * The report-wide correction of a drill-down by simulation: seeded A/A experiments of 3 variants whose units
 * fall into 5 countries, 4 metrics each, evaluated with `evaluateAggSegments` (overall block + 5 segments =
 * 6 blocks x 4 metrics x 2 treatments = 48 tests, the overall block positively dependent on the segments).
 * With the default scope each block is corrected alone and the chance that the drill-down shows at least one
 * false positive is far above alpha; with `correctionScope: 'report'` Holm keeps it within the binomial band
 * of alpha.
 */
import { describe, expect, it } from 'vitest';
import { type AggregatedGoalRow, Experiment, type ExperimentOptions } from '../../src/index.js';
import { binomialBand } from '../calibration/binomial-band.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { standardNormal, uniform } from '../support/uniform.js';
import { valueMetrics } from '../support/value-metrics.js';

const ALPHA = 0.05;
const REPLICATES = 300;
const COUNTRIES = ['CZ', 'SK', 'DE', 'AT', 'PL'] as const;
const VARIANTS = ['a', 'b', 'c'] as const;
const METRICS = 4;
/** Units per country and variant: at least 1,000 in every block, so that no `small-sample` warning is raised. */
const UNITS = 1_000;

const metrics = valueMetrics(METRICS);
const experiment = (options: Partial<ExperimentOptions>) =>
  new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: 'u',
    metrics,
    breakdowns: ['country'],
    ...options,
  });

/**
 * The goal rows of one A/A replicate: per country and variant `UNITS` exposed units, each with one value of
 * every metric's goal drawn from N(10, 1). The sums are drawn exactly through the sufficient statistics of
 * the normal sample: the sum of squares is `n xbar^2 + sum (x - xbar)^2`, the latter approximated by its
 * normal limit `(n - 1) + sqrt(2 (n - 1)) z` (chi-square with n - 1 = 999 degrees of freedom).
 */
function replicate(random: () => number): AggregatedGoalRow[] {
  const rows: AggregatedGoalRow[] = [];
  for (const country of COUNTRIES) {
    for (const variant of VARIANTS) {
      rows.push(aggregatedGoalRow(variant, 'exposure', UNITS, { country }));
      for (let m = 1; m <= METRICS; m++) {
        const mean = 10 + standardNormal(random) / Math.sqrt(UNITS);
        const deviations = UNITS - 1 + Math.sqrt(2 * (UNITS - 1)) * standardNormal(random);
        rows.push(
          aggregatedGoalRow(variant, `x${m}`, UNITS, {
            country,
            sum_value: UNITS * mean,
            sum_sqr_value: UNITS * mean * mean + deviations,
          }),
        );
      }
    }
  }
  return rows;
}

/** Whether any treatment row of any block of the drill-down is significant at alpha. */
function anyFalsePositive(experimentWith: Experiment, rows: readonly AggregatedGoalRow[]): boolean {
  const result = experimentWith.evaluateAggSegments(rows, { timestamp: 0 });
  const blocks = [result.overall, ...result.segments.map((segment) => segment.evaluation)];
  expect(blocks.length).toBe(1 + COUNTRIES.length);
  return blocks.some((block) => block.metrics.some((row) => row.expVariantId !== 'a' && row.pValue <= ALPHA));
}

describe('the correction of a drill-down by simulation (6 blocks x 4 metrics x 2 treatments, A/A)', () => {
  const settings = {
    "'holm', scope 'metric' (default)": experiment({}),
    "'holm', scope 'report'": experiment({ correctionScope: 'report' }),
  } as const;
  const random = uniform(20_261_208);
  const errors = { "'holm', scope 'metric' (default)": 0, "'holm', scope 'report'": 0 };
  for (let r = 0; r < REPLICATES; r++) {
    const rows = replicate(random);
    for (const [label, definition] of Object.entries(settings)) {
      if (anyFalsePositive(definition, rows)) errors[label as keyof typeof errors] += 1;
    }
  }

  it('prints the family-wise error rates', () => {
    const lines = Object.entries(errors).map(
      ([label, count]) =>
        `${label}: ${count} of ${REPLICATES} = ${((100 * count) / REPLICATES).toFixed(1)} %`,
    );
    console.info(lines.join('\n'));
    expect(lines).toHaveLength(2);
  });

  it("keeps the drill-down's family-wise error rate within alpha with scope 'report'", () => {
    // Holm controls the family-wise error rate under any dependence: the count of replicates with a false
    // positive must not exceed the upper end of the exact central 99.9 % band of Binomial(300, 0.05).
    const { upper } = binomialBand(REPLICATES, ALPHA, 0.999);
    expect(errors["'holm', scope 'report'"]).toBeLessThanOrEqual(upper);
  });

  it('lets the per-block correction exceed alpha several times over', () => {
    // 24 families of 2 tests (per block and metric): without dependence 1 - 0.95^24 = 71 % of the replicates
    // would have a false positive; the overall block's dependence on the segments lowers that a little. The
    // count must lie above the band of alpha, and well above it: more than 4 alpha.
    const { upper } = binomialBand(REPLICATES, ALPHA, 0.999);
    expect(errors["'holm', scope 'metric' (default)"]).toBeGreaterThan(upper);
    expect(errors["'holm', scope 'metric' (default)"] / REPLICATES).toBeGreaterThan(4 * ALPHA);
  });
});
