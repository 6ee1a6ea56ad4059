import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit } from '../../src/statistics/chi-square-test.js';
import {
  decodeNumber,
  type FixtureNumber,
  MismatchLog,
  readFixture,
  type Tolerance,
} from '../support/fixtures.js';
import { thrownValidationError } from '../support/thrown.js';

const REFERENCE: Tolerance = { relative: 1e-9, absolute: 1e-12 };

interface CheckReference {
  name: string;
  request: { checks: { type: string; nominator: string | null; denominator: string }[] };
  goals: { goal: string; agg_type: string; count: number }[];
  expected: {
    checks: { check_name: string; variable_id: string; value: FixtureNumber }[];
    exposures: { exposures: number }[];
  };
}

function checkValue(reference: CheckReference, check: string, variable: string): number {
  const row = reference.expected.checks.find((c) => c.check_name === check && c.variable_id === variable)!;
  return decodeNumber(row.value);
}

describe('chiSquareGoodnessOfFit reproduces the reference SRM checks (exposures per variant)', () => {
  const files = [
    'fixture-test_srm.json',
    'fixture-test_srm_negative.json',
    'fixture-test_srm_one_variant.json',
    'fixture-test_missing_all.json',
    'fixture-test_binary_valued.json',
    'fixture-test_degrees_of_freedom.json',
    'fixture-test_real_valued.json',
    'fixture-test_single_metrics_in_multiple_experiment.json',
    'fixture-test_multi_check.json',
  ];
  for (const file of files) {
    const reference = readFixture<CheckReference>(`reference-outputs/${file}`);
    it(`${reference.name}: statistic and p-value`, () => {
      const exposures = reference.expected.exposures.map((row) => row.exposures);
      const result = chiSquareGoodnessOfFit(exposures);
      const log = new MismatchLog();
      log.check('test_stat', result.statistic, checkValue(reference, 'SRM', 'test_stat'), REFERENCE);
      log.check('p_value', result.pValue, checkValue(reference, 'SRM', 'p_value'), REFERENCE);
      expect(log.mismatches).toEqual([]);
    });
  }
});

describe('chiSquareGoodnessOfFit reproduces the reference sum-ratio check', () => {
  it('compares [D, |D - N|] with N and D summed over variants (p 6.84e-73)', () => {
    const reference = readFixture<CheckReference>('reference-outputs/fixture-test_sum_ratio.json');
    const total = (goal: string) =>
      reference.goals
        .filter((row) => row.goal === goal && row.agg_type === 'global')
        .reduce((s, r) => s + r.count, 0);
    const nominator = total('inconsistent_exposure');
    const denominator = total('exposure');
    const result = chiSquareGoodnessOfFit([denominator, Math.abs(denominator - nominator)]);
    const log = new MismatchLog();
    log.check('test_stat', result.statistic, checkValue(reference, 'EVA', 'test_stat'), REFERENCE);
    log.check('p_value', result.pValue, checkValue(reference, 'EVA', 'p_value'), REFERENCE);
    expect(log.mismatches).toEqual([]);
  });
});

interface ChiSquareCase {
  observed: number[];
  statistic: FixtureNumber;
  pValue: FixtureNumber;
  degreesOfFreedom: number;
}

