import { describe, expect, it } from 'vitest';
import { tableDiagnostics } from '../../src/goals/goal-table-diagnostics.js';
import {
  AGGREGATED_COLUMNS,
  type AggregatedGoals,
  AggregatedGoalTable,
  type AggregatedGoalTableOptions,
  completeDimensions,
  type GoalReference,
  parseExpression,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

/**
 * Row objects whose cells are texts and finite numbers are read directly (the fast path); column arrays and
 * any other cell go through the reader's getters (the general path). Both must give the same table and the
 * same errors.
 */

const DIMENSIONS = Object.freeze(['element', 'product']);
const GOALS = [
  'count(u.unit.click)',
  'count(u.unit.click(element=button-1))',
  'count(u.unit.click(element=button-2))',
  'count(u.unit.click(product=1))',
  'count(u.unit.click(element=button-1, product=1))',
  'value(u.unit.order(product=^p))',
  'value(u.unit.refund(element=x, product>2))',
  'count(u.unit.never)',
  'count(u.global.exposure)',
];
const goals = Object.freeze(
  GOALS.map((text) => completeDimensions(parseExpression(text) as GoalReference, DIMENSIONS)),
);
/** The goal of a text of {@link GOALS}. */
const goalOf = (text: string): GoalReference => goals[GOALS.indexOf(text)]!;
const options: AggregatedGoalTableOptions = {
  variants: ['a', 'b', 'c'],
  goals,
  dimensions: DIMENSIONS,
  expId: 'e',
  exposureUnitType: 'u',
};

/** A row, cells of any type (bad ones included). */
type Row = Record<string, unknown>;

/** The table of rows or columns (as a caller without types may pass them). */
const build = (goals: unknown, goalOptions = options): AggregatedGoalTable =>
  AggregatedGoalTable.fromRows(goals as AggregatedGoals, goalOptions);

/** A row of `count` units with distinct, fractional (and consistent) sums. */
function row(variant: string, goal: string, count: number, extra: Row = {}): Row {
  return {
    exp_id: 'e',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: goal === 'exposure' ? 'global' : 'unit',
    goal,
    count,
    sum_sqr_count: count * 1.25,
    sum_value: count * 2.5 - 1,
    sum_sqr_value: count * 7.75,
    count_unique: count,
    ...extra,
  };
}

const ROWS: Row[] = [
  row('a', 'exposure', 100),
  row('a', 'exposure', 5, { element: 'button-1' }),
  row('b', 'exposure', 120),
  row('a', 'click', 10),
  row('a', 'click', 3, { element: null }),
  row('a', 'click', 4, { element: '', product: '' }),
  row('b', 'click', 12),
  row('a', 'click', 2, { element: 'button-1' }),
  row('b', 'click', 6, { element: 'button-1' }),
  row('b', 'click', 7, { element: 'button-2' }),
  row('c', 'click', 1, { element: 'button-3' }),
  row('a', 'click', 8, { product: 1 }),
  row('b', 'click', 9, { product: '1' }),
  row('a', 'click', 5, { element: 'button-1', product: 1 }),
  row('b', 'click', 5, { element: 'button-2', product: 1 }),
  row('a', 'order', 3, { product: '^p' }),
  row('c', 'order', 4, { product: '^p', sum_value: -20, sum_sqr_value: 100 }),
  row('b', 'order', 4, { product: '^q' }),
  row('a', 'refund', 2, { element: 'x', product: '>2' }),
  row('b', 'refund', 2, { element: 'x', product: '>3' }),
  row('a', 'refund', 2, { element: 'y', product: '>2' }),
  row('b', 'view', 50),
  row('a', 'click', 4, { unit_type: 'user' }),
  row('a', 'click', 4, { agg_type: 'global' }),
  row('d', 'click', 100),
  row('a', 'click', 100, { exp_id: 'other' }),
  row('c', 'click', 1, { exp_id: '' }),
  // impossible sums of squares, and sums that overflow
  row('c', 'click', 4, { sum_value: 10, sum_sqr_value: 20 }),
  row('b', 'click', 4, { sum_sqr_count: 3 }),
  row('c', 'exposure', 1, { sum_value: 1.5e308 }),
  row('c', 'exposure', 1, { sum_value: 1.5e308 }),
];

/** The rows as column arrays (missing cells `undefined`, as a missing key reads). */
function columnsOf(rows: readonly Row[]): Record<string, unknown[]> {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(names.map((name) => [name, rows.map((r) => r[name])]));
}

/** The rows with every number as a decimal string or a bigint and numeric texts as numbers. */
function convertedCells(rows: readonly Row[]): Row[] {
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([name, cell]) => {
        if (typeof cell === 'number') return [name, Number.isInteger(cell) ? BigInt(cell) : String(cell)];
        if (cell === '1') return [name, 1];
        return [name, cell];
      }),
    ),
  );
}

/** Everything a table exposes, its diagnostics and their name queries. */
function contents(table: AggregatedGoalTable) {
  const diagnostics = tableDiagnostics(table);
  const names = diagnostics.names;
  return {
    columns: goals.map((goal) => AGGREGATED_COLUMNS.map((column) => Array.from(table.column(goal, column)))),
    exposures: Array.from(table.exposures),
    foreign: table.foreignExperimentRows,
    withoutRows: table.goalsWithoutRows,
    rows: diagnostics.rows,
    otherVariantRows: diagnostics.otherVariantRows,
    exposureRows: diagnostics.exposureRows,
    inconsistent: diagnostics.inconsistentSums,
    nonFinite: diagnostics.nonFiniteSums,
    unitTypes: names.unitTypes(),
    goalsOfU: names.goalsOf('u', 'unit'),
    allGoals: names.allGoals(),
    aggTypes: names.aggTypesOf('u', 'click'),
  };
}

