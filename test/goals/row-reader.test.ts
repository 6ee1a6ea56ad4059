import { describe, expect, it } from 'vitest';
import type { GoalCell } from '../../src/goals/goal-rows.js';
import { RowReader } from '../../src/goals/row-reader.js';

const COLUMNS = [
  'exp_id',
  'exp_variant_id',
  'unit_type',
  'agg_type',
  'goal',
  'unit_id',
  'count',
  'sum_sqr_count',
  'sum_value',
  'sum_sqr_value',
  'count_unique',
  'element',
  'toString',
  'missing',
];

describe('RowReader.cells of row objects', () => {
  it('reads each column as the row object does, whatever the shapes of the rows', () => {
    const inherited = Object.create({ exp_id: 'from-prototype', element: 'x' }) as Record<string, GoalCell>;
    inherited.goal = 'click';
    const rows: Record<string, GoalCell>[] = [
      {
        exp_id: 'e',
        exp_variant_id: 'a',
        unit_type: 'u',
        agg_type: 'unit',
        goal: 'click',
        unit_id: 7n,
        count: 1,
        sum_sqr_count: 2,
        sum_value: 3.5,
        sum_sqr_value: '4',
        count_unique: null,
        element: 'button',
      },
      { count: 2, goal: 'view', exp_variant_id: 1, element: undefined },
      Object.assign(Object.create(null) as Record<string, GoalCell>, { unit_id: 'u1', sum_value: -1 }),
      inherited,
    ];
    const reader = new RowReader(rows, []);
    for (const column of COLUMNS) {
      const cells = reader.cells(column);
      rows.forEach((row, index) => {
        expect(cells(index)).toBe(row[column]);
      });
    }
  });

  it('gives the row objects themselves, and nothing for column arrays', () => {
    const rows = [{ goal: 'click' }];
    expect(new RowReader(rows, []).rowObjects()).toBe(rows);
    expect(new RowReader({ goal: ['click'] }, ['goal']).rowObjects()).toBeUndefined();
  });
});
