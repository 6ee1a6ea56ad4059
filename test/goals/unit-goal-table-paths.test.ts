/**
 * The fast paths of building a unit goal table against the general ones, with real values: unit ids in
 * ascending order (no hash table) and out of it, ids that need high words, ids in two variants, groups that
 * grow, reused arrays, and column arrays (cells numbered, a few by identity) against row objects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableDiagnostics } from '../../src/goals/goal-table-diagnostics.js';
import { variantsOfColumns } from '../../src/goals/scan-goal-columns.js';
import { reusedArrays } from '../../src/goals/unit-arrays.js';
import { unitGoalTable } from '../../src/goals/unit-goal-table.js';
import { variantsOfRows } from '../../src/goals/variants-of-rows.js';
import {
  DataError,
  type GoalCell,
  type GoalReference,
  parseExpression,
  type UnitGoalRow,
  type UnitGoals,
  UnitGoalTable,
} from '../../src/index.js';

const goal = (text: string) => parseExpression(text) as GoalReference;
const exposure = goal('count(u.unit.exposure)');
const buy = goal('value(u.unit.buy)');
const options = { variants: ['a', 'b'], goals: [exposure, buy], dimensions: [], exposureUnitType: 'u' };

/** A row of unit goals of unit type `u`. */
function row(variant: string, id: GoalCell, goalName: string, count: number, value: number): UnitGoalRow {
  return {
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: 'unit',
    goal: goalName,
    unit_id: id,
    count,
    sum_value: value,
  };
}

/** The rows as column arrays, unit ids as given by `ids`. */
function columnsOf(rows: readonly UnitGoalRow[], ids = (cells: GoalCell[]): ArrayLike<GoalCell> => cells) {
  const column = (name: keyof UnitGoalRow) => rows.map((r) => r[name] as GoalCell);
  return {
    exp_variant_id: column('exp_variant_id'),
    unit_type: column('unit_type'),
    agg_type: column('agg_type'),
    goal: column('goal'),
    unit_id: ids(column('unit_id')),
    count: Float64Array.from(rows, (r) => Number(r.count)),
    sum_value: Float64Array.from(rows, (r) => Number(r.sum_value)),
  } as UnitGoals;
}

/**
 * Per-unit totals as a reference computes them: a unit is a variant and the text of an id, numbered in the
 * order first found among the rows of the goals `exposure` and `buy` (one group), its totals summed in the
 * order of the rows.
 */
function reference(rows: readonly UnitGoalRow[], goalName: string, column: 'count' | 'sum_value') {
  const units = new Map<string, number>();
  const variantOf: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    const variant = options.variants.indexOf(r.exp_variant_id as string);
    if (variant < 0 || (r.goal !== 'exposure' && r.goal !== 'buy')) continue;
    const key = `${variant}\u0000${String(r.unit_id)}`;
    let unit = units.get(key);
    if (unit === undefined) {
      unit = variantOf.length;
      units.set(key, unit);
      variantOf.push(variant);
      values.push(0);
    }
    if (r.goal === goalName) values[unit] = values[unit]! + Number(r[column]);
  }
  return { variantOf, values };
}

/** What a table holds of the rows, per unit and per variant. */
function contents(table: UnitGoalTable) {
  const perUnit = (g: GoalReference) => {
    const { variantOf, values } = table.perUnit(g);
    return { variantOf: Array.from(variantOf), values: Array.from(values) };
  };
  return {
    exposure: perUnit(exposure),
    buy: perUnit(buy),
    sumSqrValue: Array.from(table.column(buy, 'sum_sqr_value')),
    units: Array.from(table.column(buy, 'count_unique')),
    exposures: Array.from(table.exposures),
  };
}

/** How many ids of the rows are found in more than one variant. */
function sharedIds(rows: readonly UnitGoalRow[]): number {
  const variants = new Map<string, Set<unknown>>();
  for (const r of rows) {
    const id = String(r.unit_id);
    variants.set(id, (variants.get(id) ?? new Set()).add(r.exp_variant_id));
  }
  return [...variants.values()].filter((of) => of.size > 1).length;
}

/** Checks a table of the rows against the reference. */
function expectReference(table: UnitGoalTable, rows: readonly UnitGoalRow[]): void {
  const { exposure: exposures, buy: buys } = contents(table);
  expect(exposures).toEqual(reference(rows, 'exposure', 'count'));
  expect(buys).toEqual(reference(rows, 'buy', 'sum_value'));
  const shared = tableDiagnostics(table).sharedUnits;
  expect(shared.length === 0 ? 0 : shared[0]!.count).toBe(sharedIds(rows));
}

/** Rows of the ids in this order, each with an exposure and, for every other id, a purchase. */
function rowsOfIds(ids: readonly GoalCell[]): UnitGoalRow[] {
  return ids.flatMap((id, index) => {
    const variant = index % 3 === 0 ? 'b' : 'a';
    const rows = [row(variant, id, 'exposure', 1, 1)];
    if (index % 2 === 0) rows.push(row(variant, id, 'buy', 1 + (index % 4), index * 0.25 - 3));
    return rows;
  });
}