describe('AggregatedGoalTable.fromRows: row objects read directly and through the getters', () => {
  const fast = contents(build(ROWS));

  it('sums real values', () => {
    const column = (text: string, name: (typeof AGGREGATED_COLUMNS)[number]) =>
      fast.columns[GOALS.indexOf(text)]![AGGREGATED_COLUMNS.indexOf(name)];
    // click without dimensions: a 10 + 3 + 4, b 12 + 4, c 1 (exp_id '') + 4
    expect(column('count(u.unit.click)', 'count')).toEqual([17, 16, 5]);
    expect(column('count(u.unit.click)', 'sum_sqr_count')).toEqual([21.25, 18, 6.25]);
    expect(column('count(u.unit.click(element=button-2))', 'count_unique')).toEqual([0, 7, 0]);
    expect(column('count(u.unit.click(product=1))', 'count')).toEqual([8, 9, 0]);
    expect(column('count(u.unit.click(element=button-1, product=1))', 'count')).toEqual([5, 0, 0]);
    expect(column('value(u.unit.order(product=^p))', 'sum_value')).toEqual([6.5, 0, -20]);
    expect(column('value(u.unit.refund(element=x, product>2))', 'sum_sqr_value')).toEqual([15.5, 0, 0]);
    expect(fast.exposures).toEqual([105, 120, 2]);
    expect(fast.foreign).toBe(1);
    expect(fast.otherVariantRows).toBe(1);
    expect(fast.exposureRows).toBe(5);
    expect(fast.withoutRows).toEqual([goalOf('count(u.unit.never)')]);
    expect(fast.inconsistent).toEqual([{ goal: goalOf('count(u.unit.click)'), variants: [1, 2], flags: 3 }]);
    expect(fast.nonFinite).toEqual([{ goal: goalOf('count(u.global.exposure)'), variants: [2], flags: 1 }]);
    expect(fast.unitTypes).toEqual(['u', 'user']);
    expect(fast.goalsOfU).toEqual(['click', 'order', 'refund', 'view']);
    expect(fast.aggTypes).toEqual(['global', 'unit']);
  });

  it('gives the same table from column arrays', () => {
    expect(contents(build(columnsOf(ROWS)))).toEqual(fast);
  });

  it('gives the same table from rows of bigints, decimal strings and numeric texts', () => {
    expect(contents(build(convertedCells(ROWS)))).toEqual(fast);
  });

  it('gives the same table however often it is built (its index is reused)', () => {
    expect(contents(build(ROWS))).toEqual(fast);
    expect(contents(build(ROWS, { ...options, goals: [...goals] }))).toEqual(fast);
  });
});

describe('AggregatedGoalTable.fromRows: errors of row objects read directly', () => {
  const base = [row('a', 'click', 1), row('b', 'click', 2)];
  const errorOf = (goals: unknown) => {
    const error = thrown(() => build(goals)) as Error;
    return error.message;
  };
  const BAD_CELLS: [string, unknown][] = [
    ['exp_id', {}],
    ['exp_variant_id', true],
    ['exp_variant_id', null],
    ['unit_type', {}],
    ['agg_type', null],
    ['goal', false],
    ['element', {}],
    ['product', []],
    ['count', -1],
    ['count', Number.NaN],
    ['count', 'abc'],
    ['count', null],
    ['sum_sqr_count', -0.5],
    ['sum_value', Number.POSITIVE_INFINITY],
    ['sum_value', '1e400'],
    ['sum_sqr_value', -3n],
    ['count_unique', true],
  ];

  it.each(BAD_CELLS)('names the row and column of a bad %s cell as column arrays do', (column, cell) => {
    const rows = [...base, row('a', 'click', 3, { [column]: cell })];
    const message = errorOf(rows);
    expect(message).toMatch(new RegExp(`^Row 2, column \`${column}\`: `));
    expect(errorOf(columnsOf(rows))).toBe(message);
  });

  it('reports the first bad cell of a row in the order of the columns', () => {
    const cases: [Row, string][] = [
      [{ goal: null, element: {} }, 'goal'],
      [{ element: {}, count: -1 }, 'element'],
      [{ count: 'x', sum_value: 'y' }, 'count'],
      [{ sum_value: 'y', count_unique: -1 }, 'sum_value'],
      [{ exp_variant_id: null, unit_type: null }, 'exp_variant_id'],
    ];
    for (const [cells, column] of cases) {
      const rows = [...base, row('a', 'click', 3, cells)];
      expect(errorOf(rows)).toMatch(new RegExp(`^Row 2, column \`${column}\`: `));
      expect(errorOf(columnsOf(rows))).toBe(errorOf(rows));
    }
  });

  it('reports the first row with a bad cell', () => {
    const rows = [...base, row('a', 'click', 3, { sum_value: 'y' }), row('a', 'click', 3, { goal: null })];
    expect(errorOf(rows)).toBe('Row 2, column `sum_value`: expected a number, received `y` (text)');
  });

  it('does not read the numbers of rows it skips, but reads the count of exposure rows', () => {
    const skipped = [
      ...base,
      row('a', 'click', 3, { exp_id: 'other', count: 'x' }),
      row('d', 'click', 3, { count: 'x' }),
      row('a', 'view', 3, { count: 'x' }),
    ];
    expect(() => build(skipped)).not.toThrow();
    const exposure = row('a', 'exposure', 3, { element: 'z', count: -2 });
    expect(errorOf([...base, exposure])).toBe(
      'Row 2, column `count`: expected a number of at least 0, received `-2`; a count or a sum of squares cannot be negative',
    );
  });
});
