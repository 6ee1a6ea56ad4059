import { describe, expect, it } from 'vitest';
import type { Expression, GoalReference } from '../../src/expression/ast.js';
import { ExpressionError } from '../../src/expression/expression-error.js';
import { goalKey } from '../../src/expression/goal-key.js';
import { MAX_EXPRESSION_DEPTH, parseExpression } from '../../src/expression/parse-expression.js';

/** Fully parenthesised text of a tree: numbers as digits, goals as their name. */
function shape(expr: Expression): string {
  if (expr.kind === 'number') return String(expr.value);
  if (expr.kind === 'goal') return expr.goal;
  return `(${shape(expr.left)} ${expr.operator} ${shape(expr.right)})`;
}

function parseGoal(text: string): GoalReference {
  const tree = parseExpression(text);
  if (tree.kind !== 'goal') throw new Error(`expected a goal, got ${tree.kind}`);
  return tree;
}

function parseError(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseExpression: goals', () => {
  it('reads function, unit type, aggregation type, goal name and span', () => {
    expect(parseExpression('count(test_unit_type.unit.click)')).toEqual({
      kind: 'goal',
      fn: 'count',
      unitType: 'test_unit_type',
      aggType: 'unit',
      goal: 'click',
      dimensions: [],
      span: { start: 0, end: 32 },
    });
  });

  it.each([
    ['value(u.global.bookings)', 'value', 'global'],
    ['unique(u.unit.click_1)', 'unique', 'unit'],
  ])('accepts %s', (text, fn, aggType) => {
    expect(parseGoal(text)).toMatchObject({ fn, aggType });
  });

  it('skips whitespace between every token of a goal: `count ( u . unit . click )`', () => {
    expect(parseGoal(' count ( u . unit . click ) ')).toMatchObject({
      goal: 'click',
      span: { start: 1, end: 27 },
    });
  });

  it('parses a multi-line nominator with newlines and indentation', () => {
    const text = `
                    count(test_unit_type.unit.click_1)
                    - count(test_unit_type.unit.click_2)
                    + count(test_unit_type.unit.click_3)
                `;
    expect(shape(parseExpression(text))).toBe('((click_1 - click_2) + click_3)');
  });

  it.each([
    ['=', 'button-1', 'button-1'],
    ['=^', 'button-1', '^button-1'],
    ['!=', '1', '!=1'],
    ['<', '4', '<4'],
    ['>', '1', '>1'],
    ['<=', '4', '<=4'],
    ['>=', '1', '>=1'],
  ])('stores dimension operator `%s` with value `%s` as `%s`', (operator, value, storedValue) => {
    const goal = parseGoal(`count(u.unit.view(d${operator}${value}))`);
    expect(goal.dimensions).toEqual([{ name: 'd', operator, value, storedValue }]);
  });

  it('keys `value(test_unit_type.unit.conversion(a=b, y=x, test=test))` in written order', () => {
    const goal = parseGoal('value(test_unit_type.unit.conversion(a=b, y=x, test=test))');
    expect(goalKey(goal)).toBe('test_unit_type.unit.conversion[a=b, y=x, test=test]');
  });

  it('keeps spaces and slashes inside values: `x=A/ A, y=A B /C`', () => {
    const goal = parseGoal('count(test_unit_type.global.conversion(x=A/ A, y=A B /C))');
    expect(goal.dimensions.map((dimension) => [dimension.name, dimension.value])).toEqual([
      ['x', 'A/ A'],
      ['y', 'A B /C'],
    ]);
    expect(goalKey(goal)).toBe('test_unit_type.global.conversion[x=A/ A, y=A B /C]');
  });

  it('keeps bars inside values: `x=A/ A|BB, y=X|Y|Z`', () => {
    const goal = parseGoal('count(test_unit_type.global.conversion(x=A/ A|BB, y=X|Y|Z))');
    expect(goal.dimensions.map((dimension) => dimension.storedValue)).toEqual(['A/ A|BB', 'X|Y|Z']);
  });

  it('stores `x=^test|test` as `^test|test`', () => {
    const goal = parseGoal('count(test_unit_type.global.conversion(x=^test|test))');
    expect(goal.dimensions[0]).toEqual({
      name: 'x',
      operator: '=^',
      value: 'test|test',
      storedValue: '^test|test',
    });
    expect(goalKey(goal)).toBe('test_unit_type.global.conversion[x=^test|test]');
  });

  it('skips leading spaces of a value and keeps trailing spaces before `,` and `)`', () => {
    const goal = parseGoal('count(u.unit.a(x= a b , y=  c  ))');
    expect(goal.dimensions.map((dimension) => dimension.value)).toEqual(['a b ', 'c  ']);
  });

  it('ends a value at a tab or newline and skips whitespace before `,` or `)`', () => {
    const goal = parseGoal('count(u.unit.a(\n  x =\t1\t,\n  y >= 2\n))');
    expect(goal.dimensions.map((dimension) => dimension.storedValue)).toEqual(['1', '>=2']);
  });

  it('accepts a trailing comma after the last dimension', () => {
    expect(parseGoal('count(u.unit.a(x=1, y=2,))').dimensions).toHaveLength(2);
  });

  it('accepts `-`, `.`, `%`, `_` and digits in values: `element=button-%`', () => {
    expect(parseGoal('count(u.unit.view(element=button-%, v=1.5_x))').dimensions.map((d) => d.value)).toEqual(
      ['button-%', '1.5_x'],
    );
  });

  it('returns deeply frozen nodes', () => {
    const tree = parseExpression('count(u.unit.a(x=1)) + 2');
    if (tree.kind !== 'binary' || tree.left.kind !== 'goal') throw new Error('unexpected shape');
    const goal = tree.left;
    expect(
      [tree, tree.span, goal, goal.span, goal.dimensions, goal.dimensions[0], tree.right].every(
        Object.isFrozen,
      ),
    ).toBe(true);
  });
});