const ascending = Array.from({ length: 300 }, (_, i) => i * 7);

describe('UnitGoalTable unit ids', () => {
  const cases: Record<string, GoalCell[]> = {
    'ascending ids': ascending,
    'ascending, then an id already found, then smaller new ones': [...ascending, 14, 3, 1, 2000],
    'descending ids': [...ascending].reverse(),
    'ids that need high words, in and out of order': [
      ...ascending.map((i) => 2 ** 32 + i),
      -(2 ** 40),
      2 ** 53 - 1,
      -1,
      7,
      2 ** 32 + 7,
    ],
    'text ids among integer ids': ['x', ...ascending.slice(0, 50), '007', 'x', '-0', 1.5, '1.5', 49],
    'one id in both variants': [...ascending.slice(0, 40), 0, 7, 14, 21],
  };

  for (const [name, ids] of Object.entries(cases)) {
    it(`gives the reference's units and totals for ${name}, whatever the shape`, () => {
      const rows = rowsOfIds(ids);
      const shapes: Record<string, UnitGoals> = {
        rows,
        'columns of cells': columnsOf(rows),
        'columns of texts': columnsOf(rows, (cells) => cells.map(String)),
      };
      if (ids.every((id) => Number.isSafeInteger(id))) {
        shapes.Float64Array = columnsOf(rows, (cells) => Float64Array.from(cells, Number));
        shapes.BigInt64Array = columnsOf(rows, (cells) =>
          BigInt64Array.from(cells, (id) => BigInt(id as number)),
        );
      }
      for (const [shape, goals] of Object.entries(shapes)) {
        const table = UnitGoalTable.fromRows(goals, options);
        expect(() => expectReference(table, rows), shape).not.toThrow();
      }
    });
  }

  it('keeps an id found in two variants one after the other as two units, in and out of order', () => {
    const rows = [1, 2, 3].flatMap((id) => [row('a', id, 'exposure', 1, 1), row('b', id, 'buy', 1, id)]);
    // Out of order: both units of id 1 again, then a new one.
    rows.push(row('b', 1, 'buy', 2, 10), row('a', 1, 'buy', 3, 20), row('b', 0, 'exposure', 1, 1));
    for (const goals of [rows, columnsOf(rows), columnsOf(rows, (cells) => cells.map(String))]) {
      const table = UnitGoalTable.fromRows(goals, options);
      expectReference(table, rows);
      expect(contents(table).buy.values).toEqual([20, 11, 0, 2, 0, 3, 0]);
    }
  });

  it('grows a group past the units of its goal with the most rows', () => {
    // 200 units with an exposure and 300 others with a purchase only: room for 300 units at first.
    const rows = [
      ...Array.from({ length: 200 }, (_, i) => row('a', i, 'exposure', 1, 1)),
      ...Array.from({ length: 300 }, (_, i) => row(i % 2 === 0 ? 'a' : 'b', 2 ** 33 + 1000 - i, 'buy', 1, i)),
    ];
    expectReference(UnitGoalTable.fromRows(columnsOf(rows), options), rows);
    expectReference(UnitGoalTable.fromRows(rows, options), rows);
  });

  it('gives the reference for random ids', () => {
    const id = fc.oneof(
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: 2 ** 32 - 5, max: 2 ** 32 + 5 }),
      fc.constantFrom('7', '007', 'x', '-0', '9007199254740993', 1.5),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 80 }), fc.boolean(), (ids, sorted) => {
        const ordered = sorted ? [...ids].sort((x, y) => Number(x) - Number(y)) : ids;
        const rows = rowsOfIds(ordered);
        expectReference(UnitGoalTable.fromRows(columnsOf(rows), options), rows);
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same table from reused arrays as from fresh ones, after other data left them dirty', () => {
    const datasets = [
      rowsOfIds([...ascending, 5, 6]),
      rowsOfIds(ascending.map((i) => 2 ** 32 + 3 * i).reverse()),
      rowsOfIds(ascending.slice(0, 100)),
    ];
    for (let round = 0; round < 2; round++) {
      for (const rows of datasets) {
        const { arrays, release } = reusedArrays();
        try {
          const reused = unitGoalTable(columnsOf(rows), { ...options, arrays });
          expect(contents(reused)).toEqual(contents(UnitGoalTable.fromRows(columnsOf(rows), options)));
          expectReference(reused, rows);
        } finally {
          release();
        }
      }
    }
  });
});

