import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chiSquareUpperTail,
  normalCdf,
  normalQuantile,
  normalUpperTail,
  studentTCdf,
  studentTQuantile,
  studentTUpperTail,
} from '../../src/statistics/distributions.js';
import {
  decodeNumber,
  type FixtureNumber,
  MismatchLog,
  readFixture,
  type Tolerance,
} from '../support/fixtures.js';

/**
 * Every case of fixtures/distributions.json (exact values from mpmath, scripts/generate-distribution-fixtures.py)
 * must match to 1e-12 relative; values are never below 1e-300, which is the absolute floor.
 */
const TOLERANCE: Tolerance = { relative: 1e-12, absolute: 1e-300 };

interface DistributionCase {
  fn: string;
  args: FixtureNumber[];
  expected: FixtureNumber;
}

const FUNCTIONS: Record<string, (args: number[]) => number> = {
  studentTUpperTail: ([x, df]) => studentTUpperTail(x!, df!),
  studentTCdf: ([x, df]) => studentTCdf(x!, df!),
  studentTQuantile: ([p, df]) => studentTQuantile(p!, df!),
  normalCdf: ([x]) => normalCdf(x!),
  normalUpperTail: ([x]) => normalUpperTail(x!),
  normalQuantile: ([p]) => normalQuantile(p!),
  chiSquareUpperTail: ([x, df]) => chiSquareUpperTail(x!, df!),
};

const { cases } = readFixture<{ cases: DistributionCase[] }>('distributions.json');

describe('distribution functions match exact values to 1e-12 relative', () => {
  for (const [name, evaluate] of Object.entries(FUNCTIONS)) {
    const selected = cases.filter((testCase) => testCase.fn === name);
    it(`${name} on ${selected.length} fixture cases`, () => {
      expect(selected.length).toBeGreaterThan(20);
      const log = new MismatchLog();
      for (const testCase of selected) {
        const args = testCase.args.map(decodeNumber);
        log.check(`${name}(${args.join(', ')})`, evaluate(args), decodeNumber(testCase.expected), TOLERANCE);
      }
      expect(log.mismatches).toEqual([]);
    });
  }
});

