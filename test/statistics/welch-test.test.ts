import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/validation-error.js';
import { adjustIntervalsForHolm, holmBonferroni } from '../../src/statistics/holm-bonferroni.js';
import { type WelchTestResult, welchTest, welchTestFromMeans } from '../../src/statistics/welch-test.js';
import {
  decodeNumber,
  FIXTURES,
  type FixtureNumber,
  MismatchLog,
  readFixture,
  type Tolerance,
} from '../support/fixtures.js';

/** Reference outputs: 1e-9 relative (absolute floor 1e-12, which also accepts the reference's p = 0). */
const REFERENCE: Tolerance = { relative: 1e-9, absolute: 1e-12 };
/** Confidence intervals: 1e-8, since the reference's SciPy 1.10 t quantile is off by up to ~4e-9. */
const REFERENCE_INTERVAL: Tolerance = { relative: 1e-8, absolute: 1e-12 };
/** SciPy 1.17 values computed from the same formulas (scripts/generate-statistics-fixtures.py). */
const SCIPY: Tolerance = { relative: 1e-12, absolute: 1e-300 };

type ReferenceRow = Record<string, FixtureNumber | string>;

interface ReferenceCase {
  name: string;
  request: { control_variant: string };
  expected: { metrics?: ReferenceRow[] };
}

const OUTPUT_COLUMNS = [
  ['diff', 'diff'],
  ['standardError', 'standard_error'],
  ['testStat', 'test_stat'],
  ['pValue', 'p_value'],
  ['degreesOfFreedom', 'degrees_of_freedom'],
  ['confidenceInterval', 'confidence_interval'],
] as const;

/** The reference's metric rows grouped per metric, variants in the reference's (sorted) order. */
function metricGroups(rows: readonly ReferenceRow[]): ReferenceRow[][] {
  const groups = new Map<unknown, ReferenceRow[]>();
  for (const row of rows) {
    const group = groups.get(row.metric_id) ?? [];
    group.push(row);
    groups.set(row.metric_id, group);
  }
  return [...groups.values()];
}

/** Welch test of one metric from the reference's own means, deviations and counts, Holm with > 2 variants. */
function evaluateLikeReference(rows: readonly ReferenceRow[], controlVariant: string) {
  const column = (name: string) => Float64Array.from(rows, (row) => decodeNumber(row[name]));
  const controlIndex = rows.findIndex((row) => row.exp_variant_id === controlVariant);
  const result = welchTestFromMeans({
    metricCount: 1,
    variantCount: rows.length,
    controlIndex,
    mean: column('mean'),
    std: column('std'),
    count: column('count'),
    sumValue: column('sum_value'),
    confidenceLevel: decodeNumber(rows[0]!.confidence_level),
  });
  const pValue = Float64Array.from(result.pValue);
  const confidenceInterval = Float64Array.from(result.confidenceInterval);
  if (rows.length > 2) {
    const treatments = rows.map((_, index) => index).filter((index) => index !== controlIndex);
    const raw = treatments.map((index) => result.pValue[index]!);
    const adjusted = holmBonferroni(raw);
    const intervals = adjustIntervalsForHolm({
      pValues: raw,
      adjustedPValues: adjusted,
      standardErrors: treatments.map((index) => result.standardError[index]!),
      degreesOfFreedom: treatments.map((index) => result.degreesOfFreedom[index]!),
      confidenceLevel: result.confidenceLevel,
    });
    treatments.forEach((index, k) => {
      pValue[index] = adjusted[k]!;
      confidenceInterval[index] = intervals[k]!;
    });
  }
  return { ...result, pValue, confidenceInterval };
}

const referenceFiles = readdirSync(join(FIXTURES, 'reference-outputs'))
  .filter((file) => file.startsWith('fixture-') && file.endsWith('.json'))
  .sort();

describe('welchTestFromMeans reproduces the reference outputs', () => {
  const withMetrics = referenceFiles
    .map((file) => readFixture<ReferenceCase>(`reference-outputs/${file}`))
    .filter((reference) => (reference.expected.metrics ?? []).length > 0);

  it('covers the reference experiments with metrics', () => {
    expect(withMetrics.length).toBeGreaterThan(30);
  });

  for (const reference of withMetrics) {
    it(`${reference.name}: diff, standard error, statistic, p-value, interval, degrees of freedom`, () => {
      const log = new MismatchLog();
      for (const rows of metricGroups(reference.expected.metrics!)) {
        const result = evaluateLikeReference(rows, reference.request.control_variant);
        rows.forEach((row, index) => {
          for (const [ours, theirs] of OUTPUT_COLUMNS) {
            const tolerance = ours === 'confidenceInterval' ? REFERENCE_INTERVAL : REFERENCE;
            const label = `metric ${row.metric_id} variant ${row.exp_variant_id} ${theirs}`;
            log.check(label, result[ours][index]!, decodeNumber(row[theirs]), tolerance);
          }
        });
      }
      expect(log.mismatches).toEqual([]);
    });
  }
});

