import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGGREGATION_TYPES,
  BINARY_OPERATORS,
  DIMENSION_OPERATORS,
  type DimensionCondition,
  type DimensionOperator,
  type Expression,
  GOAL_FUNCTIONS,
} from '../../src/expression/ast.js';
import { ExpressionError } from '../../src/expression/expression-error.js';
import { parseExpression } from '../../src/expression/parse-expression.js';
import { printExpression } from '../../src/expression/print-expression.js';
import { stripSpans } from './strip-spans.js';

const RUNS = { numRuns: 10_000 };
const span = { start: 0, end: 0 };

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';
const word = (alphabet: string, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength });

const valueCharacters = `${letters}${digits}_-.%/|`;
const dimensionValue = fc
  .tuple(
    word(valueCharacters, 1),
    fc.string({ unit: fc.constantFrom(...valueCharacters, ' '), maxLength: 8 }),
  )
  .map(([first, rest]) => first + rest);

const storedValueOf = (operator: DimensionOperator, value: string): string =>
  operator === '=' ? value : operator === '=^' ? `^${value}` : `${operator}${value}`;

const dimension = fc
  .tuple(word(`${letters}${digits}_`, 6), fc.constantFrom(...DIMENSION_OPERATORS), dimensionValue)
  .map(
    ([name, operator, value]): DimensionCondition => ({
      name,
      operator,
      value,
      storedValue: storedValueOf(operator, value),
    }),
  );

const goal = fc.record({
  kind: fc.constant('goal' as const),
  fn: fc.constantFrom(...GOAL_FUNCTIONS),
  unitType: word(`${letters}_`, 8),
  aggType: fc.constantFrom(...AGGREGATION_TYPES),
  goal: word(`${letters}${digits}_`, 8),
  dimensions: fc.uniqueArray(dimension, { maxLength: 3, selector: (condition) => condition.name }),
  span: fc.constant(span),
});

const number = fc
  .oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.integer(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -(2 ** 60), 1e21, -1e300),
  )
  .map((value): Expression => ({ kind: 'number', value, span }));

const { expression } = fc.letrec<{ expression: Expression }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: number, weight: 1 },
    { arbitrary: goal, weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant('binary' as const),
        operator: fc.constantFrom(...BINARY_OPERATORS),
        left: tie('expression'),
        right: tie('expression'),
        span: fc.constant(span),
      }),
      weight: 3,
    },
  ),
}));

/** Parses and reports whether the outcome is a tree or an ExpressionError with a span inside the text. */
function parsesOrFailsCleanly(text: string): boolean {
  try {
    parseExpression(text);
    return true;
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const { start, end } = error.span;
    return (
      Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= text.length
    );
  }
}

const grammarAlphabet = [...'()., =^!<>-+*/~|%_ab1\n', 'count', 'value', 'unit', 'global', 'u'];
const utf16CodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

describe('expression properties', () => {
  it('printing any valid tree and parsing the text gives the same tree', () => {
    fc.assert(
      fc.property(expression, (tree) => {
        expect(stripSpans(parseExpression(printExpression(tree)))).toEqual(stripSpans(tree));
      }),
      RUNS,
    );
  });

  it('printing a parsed tree is idempotent: print(parse(print(t))) equals print(t)', () => {
    fc.assert(
      fc.property(expression, (tree) => {
        const printed = printExpression(tree);
        expect(printExpression(parseExpression(printed))).toBe(printed);
      }),
      RUNS,
    );
  });

  it.each([
    ['printable strings', fc.string()],
    ['full Unicode strings', fc.string({ unit: 'binary' })],
    ['UTF-16 strings with lone surrogates', fc.string({ unit: utf16CodeUnit })],
    [
      'strings over the grammar alphabet',
      fc.string({ unit: fc.constantFrom(...grammarAlphabet), maxLength: 60 }),
    ],
  ])('%s either parse or throw an ExpressionError with a span inside the text', (_, text) => {
    fc.assert(fc.property(text, parsesOrFailsCleanly), RUNS);
  });

  it('mutating one character of a valid expression parses or fails cleanly', () => {
    const mutated = fc
      .tuple(expression, fc.nat(), fc.constantFrom(...'()., =^!<>-+*/~|%_a1\n\t$'))
      .map(([tree, at, character]) => {
        const text = printExpression(tree);
        const index = at % (text.length + 1);
        return text.slice(0, index) + character + text.slice(index + 1);
      });
    fc.assert(fc.property(mutated, parsesOrFailsCleanly), RUNS);
  });
});
