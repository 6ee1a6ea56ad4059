/**
 * `evaluateByUnit` over every input shape: row objects or column arrays (plain arrays or typed arrays), unit
 * ids as strings, numbers or bigints. Every shape must give the very same evaluation and the same errors.
 */
import { describe, expect, it } from 'vitest';
import {
  DataError,
  type EvaluationWarning,
  Experiment,
  type GoalCell,
  type GoalReference,
  Metric,
  parseExpression,
  SrmCheck,
  SumRatioCheck,
  type UnitGoalRow,
  type UnitGoals,
  UnitGoalTable,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

const denominator = 'count(u.unit.exposure)';
const experiment = new Experiment({
  id: 'e',
  controlVariant: 'a',
  unitType: 'u',
  metrics: [
    new Metric({ id: 1, name: 'Revenue', nominator: 'value(u.unit.conversion)', denominator }),
    new Metric({
      id: 2,
      name: 'Net revenue',
      nominator: 'value(u.unit.conversion) - value(u.unit.refund)',
      denominator,
      outlierUpperPercentile: 2,
      outlierLowerPercentile: 1,
    }),
    new Metric({ id: 3, name: 'Converters', nominator: 'unique(u.unit.conversion)', denominator }),
    new Metric({
      id: 4,
      name: 'Per conversion',
      nominator: 'value(u.unit.conversion)',
      denominator: 'count(u.unit.conversion)',
    }),
  ],
  checks: [
    new SrmCheck({ id: 1, name: 'SRM', denominator }),
    new SumRatioCheck({ id: 2, name: 'Refunds', nominator: 'count(u.unit.refund)', denominator }),
  ],
});

/**
 * Rows of 600 units (ids 0..599, negative ids for some, one id in two variants) over variants a, b, c, rows
 * of one unit split and out of order, units with only an exposure, a row of another experiment.
 */
function unitRows(): {
  variant: string;
  id: number;
  goal: string;
  count: number;
  value: number;
  expId: string;
}[] {
  const rows: { variant: string; id: number; goal: string; count: number; value: number; expId: string }[] =
    [];
  let seed = 11;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let unit = 0; unit < 600; unit++) {
    const id = unit % 7 === 3 ? -unit : unit;
    const variant = ['a', 'b', 'c'][unit % 3]!;
    const add = (goal: string, count: number, value: number) =>
      rows.push({ variant, id, goal, count, value, expId: 'e' });
    add('exposure', 1, 1);
    if (random() < 0.4) add('conversion', 1, Math.floor(random() * 1000) / 10);
    if (random() < 0.2) add('conversion', 2, Math.floor(random() * 5000));
    if (random() < 0.1) add('refund', 1, Math.floor(random() * 300));
  }
  rows.push({ variant: 'b', id: 4, goal: 'conversion', count: 1, value: 7, expId: 'e' }); // id 4 is in a too
  rows.push({ variant: 'a', id: 5, goal: 'exposure', count: 1, value: 1, expId: 'other' });
  // Out of order: the last rows first.
  return [...rows.slice(-50), ...rows.slice(0, -50)];
}

type Rows = ReturnType<typeof unitRows>;

function asRows(rows: Rows, id: (id: number) => GoalCell): UnitGoalRow[] {
  return rows.map((row) => ({
    exp_id: row.expId,
    exp_variant_id: row.variant,
    unit_type: 'u',
    agg_type: 'unit',
    goal: row.goal,
    unit_id: id(row.id),
    count: row.count,
    sum_value: row.value,
  }));
}

function asColumns(
  rows: Rows,
  ids: (ids: number[]) => ArrayLike<GoalCell>,
  numbers: (values: number[]) => ArrayLike<GoalCell> = (values) => Float64Array.from(values),
): UnitGoals {
  return {
    exp_id: rows.map((row) => row.expId),
    exp_variant_id: rows.map((row) => row.variant),
    unit_type: rows.map(() => 'u'),
    agg_type: rows.map(() => 'unit'),
    goal: rows.map((row) => row.goal),
    unit_id: ids(rows.map((row) => row.id)),
    count: numbers(rows.map((row) => row.count)),
    sum_value: numbers(rows.map((row) => row.value)),
  };
}

