/**
 * The experiment's `correction` and `correctionScope`: each scope's family, each method's p-values and
 * intervals, recomputed here from the uncorrected evaluation (`correction: 'none'`) with the public
 * statistics functions.
 */
import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  bonferroni,
  type CorrectionScope,
  correctForMultipleTesting,
  type Evaluation,
  Experiment,
  type ExperimentOptions,
  holmBonferroni,
  Metric,
  type MetricRow,
  type MetricSumsRow,
  type MultipleTestingCorrection,
} from '../../src/index.js';
import { armSums, metricSumsRow } from '../support/cuped-sums.js';
import { thrownValidationError } from '../support/thrown.js';
import { standardNormal, uniform } from '../support/uniform.js';

const VARIANTS = ['a', 'b', 'c'] as const;
/** Relative lifts of b and c per metric: some large, some small, some none. */
const LIFTS = [
  [0.05, 0.01],
  [0, 0.03],
  [0.02, 0.02],
  [0, 0],
  [0.08, -0.04],
] as const;

const random = uniform(20_240_517);
/** Per metric and variant: 400 units, `x = 10 (1 + lift) + z1 + z2`, with a pre-period `u = 10 + z1`. */
const SUMS = LIFTS.map((lifts) =>
  VARIANTS.map((_, v) =>
    armSums(
      Array.from({ length: 400 }, () => {
        const propensity = standardNormal(random);
        const lift = v === 0 ? 0 : lifts[v - 1]!;
        return { x: 10 * (1 + lift) + propensity + standardNormal(random), u: 10 + propensity };
      }),
    ),
  ),
);

const metric = (id: number, cuped = false) =>
  new Metric({
    id,
    name: `m${id}`,
    nominator: `value(u.unit.x${id})`,
    denominator: 'count(u.global.exposure)',
    ...(cuped ? { cuped: { preDays: 14 } } : {}),
  });

const ROWS: MetricSumsRow[] = SUMS.flatMap((variants, m) =>
  variants.map((s, v) => metricSumsRow(VARIANTS[v]!, m + 1, s)),
);

function evaluate(options: Partial<ExperimentOptions> = {}, rows: MetricSumsRow[] = ROWS): Evaluation {
  // One timestamp for every evaluation: rows compared whole must not differ by the second they were made in.
  return new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: 'u',
    metrics: LIFTS.map((_, m) => metric(m + 1)),
    ...options,
  }).evaluateMetricSums(rows, { timestamp: 0 });
}

const treatmentRows = (evaluation: Evaluation) =>
  evaluation.metrics.filter((row) => row.expVariantId !== 'a');
const controlRows = (evaluation: Evaluation) => evaluation.metrics.filter((row) => row.expVariantId === 'a');
const column = (
  rows: readonly MetricRow[],
  key: 'pValue' | 'confidenceInterval' | 'standardError' | 'intervalConfidenceLevel',
) => rows.map((row) => row[key]);

const ADJUST: Record<Exclude<MultipleTestingCorrection, 'none'>, (p: readonly number[]) => Float64Array> = {
  holm: holmBonferroni,
  'benjamini-hochberg': benjaminiHochberg,
  bonferroni,
};
const METHODS = Object.keys(ADJUST) as Exclude<MultipleTestingCorrection, 'none'>[];

const raw = evaluate({ correction: 'none' });

