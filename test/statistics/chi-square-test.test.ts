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
