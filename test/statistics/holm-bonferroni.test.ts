import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { studentTQuantile } from '../../src/statistics/distributions.js';
import { adjustIntervalsForHolm, holmBonferroni } from '../../src/statistics/holm-bonferroni.js';
import { decodeNumber, type FixtureNumber, MismatchLog, readFixture } from '../support/fixtures.js';

interface HolmCase {
  pValues: FixtureNumber[];
  expected: FixtureNumber[];
}

const { holm } = readFixture<{ holm: HolmCase[] }>('statistics.json');

describe('holmBonferroni', () => {
  it(`matches the step-down formula evaluated in numpy on ${holm.length} cases (1e-15 relative)`, () => {
    const log = new MismatchLog();
    holm.forEach((testCase, caseIndex) => {
      const adjusted = holmBonferroni(testCase.pValues.map(decodeNumber));
      testCase.expected.forEach((expected, index) => {
        log.check(`case ${caseIndex} [${index}]`, adjusted[index]!, decodeNumber(expected), {
          relative: 1e-15,
          absolute: 0,
        });
      });
    });
    expect(log.mismatches).toEqual([]);
  });

  it('multiplies the i-th smallest p-value by m - i + 1 and keeps the running maximum', () => {
    // sorted 0.01 (x3 = 0.03), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04, raised to 0.06)
    expect([...holmBonferroni([0.01, 0.04, 0.03])]).toEqual([0.03, 0.06, 0.06]);
  });

  it('counts NaN p-values in m, sorts them last and leaves them NaN', () => {
    expect([...holmBonferroni([Number.NaN, 0.1, 0.2])]).toEqual([Number.NaN, 0.30000000000000004, 0.4]);
  });

  it('caps adjusted p-values at 1 and accepts an empty family', () => {
    expect([...holmBonferroni([0.6, 0.7])]).toEqual([1, 1]);
    expect(holmBonferroni([]).length).toBe(0);
  });

  it('adjusted p-values are at least the raw ones, at most 1, and monotone in the sorted order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)), {
          minLength: 1,
          maxLength: 20,
        }),
        (pValues) => {
          const adjusted = holmBonferroni(pValues);
          const order = pValues
            .map((p, index) => ({ p, adjusted: adjusted[index]! }))
            .filter(({ p }) => !Number.isNaN(p))
            .sort((a, b) => a.p - b.p);
          const bounded = order.every(({ p, adjusted: q }) => q >= p && q <= 1);
          const monotone = order.every(({ adjusted: q }, i) => i === 0 || q >= order[i - 1]!.adjusted);
          const nanKept = pValues.every((p, index) => !Number.isNaN(p) || Number.isNaN(adjusted[index]!));
          return bounded && monotone && nanKept;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives the step-down adjustment for families short and long (both sorts), with ties and NaN', () => {
    // The textbook step-down: sort ascending (NaN last), p_(i) * (m - i), running maximum, capped at 1.
    const stepDown = (pValues: readonly number[]): number[] => {
      const m = pValues.length;
      const order = pValues
        .map((p, index) => ({ p, index }))
        .sort((a, b) => (Number.isNaN(a.p) ? 1 : Number.isNaN(b.p) ? -1 : a.p - b.p));
      const adjusted = new Array<number>(m).fill(Number.NaN);
      let runningMax = 0;
      order.forEach(({ p, index }, rank) => {
        if (Number.isNaN(p)) return;
        runningMax = Math.max(runningMax, Math.min(1, (m - rank) * p));
        adjusted[index] = runningMax;
      });
      return adjusted;
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(0, 0.01, 0.02, 0.5, 1, Number.NaN),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          { minLength: 0, maxLength: 80 },
        ),
        (pValues) => {
          expect([...holmBonferroni(pValues)]).toEqual(stepDown(pValues));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('adjustIntervalsForHolm', () => {
  it('uses the level 1 - (p / p_adj)(1 - cl) per cell', () => {
    const [widened, unchanged] = adjustIntervalsForHolm({
      pValues: [0.01, 0.04],
      adjustedPValues: [0.02, 0.04],
      standardErrors: [2, 3],
      degreesOfFreedom: [40, 43],
      confidenceLevel: 0.95,
    });
    // ratio 1/2: alpha = 0.025, quantile at 1 - 0.0125; ratio 1: the unadjusted 0.975 quantile.
    expect(widened).toBe(2 * studentTQuantile(1 - 0.0125, 40));
    expect(unchanged).toBe(3 * studentTQuantile(0.975, 43));
  });

  it('treats a NaN ratio (0 / 0) as 1', () => {
    const [interval] = adjustIntervalsForHolm({
      pValues: [0],
      adjustedPValues: [0],
      standardErrors: [1.5],
      degreesOfFreedom: [10],
      confidenceLevel: 0.9,
    });
    expect(interval).toBe(1.5 * studentTQuantile(0.95, 10));
  });
});