describe('welchTestFromMeans on the README example (CTR 5/21 vs 7/26, binary values)', () => {
  const binaryStd = (sum: number, n: number) => Math.sqrt((sum - (sum * sum) / n) / (n - 1));
  const result = welchTestFromMeans({
    metricCount: 1,
    variantCount: 2,
    controlIndex: 0,
    mean: Float64Array.of(5 / 21, 7 / 26),
    std: Float64Array.of(binaryStd(5, 21), binaryStd(7, 26)),
    count: Float64Array.of(21, 26),
    sumValue: Float64Array.of(5, 7),
    confidenceLevel: 0.95,
  });

  it('gives diff 0.1307692308, p 0.8244735669 and 43 degrees of freedom (reference outputs, two variants)', () => {
    // diff = (7/26 - 5/21) / (5/21) = 147/130 - 1 = 17/130.
    expect(result.diff[1]).toBeCloseTo(17 / 130, 15);
    expect(Math.abs(result.pValue[1]! - 0.8244735669) / 0.8244735669).toBeLessThan(1e-9);
    expect(result.degreesOfFreedom[1]).toBe(43);
  });

  it('tests the control against itself: diff 0, statistic 0, p 1', () => {
    expect([result.diff[0], result.testStat[0], result.pValue[0]]).toEqual([0, 0, 1]);
  });
});

interface ScipyWelchCase {
  mean: number[];
  std: number[];
  count: number[];
  sumValue: number[];
  controlIndex: number;
  confidenceLevel: number;
  expected: FixtureNumber[][];
}

describe('welchTestFromMeans matches the formulas evaluated with SciPy', () => {
  const { welch } = readFixture<{ welch: ScipyWelchCase[] }>('statistics.json');
  const columns = [
    'diff',
    'standardError',
    'testStat',
    'pValue',
    'confidenceInterval',
    'degreesOfFreedom',
  ] as const;

  it(`agrees to 1e-12 on ${welch.length} random experiments (scripts/generate-statistics-fixtures.py)`, () => {
    const log = new MismatchLog();
    welch.forEach((testCase, caseIndex) => {
      const result = welchTestFromMeans({
        metricCount: 1,
        variantCount: testCase.mean.length,
        controlIndex: testCase.controlIndex,
        mean: Float64Array.from(testCase.mean),
        std: Float64Array.from(testCase.std),
        count: Float64Array.from(testCase.count),
        sumValue: Float64Array.from(testCase.sumValue),
        confidenceLevel: testCase.confidenceLevel,
      });
      testCase.expected.forEach((row, variant) => {
        columns.forEach((name, k) => {
          log.check(
            `case ${caseIndex} variant ${variant} ${name}`,
            result[name][variant]!,
            decodeNumber(row[k]),
            SCIPY,
          );
        });
      });
    });
    expect(log.mismatches).toEqual([]);
  });
});

