import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustIntervalsForHolm,
  benjaminiHochberg,
  bonferroni,
  correctForMultipleTesting,
  holmBonferroni,
  type MultipleTestingCorrection,
  normalQuantile,
  studentTQuantile,
  ValidationError,
} from '../../src/index.js';
import { MismatchLog, type Tolerance } from '../support/fixtures.js';
import { thrownValidationError } from '../support/thrown.js';

/**
 * Published vectors of statsmodels' tests of `multipletests`, which statsmodels checks against R's package
 * multtest (`mt.rawp2adjp`): statsmodels/statsmodels, statsmodels/stats/tests/test_multi.py at commit
 * 82c59e378bdfb5ae324006c477954879ad3e24be. Their columns are named at lines 92-94 (`rawp`, `Bonferroni`,
 * `Holm`, ..., `BH`, ...); only the numbers are taken here. The adjusted values are printed with 15 to 17
 * significant digits, so they are compared to 2e-15 relative: a few units in the last printed digit.
 */
interface PublishedCase {
  readonly source: string;
  readonly raw: readonly number[];
  readonly bonferroni: readonly number[];
  readonly holm: readonly number[];
  readonly benjaminiHochberg: readonly number[];
}

const PUBLISHED: readonly PublishedCase[] = [
  {
    // `res_multtest1`, lines 40-90 (one row per raw p-value, sorted; columns 0, 1, 2 and 6).
    source: 'res_multtest1',
    raw: [
      5.23656777208e-5, 0.00028140506198, 0.0149877310796, 0.0202732688798, 0.177096952723, 0.642193923795,
      0.680845947633, 0.71626938238, 0.838541367553, 0.967833824309,
    ],
    bonferroni: [0.000523656777208, 0.0028140506197999998, 0.149877310796, 0.202732688798, 1, 1, 1, 1, 1, 1],
    holm: [0.000523656777208, 0.00253264555782, 0.1199018486368, 0.1419128821586, 1, 1, 1, 1, 1, 1],
    benjaminiHochberg: [
      0.000523656777208, 0.0014070253098999999, 0.04995910359866667, 0.0506831721995, 0.354193905446,
      0.8953367279750001, 0.8953367279750001, 0.8953367279750001, 0.9317126306144445, 0.967833824309,
    ],
  },
  {
    // `res_multtest2`, lines 110-119 (column-major 6 x 10: columns 0, 1, 2 and 6).
    source: 'res_multtest2',
    raw: [0.002, 0.004, 0.006, 0.008, 0.01, 0.012],
    bonferroni: [0.012, 0.024, 0.036, 0.048, 0.06, 0.072],
    holm: [0.012, 0.02, 0.024, 0.024, 0.024, 0.024],
    benjaminiHochberg: [0.012, 0.012, 0.012, 0.012, 0.012, 0.012],
  },
  {
    // `res_multtest3`, lines 121-140 (column-major 10 x 10: columns 0, 1, 2 and 6).
    source: 'res_multtest3',
    raw: [0.001, 0.002, 0.003, 0.004, 0.005, 0.05, 0.06, 0.07, 0.08, 0.09],
    bonferroni: [0.01, 0.02, 0.03, 0.04, 0.05, 0.5, 0.6, 0.7, 0.8, 0.9],
    holm: [0.01, 0.018, 0.024, 0.028, 0.03, 0.25, 0.25, 0.25, 0.25, 0.25],
    benjaminiHochberg: [
      0.01, 0.01, 0.01, 0.01, 0.01, 0.08333333333333334, 0.0857142857142857, 0.0875, 0.0888888888888889, 0.09,
    ],
  },
  {
    // `res0_large`, lines 142-207 (column-major 30 x 10: columns 0, 1, 2 and 6).
    source: 'res0_large',
    raw: [
      0.00031612, 0.0003965, 0.00048442, 0.00051932, 0.00101436, 0.00121506, 0.0014516, 0.00265684,
      0.00430043, 0.01743686, 0.02080285, 0.02785414, 0.0327198, 0.03494679, 0.04206808, 0.08067095,
      0.23882767, 0.28352304, 0.36140401, 0.43565145, 0.44866768, 0.45368782, 0.48282088, 0.49223781,
      0.55451638, 0.6207473, 0.71847853, 0.72424145, 0.85950263, 0.89032747,
    ],
    bonferroni: [
      0.0094836, 0.011895, 0.0145326, 0.0155796, 0.0304308, 0.0364518, 0.043548, 0.0797052, 0.1290129,
      0.5231058, 0.6240855, 0.8356242, 0.981594, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ],
    holm: [
      0.0094836, 0.0114985, 0.01356376, 0.01402164, 0.02637336, 0.0303765, 0.0348384, 0.06110732, 0.09460946,
      0.36617406, 0.416057, 0.52922866, 0.5889564, 0.59409543, 0.67308928, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1,
    ],
    benjaminiHochberg: [
      0.0038949, 0.0038949, 0.0038949, 0.0038949, 0.0060753, 0.0060753, 0.006221142857142857, 0.00996315,
      0.01433476666666667, 0.05231058, 0.05673504545454545, 0.06963535, 0.07488597857142856,
      0.07488597857142856, 0.08413616, 0.15125803125, 0.421460594117647, 0.4725384, 0.570637910526316,
      0.6152972625, 0.6152972625, 0.6152972625, 0.6152972625, 0.6152972625, 0.665419656, 0.7162468846153845,
      0.775972982142857, 0.775972982142857, 0.889140651724138, 0.89032747,
    ],
  },
];

