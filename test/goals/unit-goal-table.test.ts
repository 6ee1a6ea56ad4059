import { describe, expect, it } from 'vitest';
import { tableDiagnostics } from '../../src/goals/goal-table-diagnostics.js';
import { DataError, type GoalReference, parseExpression, UnitGoalTable } from '../../src/index.js';
import { unitGoalRow } from '../support/goal-rows.js';
import { thrown } from '../support/thrown.js';

const goal = (text: string) => parseExpression(text) as GoalReference;
const buy = goal('value(u.unit.buy)');
const exposure = goal('count(u.unit.exposure)');

const options = {
  variants: ['a', 'b'],
  goals: [buy, exposure],
  dimensions: [],
  expId: 'e',
  exposureUnitType: 'u',
};

describe('UnitGoalTable', () => {
  it('keeps a unit id of two variants as two units and counts it once as shared', () => {
    const table = UnitGoalTable.fromRows(
      [
        unitGoalRow('a', '1', 'buy', 2),
        unitGoalRow('b', '1', 'buy', 3),
        unitGoalRow('b', '1', 'buy', 4),
        unitGoalRow('a', '1', 'buy', 1),
        unitGoalRow('b', '2', 'buy', 5),
      ],
      options,
    );
    expect(Array.from(table.perUnit(buy).values)).toEqual([3, 7, 5]);
    expect(Array.from(table.perUnit(buy).variantOf)).toEqual([0, 1, 1]);
    expect(Array.from(table.column(buy, 'sum_sqr_value'))).toEqual([9, 74]);
    expect(tableDiagnostics(table).sharedUnits).toEqual([{ unitType: 'u', count: 1, example: '1' }]);
  });

  it('finds no shared unit when every unit id is in one variant', () => {
    const table = UnitGoalTable.fromRows(
      [unitGoalRow('a', '1', 'buy'), unitGoalRow('b', '2', 'buy')],
      options,
    );
    expect(tableDiagnostics(table).sharedUnits).toEqual([]);
  });

  it('rejects a negative count, naming the row and column', () => {
    const caught = thrown(() =>
      UnitGoalTable.fromRows(
        [unitGoalRow('a', '1', 'buy'), unitGoalRow('a', '2', 'exposure', 1, -1)],
        options,
      ),
    );
    expect(caught).toBeInstanceOf(DataError);
    expect([(caught as DataError).row, (caught as DataError).column]).toEqual([1, 'count']);
  });

  it('flags the (goal, variant) cells whose squared per-unit totals overflow', () => {
    const table = UnitGoalTable.fromRows(
      [unitGoalRow('a', '1', 'buy', 1e200), unitGoalRow('b', '2', 'buy', 1)],
      options,
    );
    expect(tableDiagnostics(table).nonFiniteSums).toEqual([{ goal: buy, variants: [0], flags: 1 }]);
    expect(Array.from(table.column(buy, 'sum_sqr_value'))).toEqual([Number.POSITIVE_INFINITY, 1]);
  });

  it('counts exposure rows and the rows of other variants', () => {
    const table = UnitGoalTable.fromRows(
      [unitGoalRow('a', '1', 'exposure'), unitGoalRow('c', '2', 'exposure'), unitGoalRow('b', '3', 'refund')],
      options,
    );
    const { rows, otherVariantRows, exposureRows, names } = tableDiagnostics(table);
    expect([rows, otherVariantRows, exposureRows]).toEqual([2, 1, 1]);
    expect(names.goalsOf('u', 'unit').sort()).toEqual(['exposure', 'refund']);
  });
});
