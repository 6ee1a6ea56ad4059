import { describe, expect, it } from 'vitest';
import type { BinaryOperation, Expression, GoalReference } from '../../src/expression/ast.js';
import {
  type AggregatedGoalSource,
  evaluateAggregated,
  evaluateAggregatedInto,
} from '../../src/expression/evaluate-aggregated.js';
import {
  type AggregatedGoalRow,
  AggregatedGoalTable,
  collectGoals,
  completeDimensions,
  dimensionNames,
  parseExpression,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

/**
 * An {@link AggregatedGoalTable} is evaluated in place (the fast path); any other source through its
 * `column` (the general path). The same table behind a plain source must give the same numbers, bit for bit.
 */

/** Three variants; every column of every row distinct, with fractions, negative values and zeros. */
function row(variant: string, goal: string, count: number, extra: Partial<AggregatedGoalRow> = {}) {
  return {
    exp_id: 'e',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: goal === 'exposure' ? 'global' : 'unit',
    goal,
    count,
    sum_sqr_count: count * 1.7,
    sum_value: count * 3.3 - 2,
    sum_sqr_value: count * 41.25,
    count_unique: count * 0.9,
    ...extra,
  };
}

const rows = [
  row('a', 'exposure', 20),
  row('b', 'exposure', 30),
  row('c', 'exposure', 0),
  row('a', 'conversion', 4),
  row('b', 'conversion', 6.5),
  row('a', 'refund', 1),
  row('c', 'refund', 2),
  row('a', 'view', 7),
  row('b', 'view', 9),
  row('c', 'view', 0, { sum_value: 0 }),
  row('a', 'view', 3, { element: 'button-1' }),
  row('b', 'view', 5, { element: 'button-1' }),
  row('b', 'view', 11, { element: 'button-2' }),
];

const EXPRESSIONS = [
  'value(u.unit.conversion)',
  'count(u.unit.view(element=button-1))',
  'unique(u.unit.refund)',
  'count(u.global.exposure)',
  '7',
  '-3',
  '0',
  '1 + 2',
  '2 * 3 - 1',
  '4 / 0',
  'value(u.unit.conversion) - value(u.unit.refund)',
  'value(u.unit.conversion) ~ value(u.unit.refund)',
  'value(u.unit.conversion) ~ value(u.unit.refund) ~ count(u.unit.view)',
  '3 - value(u.unit.conversion)',
  '3 ~ value(u.unit.conversion)',
  'value(u.unit.conversion) * 3',
  '2 * value(u.unit.conversion) / 4',
  'count(u.global.exposure) / count(u.unit.conversion) * count(u.unit.refund)',
  'count(u.unit.conversion) + count(u.unit.refund) - count(u.global.exposure)',
  'value(u.unit.missing) * -1',
  'value(u.unit.view) * -1 * 0',
  'count(u.unit.missing) / count(u.unit.missing)',
  'count(u.global.exposure) / 0',
  '(value(u.unit.conversion) - 1) * (value(u.unit.refund) + 2) ~ 3 / value(u.unit.view)',
  '1 - (2 - (3 - (value(u.unit.view) - (count(u.unit.view(element=button-2)) - 4))))',
  '(((value(u.unit.view) / 3) / 5) / 7) * (2 * (3 * count(u.unit.refund)))',
  '5 * (1 + 2)',
  '(1 + 2) * value(u.unit.conversion)',
  'value(u.unit.refund) / value(u.unit.refund) ~ value(u.unit.refund)',
];

const expressions = EXPRESSIONS.map((text) => parseExpression(text));
const dimensions = dimensionNames(collectGoals(...expressions));
const table = AggregatedGoalTable.fromRows(rows, {
  variants: ['a', 'b', 'c'],
  goals: collectGoals(...expressions).map((goal) => completeDimensions(goal, dimensions)),
  dimensions,
});
/** The same sums, read through `column` only. */
const general: AggregatedGoalSource = {
  variantCount: table.variantCount,
  column: (goal, column) => table.column(goal, column),
};

describe('evaluateAggregated over a goal table (in place) and through `column`', () => {
  it.each(EXPRESSIONS)('gives the same value and squared sums for %s', (text) => {
    const expression = parseExpression(text);
    const fast = evaluateAggregated(expression, table);
    const slow = evaluateAggregated(expression, general);
    expect(fast.value).toBeInstanceOf(Float64Array);
    expect(fast.squared).toBeInstanceOf(Float64Array);
    // toEqual compares numbers with Object.is: NaN equals NaN, 0 differs from -0.
    expect(Array.from(fast.value)).toEqual(Array.from(slow.value));
    expect(Array.from(fast.squared)).toEqual(Array.from(slow.squared));
  });

  it('reads real values (a sample of the cases above)', () => {
    const net = evaluateAggregated(parseExpression('value(u.unit.conversion) ~ value(u.unit.refund)'), table);
    // sum_value: conversion 11.2, 19.45, 0; refund 1.3, 0, 4.6 (count * 3.3 - 2)
    expect(Array.from(net.value)).toEqual([4 * 3.3 - 2 - (1 * 3.3 - 2), 6.5 * 3.3 - 2, -(2 * 3.3 - 2)]);
    expect(Array.from(net.squared)).toEqual([4 * 41.25 + 41.25, 6.5 * 41.25, 2 * 41.25]);
    const zero = evaluateAggregated(parseExpression('value(u.unit.view) * -1 * 0'), table);
    expect(Object.is(zero.value[2], -0)).toBe(true);
  });

  it('returns fresh vectors, never the table', () => {
    const goal = parseExpression('count(u.unit.conversion)') as GoalReference;
    const result = evaluateAggregated(goal, table);
    result.value[0] = 1000;
    result.squared[0] = 1000;
    expect(Array.from(table.column(goal, 'count'))).toEqual([4, 6.5, 0]);
    expect(evaluateAggregated(goal, table).value[0]).toBe(4);
  });

  it('throws the same error for a goal the table was not built for, whichever path', () => {
    for (const text of ['count(u.unit.other)', 'count(u.unit.conversion) - 2 * value(u.unit.other)']) {
      const fast = thrown(() => evaluateAggregated(parseExpression(text), table)) as Error;
      const slow = thrown(() => evaluateAggregated(parseExpression(text), general)) as Error;
      expect(fast.message).toBe('The goal table was not built for goal u.unit.other');
      expect(fast.message).toBe(slow.message);
    }
  });

  it('evaluates long chains either way round without exhausting the stack', () => {
    const goal = parseExpression('value(u.unit.view)');
    const one = parseExpression('1');
    const binary = (left: Expression, right: Expression): BinaryOperation => ({
      kind: 'binary',
      operator: '-',
      left,
      right,
      span: { start: 0, end: 0 },
    });
    let leftDeep: Expression = goal;
    let rightDeep: Expression = goal;
    for (let i = 0; i < 20_000; i++) {
      leftDeep = binary(leftDeep, i % 2 === 0 ? one : goal);
      rightDeep = binary(i % 2 === 0 ? one : goal, rightDeep);
    }
    for (const expression of [leftDeep, rightDeep]) {
      const fast = evaluateAggregated(expression, table);
      const slow = evaluateAggregated(expression, general);
      expect(Array.from(fast.value)).toEqual(Array.from(slow.value));
      expect(Array.from(fast.squared)).toEqual(Array.from(slow.squared));
    }
  });
});

describe('evaluateAggregatedInto', () => {
  it('writes what evaluateAggregated returns at an offset, and leaves the rest alone', () => {
    for (const source of [table, general]) {
      for (const expression of expressions) {
        const value = new Float64Array(7).fill(-1);
        const squared = new Float64Array(7).fill(-1);
        evaluateAggregatedInto(expression, source, value, squared, 2);
        const expected = evaluateAggregated(expression, general);
        expect(Array.from(value)).toEqual([-1, -1, ...expected.value, -1, -1]);
        expect(Array.from(squared)).toEqual([-1, -1, ...expected.squared, -1, -1]);
        const valueOnly = new Float64Array(3);
        evaluateAggregatedInto(expression, source, valueOnly, undefined, 0);
        expect(Array.from(valueOnly)).toEqual(Array.from(expected.value));
      }
    }
  });
});
