import { describe, expect, it } from 'vitest';
import type { Expression, GoalReference } from '../../src/expression/ast.js';
import { completeDimensions } from '../../src/expression/complete-dimensions.js';
import { parseExpression } from '../../src/expression/parse-expression.js';
import { printExpression } from '../../src/expression/print-expression.js';
import { stripSpans } from './strip-spans.js';

const span = { start: 0, end: 0 };
const number = (value: number): Expression => ({ kind: 'number', value, span });
const binary = (left: Expression, operator: '*' | '/' | '-' | '+' | '~', right: Expression): Expression => ({
  kind: 'binary',
  operator,
  left,
  right,
  span,
});

describe('printExpression', () => {
  it.each([
    ['count( u.unit.a )', 'count(u.unit.a)'],
    ['value(u.global.b(x =^ y, z!=1,))', 'value(u.global.b(x=^y, z!=1))'],
    ['value(u.global.b(x =^ y , z!=1))', 'value(u.global.b(x=^y , z!=1))'],
    ['count(u.unit.a(x= A/ A|BB , y=X))', 'count(u.unit.a(x=A/ A|BB , y=X))'],
    ['1/2*3', '1 / 2 * 3'],
    ['(1/2)*3', '(1 / 2) * 3'],
    ['1-2-3', '1 - 2 - 3'],
    ['1-(2-3)', '1 - (2 - 3)'],
    ['1+2-3', '1 + 2 - 3'],
    ['(1+2)-3', '(1 + 2) - 3'],
    ['1 - -5', '1 - -5'],
    ['-1*-2', '-1 * -2'],
    ['(((1 ~ 2)))', '1 ~ 2'],
    ['(1 ~ 2) * (3 ~ 4)', '(1 ~ 2) * (3 ~ 4)'],
  ])('prints `%s` as `%s`', (text, printed) => {
    expect(printExpression(parseExpression(text))).toBe(printed);
  });

  it('prints left-nested equal operators without parentheses and right-nested ones with them', () => {
    const left = binary(binary(number(1), '/', number(2)), '/', number(3));
    const right = binary(number(1), '/', binary(number(2), '/', number(3)));
    expect(printExpression(left)).toBe('1 / 2 / 3');
    expect(printExpression(right)).toBe('1 / (2 / 3)');
  });

  it('keeps trailing spaces of a value so that it parses back identically', () => {
    const tree = parseExpression('count(u.unit.a(x=a  , y=b  ))');
    expect(stripSpans(parseExpression(printExpression(tree)))).toEqual(stripSpans(tree));
  });

  it('prints integers beyond 2^53 in full digits, never in exponent notation', () => {
    expect(printExpression(number(1e21))).toBe('1000000000000000000000');
    expect(parseExpression(printExpression(number(-1e300)))).toMatchObject({ value: -1e300 });
  });

  it('prints an infinity from an overlong digit string as digits that read back as the same infinity', () => {
    const tree = parseExpression('9'.repeat(400));
    expect(tree).toMatchObject({ value: Number.POSITIVE_INFINITY });
    expect(parseExpression(printExpression(tree))).toMatchObject({ value: Number.POSITIVE_INFINITY });
  });

  it('leaves out completed dimensions with an empty value', () => {
    const goal = parseExpression('count(u.unit.a(x=1))') as GoalReference;
    expect(printExpression(completeDimensions(goal, ['y', 'x']))).toBe('count(u.unit.a(x=1))');
  });
});
