import { describe, expect, it } from 'vitest';
import type { GoalReference } from '../../src/expression/ast.js';
import { collectGoals } from '../../src/expression/collect-goals.js';
import { completeDimensions } from '../../src/expression/complete-dimensions.js';
import { goalKey } from '../../src/expression/goal-key.js';
import { parseExpression } from '../../src/expression/parse-expression.js';

const keyOf = (text: string): string => goalKey(parseExpression(text) as GoalReference);

describe('goalKey', () => {
  it.each([
    ['count(u.unit.view)', 'u.unit.view'],
    [
      'value(test_unit_type.unit.conversion(a=b, y=x, test=test))',
      'test_unit_type.unit.conversion[a=b, y=x, test=test]',
    ],
    ['count(u.unit.view(element=^button-1, product>1))', 'u.unit.view[element=^button-1, product>1]'],
    ['count(u.unit.view(product!=1))', 'u.unit.view[product!=1]'],
    ['count(u.unit.view(x<=4, y>=5, z<6))', 'u.unit.view[x<=4, y>=5, z<6]'],
    ['count(u.global.view(element=button-%))', 'u.global.view[element=button-%]'],
    ['count(u.unit.view(x=a b ))', 'u.unit.view[x=a b ]'],
  ])('keys `%s` as `%s`', (text, key) => {
    expect(keyOf(text)).toBe(key);
  });

  it('ignores the function: `count` and `value` of the same goal share a key', () => {
    expect(keyOf('count(u.unit.a(x=1))')).toBe(keyOf('value(u.unit.a(x=1))'));
  });

  it('leaves out completed (empty) dimensions', () => {
    const goal = parseExpression('count(u.unit.a(x=1))') as GoalReference;
    expect(goalKey(completeDimensions(goal, ['x', 'y']))).toBe('u.unit.a[x=1]');
  });
});

describe('collectGoals', () => {
  it('lists distinct goals of several expressions in order of first appearance', () => {
    const goals = collectGoals(
      parseExpression('value(u.unit.b) - count(u.unit.a) * value(u.unit.b)'),
      parseExpression('count(u.unit.c) + unique(u.unit.a) + count(u.unit.a(x=1))'),
    );
    expect(goals.map((goal) => [goal.fn, goalKey(goal)])).toEqual([
      ['value', 'u.unit.b'],
      ['count', 'u.unit.a'],
      ['count', 'u.unit.c'],
      ['count', 'u.unit.a[x=1]'],
    ]);
  });

  it('returns no goals for a number', () => {
    expect(collectGoals(parseExpression('42'))).toEqual([]);
  });
});