describe('parseExpression: numbers and operators', () => {
  it.each([
    ['1000', 1000],
    ['-5', -5],
    ['- \n 5', -5],
    ['-0', 0],
    ['007', 7],
  ])('reads `%s` as %d', (text, value) => {
    expect(parseExpression(text)).toEqual({ kind: 'number', value, span: { start: 0, end: text.length } });
  });

  it('reads an overlong digit string as the nearest float', () => {
    expect(parseExpression('123456789012345678901234567890')).toMatchObject({ value: 1.2345678901234568e29 });
  });

  it.each([
    ['1 / 2 * 3', '(1 / (2 * 3))'],
    ['1 * 2 / 3', '((1 * 2) / 3)'],
    ['1 / 2 / 3', '((1 / 2) / 3)'],
    ['1 - 2 + 3', '((1 - 2) + 3)'],
    ['1 + 2 - 3', '(1 + (2 - 3))'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['1 ~ 2 + 3', '(1 ~ (2 + 3))'],
    ['1 + 2 ~ 3 * 4', '((1 + 2) ~ (3 * 4))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['1 - (2 - 3)', '(1 - (2 - 3))'],
    ['((((1))))', '1'],
  ])('parses `%s` as `%s`', (text, expected) => {
    expect(shape(parseExpression(text))).toBe(expected);
  });

  it.each([
    ['1 -5', '(1 - 5)'],
    ['1-5', '(1 - 5)'],
    ['1 - -5', '(1 - -5)'],
    ['1--5', '(1 - -5)'],
    ['-1 * 2', '(-1 * 2)'],
    ['2 * - 1', '(2 * -1)'],
  ])(
    'reads `-` after an operand as subtraction and before digits as a sign: `%s` is `%s`',
    (text, expected) => {
      expect(shape(parseExpression(text))).toBe(expected);
    },
  );

  it('parses the reference fixtures `value(a) - value(b)` over goals', () => {
    const tree = parseExpression('value(test_unit_type.unit.conversion) - value(test_unit_type.unit.refund)');
    expect(shape(tree)).toBe('(conversion - refund)');
  });

  it('spans a binary node from its left operand to its right operand, not widened by parentheses', () => {
    const tree = parseExpression(' ( 1 + 22 ) * 3 ');
    expect(tree.span).toEqual({ start: 3, end: 15 });
    if (tree.kind !== 'binary') throw new Error('expected binary');
    expect(tree.left.span).toEqual({ start: 3, end: 9 });
  });

  it('parses 10,000 nested parentheses without exhausting the stack', () => {
    const text = `${'('.repeat(10_000)}count(u.unit.a)${')'.repeat(10_000)}`;
    expect(parseExpression(text)).toMatchObject({ kind: 'goal', span: { start: 10_000, end: 10_015 } });
  });

  it(`accepts a sum ${MAX_EXPRESSION_DEPTH} operations deep and rejects one deeper`, () => {
    const terms = (count: number) => Array.from({ length: count }, () => 'count(u.unit.a)').join(' + ');
    expect(parseExpression(terms(MAX_EXPRESSION_DEPTH + 1)).kind).toBe('binary');
    const error = parseError(terms(MAX_EXPRESSION_DEPTH + 2));
    expect(error.reason).toBe(
      'Expression is nested more than 1000 operations deep: split it into simpler metrics',
    );
    expect(error.span).toEqual({ start: 18_016, end: 18_017 });
  });

  it('rejects right-nested subtractions 10,000 deep with an ExpressionError', () => {
    const text = `${'1 - ('.repeat(10_000)}1${')'.repeat(10_000)}`;
    expect(parseError(text).reason).toMatch(/^Expression is nested more than 1000 operations deep/);
  });

  it.each([
    ['a sum of goals', Array(6000).fill('count(u.unit.a)').join(' + ')],
    [
      'printable garbage',
      Array.from({ length: 100_000 }, (_, index) => String.fromCharCode(33 + ((index * 7919) % 94))).join(''),
    ],
    ['whitespace then a goal', `${' \n\t'.repeat(33_000)}count(u.unit.a)`],
    ['an unclosed dimension list', `count(u.unit.a(${'x'.repeat(100_000)}`],
  ])('parses or rejects 100 kB of %s in well under a second', (_, text) => {
    const started = performance.now();
    try {
      parseExpression(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
    }
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('parses a 100 kB dimension value', () => {
    const value = 'ab-1 '.repeat(20_000);
    expect(parseGoal(`count(u.unit.a(x=${value}))`).dimensions[0]?.value).toBe(value);
  });
});

describe('parseExpression: errors', () => {
  const operand = 'expected a number, a goal such as `count(user.unit.click)` or `(`';
  const operator = 'expected an operator (`*`, `/`, `-`, `+`, `~`), `)` or the end of the expression';
  const values = 'letters, digits, spaces and `_-.%/|`';
  it.each<[string, string, number, number]>([
    [
      'sum(user.unit.click)',
      'Only `value`, `count`, `unique` functions are supported but `sum` received.',
      0,
      3,
    ],
    [
      'count1(u.unit.a)',
      'Only `value`, `count`, `unique` functions are supported but `count1` received.',
      0,
      6,
    ],
    [
      'count(user.day.click)',
      'Only `unit` and `global` aggregation types are supported but `day` received.',
      11,
      14,
    ],
    [
      'count(user.session.click)',
      'Only `unit` and `global` aggregation types are supported but `session` received.',
      11,
      18,
    ],
    ['count(u.unit.a(a=1, b=2, a=3))', 'Multiple values encountered for dimensions: `[a]`.', 25, 28],
    ['count(u.unit.a(a=1, b=2, b=3, a=4))', 'Multiple values encountered for dimensions: `[b, a]`.', 25, 28],
    [
      'count(u.unit.a(x=232>44))',
      `Unexpected \`>\` in the value of dimension \`x\`: values may contain only ${values}`,
      20,
      21,
    ],
    [
      'count(u.unit.a(x=abc^def))',
      `Unexpected \`^\` in the value of dimension \`x\`: values may contain only ${values}`,
      20,
      21,
    ],
    ['count(u.unit.a(x=<=2))', `Expected a value after \`x=\` (${values})`, 17, 18],
    ['count(u.unit.a(x=))', `Expected a value after \`x=\` (${values})`, 17, 18],
    ['count(u.unit.a(x=1\tb))', 'Expected `,` or `)` after the value of dimension `x`', 19, 20],
    ['count(u.unit.a(x=1', 'Expected `,` or `)` after the value of dimension `x`', 18, 18],
    [
      'count(u.unit.a(x:1))',
      'Expected a comparison operator (`=`, `=^`, `!=`, `<`, `>`, `<=`, `>=`) after dimension name `x`',
      16,
      17,
    ],
    [
      'count(u.unit.a(x!1))',
      'Expected a comparison operator (`=`, `=^`, `!=`, `<`, `>`, `<=`, `>=`) after dimension name `x`',
      16,
      17,
    ],
    [
      'count(u.unit.a())',
      'Empty dimension list `()` after `u.unit.a`: name a dimension, e.g. `(element=button-1)`, or remove the parentheses',
      14,
      16,
    ],
    ['count(u.unit.a(x=1,,))', 'Expected a dimension name in `u.unit.a(`, e.g. `element=button-1`', 19, 20],
    ['count(u.unit.a(x=1) x', 'Expected `)` after the dimensions of `u.unit.a` to close `count(`', 20, 21],
    ['count(u.unit.a x)', 'Expected `(` with dimensions or `)` after goal name `u.unit.a`', 15, 16],
    ['count', 'Expected `(` after function name `count`', 5, 5],
    ['count u.unit.a)', 'Expected `(` after function name `count`', 6, 7],
    ['count()', 'Expected a unit type after `count(`, e.g. `count(user.unit.click)`', 6, 7],
    ['count(u1.unit.a)', 'Unit type `u1` may contain only letters and `_`', 6, 8],
    ['count(u unit.a)', 'Expected `.` after unit type `u`, e.g. `u.unit.click`', 8, 9],
    ['count(u..a)', 'Expected an aggregation type (`unit` or `global`) after `u.`', 8, 9],
    ['count(u.unit a)', 'Expected `.` after aggregation type `unit`', 13, 14],
    ['count(u.unit.)', 'Expected a goal name after `u.unit.`', 13, 14],
    ['', 'Empty expression: write a goal such as `count(user.unit.click)`', 0, 0],
    [' \n\t ', 'Empty expression: write a goal such as `count(user.unit.click)`', 0, 4],
    ['1 +', `Unexpected end of expression: ${operand}`, 3, 3],
    ['(', `Unexpected end of expression: ${operand}`, 1, 1],
    ['$', `Unexpected character \`$\`: ${operand}`, 0, 1],
    ['\u0000', `Unexpected character U+0000: ${operand}`, 0, 1],
    ['\ud800', `Unexpected character U+D800: ${operand}`, 0, 1],
    ['😀', `Unexpected character \`😀\`: ${operand}`, 0, 2],
    ['1 + * 2', `Unexpected operator \`*\`: ${operand}`, 4, 5],
    ['1 + )', `Unexpected \`)\`: ${operand}`, 4, 5],
    ['( )', 'Empty parentheses: put an expression inside, e.g. `(count(user.unit.click))`', 0, 3],
    [
      '-count(u.unit.a)',
      'A `-` where an operand is expected must start a negative number such as `-5`; write `-1 * x` to negate a goal or a group',
      0,
      1,
    ],
    [
      '-(1)',
      'A `-` where an operand is expected must start a negative number such as `-5`; write `-1 * x` to negate a goal or a group',
      0,
      1,
    ],
    [
      '--5',
      'A `-` where an operand is expected must start a negative number such as `-5`; write `-1 * x` to negate a goal or a group',
      0,
      1,
    ],
    ['2.5', `Unexpected \`.5\` after a complete expression: ${operator}`, 1, 3],
    ['1 2', `Unexpected \`2\` after a complete expression: ${operator}`, 2, 3],
    [
      'count(u.unit.a) count(u.unit.b)',
      `Unexpected \`count\` after a complete expression: ${operator}`,
      16,
      21,
    ],
    ['1 (2)', `Unexpected \`(\` after a complete expression: ${operator}`, 2, 3],
    ['1)', 'Unmatched `)`: there is no `(` for it to close', 1, 2],
    ['((1)', 'Unclosed `(`: expected `)` before the end of the expression', 0, 1],
  ])('rejects %j: %s', (text, reason, start, end) => {
    const error = parseError(text);
    expect(error.reason).toBe(reason);
    expect(error.span).toEqual({ start, end });
    expect(error.code).toBe('expression');
    if (!text.includes('\n')) {
      const caretLine = error.excerpt.split('\n')[1] ?? '';
      expect(caretLine.indexOf('^')).toBe(start);
      expect(caretLine.length - start).toBe(Math.max(1, end - start));
    }
  });

  it('quotes at most 40 characters of an overlong word in the message', () => {
    const error = parseError(`count(${'u'.repeat(100)}1.unit.a)`);
    expect(error.reason).toBe(`Unit type \`${'u'.repeat(40)}…\` may contain only letters and \`_\``);
    expect(error.span).toEqual({ start: 6, end: 107 });
  });

  it('lists thousands of duplicated dimensions in linear time', () => {
    const names = Array.from({ length: 5000 }, (_, index) => `d${index}=1`).join(', ');
    const started = performance.now();
    const error = parseError(`count(u.unit.a(${names}, ${names}))`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.reason).toMatch(/^Multiple values encountered for dimensions: `\[d0, d1, d2, /);
  });

  it('points the caret at the faulty line of a multi-line expression', () => {
    const error = parseError('count(u.unit.a)\n  + sum(u.unit.b)');
    expect(error.span).toEqual({ start: 20, end: 23 });
    expect(error.excerpt).toBe('  + sum(u.unit.b)\n    ^^^');
  });
});
