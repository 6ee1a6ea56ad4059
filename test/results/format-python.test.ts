import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/validation-error.js';
import { formatPython, pythonFormatter } from '../../src/results/format-python.js';
import { decodeNumber, readFixture } from '../support/fixtures.js';

// Python's output for each template and value, written by scripts/generate-format-fixtures.py.
interface FormatFixture {
  readonly python: string;
  readonly cases: readonly { template: string; value: number | string; expected: string }[];
  readonly errors: readonly { template: string; error: string; message: string }[];
}
const fixture = readFixture<FormatFixture>('python-format.json');

describe('formatPython', () => {
  it(`prints what Python ${fixture.python} prints for every fixture case`, () => {
    expect(fixture.cases.length).toBeGreaterThan(2000);
    const mismatches = fixture.cases
      .map(({ template, value, expected }) => ({
        template,
        value,
        expected,
        actual: formatPython(template, decodeNumber(value)),
      }))
      .filter(({ expected, actual }) => expected !== actual)
      .map(
        ({ template, value, expected, actual }) =>
          `${template} of ${value}: got ${JSON.stringify(actual)}, Python ${JSON.stringify(expected)}`,
      );
    expect(mismatches).toEqual([]);
  });

  it('rejects every template that Python rejects for a float', () => {
    for (const { template } of fixture.errors) {
      expect(() => formatPython(template, 1.5), template).toThrow(ValidationError);
    }
  });

  it('formats the result table formats of the reference', () => {
    expect(formatPython('{:.2%}', 0.2380952380952381)).toBe('23.81%');
    expect(formatPython('{:+,.1%}', 0.13076923076923078)).toBe('+13.1%');
    expect(formatPython('{:+,.1%}', -1.051029462580951)).toBe('-105.1%');
    expect(formatPython('{:,.3f}', 0.824473566920144)).toBe('0.824');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Python template with a literal dollar sign
    expect(formatPython('${:,.2f}', 1234567.891)).toBe('$1,234,567.89');
    expect(formatPython('{:.1f} ‰', 0.2380952380952381 * 1000)).toBe('238.1 ‰');
  });

  it('rounds exact ties to even where toFixed rounds them up', () => {
    // 0.125, 2.5 and 12345 are exact in binary; 0.0125 * 100 is exactly 1.25 in floating point.
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(formatPython('{:.2f}', 0.125)).toBe('0.12');
    expect(formatPython('{:.2f}', 0.375)).toBe('0.38');
    expect(formatPython('{:.0f}', 2.5)).toBe('2');
    expect(formatPython('{:.0f}', 3.5)).toBe('4');
    expect(formatPython('{:+,.1%}', 0.0125)).toBe('+1.2%');
    expect(formatPython('{:.3e}', 12345)).toBe('1.234e+04');
    expect(formatPython('{:.3g}', 1.125)).toBe('1.12');
    // A tie above 2^49 where no double prints as the even neighbour: the digits are built exactly.
    expect(formatPython('{:.2f}', 2 ** 49 + 0.125)).toBe('562949953421312.12');
  });

  it('keeps the minus sign of negative zero and of negatives that round to zero', () => {
    expect(formatPython('{:.2f}', -0)).toBe('-0.00');
    expect(formatPython('{:.2f}', -0.001)).toBe('-0.00');
    expect(formatPython('{}', -0)).toBe('-0.0');
  });

  it('prints NaN and infinities as Python does', () => {
    expect(formatPython('{:.2%}', Number.NaN)).toBe('nan%');
    expect(formatPython('{:+,.1%}', Number.POSITIVE_INFINITY)).toBe('+inf%');
    expect(formatPython('{:,.3f}', Number.NEGATIVE_INFINITY)).toBe('-inf');
    expect(formatPython('{:F}', Number.NaN)).toBe('NAN');
    expect(formatPython('{:>6.1f}', Number.NaN)).toBe('   nan');
    // 100 * 1e307 overflows, as in Python.
    expect(formatPython('{:.1%}', 1e307)).toBe('inf%');
  });

  it('prints the repr of a float for an empty specification', () => {
    expect(formatPython('{}', 0.1)).toBe('0.1');
    expect(formatPython('{}', 5)).toBe('5.0');
    expect(formatPython('{}', 1e-7)).toBe('1e-07');
    expect(formatPython('{}', 1e16)).toBe('1e+16');
    expect(formatPython('{:,}', 1234567.5)).toBe('1,234,567.5');
  });

  it('prints doubles of 1e21 and more in full in fixed notation', () => {
    expect((1e21).toFixed(2)).toBe('1e+21');
    expect(formatPython('{:,.0f}', 1e21)).toBe('1,000,000,000,000,000,000,000');
  });

  it('groups zero padding with thousands separators', () => {
    expect(formatPython('{:010,.2f}', 1234.5)).toBe('001,234.50');
    expect(formatPython('{:07,.2f}', 1.5)).toBe('0,001.50');
    expect(formatPython('{:0>10,.2f}', 1234.5)).toBe('001,234.50');
  });

  it('keeps literal text and brace escapes around the field', () => {
    expect(formatPython('p = {:.3f}', 0.01)).toBe('p = 0.010');
    expect(formatPython('{{{:.1f}}}', 2)).toBe('{2.0}');
    expect(formatPython('{0:.1f}', 2)).toBe('2.0');
  });

  it.each([
    ['no field', 'has no replacement field'],
    ['{} and {}', 'more than one replacement field'],
    ['{:d}', 'format specification "d" is not supported'],
    ['{:#.2f}', 'format specification "#.2f" is not supported'],
    ['{:_.2f}', 'format specification "_.2f" is not supported'],
    ['{:z.2f}', 'format specification "z.2f" is not supported'],
    ['{:.2}', 'a precision needs a type'],
    ['{:.21f}', 'precision 21 is above 20'],
    ['{:.18g}', 'precision 18 is above 17'],
    ['{:{w}.2f}', 'nested replacement fields'],
    ['{!r}', 'conversion "!r"'],
    ['{value:.2f}', 'field name "value"'],
    ['{:.2f', "unmatched '{'"],
    ['}{:.2f}', "single '}'"],
  ])('rejects %j: %s', (template, problem) => {
    let caught: unknown;
    try {
      formatPython(template, 1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const message = (caught as ValidationError).message;
    expect(message).toContain(JSON.stringify(template));
    expect(message).toContain(problem);
    expect(message).toContain('[[fill]align][sign][0][width][,][.precision][type]');
  });

  it('validates a template once, before formatting', () => {
    expect(() => pythonFormatter('{:q}')).toThrow(ValidationError);
    const format = pythonFormatter('{:+.1f}');
    expect([1, -1, 0].map(format)).toEqual(['+1.0', '-1.0', '+0.0']);
  });
});

describe('formatPython properties', () => {
  it('prints a repr that reads back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(Object.is(Number(formatPython('{}', value)), value)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('prints fixed notation within half a unit of the last digit', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e15, max: 1e15, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (value, digits) => {
          const text = formatPython(`{:,.${digits}f}`, value);
          const parsed = Number(text.replaceAll(',', ''));
          expect(Math.abs(parsed - value)).toBeLessThanOrEqual(
            0.5 * 10 ** -digits * (1 + 1e-9) + Math.abs(value) * 1e-15,
          );
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('throws nothing but ValidationError for any template', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'{}:.,%+-0123456789efgdx<>=^ $#'), maxLength: 12 }),
        (template) => {
          try {
            formatPython(template, 1234.5);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
