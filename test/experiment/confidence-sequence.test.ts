/**
 * `sequential: 'confidence-sequence'` end to end: GrowthBook's published sequential values (gbstats,
 * growthbook/growthbook at commit 8f1db4456915a8e7b7faf23d5632ca7219d2f469; literals quoted with file and
 * lines) reproduced through `evaluateAgg` and `evaluateMetricSums` (CUPED rows included), what changes in the
 * rows and what does not, the correction for multiple testing on the always-valid p-values, and validation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  confidenceSequenceHalfWidth,
  confidenceSequencePValue,
  confidenceSequenceRho,
  type Evaluation,
  Experiment,
  type ExperimentOptions,
  Metric,
  type MetricRow,
} from '../../src/index.js';
import type { CupedArmSums } from '../../src/statistics/cuped-estimates.js';
import { type GbstatsRatioArm, gbstatsRatioArm, metricSumsRow } from '../support/cuped-sums.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { thrownValidationError } from '../support/thrown.js';

/** Half a unit of the last decimal of a literal that gbstats' test rounds to `decimals`. */
const rounded = (decimals: number) => 0.5 * 10 ** -decimals;

const mean = (name = 'Value per unit') =>
  new Metric({ id: 1, name, nominator: 'value(u.unit.main)', denominator: 'count(u.global.exposure)' });

/** Aggregated rows of a mean metric: per variant the summed value, its squares and the exposed units. */
function meanRows(arms: Record<string, { n: number; sum: number; sumSquares: number }>) {
  return Object.entries(arms).flatMap(([variant, arm]) => [
    aggregatedGoalRow(variant, 'main', arm.n, { sum_value: arm.sum, sum_sqr_value: arm.sumSquares }),
    aggregatedGoalRow(variant, 'exposure', arm.n),
  ]);
}

const experiment = (options: Partial<ExperimentOptions> = {}) =>
  new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [mean()], ...options });

const treatmentRow = (evaluation: Evaluation, variant = 'b'): MetricRow =>
  evaluation.metrics.find((row) => row.expVariantId === variant)!;

// test_gbstats.py lines 48-64 (QUERY_OUTPUT, dimension "one"): control "zero", treatment "one".
const gbstatsDimensionOne = {
  a: { n: 100, sum: 270, sumSquares: 848.79 },
  b: { n: 120, sum: 300, sumSquares: 869 },
};
// test_tests.py lines 199-200: SampleMeanStatistic arms of the sequential tests.
const gbstatsArms = {
  a: { n: 3000, sum: 1396.87, sumSquares: 52377.9767 },
  b: { n: 3461, sum: 2422.7, sumSquares: 134698.29 },
};

describe('gbstats published values, end to end', () => {
  it('evaluateAgg reproduces analyze_metric_df with sequential testing, tuning 600 (test_gbstats.py lines 1207-1246)', () => {
    const row = treatmentRow(
      experiment({ sequential: 'confidence-sequence', sequentialTuning: 600 }).evaluateAgg(
        meanRows(gbstatsDimensionOne),
      ),
    );
    // The test rounds to 9 decimals (DECIMALS = 9, line 37).
    expect(Math.abs(row.diff - -0.074074074)).toBeLessThanOrEqual(rounded(9));
    expect(Math.abs(row.pValue - 0.892332229)).toBeLessThanOrEqual(rounded(9));
    expect(Math.abs(row.confidenceLower - -0.233322085)).toBeLessThanOrEqual(rounded(9));
    expect(row.confidenceLevel).toBe(0.95);
    // Lines 1250-1281: tuning 1 gives a wider interval.
    const badTuning = treatmentRow(
      experiment({ sequential: 'confidence-sequence', sequentialTuning: 1 }).evaluateAgg(
        meanRows(gbstatsDimensionOne),
      ),
    );
    expect(badTuning.confidenceLower).toBeLessThan(row.confidenceLower);
  });

  it('evaluateAgg reproduces SequentialTwoSidedTTest at tuning 1000 (test_tests.py lines 198-216)', () => {
    const row = treatmentRow(
      experiment({ sequential: 'confidence-sequence', sequentialTuning: 1000 }).evaluateAgg(
        meanRows(gbstatsArms),
      ),
    );
    expect(Math.abs(row.diff - 0.50336)).toBeLessThanOrEqual(rounded(5));
    expect(Math.abs(row.confidenceLower - -0.55844)).toBeLessThanOrEqual(rounded(5));
    expect(Math.abs(row.confidenceUpper - 1.56516)).toBeLessThanOrEqual(rounded(5));
    expect(row.pValue).toBe(1);
  });

  it('a one-sided metric gets the one-sided sequence of SequentialOneSidedTreatmentGreaterTTest (test_tests.py lines 468-488)', () => {
    const greater = new Metric({
      id: 1,
      name: 'Value per unit',
      nominator: 'value(u.unit.main)',
      denominator: 'count(u.global.exposure)',
      alternative: 'greater',
    });
    const row = treatmentRow(
      experiment({ metrics: [greater], sequential: 'confidence-sequence' }).evaluateAgg(
        meanRows(gbstatsArms),
      ),
    );
    expect(Math.abs(row.confidenceLower - -0.42356454602790883)).toBeLessThanOrEqual(1e-12);
    expect(row.confidenceUpper).toBe(Number.POSITIVE_INFINITY);
    const rho = confidenceSequenceRho(0.05, 5000, 'greater');
    expect(row.pValue).toBe(confidenceSequencePValue(row.testStat, 6461, rho, 'greater'));
    // gbstats reports 0.4999 for "at least 0.4999" (its bisection range); ours is the exact value.
    expect(row.pValue).toBeGreaterThan(0.4999);
  });
});