function evaluate(goals: UnitGoals): { evaluation: unknown; warnings: EvaluationWarning[] } {
  const warnings: EvaluationWarning[] = [];
  const evaluation = experiment.evaluateByUnit(goals, { timestamp: 0, onWarning: (w) => warnings.push(w) });
  return { evaluation, warnings };
}

describe('evaluateByUnit input shapes', () => {
  const rows = unitRows();
  const expected = evaluate(asRows(rows, String));

  it('gives every statistic and warning of string-id rows for every shape of the same data', () => {
    const shapes: Record<string, UnitGoals> = {
      'rows, number ids': asRows(rows, (id) => id),
      'rows, bigint ids': asRows(rows, BigInt),
      'columns, string ids': asColumns(rows, (ids) => ids.map(String)),
      'columns, number ids': asColumns(rows, (ids) => ids),
      'columns, bigint ids': asColumns(rows, (ids) => ids.map(BigInt)),
      'columns, mixed ids': asColumns(rows, (ids) =>
        ids.map((id, row) => (row % 3 === 0 ? String(id) : row % 3 === 1 ? id : BigInt(id))),
      ),
      'columns, Float64Array ids': asColumns(rows, (ids) => Float64Array.from(ids)),
      'columns, Int32Array ids': asColumns(rows, (ids) => Int32Array.from(ids)),
      'columns, BigInt64Array ids': asColumns(rows, (ids) => BigInt64Array.from(ids, BigInt)),
      'columns, plain number arrays': asColumns(
        rows,
        (ids) => ids.map(String),
        (values) => values,
      ),
      'columns, decimal strings': asColumns(
        rows,
        (ids) => Float64Array.from(ids),
        (values) => values.map(String),
      ),
    };
    expect(expected.warnings.length).toBeGreaterThan(0); // the id in two variants, the other experiment
    for (const [shape, goals] of Object.entries(shapes)) {
      expect(evaluate(goals), shape).toEqual(expected);
    }
  });

  it('keeps ids apart whose texts differ, however the cells are typed', () => {
    const ids = ['7', 7, 7n, '007', '-0', 0, -0, '0', 2 ** 53, '9007199254740992', 1.5, '1.5', 'x'];
    const goals = asColumns(
      ids.map((_, row) => ({ variant: 'a', id: row, goal: 'exposure', count: 1, value: 1, expId: 'e' })),
      () => ids,
    );
    const exposure = parseExpression('count(u.unit.exposure)') as GoalReference;
    const table = UnitGoalTable.fromRows(goals, { variants: ['a'], goals: [exposure], dimensions: [] });
    // Units: 7; 007; -0; 0; 9007199254740992; 1.5; x.
    expect(table.perUnit(exposure).values.length).toBe(7);
  });

  it('gives the errors of row objects for bad cells of column arrays', () => {
    const cases: [string, (columns: Record<string, GoalCell[]>) => void][] = [
      ['a text count', (c) => c.count!.splice(3, 1, 'many')],
      ['a negative count', (c) => c.count!.splice(3, 1, -1)],
      ['a non-finite value', (c) => c.sum_value!.splice(5, 1, Number.POSITIVE_INFINITY)],
      ['a missing unit id', (c) => c.unit_id!.splice(2, 1, null)],
      ['a boolean unit id', (c) => c.unit_id!.splice(2, 1, true)],
      ['a boolean goal name', (c) => c.goal!.splice(1, 1, false)],
      [
        'two bad cells: the first row wins',
        (c) => [c.goal!.splice(4, 1, null), c.count!.splice(2, 1, Number.NaN)],
      ],
    ];
    for (const [name, spoil] of cases) {
      const columns = asColumns(
        rows.slice(0, 10),
        (ids) => ids.map(String),
        (values) => values,
      ) as unknown as Record<string, GoalCell[]>;
      spoil(columns);
      const asRowObjects = Array.from({ length: 10 }, (_, row) =>
        Object.fromEntries(Object.entries(columns).map(([column, cells]) => [column, cells[row]])),
      ) as unknown as UnitGoalRow[];
      const fromRows = thrown(() => experiment.evaluateByUnit(asRowObjects)) as DataError;
      expect(fromRows, name).toBeInstanceOf(DataError);
      for (const typed of [false, true]) {
        const input = typed
          ? {
              ...columns,
              count: Float64Array.from(columns.count!, Number),
              sum_value: Float64Array.from(columns.sum_value!, Number),
            }
          : columns;
        if (typed && columns.count!.some((cell) => typeof cell !== 'number')) continue;
        const fromColumns = thrown(() =>
          experiment.evaluateByUnit(input as unknown as UnitGoals),
        ) as DataError;
        expect([fromColumns.message, fromColumns.row, fromColumns.column], name).toEqual([
          fromRows.message,
          fromRows.row,
          fromRows.column,
        ]);
      }
    }
  });

  it('reports the first bad cell in row order, a key cell before the numbers and the id of its row', () => {
    const cases: [string, (columns: Record<string, GoalCell[]>) => void, [number, string]][] = [
      [
        'a bad count, then a bad goal',
        (c) => [c.count!.splice(2, 1, -1), c.goal!.splice(5, 1, null)],
        [2, 'count'],
      ],
      [
        'a bad id, then a bad goal',
        (c) => [c.unit_id!.splice(3, 1, {} as unknown as GoalCell), c.goal!.splice(6, 1, false)],
        [3, 'unit_id'],
      ],
      [
        'a bad value, then a bad type',
        (c) => [c.sum_value!.splice(4, 1, 'x'), c.agg_type!.splice(7, 1, [] as unknown as GoalCell)],
        [4, 'sum_value'],
      ],
      [
        'a bad goal, then a bad count',
        (c) => [c.goal!.splice(2, 1, null), c.count!.splice(5, 1, 'x')],
        [2, 'goal'],
      ],
      [
        'a bad goal and count in one row',
        (c) => [c.goal!.splice(3, 1, null), c.count!.splice(3, 1, 'x')],
        [3, 'goal'],
      ],
      [
        'a bad count and id in one row',
        (c) => [c.unit_id!.splice(3, 1, null), c.count!.splice(3, 1, -2)],
        [3, 'count'],
      ],
      [
        'a bad id and value in one row',
        (c) => [c.unit_id!.splice(3, 1, null), c.sum_value!.splice(3, 1, 'y')],
        [3, 'unit_id'],
      ],
      ['a bad id in the last row', (c) => c.unit_id!.splice(9, 1, false), [9, 'unit_id']],
    ];
    const good = Array.from({ length: 10 }, (_, i) => ({
      variant: i % 2 === 0 ? 'a' : 'b',
      id: i >> 1,
      goal: i % 4 < 2 ? 'exposure' : 'conversion',
      count: 1,
      value: i,
      expId: 'e',
    }));
    for (const [name, spoil, [row, column]] of cases) {
      const columns = asColumns(
        good,
        (ids) => ids.map(String),
        (values) => values,
      ) as unknown as Record<string, GoalCell[]>;
      spoil(columns);
      const asRowObjects = Array.from({ length: 10 }, (_, r) =>
        Object.fromEntries(Object.entries(columns).map(([key, cells]) => [key, cells[r]])),
      ) as unknown as UnitGoalRow[];
      for (const input of [columns as unknown as UnitGoals, asRowObjects]) {
        const error = thrown(() => experiment.evaluateByUnit(input)) as DataError;
        expect(error, name).toBeInstanceOf(DataError);
        expect([error.row, error.column], name).toEqual([row, column]);
      }
    }
  });

  it('names a typed column of the wrong length', () => {
    const columns = asColumns(rows.slice(0, 10), (ids) => Int32Array.from(ids));
    const error = thrown(() =>
      experiment.evaluateByUnit({ ...columns, count: new Float64Array(9) } as UnitGoals),
    ) as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.column).toBe('count');
    expect(error.message).toMatch(/has 9 cells but column `.*` has 10/);
  });
});
