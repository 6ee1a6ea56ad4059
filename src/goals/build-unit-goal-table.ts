import { DataError } from '../errors/data-error.js';
import type { GoalReference } from '../expression/ast.js';
import { GoalSlotIndex } from './goal-match-key.js';
import type { UnitGoals } from './goal-rows.js';
import { flaggedGoals, type GoalTableDiagnostics } from './goal-table-diagnostics.js';
import { RowReader } from './row-reader.js';
import { scanGoalColumns } from './scan-goal-columns.js';
import { type GoalRowScanSummary, scanGoalRows } from './scan-goal-rows.js';
import { FRESH_ARRAYS, type UnitArrays } from './unit-arrays.js';
import { UnitGroup } from './unit-group.js';
import { UnitIds } from './unit-ids.js';
import { accumulateUnitTotals, checkRowCells, type RowTargets, squaresOverflow } from './unit-totals.js';

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
  /**
   * Where the large arrays come from (fresh by default). Reused arrays serve a table that lives no longer
   * than the evaluation that took them.
   */
  readonly arrays?: UnitArrays;
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
  /** Where the table's arrays came from (and where the arrays it computes come from). */
  readonly arrays: UnitArrays;
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
 * them to text, see {@link UnitIds}); nothing is allocated per row. The first pass reads the key columns
 * (experiment, variant, unit type, aggregation type, goal, dimensions) to find each row's goal slot; the
 * second reads and checks `count`, `unit_id` and `sum_value` of the rows it needs. Either reports the first
 * bad cell in the order of the rows (and, within a row, of those columns): a bad key cell at a row comes
 * after the bad cells of the second pass in earlier rows.
 *
 * @throws {@link DataError} as `UnitGoalTable.fromRows` documents.
 * @internal
 */
export function buildUnitGoalTable(goals: UnitGoals, options: UnitTableOptions): UnitTableParts {
  const reader = new RowReader(goals, UNIT_KEY_COLUMNS);
  const arrays = options.arrays ?? FRESH_ARRAYS;
  const slots = new GoalSlotIndex(options.dimensions, options.goals);
  const unitIds = new UnitIds(reader);
  const variantCount = options.variants.length;
  const exposures = new Float64Array(variantCount);
  // First pass: which rows are read, for which slot and variant (`slot * variantCount + variant + 1`, 0 for
  // a row not read; slot `slots.size` for an exposure row of no slot). It reads the key columns only: the
  // second pass checks the other cells, in the order of the rows.
  const exposureOnly = slots.size;
  const targets = (slots.size + 1) * variantCount + 1;
  const rowTargets =
    targets <= 0xff
      ? arrays.zeros(Uint8Array, reader.length)
      : targets <= 0xffff
        ? arrays.zeros(Uint16Array, reader.length)
        : arrays.zeros(Int32Array, reader.length);
  const slotRows = new Float64Array(slots.size);
  const visit = (row: number, variant: number, slot: number | undefined) => {
    rowTargets[row] = (slot ?? exposureOnly) * variantCount + variant + 1;
    if (slot !== undefined) slotRows[slot] = slotRows[slot]! + 1;
  };
  const scanOptions = { ...options, exposureAggType: 'unit' } as const;
  const isExposure = (goal: GoalReference) =>
    options.exposureUnitType !== undefined &&
    goal.unitType === options.exposureUnitType &&
    goal.aggType === scanOptions.exposureAggType &&
    goal.goal === 'exposure';
  const partial: Omit<RowTargets, 'groupOfSlot' | 'totalsOfSlot'> = {
    targets: rowTargets,
    variantCount,
    exposureSlots: [...slots.goals.map(isExposure), true],
  };
  let scan: GoalRowScanSummary;
  try {
    scan = Array.isArray(goals)
      ? scanGoalRows(reader, slots, scanOptions, visit)
      : scanGoalColumns(reader, slots, scanOptions, visit);
  } catch (error) {
    // A bad cell of the second pass in an earlier row comes first.
    if (error instanceof DataError && error.row !== undefined)
      checkRowCells(reader, unitIds, partial, error.row);
    throw error;
  }

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
    groups.set(key, new UnitGroup(unitType, groupSlots, keptTotals, units, arrays));
  }
  const rows: RowTargets = {
    ...partial,
    groupOfSlot: groupKeys.map((key) => groups.get(key)!),
    totalsOfSlot: groupKeys.map((key, slot) => 2 * members.get(key)!.indexOf(slot)),
  };
  const { sharedUnits, mayOverflow } = accumulateUnitTotals(reader, unitIds, rows, exposures);
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
    arrays,
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
