import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundHalfEven } from '../../src/statistics/round-half-even.js';
import { decodeNumber, type FixtureNumber, readFixture } from '../support/fixtures.js';

interface RoundCase {
  x: FixtureNumber;
  decimals: number;
  expected: FixtureNumber;
}

const { roundHalfEven: cases } = readFixture<{ roundHalfEven: RoundCase[] }>('statistics.json');

describe('roundHalfEven', () => {
  it(`equals numpy.round(x, decimals) exactly on ${cases.length} cases (scripts/generate-statistics-fixtures.py)`, () => {
    const mismatches = cases
      .map(({ x, decimals, expected }) => ({
        x: decodeNumber(x),
        decimals,
        expected: decodeNumber(expected),
        actual: roundHalfEven(decodeNumber(x), decimals),
      }))
      .filter(({ actual, expected }) => actual !== expected);
    expect(mismatches).toEqual([]);
  });

  it('breaks ties towards the even neighbour', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map((x) => roundHalfEven(x))).toEqual([0, 2, 2, -0, -2, -2]);
  });

  it('decides ties on the scaled double, as numpy does (2.675 * 100 is exactly 267.5)', () => {
    expect(roundHalfEven(2.675, 2)).toBe(2.68);
    expect(roundHalfEven(1.005, 2)).toBe(1);
  });

  it('rounds to tens and hundreds with negative decimals', () => {
    expect(roundHalfEven(1250, -2)).toBe(1200);
    expect(roundHalfEven(1350, -2)).toBe(1400);
  });

  it('returns NaN and infinities unchanged', () => {
    expect(roundHalfEven(Number.NaN, 5)).toBeNaN();
    expect(roundHalfEven(Number.POSITIVE_INFINITY, 4)).toBe(Number.POSITIVE_INFINITY);
    expect(roundHalfEven(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('is within half a unit of the last decimal and idempotent', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, d) => {
        const rounded = roundHalfEven(x, d);
        const unit = 10 ** -d;
        return (
          Math.abs(rounded - x) <= unit / 2 + 1e-9 * Math.abs(x) && roundHalfEven(rounded, d) === rounded
        );
      }),
      { numRuns: 1000 },
    );
  });
});
