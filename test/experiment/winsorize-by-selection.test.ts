import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { winsorizeBySelection } from '../../src/experiment/winsorize-by-selection.js';
import { winsorize } from '../../src/index.js';

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
});