describe('chiSquareGoodnessOfFit', () => {
  it('flags the README example exposures 21 vs 26 with p 0.4658 (scipy.stats.chisquare)', () => {
    const result = chiSquareGoodnessOfFit([21, 26]);
    // e = 23.5: 2 * 2.5^2 / 23.5 = 0.53191...
    expect(result.statistic).toBeCloseTo(12.5 / 23.5, 15);
    expect(Math.abs(result.pValue - 0.4658029092418442) / 0.4658029092418442).toBeLessThan(1e-12);
    expect(result.degreesOfFreedom).toBe(1);
  });

  it('equals scipy.stats.chisquare to 1e-12 on random counts (scripts/generate-statistics-fixtures.py)', () => {
    const { chiSquare } = readFixture<{ chiSquare: ChiSquareCase[] }>('statistics.json');
    const log = new MismatchLog();
    const tolerance: Tolerance = { relative: 1e-12, absolute: 1e-300 };
    chiSquare.forEach((testCase, index) => {
      const result = chiSquareGoodnessOfFit(testCase.observed);
      log.check(`case ${index} statistic`, result.statistic, decodeNumber(testCase.statistic), tolerance);
      log.check(`case ${index} p-value`, result.pValue, decodeNumber(testCase.pValue), tolerance);
      log.check(`case ${index} df`, result.degreesOfFreedom, testCase.degreesOfFreedom, tolerance);
    });
    expect(log.mismatches).toEqual([]);
  });

  it('gives NaN for all-zero counts and a NaN p-value for a single category', () => {
    const zeros = chiSquareGoodnessOfFit([0, 0]);
    expect(zeros.statistic).toBeNaN();
    expect(zeros.pValue).toBeNaN();
    const single = chiSquareGoodnessOfFit([5]);
    expect(single.statistic).toBe(0);
    expect(single.pValue).toBeNaN();
  });

  it('p-values lie in [0, 1] and equal counts give statistic 0 and p 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 2, maxLength: 12 }),
        (counts) => {
          const { pValue } = chiSquareGoodnessOfFit(counts);
          return pValue >= 0 && pValue <= 1;
        },
      ),
      { numRuns: 1000 },
    );
    expect(chiSquareGoodnessOfFit([7, 7, 7])).toEqual({ statistic: 0, pValue: 1, degreesOfFreedom: 2 });
  });
});

