/**
 * One-sided and non-inferiority tests in the kernels: Welch's test, the Holm interval adjustment, required
 * sample size and power. Expected values are SciPy 1.17's (`scipy.stats.t`, `scipy.stats.norm`), computed
 * by hand and written next to each assertion, or closed-form relations between the one- and two-sided tests.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  type Alternative,
  adjustIntervalsForHolm,
  adjustIntervalsForHolmMatrix,
  type Matrix,
  powerFromSampleSizes,
  powerMatrix,
  requiredSampleSizeMatrix,
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
  welchTestMatrix,
} from '../../src/index.js';
import { thrownValidationError } from '../support/thrown.js';
import { uniform } from '../support/uniform.js';

const row = (...values: number[]): Matrix => ndarray(Float64Array.from(values), [1, values.length]);
const rows = (count: number, ...values: number[]): Matrix =>
  ndarray(
    Float64Array.from({ length: count * values.length }, (_, i) => values[i % values.length]!),
    [count, values.length],
  );

/**
 * Control and treatment with mean 10, estimate variance 0.5 and 6 units each: `diff = 0`,
 * `se = sqrt(10^2 0.5 / 10^2 + 0.5) / 10 = 0.1` and `f = (2 v)^2 / (2 v^2 / 5) = 10`, all exact, so that a
 * null value of `-0.2` makes the statistic exactly `(0 + 0.2) / 0.1 = 2`.
 */
function tenDegrees(alternative: Alternative[], nullValue: number[]) {
  const count = alternative.length;
  return welchTestMatrix({
    estimate: rows(count, 10, 10),
    estimateVariance: rows(count, 0.5, 0.5),
    sampleSize: rows(count, 6, 6),
    sumValue: rows(count, 60, 60),
    controlIndex: 0,
    confidenceLevel: 0.95,
    alternative,
    nullValue,
  });
}