describe('welchTest', () => {
  const base = {
    metricCount: 2,
    variantCount: 2,
    controlIndex: 1,
    estimate: Float64Array.of(5, 4, -2, -1),
    estimateVariance: Float64Array.of(0.05, 0.04, 0.01, 0.02),
    sampleSize: Float64Array.of(120, 100, 50, 60),
    sumValue: Float64Array.of(600, 400, -100, -60),
    confidenceLevel: 0.95,
  };

  it('lays matrices out as (metrics x variants), row-major, the control column tested against itself', () => {
    const result = welchTest(base);
    expect(result.diff[0]).toBe(0.25);
    expect(result.diff[1]).toBe(0);
    // Second metric: control estimate -1, variant -2: diff = (-2 - -1) / |-1| = -1.
    expect(result.diff[2]).toBe(-1);
    expect(result.pValue[3]).toBe(1);
  });

  it('divides the standard error by |control estimate|, so a negative control keeps the signs right', () => {
    const result = welchTest(base);
    // se = sqrt(mt^2 vc / mc^2 + vt) / |mc| = sqrt(4 * 0.02 / 1 + 0.01) / 1 = 0.3 (the reference divides by
    // mc = -1 and reports -0.3: deviation 14 of docs/deviations.md).
    expect(result.standardError[2]).toBeCloseTo(Math.sqrt(0.09), 15);
    // stat = diff / se = -1 / 0.3 has the sign of diff; the half-width is positive.
    expect(result.testStat[2]).toBeCloseTo(-1 / Math.sqrt(0.09), 14);
    expect(result.confidenceInterval[2]).toBeGreaterThan(0);
    // The p-value does not depend on the sign convention: 2 P[T > |stat|].
    const mirrored = welchTest({
      ...base,
      estimate: Float64Array.of(5, 4, 2, 1),
      sumValue: Float64Array.of(600, 400, 100, 60),
    });
    expect(result.pValue[2]).toBe(mirrored.pValue[2]);
  });

  it('truncates the Welch-Satterthwaite degrees of freedom after rounding them at 5 decimals', () => {
    // Equal variances and sizes: (2v)^2 / (2 v^2 / (n - 1)) = 2 (n - 1) exactly, 198 for n = 100.
    const result = welchTest({
      ...base,
      metricCount: 1,
      estimate: Float64Array.of(1, 1.1),
      estimateVariance: Float64Array.of(0.3, 0.3),
      sampleSize: Float64Array.of(100, 100),
      sumValue: Float64Array.of(100, 110),
    });
    expect(result.degreesOfFreedom[0]).toBe(198);
  });

  it('sets an infinite statistic to 0 when the variant sum is at most 10, else keeps it (p = 0)', () => {
    const degenerate = (sumValue: number) =>
      welchTest({
        metricCount: 1,
        variantCount: 2,
        controlIndex: 0,
        estimate: Float64Array.of(1, 2),
        estimateVariance: Float64Array.of(0, 0),
        sampleSize: Float64Array.of(10, 10),
        sumValue: Float64Array.of(10, sumValue),
        confidenceLevel: 0.95,
      });
    expect(degenerate(10).testStat[1]).toBe(0);
    expect(degenerate(11).testStat[1]).toBe(Number.POSITIVE_INFINITY);
  });

  it('propagates NaN for a zero control estimate and for counts below 2', () => {
    const result = welchTest({
      ...base,
      metricCount: 1,
      estimate: Float64Array.of(0, 0),
      estimateVariance: Float64Array.of(0, 0),
      sampleSize: Float64Array.of(0, 0),
      sumValue: Float64Array.of(0, 0),
    });
    for (const name of ['diff', 'standardError', 'testStat', 'pValue', 'confidenceInterval'] as const) {
      expect(Number.isNaN(result[name][0]!)).toBe(true);
    }
    const single = welchTest({
      ...base,
      metricCount: 1,
      estimate: Float64Array.of(5, 4),
      estimateVariance: Float64Array.of(0.05, 0.04),
      sampleSize: Float64Array.of(1, 1),
      sumValue: Float64Array.of(5, 4),
    });
    expect(single.degreesOfFreedom[0]).toBe(0);
    expect(single.pValue[0]).toBeNaN();
    expect(single.confidenceInterval[0]).toBeNaN();
  });

  it('reports p-values below 1e-16 instead of 0', () => {
    // stat = 0.25 / (sqrt(25e-4 / 16 + 1e-4) / 4), about 62.5, with 216 degrees of freedom: p is about 1e-138.
    const result = welchTest({ ...base, estimateVariance: Float64Array.of(1e-4, 1e-4, 1e-4, 1e-4) });
    expect(result.pValue[0]).toBeGreaterThan(0);
    expect(result.pValue[0]).toBeLessThan(1e-100);
  });

  it('rejects matrices of the wrong size and a control index outside the columns', () => {
    expect(() => welchTest({ ...base, estimate: Float64Array.of(1, 2, 3) })).toThrow(ValidationError);
    expect(() => welchTest({ ...base, controlIndex: 2 })).toThrow(
      /controlIndex must be a column between 0 and 1/,
    );
    expect(() => welchTest({ ...base, variantCount: 0 })).toThrow(ValidationError);
    try {
      welchTest({ ...base, sampleSize: Float64Array.of(1) });
    } catch (error) {
      expect((error as ValidationError).path).toEqual(['sampleSize']);
    }
  });
});

describe('welchTest properties', () => {
  const variantArbitrary = fc.record({
    estimate: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
    std: fc.double({ min: 0, max: 1e3, noNaN: true }),
    count: fc.integer({ min: 2, max: 1_000_000 }),
  });
  const experimentArbitrary = fc.array(variantArbitrary, { minLength: 2, maxLength: 6 }).chain((variants) =>
    fc.record({
      variants: fc.constant(variants),
      controlIndex: fc.integer({ min: 0, max: variants.length - 1 }),
      confidenceLevel: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
    }),
  );

  function run(experiment: {
    variants: { estimate: number; std: number; count: number }[];
    controlIndex: number;
    confidenceLevel: number;
  }): WelchTestResult {
    const { variants } = experiment;
    return welchTest({
      metricCount: 1,
      variantCount: variants.length,
      controlIndex: experiment.controlIndex,
      estimate: Float64Array.from(variants, (v) => v.estimate),
      estimateVariance: Float64Array.from(variants, (v) => (v.std * v.std) / v.count),
      sampleSize: Float64Array.from(variants, (v) => v.count),
      sumValue: Float64Array.from(variants, (v) => v.estimate * v.count),
      confidenceLevel: experiment.confidenceLevel,
    });
  }

  it('p-values lie in [0, 1] (or are NaN for degenerate data)', () => {
    fc.assert(
      fc.property(experimentArbitrary, (experiment) =>
        run(experiment).pValue.every((p) => Number.isNaN(p) || (p >= 0 && p <= 1)),
      ),
      { numRuns: 1000 },
    );
  });

  it('the interval half-width is non-negative when the control estimate is positive', () => {
    const positiveControl = experimentArbitrary.filter(
      (experiment) => experiment.variants[experiment.controlIndex]!.estimate > 0,
    );
    fc.assert(
      fc.property(positiveControl, (experiment) =>
        run(experiment).confidenceInterval.every((ci) => Number.isNaN(ci) || ci >= 0),
      ),
      { numRuns: 1000 },
    );
  });
});
