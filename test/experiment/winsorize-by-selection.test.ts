import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bracketedQuantile, winsorizeBySelection } from '../../src/experiment/winsorize-by-selection.js';
import { linearQuantile, winsorize } from '../../src/index.js';

/** The values with `-0` as `0`: the two may differ only in the sign of a zero. */
const unsigned = (values: Float64Array) => Array.from(values, (value) => value + 0);

describe('winsorizeBySelection', () => {
  it('caps exactly as winsorize does, on many values with ties, infinities and zeros of both signs', () => {
    const value = fc.oneof(
      fc.constantFrom(0, -0, 1, 1, 1, 2.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: -5, max: 5 }),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 200, maxLength: 3000, size: 'max' }),
        fc.double({ min: 0, max: 0.49, noNaN: true }),
        fc.double({ min: 0, max: 0.49, noNaN: true }),
        (values, lower, upper) => {
          const sorted = Float64Array.from(values);
          const selected = Float64Array.from(values);
          winsorize(sorted, lower, 1 - upper);
          winsorizeBySelection(selected, lower, 1 - upper);
          expect(unsigned(selected)).toEqual(unsigned(sorted));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives winsorize the values holding NaN', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i === 500 ? Number.NaN : i % 37));
    const expected = Float64Array.from(values);
    winsorize(expected, 0.1, 0.9);
    winsorizeBySelection(values, 0.1, 0.9);
    expect(Array.from(values)).toEqual(Array.from(expected));
  });

  it('takes the quantiles from a bracket of the values, as sorting them gives', () => {
    let seed = 5;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const distributions: Record<string, (i: number) => number> = {
      uniform: () => random() * 100 - 20,
      'integers 0 to 99': () => Math.floor(random() * 100),
      'heavy tail': () => 1 / (random() + 1e-9),
      sorted: (i) => i * 0.5,
      'sorted descending': (i) => -i,
      'mostly zeros': () => (random() < 0.9 ? 0 : random()),
      'with infinities': (i) =>
        i % 97 === 0 ? Number.POSITIVE_INFINITY : i % 89 === 0 ? -Infinity : random(),
    };
    for (const [name, draw] of Object.entries(distributions)) {
      for (const n of [256, 1000, 40_000]) {
        const values = Float64Array.from({ length: n }, (_, i) => draw(i));
        const sorted = Float64Array.from(values).sort();
        const answered: boolean[] = [];
        const copy = Float64Array.from(values);
        for (const q of [0, 0.001, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1]) {
          const quantile = bracketedQuantile(copy, q);
          answered.push(quantile !== undefined);
          // Equal, but for the sign of a zero (the values sorting puts at a rank).
          if (quantile !== undefined)
            expect(quantile + 0, `${name}, ${n}, ${q}`).toBe(linearQuantile(sorted, q) + 0);
        }
        if (name !== 'mostly zeros') expect(answered.every(Boolean), `${name}, ${n}`).toBe(true);
        expect(
          copy.every((value, i) => Object.is(value, values[i])),
          'values not modified',
        ).toBe(true);
      }
    }
  });

  it('finds the next rank wherever selection left it, for distinct values and quantiles near the ends', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true }), {
          minLength: 256,
          maxLength: 400,
        }),
        fc.oneof(
          fc.double({ min: 0.97, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 0.03, noNaN: true }),
        ),
        (numbers, q) => {
          const quantile = bracketedQuantile(Float64Array.from(numbers), q);
          const sorted = Float64Array.from(numbers).sort();
          if (quantile !== undefined) expect(quantile + 0).toBe(linearQuantile(sorted, q) + 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('misses with heavy ties, and winsorizes as winsorize does all the same', () => {
    const values = Float64Array.from({ length: 200_000 }, (_, i) => (i % 50 === 0 ? i : 1));
    expect(bracketedQuantile(values, 0.5)).toBeUndefined();
    const expected = Float64Array.from(values);
    winsorize(expected, 0.01, 0.99);
    winsorizeBySelection(values, 0.01, 0.99);
    expect(unsigned(values)).toEqual(unsigned(expected));
  });
});
