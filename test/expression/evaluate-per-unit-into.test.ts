import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePerUnitInto } from '../../src/expression/evaluate-per-unit.js';
import { evaluatePerUnit, parseExpression, type UnitGoalTotals } from '../../src/index.js';

/** The text of a random expression over goals `a`, `b` (with units) and `missing` (without), and numbers. */
const expressionText: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      'value(u.unit.a)',
      'count(u.unit.a)',
      'unique(u.unit.b)',
      'value(u.unit.missing)',
      'unique(u.unit.missing)',
      '2',
      '0',
      '10',
    ),
    fc
      .tuple(tie('node'), fc.constantFrom('+', '-', '*', '/', '~'), tie('node'))
      .map(([left, operator, right]) => `(${left} ${operator} ${right})`),
  ),
})).node;

const value = fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(0, -0, 1, 3, 0.1));

/** The values as an array of exact values (`-0` and `0` apart). */
const exact = (values: ArrayLike<number>) => Array.from(values, (v) => (Object.is(v, -0) ? '-0' : v));

describe('evaluatePerUnitInto', () => {
  it('gives evaluatePerUnit values to the last bit, in the array given, whatever it held', () => {
    fc.assert(
      fc.property(
        expressionText,
        fc
          .integer({ min: 0, max: 12 })
          .chain((n) => fc.tuple(fc.array(value, { minLength: n * 3, maxLength: n * 3 }), fc.constant(n))),
        (text, [cells, n]) => {
          const expression = parseExpression(text);
          const a: UnitGoalTotals = { count: cells.slice(0, n), sumValue: cells.slice(n, 2 * n) };
          const b: UnitGoalTotals = { count: cells.slice(2 * n), sumValue: [] };
          const totals = (goal: { goal: string }) => ({ a, b })[goal.goal as 'a' | 'b'];
          const expected = evaluatePerUnit(expression, n, totals);
          const out = new Float64Array(n).fill(Number.NaN);
          const scratch = (length: number) => new Float64Array(length).fill(7);
          const result = evaluatePerUnitInto(expression, out, totals, scratch);
          expect(result).toBe(out);
          expect(exact(result)).toEqual(exact(expected));
          // The goals' own arrays are only read.
          expect(exact(a.count)).toEqual(exact(cells.slice(0, n)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('computes a right operand that needs computing in a scratch array, reused once read', () => {
    const expression = parseExpression(
      '(value(u.unit.a) - (count(u.unit.a) * 2)) + (unique(u.unit.a) / (value(u.unit.a) + 1))',
    );
    const a: UnitGoalTotals = { count: [0, 2, 5], sumValue: [1.5, -2, 0] };
    const scratches: Float64Array[] = [];
    const result = evaluatePerUnitInto(
      expression,
      new Float64Array(3),
      () => a,
      (length) => {
        scratches.push(new Float64Array(length));
        return scratches.at(-1)!;
      },
    );
    expect(Array.from(result)).toEqual(Array.from(evaluatePerUnit(expression, 3, () => a)));
    expect(scratches.length).toBe(2);
  });
});