describe('CUPED rows (gbstats RegressionAdjustedStatistic and RegressionAdjustedRatioStatistic)', () => {
  const cupedExperiment = (kind: 'mean' | 'ratio') =>
    new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      sequential: 'confidence-sequence',
      metrics: [
        new Metric({
          id: 1,
          name: 'CUPED metric',
          nominator: 'value(u.unit.post)',
          denominator: kind === 'mean' ? 'count(u.global.exposure)' : 'value(u.unit.denominator)',
          kind,
          cuped: { preDays: 14 },
        }),
      ],
    });

  it('mean CUPED: SequentialTwoSidedTTest of test_sequential_test_runs_ra (test_tests.py lines 236-269)', () => {
    // Post statistics as in lines 199-200, pre statistics lines 237-238, post_pre_sum_of_products = 1.
    const arm = (n: number, post: [number, number], pre: [number, number]): CupedArmSums => ({
      n,
      sumX: post[0],
      sumX2: post[1],
      sumY: n,
      sumY2: n,
      sumXY: post[0],
      sumU: pre[0],
      sumU2: pre[1],
      sumV: n,
      sumV2: n,
      sumXU: 1,
      sumXV: post[0],
      sumYU: pre[0],
      sumYV: n,
      sumUV: pre[0],
    });
    const evaluation = cupedExperiment('mean').evaluateMetricSums([
      metricSumsRow('a', 1, arm(3000, [1396.87, 52377.9767], [16.87, 527.9767])),
      metricSumsRow('b', 1, arm(3461, [2422.7, 134698.29], [22.7, 1348.29])),
    ]);
    const row = treatmentRow(evaluation);
    expect(Math.abs(row.diff - 0.50338)).toBeLessThanOrEqual(rounded(5));
    expect(Math.abs(row.standardError - 0.33341)).toBeLessThanOrEqual(rounded(5));
    expect(Math.abs(row.confidenceLower - -0.50969)).toBeLessThanOrEqual(rounded(5));
    expect(Math.abs(row.confidenceUpper - 1.51646)).toBeLessThanOrEqual(rounded(5));
    expect(row.pValue).toBe(1);
  });

  it('ratio CUPED: SequentialTwoSidedTTest of test_sequential_test_runs_ratio_ra (test_tests.py lines 271-329)', () => {
    // The same arms as the fixed-horizon case tt-two-sided-ratio-cuped-relative (test_tests.py lines 134-194).
    const cases = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'peers', 'gbstats-cases.json'), 'utf8'),
    ) as { id: string; inputs: Record<string, GbstatsRatioArm> }[];
    const peer = cases.find((c) => c.id === 'tt-two-sided-ratio-cuped-relative')!;
    const evaluation = cupedExperiment('ratio').evaluateMetricSums([
      metricSumsRow('a', 1, gbstatsRatioArm(peer.inputs.control!)),
      metricSumsRow('b', 1, gbstatsRatioArm(peer.inputs.treatment!)),
    ]);
    const row = treatmentRow(evaluation);
    expect(Math.abs(row.diff - -0.0007)).toBeLessThanOrEqual(rounded(5));
    expect(Math.abs(row.standardError - 0.00391)).toBeLessThanOrEqual(rounded(5));
    expect(Math.abs(row.confidenceLower - -0.02063)).toBeLessThanOrEqual(rounded(5));
    expect(Math.abs(row.confidenceUpper - 0.01923)).toBeLessThanOrEqual(rounded(5));
    expect(row.pValue).toBe(1);
    // N is the exposed units of the pair (100 + 100), not the summed denominators.
    const rho = confidenceSequenceRho(0.05, 5000);
    expect(row.confidenceInterval).toBeCloseTo(
      confidenceSequenceHalfWidth(row.standardError, 200, 0.05, rho),
      15,
    );
  });
});