/** Relative difference, for assertions against independently derived values. */
const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('chiSquareGoodnessOfFit with planned proportions (expectedWeights)', () => {
  it('a 90/10 plan met exactly gives statistic 0 and p 1', () => {
    // e = 10,000 * [0.9, 0.1] = [9000, 1000] exactly in doubles, so every deviation is 0.
    expect(chiSquareGoodnessOfFit([9000, 1000], [90, 10])).toEqual({
      statistic: 0,
      pValue: 1,
      degreesOfFreedom: 1,
    });
  });

  it('9,100 / 900 against a 90/10 plan: statistic 100/9, p = erfc(sqrt(50/9)) = 8.5812e-4', () => {
    // e = [9000, 1000]: 100^2 / 9000 + 100^2 / 1000 = 10/9 + 10 = 100/9 = 11.111...
    // For 1 df, P[chi^2_1 > s] = P[|Z| > sqrt(s)] = 2 (1 - Phi(sqrt(s))) = erfc(sqrt(s / 2)) = erfc(sqrt(50/9));
    // Python's math.erfc(math.sqrt(50 / 9)) = 8.581206663936747e-4 (scipy.stats.chisquare([9100, 900],
    // [9000, 1000]) gives 8.581206663936758e-4, the same to 1.3e-15).
    const result = chiSquareGoodnessOfFit([9100, 900], [90, 10]);
    expect(relativeError(result.statistic, 100 / 9)).toBeLessThan(1e-14);
    expect(relativeError(result.pValue, 8.581206663936747e-4)).toBeLessThan(1e-12);
    expect(result.degreesOfFreedom).toBe(1);
    // The same observed counts against an equal split are a gross mismatch: e = 5000, 2 * 4100^2 / 5000.
    expect(chiSquareGoodnessOfFit([9100, 900]).statistic).toBeCloseTo(6724, 9);
  });

  it('three variants 80/10/10: statistic 6.45 and p = exp(-6.45 / 2), the closed form for 2 df', () => {
    // e = [8000, 1000, 1000]: 100^2 / 8000 + 60^2 / 1000 + 40^2 / 1000 = 1.25 + 3.6 + 1.6 = 6.45;
    // the chi-square with 2 df is the exponential with mean 2, so P[X > s] = exp(-s / 2) = 0.039755781576221304.
    const result = chiSquareGoodnessOfFit([7900, 1060, 1040], [80, 10, 10]);
    expect(relativeError(result.statistic, 6.45)).toBeLessThan(1e-14);
    expect(relativeError(result.pValue, Math.exp(-6.45 / 2))).toBeLessThan(1e-12);
    expect(result.degreesOfFreedom).toBe(2);
  });

  it("reproduces SciPy's chisquare example with f_exp and R's chisq.test examples with p", () => {
    const log = new MismatchLog();
    const tolerance: Tolerance = { relative: 1e-12, absolute: 1e-300 };
    // SciPy documentation of scipy.stats.chisquare: f_obs [16, 18, 16, 14, 12, 12], f_exp [16, 16, 16, 16, 16, 8]
    // -> statistic 3.5 (by hand: 0 + 4/16 + 0 + 4/16 + 16/16 + 16/8), p 0.6233876277495822 (SciPy 1.17.1).
    const scipy = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    log.check('scipy statistic', scipy.statistic, 3.5, tolerance);
    log.check('scipy p-value', scipy.pValue, 0.6233876277495822, tolerance);
    // R documentation of chisq.test: x = c(89, 37, 30, 28, 2) with p = c(40, 20, 20, 15, 5), rescale.p = TRUE
    // prints X-squared = 9.9901, df = 4, p-value = 0.04059; with p = c(0.40, 0.20, 0.20, 0.19, 0.01) it prints
    // X-squared = 5.7947, df = 4, p-value = 0.215. Full precision from scipy.stats.chisquare (SciPy 1.17.1)
    // with f_exp = 186 * p / sum(p).
    const rescaled = chiSquareGoodnessOfFit([89, 37, 30, 28, 2], [40, 20, 20, 15, 5]);
    log.check('R rescaled statistic', rescaled.statistic, 9.990143369175627, tolerance);
    log.check('R rescaled p-value', rescaled.pValue, 0.040594043344781214, tolerance);
    const probabilities = chiSquareGoodnessOfFit([89, 37, 30, 28, 2], [0.4, 0.2, 0.2, 0.19, 0.01]);
    log.check('R statistic', probabilities.statistic, 5.794708545557442, tolerance);
    log.check('R p-value', probabilities.pValue, 0.21501309592078602, tolerance);
    expect(log.mismatches).toEqual([]);
    expect(Math.round(rescaled.statistic * 1e4) / 1e4).toBe(9.9901);
    expect(Math.round(probabilities.pValue * 1e3) / 1e3).toBe(0.215);
  });

  it('only the proportions of the weights matter', () => {
    const reference = chiSquareGoodnessOfFit([9100, 900], [0.9, 0.1]);
    for (const weights of [
      [9, 1],
      [90, 10],
      [4.5e-300, 0.5e-300],
    ]) {
      const result = chiSquareGoodnessOfFit([9100, 900], weights);
      expect(relativeError(result.statistic, reference.statistic)).toBeLessThan(1e-14);
      expect(relativeError(result.pValue, reference.pValue)).toBeLessThan(1e-12);
    }
  });

  it('equal weights give the equal-split result, and p-values lie in [0, 1] for any weights', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            count: fc.integer({ min: 1, max: 1_000_000 }),
            weight: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
          }),
          { minLength: 2, maxLength: 12 },
        ),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (cells, equalWeight) => {
          const counts = cells.map((cell) => cell.count);
          const equal = chiSquareGoodnessOfFit(
            counts,
            counts.map(() => equalWeight),
          );
          const plain = chiSquareGoodnessOfFit(counts);
          const statisticClose =
            Math.abs(equal.statistic - plain.statistic) <= 1e-9 * Math.max(1, plain.statistic);
          const pClose =
            Math.abs(equal.pValue - plain.pValue) <= 1e-9 * Math.max(1e-300, plain.pValue) + 1e-300;
          const { pValue } = chiSquareGoodnessOfFit(
            counts,
            cells.map((cell) => cell.weight),
          );
          return statisticClose && pClose && pValue >= 0 && pValue <= 1;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects weights of another length (path expectedWeights) and non-positive or non-finite weights (path expectedWeights, index)', () => {
    const length = thrownValidationError(() => chiSquareGoodnessOfFit([10, 20, 30], [1, 2]));
    expect(length.path).toEqual(['expectedWeights']);
    expect(length.message).toContain('one weight per category (3), received 2');
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = thrownValidationError(() => chiSquareGoodnessOfFit([10, 20], [1, bad]));
      expect(error.path).toEqual(['expectedWeights', 1]);
      expect(error.message).toContain(`received ${String(bad)} at index 1`);
    }
  });
});
