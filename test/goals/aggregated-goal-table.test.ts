import { describe, expect, it } from 'vitest';
import { tableDiagnostics } from '../../src/goals/goal-table-diagnostics.js';
import {
  type AggregatedGoalRow,
  AggregatedGoalTable,
  DataError,
  type GoalReference,
  parseExpression,
} from '../../src/index.js';
import { aggregatedGoalRow, type GoalColumns } from '../support/goal-rows.js';
import { thrown } from '../support/thrown.js';

const goal = (text: string) => parseExpression(text) as GoalReference;
const click = goal('count(u.unit.click)');
const clickButton = goal('count(u.unit.click(element=button-1))');

/** A row of goal `click` (a unit goal) of `count` units; `extra` adds dimensions or replaces columns. */
const row = (variant: string, count: number, extra: GoalColumns = {}) =>
  aggregatedGoalRow(variant, 'click', count, extra);

const options = { variants: ['a', 'b'], goals: [click, clickButton], dimensions: ['element'], expId: 'e' };

describe('AggregatedGoalTable', () => {
  it('sums several rows of one goal and variant and zero-fills missing combinations', () => {
    const table = AggregatedGoalTable.fromRows([row('a', 2), row('a', 3), row('c', 100)], options);
    expect(Array.from(table.column(click, 'count'))).toEqual([5, 0]);
    expect(Array.from(table.column(clickButton, 'count'))).toEqual([0, 0]);
    expect(table.goalsWithoutRows).toEqual([clickButton]);
  });

  it('matches a dimension cell by its stored string and treats null, missing and empty alike', () => {
    const table = AggregatedGoalTable.fromRows(
      [
        row('a', 1, { element: null }),
        row('a', 2, { element: '' }),
        row('b', 4),
        row('b', 8, { element: 'button-1' }),
      ],
      options,
    );
    expect(Array.from(table.column(click, 'count'))).toEqual([3, 4]);
    expect(Array.from(table.column(clickButton, 'count'))).toEqual([0, 8]);
  });

  it('sums rows that differ only in a dimension no goal mentions', () => {
    const table = AggregatedGoalTable.fromRows(
      [row('a', 1, { product: 'p1' }), row('a', 2, { product: 'p2' })],
      options,
    );
    expect(Array.from(table.column(click, 'sum_value'))).toEqual([3, 0]);
  });

  it('ignores and counts rows of other experiments', () => {
    const table = AggregatedGoalTable.fromRows([row('a', 1), row('a', 5, { exp_id: 'other' })], options);
    expect(Array.from(table.column(click, 'count'))).toEqual([1, 0]);
    expect(table.foreignExperimentRows).toBe(1);
  });

  it('accepts columnar input, bigints and decimal strings', () => {
    const table = AggregatedGoalTable.fromRows(
      {
        exp_variant_id: ['a', 'b'],
        unit_type: ['u', 'u'],
        agg_type: ['unit', 'unit'],
        goal: ['click', 'click'],
        count: new Float64Array([1, 2]),
        sum_sqr_count: [1n, 4n],
        sum_value: ['1.5', '2.5e1'],
        sum_sqr_value: [1, 4],
        count_unique: [1, 2],
      },
      options,
    );
    expect(Array.from(table.column(click, 'sum_sqr_count'))).toEqual([1, 4]);
    expect(Array.from(table.column(click, 'sum_value'))).toEqual([1.5, 25]);
  });

  it('sums exposures of the unit type over every dimension value', () => {
    const exposure = goal('count(u.global.exposure)');
    const exposureRow = (variant: string, count: number, element: string) =>
      row(variant, count, { agg_type: 'global', goal: 'exposure', element });
    const table = AggregatedGoalTable.fromRows(
      [exposureRow('a', 10, ''), exposureRow('a', 5, 'x'), exposureRow('b', 7, '')],
      {
        ...options,
        goals: [exposure],
        exposureUnitType: 'u',
      },
    );
    expect(Array.from(table.exposures)).toEqual([15, 7]);
    expect(Array.from(table.column(exposure, 'count'))).toEqual([10, 7]);
  });

  it('names the row and column of a non-numeric cell', () => {
    const error = (() => {
      try {
        AggregatedGoalTable.fromRows([row('a', 1), row('a', 1, { sum_value: 'abc' })], options);
      } catch (caught) {
        return caught;
      }
    })() as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect([error.row, error.column]).toEqual([1, 'sum_value']);
    expect(error.message).toBe('Row 1, column `sum_value`: expected a number, received `abc` (text)');
  });

  it('rejects non-finite numbers and missing cells', () => {
    expect(() => AggregatedGoalTable.fromRows([row('a', Number.NaN)], options)).toThrow(
      'Row 0, column `count`: expected a finite number, received `NaN` (number)',
    );
    const { count_unique: _, ...incomplete } = row('a', 1);
    expect(() => AggregatedGoalTable.fromRows([incomplete as AggregatedGoalRow], options)).toThrow(
      'Row 0, column `count_unique`: required column is missing from this row',
    );
  });

  it('names a missing column of columnar input and unequal column lengths', () => {
    const columns = {
      exp_variant_id: ['a'],
      unit_type: ['u'],
      agg_type: ['unit'],
      goal: ['click'],
      count: [1],
      sum_sqr_count: [1],
      sum_value: [1],
      sum_sqr_value: [1],
    };
    expect(() => AggregatedGoalTable.fromRows(columns as never, options)).toThrow(
      'Column `count_unique`: required column is missing',
    );
    expect(() => AggregatedGoalTable.fromRows({ ...columns, count_unique: [1, 2] }, options)).toThrow(
      'Column `count_unique`: has 2 cells but column `exp_variant_id` has 1',
    );
  });

  it('rejects input that is neither rows nor columns', () => {
    expect(() => AggregatedGoalTable.fromRows('rows' as never, options)).toThrow(DataError);
    expect(() => AggregatedGoalTable.fromRows([null] as never, options)).toThrow(
      'Row 0: expected a goal row object',
    );
  });

  it('reads exp_id from all rows: a first row with an empty exp_id still lets rows of other experiments be ignored', () => {
    const table = AggregatedGoalTable.fromRows(
      [row('a', 1, { exp_id: null }), row('a', 5, { exp_id: 'other' }), row('b', 2)],
      options,
    );
    expect(Array.from(table.column(click, 'count'))).toEqual([1, 2]);
    expect(table.foreignExperimentRows).toBe(1);
  });

  it('rejects a row without exp_id when other rows have it, naming the row', () => {
    const { exp_id: _, ...first } = row('a', 1);
    const rows = [first as AggregatedGoalRow, row('a', 5, { exp_id: 'other' })];
    const error = catchError(() => AggregatedGoalTable.fromRows(rows, options));
    expect(error).toBeInstanceOf(DataError);
    expect([error.row, error.column]).toEqual([0, 'exp_id']);
    expect(error.message).toBe(
      'Row 0, column `exp_id`: required column is missing from this row (other rows have it)',
    );
  });

  it('rejects a negative count, sum of squares or count_unique, naming the row and column', () => {
    for (const column of ['count', 'sum_sqr_count', 'sum_sqr_value', 'count_unique']) {
      const error = catchError(() =>
        AggregatedGoalTable.fromRows([row('a', 1), row('b', 1, { [column]: -2 })], options),
      );
      expect(error).toBeInstanceOf(DataError);
      expect([error.row, error.column]).toEqual([1, column]);
      expect(error.message).toBe(
        `Row 1, column \`${column}\`: expected a number of at least 0, received \`-2\`; a count or a sum of squares cannot be negative`,
      );
    }
    // A negative sum of values is data (refunds, say).
    const table = AggregatedGoalTable.fromRows([row('a', 1, { sum_value: -3 })], options);
    expect(Array.from(table.column(click, 'sum_value'))).toEqual([-3, 0]);
  });

  it('flags impossible sums of squares per row and per (goal, variant), and keeps the sums', () => {
    const table = AggregatedGoalTable.fromRows(
      [row('a', 4, { sum_value: 10, sum_sqr_value: 20 }), row('b', 4), row('b', 4, { sum_sqr_count: 3 })],
      options,
    );
    expect(Array.from(table.column(click, 'sum_sqr_value'))).toEqual([20, 8]);
    expect(tableDiagnostics(table).inconsistentSums).toEqual([{ goal: click, variants: [0, 1], flags: 3 }]);
  });

  it('records the names of the rows, matched or not, for suggestions', () => {
    const table = AggregatedGoalTable.fromRows(
      [
        row('a', 1),
        row('a', 1, { goal: 'view' }),
        row('a', 1, { unit_type: 'user', agg_type: 'global', goal: 'exposure' }),
      ],
      options,
    );
    const { names, rows } = tableDiagnostics(table);
    expect(rows).toBe(3);
    expect(names.unitTypes()).toEqual(['u', 'user']);
    expect(names.goalsOf('u', 'unit').sort()).toEqual(['click', 'view']);
    expect(names.aggTypesOf('user', 'exposure')).toEqual(['global']);
  });
});

const catchError = (run: () => unknown) => thrown(run) as DataError;