describe('invalid arguments give NaN', () => {
  it('the t functions return NaN for NaN or non-positive degrees of freedom and for NaN x or p', () => {
    for (const df of [Number.NaN, 0, -1]) {
      expect(studentTCdf(1, df)).toBeNaN();
      expect(studentTUpperTail(1, df)).toBeNaN();
      expect(studentTQuantile(0.9, df)).toBeNaN();
    }
    expect(studentTCdf(Number.NaN, 5)).toBeNaN();
    expect(studentTUpperTail(Number.NaN, 5)).toBeNaN();
    expect(studentTQuantile(Number.NaN, 5)).toBeNaN();
    expect(studentTQuantile(-0.1, 5)).toBeNaN();
    expect(studentTQuantile(1.1, 5)).toBeNaN();
  });

  it('the normal functions return NaN for NaN and normalQuantile for p outside [0, 1]', () => {
    expect(normalCdf(Number.NaN)).toBeNaN();
    expect(normalUpperTail(Number.NaN)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
    expect(normalQuantile(-1e-300)).toBeNaN();
    expect(normalQuantile(1.000001)).toBeNaN();
  });

  it('chiSquareUpperTail returns NaN for NaN x and for NaN, non-positive or infinite degrees of freedom', () => {
    expect(chiSquareUpperTail(Number.NaN, 3)).toBeNaN();
    for (const df of [Number.NaN, 0, -2, Number.POSITIVE_INFINITY]) {
      expect(chiSquareUpperTail(1, df)).toBeNaN();
    }
  });
});

describe('limits', () => {
  it('the t functions at infinite degrees of freedom are the normal functions', () => {
    for (const x of [-37, -3, -0.5, 0, 1e-12, 2, 8.5]) {
      expect(studentTCdf(x, Number.POSITIVE_INFINITY)).toBe(normalCdf(x));
      expect(studentTUpperTail(x, Number.POSITIVE_INFINITY)).toBe(normalUpperTail(x));
    }
    for (const p of [1e-300, 0.025, 0.5, 0.975, 1 - 1e-12]) {
      expect(studentTQuantile(p, Number.POSITIVE_INFINITY)).toBe(normalQuantile(p));
    }
  });

  it('infinite arguments give the limiting probabilities and quantiles', () => {
    for (const df of [1, 3, 1e6, Number.POSITIVE_INFINITY]) {
      expect(studentTCdf(Number.NEGATIVE_INFINITY, df)).toBe(0);
      expect(studentTCdf(Number.POSITIVE_INFINITY, df)).toBe(1);
      expect(studentTUpperTail(Number.POSITIVE_INFINITY, df)).toBe(0);
      expect(studentTQuantile(0, df)).toBe(Number.NEGATIVE_INFINITY);
      expect(studentTQuantile(1, df)).toBe(Number.POSITIVE_INFINITY);
      expect(studentTQuantile(0.5, df)).toBe(0);
    }
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalUpperTail(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(chiSquareUpperTail(Number.POSITIVE_INFINITY, 4)).toBe(0);
  });

  it('chiSquareUpperTail is 1 at and below zero', () => {
    expect(chiSquareUpperTail(0, 1)).toBe(1);
    expect(chiSquareUpperTail(-3, 7)).toBe(1);
  });

  it('upper tails far below 1e-16 are reported, not rounded to 0', () => {
    expect(studentTUpperTail(40, 100)).toBeGreaterThan(0);
    expect(studentTUpperTail(40, 100)).toBeLessThan(1e-60);
    expect(normalUpperTail(20)).toBeGreaterThan(0);
    expect(chiSquareUpperTail(1000, 2)).toBeGreaterThan(0);
  });
});

describe('properties', () => {
  const degreesOfFreedom = fc.oneof(
    fc.integer({ min: 1, max: 100_000 }),
    fc.double({ min: 0.5, max: 1e12, noNaN: true }),
  );

  it('P[T <= x] + P[T > x] = 1 and both lie in [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), degreesOfFreedom, (x, df) => {
        const lower = studentTCdf(x, df);
        const upper = studentTUpperTail(x, df);
        return lower >= 0 && lower <= 1 && upper >= 0 && upper <= 1 && Math.abs(lower + upper - 1) <= 4e-16;
      }),
      { numRuns: 1000 },
    );
  });

  it('the t quantile inverts the t CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), degreesOfFreedom, (p, df) => {
        const x = studentTQuantile(p, df);
        const back = p < 0.5 ? studentTCdf(x, df) : studentTUpperTail(x, df);
        const tail = p < 0.5 ? p : 1 - p;
        return Math.abs(back - tail) <= 1e-13 * tail + 1e-16;
      }),
      { numRuns: 1000 },
    );
  });

  it('the t CDF is non-decreasing in x', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        degreesOfFreedom,
        (x, step, df) => studentTCdf(x, df) <= studentTCdf(x + step, df),
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the t quantile from its Cornish-Fisher start and its store of results', () => {
  const quantileCases = cases.filter((testCase) => testCase.fn === 'studentTQuantile');
  // The cases where the Newton steps start at the expansion: df >= 50 and z^2 < df / 4.
  const expansionCases = quantileCases.filter((testCase) => {
    const [p, df] = testCase.args.map(decodeNumber) as [number, number];
    const z = normalQuantile(Math.min(p, 1 - p));
    return df >= 50 && Number.isFinite(df) && df <= 1e25 && z * z * 4 < df && p !== 0.5;
  });

  it('matches mpmath to 1e-12 on every fixture case that starts at the expansion', () => {
    expect(expansionCases.length).toBeGreaterThan(100);
    const log = new MismatchLog();
    for (const testCase of expansionCases) {
      const [p, df] = testCase.args.map(decodeNumber) as [number, number];
      log.check(
        `studentTQuantile(${p}, ${df})`,
        studentTQuantile(p, df),
        decodeNumber(testCase.expected),
        TOLERANCE,
      );
    }
    expect(log.mismatches).toEqual([]);
  });

  it('inverts the CDF to 1e-13 at the levels evaluations ask for, 50 to 1e7 degrees of freedom', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0.95, 0.975, 0.99, 0.995, 0.9995, 0.999_999),
        fc.integer({ min: 50, max: 10_000_000 }),
        (p, df) => {
          const x = studentTQuantile(p, df);
          return Math.abs(studentTUpperTail(x, df) - (1 - p)) <= 1e-13 * (1 - p);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same values after its store was emptied by 70,000 other quantiles', () => {
    const sample = quantileCases.slice(0, 200);
    const before = sample.map((testCase) =>
      studentTQuantile(...(testCase.args.map(decodeNumber) as [number, number])),
    );
    for (let df = 1; df <= 70_000; df += 1) studentTQuantile(0.987_654, df + 0.5);
    const after = sample.map((testCase) =>
      studentTQuantile(...(testCase.args.map(decodeNumber) as [number, number])),
    );
    expect(after).toEqual(before);
    const log = new MismatchLog();
    sample.forEach((testCase, index) => {
      log.check(`case ${index}`, after[index]!, decodeNumber(testCase.expected), TOLERANCE);
    });
    expect(log.mismatches).toEqual([]);
  });
});
