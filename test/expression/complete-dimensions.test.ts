import { describe, expect, it } from 'vitest';
import type { GoalReference } from '../../src/expression/ast.js';
import { collectGoals } from '../../src/expression/collect-goals.js';
import { completeDimensions, dimensionNames } from '../../src/expression/complete-dimensions.js';
import { goalKey } from '../../src/expression/goal-key.js';
import { parseExpression } from '../../src/expression/parse-expression.js';
import { parseMetricExpressions } from '../../src/expression/parse-metric-expressions.js';

const goalOf = (text: string): GoalReference => parseExpression(text) as GoalReference;
const empty = (name: string) => ({ name, operator: '=', value: '', storedValue: '' });

describe('dimensionNames', () => {
  it('lists every dimension name once, in order of first appearance', () => {
    const goals = collectGoals(
      parseExpression('count(u.unit.a(y=1)) + count(u.unit.b) + count(u.unit.c(x>2, y=3, z=^4))'),
    );
    expect(dimensionNames(goals)).toEqual(['y', 'x', 'z']);
  });
});

describe('completeDimensions', () => {
  it('keeps own conditions in written order and appends each missing name with an empty value', () => {
    const goal = goalOf('count(u.unit.a(z=1, x>2))');
    expect(completeDimensions(goal, ['x', 'y', 'z', 'w']).dimensions).toEqual([
      { name: 'z', operator: '=', value: '1', storedValue: '1' },
      { name: 'x', operator: '>', value: '2', storedValue: '>2' },
      empty('y'),
      empty('w'),
    ]);
  });

  it('returns a new frozen goal and leaves the original untouched', () => {
    const goal = goalOf('count(u.unit.a)');
    const completed = completeDimensions(goal, ['x']);
    expect(completed).not.toBe(goal);
    expect(goal.dimensions).toEqual([]);
    expect([completed, completed.dimensions, completed.dimensions[0]].every(Object.isFrozen)).toBe(true);
    expect(completed).toMatchObject({ fn: 'count', goal: 'a', span: goal.span });
  });
});

describe('parseMetricExpressions', () => {
  it('completes `count(t.global.conversion(x=1))` with `y=` from the nominator', () => {
    const { goals } = parseMetricExpressions(
      'count(t.global.conversion(x=1, y=2))',
      'count(t.global.conversion(x=1))',
    );
    expect(goals.map(goalKey)).toEqual(['t.global.conversion[x=1, y=2]', 't.global.conversion[x=1]']);
    expect(goals[1]?.dimensions).toEqual([
      { name: 'x', operator: '=', value: '1', storedValue: '1' },
      empty('y'),
    ]);
  });

  it('reads the undimensioned total next to a dimensioned goal', () => {
    const { goals } = parseMetricExpressions('count(u.unit.view(element=button-1))', 'count(u.unit.view)');
    expect(goals[1]?.dimensions).toEqual([empty('element')]);
  });

  it('returns the trees as parsed and a frozen result', () => {
    const metric = parseMetricExpressions('count(u.unit.a(x=1))', 'count(u.unit.b)');
    expect(metric.denominator).toEqual(parseExpression('count(u.unit.b)'));
    expect(Object.isFrozen(metric) && Object.isFrozen(metric.goals)).toBe(true);
  });

  it('lists a goal used in both nominator and denominator once', () => {
    const { goals } = parseMetricExpressions('value(u.unit.conversion)', 'count(u.unit.conversion)');
    expect(goals.map((goal) => goal.fn)).toEqual(['value']);
  });

  it('reports a denominator error against the denominator text', () => {
    expect(() => parseMetricExpressions('count(u.unit.a)', 'sum(u.unit.b)')).toThrow(
      expect.objectContaining({ text: 'sum(u.unit.b)', span: { start: 0, end: 3 } }),
    );
  });
});