describe('what changes in the rows', () => {
  const rows = meanRows(gbstatsDimensionOne);
  const timestamp = 1_700_000_000;

  it("the default is 'obrien-fleming' and gives the very same evaluation as asking for it", () => {
    const dates = { dateFrom: '2024-01-01', dateTo: '2024-01-10', dateFor: '2024-01-05' };
    expect(experiment(dates).sequential).toBe('obrien-fleming');
    expect(experiment(dates).sequentialTuning).toBeUndefined();
    const byDefault = experiment(dates).evaluateAgg(rows, { timestamp });
    expect(experiment({ ...dates, sequential: 'obrien-fleming' }).evaluateAgg(rows, { timestamp })).toEqual(
      byDefault,
    );
    expect(byDefault.confidenceLevel).toBe(0.9944);
    expect(byDefault.confidenceSequenceTuning).toBeUndefined();
  });

  it('only the p-value, the half-width and the bounds change; the level is the nominal one, dates or not', () => {
    const fixed = experiment().evaluateAgg(rows, { timestamp });
    const sequence = experiment({ sequential: 'confidence-sequence' }).evaluateAgg(rows, { timestamp });
    const withDates = experiment({
      sequential: 'confidence-sequence',
      dateFrom: '2024-01-01',
      dateTo: '2024-01-10',
      dateFor: '2024-01-05',
    }).evaluateAgg(rows, { timestamp });
    expect(withDates.metrics).toEqual(sequence.metrics);
    expect(sequence.confidenceLevel).toBe(0.95);
    expect(sequence.confidenceSequenceTuning).toBe(5000);
    const changed = new Set([
      'pValue',
      'confidenceInterval',
      'confidenceLower',
      'confidenceUpper',
      'absoluteDiffLower',
      'absoluteDiffUpper',
      'falsePositiveRisk',
    ]);
    const b = treatmentRow(sequence);
    const fixedB = treatmentRow(fixed);
    for (const [key, value] of Object.entries(fixedB)) {
      if (!changed.has(key)) expect(b[key as keyof MetricRow], key).toEqual(value);
    }
    // N = 100 + 120 units, rho from alpha = 1 - 0.95 (as the experiment computes it) and the default tuning.
    const alpha = 1 - 0.95;
    const rho = confidenceSequenceRho(alpha, 5000);
    expect(b.pValue).toBe(confidenceSequencePValue(b.testStat, 220, rho));
    expect(b.confidenceInterval).toBe(confidenceSequenceHalfWidth(b.standardError, 220, alpha, rho));
    expect(b.confidenceLower).toBe(b.diff - b.confidenceInterval);
    expect(b.confidenceInterval).toBeGreaterThan(fixedB.confidenceInterval);
    // The absolute interval scales with the same multiplier as the relative one.
    expect(
      (b.absoluteDiffUpper - b.absoluteDiff) / (fixedB.absoluteDiffUpper - fixedB.absoluteDiff),
    ).toBeCloseTo(
      b.confidenceInterval / b.standardError / (fixedB.confidenceInterval / fixedB.standardError),
      12,
    );
    // The control row: compared with itself over 2 x 100 units, p 1.
    const a = sequence.metrics.find((row) => row.expVariantId === 'a')!;
    expect(a.pValue).toBe(1);
    expect(a.confidenceInterval).toBe(confidenceSequenceHalfWidth(a.standardError, 200, alpha, rho));
  });

  it('evaluating before the start warns without naming a sequential level', () => {
    // An experiment that starts in the far future: every evaluation today is before its start.
    const future = { dateFrom: '2999-01-10', dateTo: '2999-01-20' };
    const message = (options: Partial<ExperimentOptions>) =>
      experiment({ ...future, ...options })
        .evaluateAgg(rows, { timestamp })
        .warnings.find((w) => w.code === 'evaluated-before-start')?.message;
    expect(message({})).toMatch(/sequential confidence level before the start is 0\.9999/);
    expect(message({ sequential: 'confidence-sequence' })).toMatch(
      /before the experiment starts on 2999-01-10/,
    );
    expect(message({ sequential: 'confidence-sequence' })).not.toMatch(/sequential confidence level/);
    expect(
      experiment({ ...future, sequential: 'confidence-sequence' }).evaluationConfidenceLevel('2999-01-01'),
    ).toBe(0.95);
  });
});