describe('UnitGoalTable from column arrays', () => {
  /** Rows of many goal names, unit types, dimension values (texts, numbers, NaN, empty) and experiments. */
  function mixedRows(): UnitGoalRow[] {
    const rows: UnitGoalRow[] = [];
    const colors: GoalCell[] = ['red', '', null, 'blue', 1, '1', Number.NaN, 'green', 'red'];
    for (let i = 0; i < 400; i++) {
      rows.push({
        exp_id: i % 37 === 5 ? 'other' : i % 11 === 0 ? '' : 'e',
        exp_variant_id: ['a', 'b', 'c', 'a'][i % 4]!,
        unit_type: i % 13 === 0 ? 's' : 'u',
        agg_type: i % 17 === 0 ? 'global' : 'unit',
        goal: i % 5 === 0 ? 'exposure' : `goal${i % 12}`,
        unit_id: (i * 7919) % 97,
        count: 1 + (i % 3),
        sum_value: (i % 9) - 2.5,
        color: colors[i % colors.length]!,
      });
    }
    return rows;
  }

  it('gives what row objects give, with more distinct cells than are found by identity', () => {
    const rows = mixedRows();
    const goals = [
      ...['goal1', 'goal2', 'goal9', 'goal11', 'exposure'].map((name) => goal(`value(u.unit.${name})`)),
      goal('count(u.unit.goal3(color=red))'),
      goal('count(u.unit.goal4(color=1))'),
      goal('value(u.unit.goal6(color=NaN))'),
      goal('value(s.unit.goal1)'),
    ];
    const tableOptions = {
      variants: ['a', 'b'],
      goals,
      dimensions: ['color'],
      expId: 'e',
      exposureUnitType: 'u',
    };
    const names = Object.keys(rows[0]!) as (keyof UnitGoalRow)[];
    const columns = Object.fromEntries(
      names.map((name) => [name, rows.map((r) => r[name])]),
    ) as unknown as UnitGoals;
    const fromColumns = UnitGoalTable.fromRows(columns, tableOptions);
    const fromRows = UnitGoalTable.fromRows(rows, tableOptions);
    const summary = (table: UnitGoalTable) => ({
      columns: goals.map((g) =>
        (['count', 'sum_sqr_count', 'sum_value', 'sum_sqr_value', 'count_unique'] as const).map((c) =>
          Array.from(table.column(g, c)),
        ),
      ),
      perUnit: goals.map((g) => Array.from(table.perUnit(g).values)),
      exposures: Array.from(table.exposures),
      foreign: table.foreignExperimentRows,
      withoutRows: table.goalsWithoutRows,
      diagnostics: tableDiagnostics(table),
    });
    expect(summary(fromColumns)).toEqual(summary(fromRows));
    expect(summary(fromColumns).perUnit.some((values) => values.length > 0)).toBe(true);
  });

  it('finds a NaN cell (unequal to itself) among the first cells of a column as row objects do', () => {
    const colors: GoalCell[] = [Number.NaN, 'x', 'y', Number.NaN, 'y', 'x', 'z', Number.NaN];
    const rows = colors.map((color, i) => ({ ...row('a', i, 'g', 1, i + 1), color }));
    const goals = ['x', 'y', 'z', 'NaN'].map((color) => goal(`value(u.unit.g(color=${color}))`));
    const tableOptions = { variants: ['a'], goals, dimensions: ['color'] };
    const columns = { ...columnsOf(rows), color: colors } as UnitGoals;
    const values = (table: UnitGoalTable) => goals.map((g) => Array.from(table.column(g, 'sum_value')));
    expect(values(UnitGoalTable.fromRows(columns, tableOptions))).toEqual([[8], [8], [7], [13]]);
    expect(values(UnitGoalTable.fromRows(rows, tableOptions))).toEqual([[8], [8], [7], [13]]);
  });
});

describe('variantsOfColumns', () => {
  /** The variants, or the error's message, row and column. */
  const outcome = (find: () => string[]) => {
    try {
      return find();
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      return [error.message, error.row, error.column];
    }
  };

  it('finds the variants, or the error, that variantsOfRows finds in the same rows', () => {
    const cell = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<GoalCell>('a', 'b', 'c', 'e', '', 'other', 7, 7n, Number.NaN) },
      { weight: 1, arbitrary: fc.constantFrom<GoalCell>(null, undefined, true) },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { maxLength: 30 }), fc.boolean(), (cells, withExpId) => {
        const columns: Record<string, GoalCell[]> = { exp_variant_id: cells.map(([variant]) => variant) };
        if (withExpId) columns.exp_id = cells.map(([, expId]) => expId);
        expect(outcome(() => variantsOfColumns(columns, 'e', 'a'))).toEqual(
          outcome(() => variantsOfRows(columns, 'e', 'a')),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('gives the errors of the input itself', () => {
    for (const input of [null, {}, { exp_variant_id: ['a'], exp_id: ['e', 'e'] }, { exp_variant_id: 'a' }]) {
      expect(outcome(() => variantsOfColumns(input, 'e', 'a'))).toEqual(
        outcome(() => variantsOfRows(input, 'e', 'a')),
      );
    }
  });
});