describe('Experiment correction and correctionScope', () => {
  it("'none' gives the raw Welch p-values: each treatment's row equals its two-variant evaluation", () => {
    for (const treatment of ['b', 'c']) {
      const pair = evaluate({ variants: ['a', treatment] });
      const rows = raw.metrics.filter((row) => row.expVariantId === treatment);
      const pairRows = pair.metrics.filter((row) => row.expVariantId === treatment);
      for (const key of ['pValue', 'confidenceInterval', 'confidenceLower', 'confidenceUpper'] as const) {
        expect(rows.map((row) => row[key])).toEqual(pairRows.map((row) => row[key]));
      }
    }
    // The data has small p-values that a correction would change (b of metric 5: lift 8 %).
    expect(Math.min(...column(treatmentRows(raw), 'pValue'))).toBeLessThan(0.001);
  });

  for (const method of METHODS) {
    it(`'report' ${method}: the correction of the flattened family of ${LIFTS.length} metrics x 2 treatments`, () => {
      const corrected = evaluate({ correction: method, correctionScope: 'report' });
      const rawTreatments = treatmentRows(raw);
      const family = column(rawTreatments, 'pValue');
      const rows = treatmentRows(corrected);
      expect(column(rows, 'pValue')).toEqual([...ADJUST[method](family)]);
      const expected = correctForMultipleTesting({
        correction: method,
        pValues: family,
        standardErrors: column(rawTreatments, 'standardError'),
        degreesOfFreedom: rawTreatments.map((row) => row.degreesOfFreedom),
        confidenceLevel: 0.95,
      });
      expect(column(rows, 'confidenceInterval')).toEqual([...expected.confidenceIntervals]);
      // Each row names the level of its interval: the correction's, the evaluation's for the controls.
      expect(column(rows, 'intervalConfidenceLevel')).toEqual([...expected.confidenceLevels]);
      for (const row of controlRows(corrected)) expect(row.intervalConfidenceLevel).toBe(0.95);
      rows.forEach((row) => {
        expect(row.confidenceLower).toBe(row.diff - row.confidenceInterval);
        // The interval excludes 0 exactly where the adjusted p-value is below alpha.
        expect(row.significant).toBe(row.pValue < 0.05);
      });
      // Controls keep their unadjusted values.
      expect(controlRows(corrected)).toEqual(controlRows(raw));
    });
  }

  it('the report-wide family adjusts more than the per-metric one', () => {
    const perMetric = column(treatmentRows(evaluate({ correction: 'bonferroni' })), 'pValue');
    const report = column(
      treatmentRows(evaluate({ correction: 'bonferroni', correctionScope: 'report' })),
      'pValue',
    );
    const rawP = column(treatmentRows(raw), 'pValue');
    // Bonferroni multiplies by 2 (treatments of one metric) or by 10 (the whole report).
    rawP.forEach((p, i) => {
      expect(perMetric[i]).toBe(Math.min(1, 2 * p));
      expect(report[i]).toBe(Math.min(1, 10 * p));
    });
  });

  for (const method of METHODS) {
    it(`'metric' ${method}: the correction over each metric's treatments`, () => {
      const corrected = evaluate({ correction: method });
      const rows = treatmentRows(corrected);
      const rawTreatments = treatmentRows(raw);
      LIFTS.forEach((_, m) => {
        const family = rawTreatments.slice(2 * m, 2 * m + 2);
        expect(column(rows.slice(2 * m, 2 * m + 2), 'pValue')).toEqual([
          ...ADJUST[method](column(family, 'pValue')),
        ]);
        const expected = correctForMultipleTesting({
          correction: method,
          pValues: column(family, 'pValue'),
          standardErrors: column(family, 'standardError'),
          degreesOfFreedom: family.map((row) => row.degreesOfFreedom),
          confidenceLevel: 0.95,
        });
        expect(column(rows.slice(2 * m, 2 * m + 2), 'confidenceInterval')).toEqual([
          ...expected.confidenceIntervals,
        ]);
      });
    });
  }

  it("defaults to 'holm' over each metric's treatments, the reference's", () => {
    const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u' });
    expect([experiment.correction, experiment.correctionScope]).toEqual(['holm', 'metric']);
    const byDefault = evaluate();
    expect(byDefault.metrics).toEqual(evaluate({ correction: 'holm', correctionScope: 'metric' }).metrics);
    expect(byDefault.metrics).toEqual(evaluate({ correction: null, correctionScope: null }).metrics);
    const rawP = column(treatmentRows(raw), 'pValue');
    const holm = LIFTS.flatMap((_, m) => [...holmBonferroni(rawP.slice(2 * m, 2 * m + 2))]);
    expect(column(treatmentRows(byDefault), 'pValue')).toEqual(holm);
  });

  it("with two variants 'metric' leaves the p-values raw and 'report' corrects across the metrics", () => {
    const pairs = (options: Partial<ExperimentOptions>) =>
      column(treatmentRows(evaluate({ variants: ['a', 'b'], ...options })), 'pValue');
    const rawP = pairs({ correction: 'none' });
    for (const correction of METHODS) expect(pairs({ correction })).toEqual(rawP);
    expect(pairs({ correction: 'benjamini-hochberg', correctionScope: 'report' })).toEqual([
      ...benjaminiHochberg(rawP),
    ]);
  });

  it("corrects CUPED rows on CUPED's p-values, not on Welch's", () => {
    const rows = [1, 2].flatMap((id) => SUMS[0]!.map((s, v) => metricSumsRow(VARIANTS[v]!, id, s)));
    const run = (correction: MultipleTestingCorrection, correctionScope: CorrectionScope) =>
      new Experiment({
        id: 'e',
        controlVariant: 'a',
        unitType: 'u',
        metrics: [metric(1, true), metric(2)],
        correction,
        correctionScope,
      }).evaluateMetricSums(rows);
    const uncorrected = treatmentRows(run('none', 'report'));
    // Metric 1 is metric 2 with CUPED: same data, a different (smaller) p-value.
    expect(uncorrected[0]!.cupedTheta).toBeDefined();
    expect(uncorrected[0]!.pValue).not.toBe(uncorrected[2]!.pValue);
    const corrected = treatmentRows(run('bonferroni', 'report'));
    // Family: 2 metrics x 2 treatments.
    expect(column(corrected, 'pValue')).toEqual(column(uncorrected, 'pValue').map((p) => Math.min(1, 4 * p)));
  });

  it('rejects an unknown correction or scope, naming the option', () => {
    const options = { id: 'e', controlVariant: 'a', unitType: 'u' };
    const correction = thrownValidationError(
      () => new Experiment({ ...options, correction: 'fdr' as MultipleTestingCorrection }),
    );
    expect(correction.path).toEqual(['correction']);
    expect(correction.message).toBe(
      "`correction` must be one of 'holm', 'benjamini-hochberg', 'bonferroni', 'none', received 'fdr'",
    );
    const scope = thrownValidationError(
      () => new Experiment({ ...options, correctionScope: 'global' as CorrectionScope }),
    );
    expect(scope.path).toEqual(['correctionScope']);
    expect(scope.message).toContain("received 'global'");
    const typo = thrownValidationError(
      () => new Experiment({ ...options, corection: 'bonferroni' } as unknown as ExperimentOptions),
    );
    expect(typo.path).toEqual(['corection']);
    expect(typo.message).toContain('did you mean `correction`?');
  });
});