describe('the correction for multiple testing reads the always-valid p-values', () => {
  // Three arms: b clearly better, c a little.
  const rows = meanRows({
    a: { n: 4000, sum: 4000, sumSquares: 8000 },
    b: { n: 4000, sum: 4400, sumSquares: 8800 + 4400 ** 2 / 4000 - 4000 ** 2 / 4000 },
    c: { n: 4000, sum: 4080, sumSquares: 8160 + 4080 ** 2 / 4000 - 4000 ** 2 / 4000 },
  });

  it('Holm: adjusted p-values of the raw sequence p-values, intervals at alpha_i = (p / p_adj) alpha', () => {
    const evaluation = experiment({ sequential: 'confidence-sequence' }).evaluateAgg(rows);
    const rho = confidenceSequenceRho(0.05, 5000);
    const [b, c] = ['b', 'c'].map((variant) => treatmentRow(evaluation, variant));
    const raw = [b!, c!].map((row) => confidenceSequencePValue(row.testStat, 8000, rho));
    // Holm over two: the smaller raw p-value doubled, the larger the running maximum.
    const [small, large] = raw[0]! < raw[1]! ? [0, 1] : [1, 0];
    const adjusted = [0, 0];
    adjusted[small] = Math.min(1, 2 * raw[small]!);
    adjusted[large] = Math.max(adjusted[small]!, raw[large]!);
    [b!, c!].forEach((row, k) => {
      expect(row.pValue).toBeCloseTo(adjusted[k]!, 15);
      const alpha = (raw[k]! / adjusted[k]!) * 0.05;
      expect(row.confidenceInterval).toBeCloseTo(
        confidenceSequenceHalfWidth(row.standardError, 8000, alpha, rho),
        14,
      );
      expect(row.significant).toBe(row.pValue < 0.05);
    });
    expect(b!.significant).toBe(true);
  });

  it('Bonferroni: every interval at alpha / m', () => {
    const evaluation = experiment({
      sequential: 'confidence-sequence',
      correction: 'bonferroni',
    }).evaluateAgg(rows);
    const rho = confidenceSequenceRho(0.05, 5000);
    for (const variant of ['b', 'c']) {
      const row = treatmentRow(evaluation, variant);
      expect(row.pValue).toBeCloseTo(Math.min(1, 2 * confidenceSequencePValue(row.testStat, 8000, rho)), 15);
      expect(row.confidenceInterval).toBeCloseTo(
        confidenceSequenceHalfWidth(row.standardError, 8000, 0.025, rho),
        14,
      );
    }
  });
});

describe('validation', () => {
  it('rejects an unknown method, a bad tuning sample size, and a tuning without a confidence sequence', () => {
    expect(thrownValidationError(() => experiment({ sequential: 'pocock' as never })).path).toEqual([
      'sequential',
    ]);
    for (const tuning of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '5000' as never]) {
      const error = thrownValidationError(() =>
        experiment({ sequential: 'confidence-sequence', sequentialTuning: tuning }),
      );
      expect(error.path).toEqual(['sequentialTuning']);
    }
    const error = thrownValidationError(() => experiment({ sequentialTuning: 5000 }));
    expect(error.path).toEqual(['sequentialTuning']);
    expect(error.message).toMatch(/confidence-sequence/);
  });

  it('accepts null as "not given" and keeps the tuning given', () => {
    expect(experiment({ sequential: null, sequentialTuning: null }).sequential).toBe('obrien-fleming');
    expect(experiment({ sequential: 'confidence-sequence', sequentialTuning: 20_000 }).sequentialTuning).toBe(
      20_000,
    );
    expect(experiment({ sequential: 'confidence-sequence' }).sequentialTuning).toBe(5000);
  });
});