/** `pval0`, lines 35-38 of the same file: the raw p-values of `res_multtest1` in their original (unsorted) order. */
const PVAL0 = [
  0.838541367553, 0.642193923795, 0.680845947633, 0.967833824309, 0.71626938238, 0.177096952723,
  5.23656777208e-5, 0.0202732688798, 0.00028140506198, 0.0149877310796,
];

/**
 * The 15 p-values of the example of Benjamini, Krieger and Yekutieli (2006) (first used by Benjamini and
 * Hochberg, 1995), as statsmodels' `test_fdr_bky` lists them (test_multi.py lines 452-454 at the same
 * commit); its comment at line 458 gives 4 rejections for the single-stage step-up procedure at 0.05.
 */
const BH_1995 = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
  0.759, 1,
];

const PUBLISHED_TOLERANCE: Tolerance = { relative: 2e-15, absolute: 0 };

const ADJUSTERS = { bonferroni, holm: holmBonferroni, benjaminiHochberg } as const;

describe('bonferroni, holmBonferroni and benjaminiHochberg', () => {
  for (const method of ['bonferroni', 'holm', 'benjaminiHochberg'] as const) {
    it(`${method} reproduces statsmodels' published vectors (R multtest) to 2e-15 relative`, () => {
      const log = new MismatchLog();
      for (const testCase of PUBLISHED) {
        const adjusted = ADJUSTERS[method](testCase.raw);
        testCase[method].forEach((expected, index) => {
          log.check(`${testCase.source}[${index}]`, adjusted[index]!, expected, PUBLISHED_TOLERANCE);
        });
      }
      expect(log.mismatches).toEqual([]);
    });
  }

  it('return results in input order: pval0 unsorted gives the sorted rows of res_multtest1', () => {
    const [sorted] = PUBLISHED;
    const log = new MismatchLog();
    for (const method of ['bonferroni', 'holm', 'benjaminiHochberg'] as const) {
      const adjusted = ADJUSTERS[method](PVAL0);
      PVAL0.forEach((p, index) => {
        const row = sorted!.raw.indexOf(p);
        expect(row, `pval0[${index}] among the rows`).toBeGreaterThanOrEqual(0);
        log.check(`${method} pval0[${index}]`, adjusted[index]!, sorted![method][row]!, PUBLISHED_TOLERANCE);
      });
    }
    expect(log.mismatches).toEqual([]);
  });

  it("benjaminiHochberg rejects 4 of Benjamini and Hochberg's 15 p-values at 0.05", () => {
    const adjusted = benjaminiHochberg(BH_1995);
    expect([...adjusted].map((q) => q <= 0.05)).toEqual(BH_1995.map((_, i) => i < 4));
    // The 4th smallest sets the cut: (15 / 4) 0.0095 = 0.035625; the 5th, (15 / 5) 0.0201 = 0.0603.
    expect(adjusted[3]).toBeCloseTo(0.035625, 15);
    expect(adjusted[4]).toBeCloseTo(0.0603, 15);
  });

  it('count NaN in m, leave it NaN, and accept an empty family', () => {
    // m = 3 with the NaN: Bonferroni 3 p; BH sorted 0.01 (x 3), 0.02 (x 3/2 = 0.03); the NaN treated as p = 1
    // changes nothing below it (R's p.adjust(c(0.02, 0.01), "BH", n = 3) gives 0.03 0.03).
    expect([...bonferroni([0.02, Number.NaN, 0.01])]).toEqual([0.06, Number.NaN, 0.03]);
    const bh = benjaminiHochberg([0.02, Number.NaN, 0.01]);
    expect(bh[0]).toBeCloseTo(0.03, 16);
    expect(bh[1]).toBeNaN();
    expect(bh[2]).toBeCloseTo(0.03, 16);
    expect(bonferroni([]).length).toBe(0);
    expect(benjaminiHochberg([]).length).toBe(0);
  });

  it('benjaminiHochberg equals the step-up formula of R p.adjust (n = length(p), NaN removed)', () => {
    // R: i <- lp:1; o <- order(p, decreasing = TRUE); pmin(1, cummin(n / i * p[o]))[order(o)], with the
    // non-NaN p-values and n counting the NaN too.
    const stepUp = (pValues: readonly number[]): number[] => {
      const n = pValues.length;
      const tested = pValues.map((p, index) => ({ p, index })).filter(({ p }) => !Number.isNaN(p));
      tested.sort((a, b) => b.p - a.p || b.index - a.index);
      const adjusted = new Array<number>(n).fill(Number.NaN);
      let cumulativeMin = Number.POSITIVE_INFINITY;
      tested.forEach(({ p, index }, position) => {
        const i = tested.length - position;
        cumulativeMin = Math.min(cumulativeMin, (n / i) * p);
        adjusted[index] = Math.min(1, cumulativeMin);
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
          { maxLength: 80 },
        ),
        (pValues) => {
          expect([...benjaminiHochberg(pValues)]).toEqual(stepUp(pValues));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('adjusted p-values are monotone in the raw ones, in [p, 1], and BH <= Holm <= Bonferroni', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)), {
          minLength: 1,
          maxLength: 60,
        }),
        (pValues) => {
          const bh = benjaminiHochberg(pValues);
          const holm = holmBonferroni(pValues);
          const bonf = bonferroni(pValues);
          pValues.forEach((p, i) => {
            if (Number.isNaN(p)) {
              expect([bh[i], holm[i], bonf[i]]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
              return;
            }
            expect(bh[i]).toBeGreaterThanOrEqual(p);
            expect(bh[i]).toBeLessThanOrEqual(holm[i]!);
            expect(holm[i]).toBeLessThanOrEqual(bonf[i]!);
            expect(bonf[i]).toBeLessThanOrEqual(1);
            pValues.forEach((q, j) => {
              if (p <= q) expect(bh[i]).toBeLessThanOrEqual(bh[j]!);
            });
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('correctForMultipleTesting', () => {
  const infinite = (m: number) => new Array<number>(m).fill(Number.POSITIVE_INFINITY);
  const ones = (m: number) => new Array<number>(m).fill(1);

  it('Bonferroni: every interval at level 1 - alpha / m (z of 0.995 for m = 5 at 0.95)', () => {
    const result = correctForMultipleTesting({
      correction: 'bonferroni',
      pValues: [0.001, 0.2, 0.5, Number.NaN, 0.03],
      standardErrors: [1, 2, 1, 1, 1],
      degreesOfFreedom: infinite(5),
      confidenceLevel: 0.95,
    });
    // alpha / m = 0.01: the two-sided normal quantile of 0.995, 2.5758293035489004 (tables: 2.5758).
    expect(result.confidenceIntervals[0]).toBeCloseTo(2.5758293035489, 12);
    expect(result.confidenceIntervals[1]).toBeCloseTo(2 * 2.5758293035489, 12);
    expect(result.confidenceIntervals[3]).toBeCloseTo(2.5758293035489, 12);
    expect([...result.confidenceLevels]).toEqual(new Array(5).fill(1 - 0.05 / 5));
    expect(result.pValues[4]).toBeCloseTo(0.15, 15);
    expect(result.pValues[3]).toBeNaN();
  });

  it('Benjamini-Hochberg: the false-coverage-rate level 1 - R alpha / m for every cell', () => {
    const m = BH_1995.length;
    const result = correctForMultipleTesting({
      correction: 'benjamini-hochberg',
      pValues: BH_1995,
      standardErrors: ones(m),
      degreesOfFreedom: infinite(m),
      confidenceLevel: 0.95,
    });
    // R = 4 rejections of 15: level 1 - 4 (0.05) / 15, half-width z(1 - 4 (0.05) / 30) = z(0.99333...).
    const level = 1 - (4 * (1 - 0.95)) / 15;
    for (const cellLevel of result.confidenceLevels) expect(cellLevel).toBeCloseTo(level, 15);
    expect(result.confidenceIntervals[0]).toBe(normalQuantile(1 - (4 * (1 - 0.95)) / 30));
    expect(result.confidenceIntervals[0]).toBeCloseTo(2.4747, 4);
    // The interval excludes 0 (|z| > half-width) exactly for the 4 rejected cells.
    const excludesZero = BH_1995.map((p, i) => normalQuantile(1 - p / 2) > result.confidenceIntervals[i]!);
    expect(excludesZero).toEqual(BH_1995.map((_, i) => i < 4));
  });

  it('Benjamini-Hochberg without a rejection falls back to 1 - alpha / m', () => {
    const result = correctForMultipleTesting({
      correction: 'benjamini-hochberg',
      pValues: [0.2, 0.4, 0.9, 0.03],
      standardErrors: ones(4),
      degreesOfFreedom: [12, 12, 12, 12],
      confidenceLevel: 0.9,
    });
    // 0.03 (x 4) = 0.12 > 0.1: R = 0, level 1 - 0.1 / 4 = 0.975, quantile at 1 - 0.0125 with 12 df.
    expect([...result.pValues].every((q) => q > 0.1)).toBe(true);
    expect(result.confidenceLevels[0]).toBeCloseTo(0.975, 15);
    expect(result.confidenceIntervals[0]).toBe(studentTQuantile(1 - 0.1 / 4 / 2, 12));
  });

  it('Holm: the intervals of adjustIntervalsForHolm, bit for bit, with the implied levels', () => {
    const family = {
      pValues: [0.01, 0.04, Number.NaN, 0.003, 0],
      standardErrors: [2, 3, 1, 0.5, 1],
      degreesOfFreedom: [40, 43, 10, Number.POSITIVE_INFINITY, 7],
      confidenceLevel: 0.95,
    };
    const result = correctForMultipleTesting({ correction: 'holm', ...family });
    const adjustedPValues = holmBonferroni(family.pValues);
    expect([...result.pValues]).toEqual([...adjustedPValues]);
    expect([...result.confidenceIntervals]).toEqual([
      ...adjustIntervalsForHolm({ ...family, adjustedPValues }),
    ]);
    // 0.003 is the second smallest of m = 5 (after 0): Holm multiplies it by 4, so its level is 1 - 0.05 / 4.
    expect(result.confidenceLevels[3]).toBeCloseTo(1 - 0.05 / 4, 15);
    // NaN and 0/0 ratios count as 1: the nominal level.
    expect(result.confidenceLevels[2]).toBeCloseTo(0.95, 15);
    expect(result.confidenceLevels[4]).toBeCloseTo(0.95, 15);
  });

  it("'none' keeps the raw p-values and the nominal intervals", () => {
    const result = correctForMultipleTesting({
      correction: 'none',
      pValues: [0.01, 0.7],
      standardErrors: [2, 1],
      degreesOfFreedom: [30, Number.POSITIVE_INFINITY],
      confidenceLevel: 0.95,
    });
    expect([...result.pValues]).toEqual([0.01, 0.7]);
    expect(result.confidenceIntervals[0]).toBe(2 * studentTQuantile(0.975, 30));
    expect(result.confidenceIntervals[1]).toBeCloseTo(1.959963984540054, 14);
  });

  it('one-sided cells get the one-sided quantile t^-1(1 - alpha_i)', () => {
    const result = correctForMultipleTesting({
      correction: 'bonferroni',
      pValues: [0.01, 0.02],
      standardErrors: [1, 1],
      degreesOfFreedom: infinite(2),
      confidenceLevel: 0.95,
      alternative: ['greater', 'two-sided'],
    });
    // alpha_i = 0.025: one-sided z(0.975) = 1.95996..., two-sided z(0.9875) = 2.2414...
    expect(result.confidenceIntervals[0]).toBeCloseTo(1.959963984540054, 14);
    expect(result.confidenceIntervals[1]).toBeCloseTo(2.241402727604947, 14);
  });

  it('rejects an unknown correction, lists of other lengths and unknown keys, naming the field', () => {
    const family = { pValues: [0.1], standardErrors: [1], degreesOfFreedom: [3], confidenceLevel: 0.95 };
    const unknown = thrownValidationError(() =>
      correctForMultipleTesting({ ...family, correction: 'fdr' as MultipleTestingCorrection }),
    );
    expect(unknown.path).toEqual(['correction']);
    expect(unknown.message).toBe(
      "`correction` must be one of 'holm', 'benjamini-hochberg', 'bonferroni', 'none', received 'fdr'",
    );
    const short = thrownValidationError(() =>
      correctForMultipleTesting({ ...family, correction: 'holm', degreesOfFreedom: [] }),
    );
    expect(short.path).toEqual(['degreesOfFreedom']);
    const alternative = thrownValidationError(() =>
      correctForMultipleTesting({ ...family, correction: 'holm', alternative: ['up' as 'greater'] }),
    );
    expect(alternative.path).toEqual(['alternative', 0]);
    expect(() =>
      correctForMultipleTesting({ ...family, correction: 'holm', confidence: 0.9 } as unknown as Parameters<
        typeof correctForMultipleTesting
      >[0]),
    ).toThrow(ValidationError);
  });
});
