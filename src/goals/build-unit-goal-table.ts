import type { GoalReference } from '../expression/ast.js';
import { GoalSlotIndex } from './goal-match-key.js';
import type { UnitGoals } from './goal-rows.js';
import { flaggedGoals, type GoalTableDiagnostics } from './goal-table-diagnostics.js';
import { RowReader } from './row-reader.js';
import { scanGoalColumns } from './scan-goal-columns.js';
import { scanGoalRows } from './scan-goal-rows.js';
import { UnitGroup } from './unit-group.js';
import { UnitIds } from './unit-ids.js';
import { accumulateUnitTotals, type RowTargets, squaresOverflow } from './unit-totals.js';

/** What a unit goal table is built for (see `UnitGoalTableOptions`). @internal */
export interface UnitTableOptions {
  readonly variants: readonly string[];
  readonly goals: readonly GoalReference[];
  readonly dimensions: readonly string[];
  readonly expId?: string;
  readonly exposureUnitType?: string;
  /**
   * When given, per-unit totals are kept only for what these goals read: with `function`, the column of the
   * goal's function (`count` for `count` and `unique`, `sum_value` for `value`); with `all`, both. The table
   * then answers nothing else. By default both columns of every goal are kept.
   */
  readonly perUnitReads?: readonly { readonly goal: GoalReference; readonly columns: 'function' | 'all' }[];
}

/**
 * The pivoted unit goals: per slot, its group (undefined when it has no unit) and per-unit totals (undefined
 * for a column not kept).
 *
 * @internal
 */
export interface UnitTableParts {
  readonly slots: GoalSlotIndex;
  readonly slotGroup: (UnitGroup | undefined)[];
  readonly slotCount: (Float64Array | undefined)[];
  readonly slotSumValue: (Float64Array | undefined)[];
  readonly exposures: Float64Array;
  readonly foreign: number;
  readonly goalsWithoutRows: GoalReference[];
  readonly diagnostics: GoalTableDiagnostics;
}

const UNIT_KEY_COLUMNS = ['exp_variant_id', 'unit_type', 'agg_type', 'goal', 'unit_id', 'count', 'sum_value'];

/**
 * Reads unit goal rows (row objects or column arrays) once into per-slot, per-unit totals of `count` and
 * `sum_value`, units grouped by (unit type, aggregation type, dimension values).
 *
 * @remarks
 * Column arrays are read directly (typed arrays of numbers, numeric or bigint unit ids without converting
 * them to text, see {@link UnitIds}); nothing is allocated per row.
 *
 * @throws {@link DataError} as `UnitGoalTable.fromRows` documents.
 * @internal
 */