describe('welchTestMatrix with an alternative', () => {
  it('gives the t tails of SciPy at 10 degrees of freedom', () => {
    const result = tenDegrees(['greater', 'less', 'two-sided', 'greater'], [-0.2, -0.2, -0.2, 0]);
    expect([0, 1, 2, 3].map((r) => result.degreesOfFreedom.get(r, 1))).toEqual([10, 10, 10, 10]);
    expect([0, 1, 2].map((r) => result.testStat.get(r, 1))).toEqual([2, 2, 2]);
    // scipy.stats.t.sf(2, 10) = 0.03669401738537018
    expect(result.pValue.get(0, 1)).toBeCloseTo(0.03669401738537018, 14);
    // scipy.stats.t.cdf(2, 10) = 0.9633059826146299
    expect(result.pValue.get(1, 1)).toBeCloseTo(0.9633059826146299, 14);
    // 2 * scipy.stats.t.sf(2, 10) = 0.07338803477074037
    expect(result.pValue.get(2, 1)).toBeCloseTo(0.07338803477074037, 14);
    // t = 0: one half for a one-sided test (the two-sided test reports 1).
    expect(result.pValue.get(3, 1)).toBeCloseTo(0.5, 14);
    // Half-widths: 0.1 * scipy.stats.t.ppf(0.95, 10) = 0.1 * 1.8124611228116756 one-sided,
    // 0.1 * scipy.stats.t.ppf(0.975, 10) = 0.1 * 2.228138851986274 two-sided.
    expect(result.confidenceInterval.get(0, 1)).toBeCloseTo(0.181246112281168, 11);
    expect(result.confidenceInterval.get(1, 1)).toBeCloseTo(0.181246112281168, 11);
    expect(result.confidenceInterval.get(2, 1)).toBeCloseTo(0.2228138851986274, 11);
  });

  it('keeps the control column the two-sided comparison with itself', () => {
    const oneSided = tenDegrees(['greater', 'less'], [-0.2, 0.2]);
    const plain = tenDegrees(['two-sided', 'two-sided'], [0, 0]);
    for (const r of [0, 1]) {
      expect(oneSided.pValue.get(r, 0)).toBe(1);
      expect(oneSided.testStat.get(r, 0)).toBe(0);
      expect(oneSided.confidenceInterval.get(r, 0)).toBe(plain.confidenceInterval.get(r, 0));
    }
  });

  it('relates to the two-sided test: p / 2 on the tested side, 1 - p / 2 on the other, level 2 cl - 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(0.8, 0.9, 0.95, 0.99), (seed, cl) => {
        const random = uniform(seed);
        const count = 6;
        const values = (f: () => number) => ndarray(Float64Array.from({ length: 2 * count }, f), [count, 2]);
        const input = {
          estimate: values(() => 5 + random()),
          estimateVariance: values(() => 0.001 + 0.05 * random()),
          sampleSize: values(() => 3 + Math.floor(random() * 500)),
          sumValue: values(() => 100),
          controlIndex: 0,
        };
        const twoSided = welchTestMatrix({ ...input, confidenceLevel: cl });
        const wider = welchTestMatrix({ ...input, confidenceLevel: 2 * cl - 1 });
        for (const alternative of ['greater', 'less'] as const) {
          const oneSided = welchTestMatrix({
            ...input,
            confidenceLevel: cl,
            alternative: Array.from({ length: count }, () => alternative),
          });
          for (let r = 0; r < count; r++) {
            const t = twoSided.testStat.get(r, 1);
            const half = twoSided.pValue.get(r, 1) / 2;
            const testedSide = alternative === 'greater' ? t > 0 : t < 0;
            const p = oneSided.pValue.get(r, 1);
            // On the tested side both are the same tail (exactly); on the other, its complement.
            if (testedSide) expect(p).toBe(half);
            else expect(Math.abs(p - (1 - half))).toBeLessThan(1e-12);
            // t^-1(cl) = t^-1((2 cl - 1) + (1 - (2 cl - 1)) / 2): the one-sided bound is the two-sided one at
            // level 2 cl - 1.
            const ci = oneSided.confidenceInterval.get(r, 1);
            expect(Math.abs(ci / wider.confidenceInterval.get(r, 1) - 1)).toBeLessThan(1e-12);
            expect(oneSided.testStat.get(r, 1)).toBe(t);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('shifts the statistic by the null value and leaves the interval alone', () => {
    const shifted = tenDegrees(['greater'], [-0.05]);
    const plain = tenDegrees(['greater'], [0]);
    // (0 - -0.05) / 0.1 = 0.5
    expect(shifted.testStat.get(0, 1)).toBeCloseTo(0.5, 15);
    expect(shifted.confidenceInterval.get(0, 1)).toBe(plain.confidenceInterval.get(0, 1));
    expect(shifted.diff.get(0, 1)).toBe(plain.diff.get(0, 1));
  });

  it('gives, bit for bit, the two-sided result for explicit two-sided rows with null value 0', () => {
    const random = uniform(7);
    const values = () =>
      ndarray(
        Float64Array.from({ length: 12 }, () => random() * 3),
        [4, 3],
      );
    const input = {
      estimate: values(),
      estimateVariance: values(),
      sampleSize: ndarray(
        Float64Array.from({ length: 12 }, () => 2 + Math.floor(random() * 100)),
        [4, 3],
      ),
      sumValue: values(),
      controlIndex: 1,
      confidenceLevel: 0.9,
    };
    const plain = welchTestMatrix(input);
    const explicit = welchTestMatrix({
      ...input,
      alternative: ['two-sided', 'two-sided', 'two-sided', 'two-sided'],
      nullValue: [0, 0, 0, 0],
    });
    for (const key of ['testStat', 'pValue', 'confidenceInterval'] as const) {
      expect(Array.from(explicit[key].data)).toEqual(Array.from(plain[key].data));
    }
  });

  it('rejects per-row inputs that do not match the rows, naming the path', () => {
    const base = {
      estimate: row(1, 2),
      estimateVariance: row(0.1, 0.1),
      sampleSize: row(10, 10),
      sumValue: row(10, 20),
      controlIndex: 0,
      confidenceLevel: 0.95,
    };
    expect(thrownValidationError(() => welchTestMatrix({ ...base, alternative: [] })).path).toEqual([
      'alternative',
    ]);
    const unknown = thrownValidationError(() =>
      welchTestMatrix({ ...base, alternative: ['larger' as Alternative] }),
    );
    expect(unknown.path).toEqual(['alternative', 0]);
    expect(unknown.message).toBe(
      "`alternative[0]` must be 'two-sided', 'greater' or 'less', received 'larger'.",
    );
    expect(thrownValidationError(() => welchTestMatrix({ ...base, nullValue: [Number.NaN] })).path).toEqual([
      'nullValue',
      0,
    ]);
  });
});

describe('Holm interval adjustment of one-sided p-values', () => {
  it('uses the one-sided quantile t^-1(1 - alpha_i)', () => {
    // p = 0.01, p_adj = 0.02: alpha_i = (0.01 / 0.02) 0.05 = 0.025; with infinite degrees of freedom the
    // one-sided half-width is scipy.stats.norm.ppf(0.975) = 1.959963984540054, the two-sided one
    // scipy.stats.norm.ppf(0.9875) = 2.241402727604947.
    const input = {
      pValues: row(0.01, 0.04),
      adjustedPValues: row(0.02, 0.04),
      standardErrors: row(1, 1),
      degreesOfFreedom: row(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY),
      confidenceLevel: 0.95,
    };
    const oneSided = adjustIntervalsForHolmMatrix({ ...input, alternative: ['greater'] });
    expect(oneSided.get(0, 0)).toBeCloseTo(1.959963984540054, 12);
    // Not adjusted (p = p_adj): the nominal one-sided level, scipy.stats.norm.ppf(0.95) = 1.6448536269514722.
    expect(oneSided.get(0, 1)).toBeCloseTo(1.6448536269514722, 12);
    expect(adjustIntervalsForHolmMatrix(input).get(0, 0)).toBeCloseTo(2.241402727604947, 12);
    // The scalar form agrees cell for cell.
    const scalar = adjustIntervalsForHolm({
      pValues: [0.01, 0.04],
      adjustedPValues: [0.02, 0.04],
      standardErrors: [1, 1],
      degreesOfFreedom: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      confidenceLevel: 0.95,
      alternative: 'less',
    });
    expect(Array.from(scalar)).toEqual([oneSided.get(0, 0), oneSided.get(0, 1)]);
  });
});

describe('required sample size and power of one-sided tests', () => {
  // scipy.stats.norm.ppf: z_0.95 = 1.6448536269514722, z_0.975 = 1.959963984540054, z_0.8 = 0.8416212335729143.
  const z95 = 1.6448536269514722;
  const z975 = 1.959963984540054;
  const z80 = 0.8416212335729143;

  it('needs (z_{1-a} + z_power)^2 / (z_{1-a/2} + z_power)^2 of the two-sided sample size', () => {
    // n = (z + z_power)^2 (s_c^2 + s_t^2) / delta^2 with z = z_{1-a/2} (two-sided) or z_{1-a} (one-sided):
    // everything but z cancels in the ratio, (1.6449 + 0.8416)^2 / (1.9600 + 0.8416)^2 = 0.78770.
    const ratio = (z95 + z80) ** 2 / (z975 + z80) ** 2;
    expect(ratio).toBeCloseTo(0.7876993203199448, 15);
    // A small effect makes n large (about 1.6e7), so rounding to whole units is negligible in the ratio.
    const base = { nVariants: 2, minimumEffect: 0.001, mean: 1, std: 1 };
    const twoSided = requiredSampleSizePerVariant(base);
    const greater = requiredSampleSizePerVariant({ ...base, alternative: 'greater' });
    const less = requiredSampleSizePerVariant({ ...base, alternative: 'less' });
    expect(greater).toBeLessThan(twoSided);
    expect(greater / twoSided).toBeCloseTo(ratio, 6);
    expect(less).toBe(greater);
    // Closed form: round((z95 + z80)^2 2 s^2 / (m mei)^2) = round(6.1825572 * 2 / 1e-6).
    expect(greater).toBe(Math.round(((z95 + z80) ** 2 * 2) / 1e-6));
  });

  it('measures the effect to detect from the non-inferiority margin', () => {
    const base = { nVariants: 2, mean: 2, std: 1.5 } as const;
    // Against -0.02, a true +3 % is 5 % away: the sample size of a 5 % effect without a margin.
    expect(
      requiredSampleSizePerVariant({
        ...base,
        minimumEffect: 0.03,
        alternative: 'greater',
        nonInferiorityMargin: 0.02,
      }),
    ).toBe(requiredSampleSizePerVariant({ ...base, minimumEffect: 0.05, alternative: 'greater' }));
    // No true difference (minimumEffect 0): n = (z95 + z80)^2 2 s^2 / (m margin)^2
    //   = 6.1825572 * 4.5 / 0.04^2 = 17388.4 -> 17388.
    expect(
      requiredSampleSizePerVariant({
        ...base,
        minimumEffect: 0,
        alternative: 'less',
        nonInferiorityMargin: 0.02,
      }),
    ).toBe(17388);
  });

  it('takes the Bernoulli variance of the rate in the tested direction', () => {
    // p = 0.4, 5 % down under 'less': p2 = 0.38, n = (z95 + z80)^2 (0.24 + 0.2356) / 0.02^2 = 7351.06;
    // up under 'greater': p2 = 0.42, n = (z95 + z80)^2 (0.24 + 0.2436) / 0.02^2 = 7474.71.
    const base = { nVariants: 2, minimumEffect: 0.05, mean: 0.4 } as const;
    expect(requiredSampleSizePerVariantBernoulli({ ...base, alternative: 'less' })).toBe(7351);
    expect(requiredSampleSizePerVariantBernoulli({ ...base, alternative: 'greater' })).toBe(7475);
  });

  it('reaches the target power at the one-sided sample size and Phi(sqrt(1/2) (z95 + z80) - z95) at half', () => {
    const base = {
      nVariants: 2,
      requiredSampleSize: 500,
      confidenceLevel: 0.95,
      alternative: 'greater',
    } as const;
    expect(powerFromSampleSizes({ ...base, sampleSize: 500 })).toBeCloseTo(0.8, 12);
    // scipy.stats.norm.cdf(sqrt(0.5) * (z95 + z80) - z95) = 0.545123305503286
    expect(powerFromSampleSizes({ ...base, sampleSize: 250 })).toBeCloseTo(0.545123305503286, 12);
  });

  it('gives in the matrix kernels the very numbers of the scalar functions, row by row', () => {
    const shape = [2, 2];
    const sizes = requiredSampleSizeMatrix({
      mean: ndarray(Float64Array.of(2, 2.1, 2, 2.1), shape),
      std: ndarray(Float64Array.of(1.5, 1.6, 1.5, 1.6), shape),
      minimumEffect: ndarray(Float64Array.of(Number.NaN, 0.03, Number.NaN, 0.03), shape),
      controlIndex: 0,
      alternative: ['greater', 'two-sided'],
      nullValue: [-0.02, 0],
    });
    const scalar = { nVariants: 2, minimumEffect: 0.03, mean: 2, std: 1.5, std2: 1.6 };
    expect(sizes.get(0, 1)).toBe(
      requiredSampleSizePerVariant({ ...scalar, alternative: 'greater', nonInferiorityMargin: 0.02 }),
    );
    expect(sizes.get(1, 1)).toBe(requiredSampleSizePerVariant(scalar));
    const power = powerMatrix({
      sampleSize: ndarray(Float64Array.of(1000, 1000, 1000, 1000), shape),
      requiredSampleSize: sizes,
      confidenceLevel: 0.95,
      alternative: ['greater', 'two-sided'],
    });
    const reached = { nVariants: 2, sampleSize: 1000, confidenceLevel: 0.95 };
    expect(power.get(0, 1)).toBe(
      powerFromSampleSizes({ ...reached, requiredSampleSize: sizes.get(0, 1), alternative: 'greater' }),
    );
    expect(power.get(1, 1)).toBe(powerFromSampleSizes({ ...reached, requiredSampleSize: sizes.get(1, 1) }));
  });

  it('rejects a margin without a one-sided alternative and an unknown alternative, naming the option', () => {
    const base = { nVariants: 2, minimumEffect: 0.05, mean: 1, std: 1 };
    const margin = thrownValidationError(() =>
      requiredSampleSizePerVariant({ ...base, nonInferiorityMargin: 0.02 }),
    );
    expect(margin.path).toEqual(['nonInferiorityMargin']);
    expect(
      thrownValidationError(() => requiredSampleSizePerVariant({ ...base, alternative: 'up' as Alternative }))
        .path,
    ).toEqual(['alternative']);
    expect(
      thrownValidationError(() =>
        requiredSampleSizePerVariant({ ...base, alternative: 'less', nonInferiorityMargin: 1.5 }),
      ).path,
    ).toEqual(['nonInferiorityMargin']);
  });
});
