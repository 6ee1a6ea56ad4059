import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  AggregatedGoalTable,
  completeDimensions,
  dimensionNames,
  evaluateAggregated,
  evaluatePerUnit,
  parseExpression,
  parseMetricExpressions,
} from '../../src/index.js';

/** Two variants; every goal row's columns are distinct so each column read is visible in the result. */
function row(
  variant: string,
  goal: string,
  count: number,
  extra: Partial<AggregatedGoalRow> = {},
): AggregatedGoalRow {
  return {
    exp_id: 'e',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: 'unit',
    goal,
    count,
    sum_sqr_count: count * 10,
    sum_value: count * 100,
    sum_sqr_value: count * 1000,
    count_unique: count + 0.5,
    ...extra,
  };
}

const rows: AggregatedGoalRow[] = [
  row('a', 'exposure', 20),
  row('b', 'exposure', 30),
  row('a', 'conversion', 4),
  row('b', 'conversion', 6),
  row('a', 'refund', 1),
  row('b', 'refund', 2),
  row('a', 'view', 7),
  row('b', 'view', 9),
  row('a', 'view', 3, { element: 'button-1' }),
  row('b', 'view', 5, { element: 'button-1' }),
];

function evaluate(nominator: string, denominator: string) {
  const metric = parseMetricExpressions(nominator, denominator);
  const dimensions = dimensionNames(metric.goals);
  const table = AggregatedGoalTable.fromRows(rows, {
    variants: ['a', 'b'],
    goals: metric.goals.map((goal) => completeDimensions(goal, dimensions)),
    dimensions,
  });
  const nominatorVectors = evaluateAggregated(metric.nominator, table);
  return {
    sumValue: Array.from(nominatorVectors.value),
    sumSqrValue: Array.from(nominatorVectors.squared),
    count: Array.from(evaluateAggregated(metric.denominator, table).value),
  };
}

describe('evaluateAggregated', () => {
  it('evaluates count over count from the count and sum_sqr_count columns', () => {
    expect(evaluate('count(u.unit.conversion)', 'count(u.unit.exposure)')).toEqual({
      sumValue: [4, 6],
      sumSqrValue: [40, 60],
      count: [20, 30],
    });
  });

  it('subtracts the squared sums of `value - value`', () => {
    // sum_value: 400 - 100, 600 - 200; sum_sqr_value: 4000 - 1000, 6000 - 2000
    expect(evaluate('value(u.unit.conversion) - value(u.unit.refund)', 'count(u.unit.exposure)')).toEqual({
      sumValue: [300, 400],
      sumSqrValue: [3000, 4000],
      count: [20, 30],
    });
  });

  it('adds the squared sums of `value ~ value` while subtracting the values', () => {
    expect(evaluate('value(u.unit.conversion) ~ value(u.unit.refund)', 'count(u.unit.exposure)')).toEqual({
      sumValue: [300, 400],
      sumSqrValue: [5000, 8000],
      count: [20, 30],
    });
  });

  it('divides a denominator by a number', () => {
    expect(evaluate('value(u.unit.conversion)', 'count(u.unit.exposure) / 1000').count).toEqual([0.02, 0.03]);
  });

  it('squares numbers in the squared sums', () => {
    // squared(conversion * 3) = sum_sqr_value * 9
    expect(evaluate('value(u.unit.conversion) * 3', 'count(u.unit.exposure)').sumSqrValue).toEqual([
      36000, 54000,
    ]);
  });

  it('evaluates `a - b + c` as `(a - b) + c`', () => {
    // counts: conversion 4/6, refund 1/2, exposure 20/30 -> (4 - 1) + 20, (6 - 2) + 30
    const result = evaluate('count(u.unit.conversion) - count(u.unit.refund) + count(u.unit.exposure)', '1');
    expect(result.sumValue).toEqual([23, 34]);
    // a + b - c is a + (b - c): 4 + (1 - 20), 6 + (2 - 30)
    expect(
      evaluate('count(u.unit.conversion) + count(u.unit.refund) - count(u.unit.exposure)', '1').sumValue,
    ).toEqual([-15, -22]);
  });

  it('evaluates `a / b * c` as `a / (b * c)`', () => {
    // 20 / (4 * 1) = 5 and 30 / (6 * 2) = 2.5; school arithmetic would give 5 and 10
    const result = evaluate('count(u.unit.exposure) / count(u.unit.conversion) * count(u.unit.refund)', '1');
    expect(result.sumValue).toEqual([5, 2.5]);
  });

  it('reads a dimensional goal and its undimensioned twin from different rows', () => {
    const result = evaluate('count(u.unit.view(element=button-1))', 'count(u.unit.view)');
    expect(result.sumValue).toEqual([3, 5]);
    expect(result.count).toEqual([7, 9]);
  });

  it('reads count_unique for `unique`', () => {
    expect(evaluate('unique(u.unit.conversion)', 'count(u.unit.exposure)')).toMatchObject({
      sumValue: [4.5, 6.5],
      sumSqrValue: [4.5, 6.5],
    });
  });

  it('yields NaN and Infinity for division by zero', () => {
    const result = evaluate('count(u.unit.missing) / count(u.unit.missing)', 'count(u.unit.exposure) / 0');
    expect(result.sumValue).toEqual([Number.NaN, Number.NaN]);
    expect(result.count).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });
});

describe('evaluatePerUnit', () => {
  const totals = {
    conversion: { count: [1, 2, 0], sumValue: [10, 30, 0] },
    refund: { count: [0, 1, 0], sumValue: [0, 5, 0] },
  };
  const lookup = (goal: { goal: string }) => totals[goal.goal as keyof typeof totals];

  it('honours the goal function', () => {
    expect(Array.from(evaluatePerUnit(parseExpression('count(u.unit.conversion)'), 3, lookup))).toEqual([
      1, 2, 0,
    ]);
    expect(Array.from(evaluatePerUnit(parseExpression('value(u.unit.conversion)'), 3, lookup))).toEqual([
      10, 30, 0,
    ]);
    expect(Array.from(evaluatePerUnit(parseExpression('unique(u.unit.conversion)'), 3, lookup))).toEqual([
      1, 1, 0,
    ]);
  });

  it('combines per-unit totals of a compound expression, `~` subtracting', () => {
    const net = parseExpression('value(u.unit.conversion) ~ value(u.unit.refund) * 2');
    expect(Array.from(evaluatePerUnit(net, 3, lookup))).toEqual([10, 20, 0]);
  });

  it('reads zeros for a goal no unit has', () => {
    expect(
      Array.from(evaluatePerUnit(parseExpression('value(u.unit.other) + 1'), 3, () => undefined)),
    ).toEqual([1, 1, 1]);
  });
});