export function buildUnitGoalTable(goals: UnitGoals, options: UnitTableOptions): UnitTableParts {
  const reader = new RowReader(goals, UNIT_KEY_COLUMNS);
  const slots = new GoalSlotIndex(options.dimensions, options.goals);
  const unitIds = new UnitIds(reader);
  const variantCount = options.variants.length;
  const exposures = new Float64Array(variantCount);
  const countOf = reader.nonNegativeNumber('count');
  const sumValueOf = reader.number('sum_value');
  // First pass: which rows are read, for which slot and variant (`slot * variantCount + variant + 1`, 0 for
  // a row not read). Its cells are checked here, in the order of the rows, so the first bad cell is reported.
  const targets = slots.size * variantCount + 1;
  const rowTargets =
    targets <= 0xff
      ? new Uint8Array(reader.length)
      : targets <= 0xffff
        ? new Uint16Array(reader.length)
        : new Int32Array(reader.length);
  const slotRows = new Float64Array(slots.size);
  // A column with no bad cell (checked at once, as a typed array is) needs no check per row.
  const checkCounts = !allNumbers(reader.column('count'), true);
  const checkSums = !allNumbers(reader.column('sum_value'), false);
  const checkIds = !unitIds.allValid();
  const visit = (row: number, variant: number, slot: number | undefined, isExposure: boolean) => {
    if (isExposure) exposures[variant] = exposures[variant]! + countOf(row);
    else if (checkCounts) countOf(row);
    if (slot === undefined) return;
    if (checkIds) unitIds.check(row);
    if (checkSums) sumValueOf(row);
    rowTargets[row] = slot * variantCount + variant + 1;
    slotRows[slot] = slotRows[slot]! + 1;
  };
  const scanOptions = { ...options, exposureAggType: 'unit' } as const;
  const scan = Array.isArray(goals)
    ? scanGoalRows(reader, slots, scanOptions, visit)
    : scanGoalColumns(reader, slots, scanOptions, visit);

  // Groups sized for as many units as their goal with the most rows has (exact when every unit has a row of
  // that goal, such as its exposure; they grow if not).
  const kept = keptColumns(slots, options);
  const groupKeys = slots.goals.map((_, slot) => slots.groupKey(slot));
  const members = new Map<string, number[]>();
  groupKeys.forEach((key, slot) => {
    const group = members.get(key);
    if (group === undefined) members.set(key, [slot]);
    else group.push(slot);
  });
  const groups = new Map<string, UnitGroup>();
  for (const [key, groupSlots] of members) {
    const units = Math.max(...groupSlots.map((slot) => slotRows[slot]!));
    const unitType = slots.goals[groupSlots[0]!]!.unitType;
    const keptTotals = groupSlots.flatMap((slot) => [kept[slot]!.count, kept[slot]!.sum]);
    groups.set(key, new UnitGroup(unitType, groupSlots, keptTotals, units));
  }
  const rows: RowTargets = {
    targets: rowTargets,
    variantCount,
    groupOfSlot: groupKeys.map((key) => groups.get(key)!),
    totalsOfSlot: groupKeys.map((key, slot) => 2 * members.get(key)!.indexOf(slot)),
  };
  const { sharedUnits, mayOverflow } = accumulateUnitTotals(reader, unitIds, rows);
  // Flag the (goal, variant) cells whose squared per-unit totals overflow.
  const nonFinite = new Uint8Array(slots.size * variantCount);
  slots.goals.forEach((_, slot) => {
    for (const [flag, column] of [
      [1, 'count'],
      [2, 'sum_value'],
    ] as const) {
      const cells = mayOverflow.subarray(slot * variantCount, (slot + 1) * variantCount);
      if (cells.every((cell) => (cell & flag) === 0)) continue;
      squaresOverflow(reader, unitIds, rows, slot, column).forEach((overflows, variant) => {
        if (overflows) nonFinite[slot * variantCount + variant] = 1;
      });
    }
  });
  for (const group of groups.values()) group.trim();
  const totalsOf = (slot: number, offset: number) =>
    rows.groupOfSlot[slot]!.totals[rows.totalsOfSlot[slot]! + offset];
  const slotCount = slots.goals.map((_, slot) => totalsOf(slot, 0));
  const slotSumValue = slots.goals.map((_, slot) => totalsOf(slot, 1));
  slots.goals.forEach((goal, slot) => {
    if (slotRows[slot]! > 0) scan.names.addGoal(goal);
  });
  return {
    slots,
    slotGroup: rows.groupOfSlot.map((group) => (group.size > 0 ? group : undefined)),
    slotCount,
    slotSumValue,
    exposures,
    foreign: scan.foreignRows,
    goalsWithoutRows: slots.goals.filter((_, slot) => slotRows[slot] === 0),
    diagnostics: {
      rows: scan.rows,
      otherVariantRows: scan.otherVariantRows,
      exposureRows: scan.exposureRows,
      names: scan.names,
      inconsistentSums: [],
      nonFiniteSums: flaggedGoals(slots.goals, nonFinite, variantCount),
      sharedUnits,
    },
  };
}

/** Per slot, which per-unit totals to keep. */
function keptColumns(slots: GoalSlotIndex, options: UnitTableOptions): { count: boolean; sum: boolean }[] {
  const reads = options.perUnitReads;
  const kept = slots.goals.map(() => ({ count: reads === undefined, sum: reads === undefined }));
  for (const { goal, columns } of reads ?? []) {
    const slot = slots.slotOf(goal);
    if (slot === undefined) continue;
    if (columns === 'all' || goal.fn !== 'value') kept[slot]!.count = true;
    if (columns === 'all' || goal.fn === 'value') kept[slot]!.sum = true;
  }
  return kept;
}

/** Whether every cell of a column array is a finite number (and at least 0 with `nonNegative`). */
function allNumbers(cells: ArrayLike<unknown> | undefined, nonNegative: boolean): boolean {
  if (cells === undefined) return false;
  for (let row = 0; row < cells.length; row++) {
    const cell = cells[row];
    if (typeof cell !== 'number' || cell - cell !== 0 || (nonNegative && cell < 0)) return false;
  }
  return true;
}
