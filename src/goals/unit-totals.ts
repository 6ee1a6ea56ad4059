import type { SharedUnits } from './goal-table-diagnostics.js';
import type { RowReader } from './row-reader.js';
import type { UnitGroup } from './unit-group.js';
import type { UnitIds } from './unit-ids.js';

/** The rows to read and where they go, as the first pass over the rows found them. @internal */
export interface RowTargets {
  /**
   * Per row, `slot * variantCount + variant + 1`, or 0 for a row not read; an exposure row of no slot has
   * the slot after the last (`groupOfSlot.length`).
   */
  readonly targets: Uint8Array | Uint16Array | Int32Array;
  readonly variantCount: number;
  /** Whether the rows of each slot, and of the slot after the last, are exposure rows. */
  readonly exposureSlots: readonly boolean[];
  /** The group of every slot. */
  readonly groupOfSlot: readonly UnitGroup[];
  /** The position of every slot's count totals in its group's `totals` (its sums follow). */
  readonly totalsOfSlot: readonly number[];
}

/** What {@link accumulateUnitTotals} found besides the totals. @internal */
export interface UnitTotalsSummary {
  readonly sharedUnits: SharedUnits[];
  /** Per (slot, variant) cell, flags of totals whose squares may overflow: 1 for `count`, 2 for `sum_value`. */
  readonly mayOverflow: Uint8Array;
}

/**
 * Below this sum of absolute row values a variant's squared per-unit totals cannot overflow (their sum is at
 * most the square of the sum of the absolute row values), whatever rounding does.
 */
const SAFE_SUM = 1e150;

/**
 * The second pass over the rows: checks the `count`, `unit_id` and `sum_value` cells of every row read (in
 * this order, row after row, so the first bad cell is reported), adds the counts of exposure rows to
 * `exposures`, finds every row's unit in its group and adds its `count` and `sum_value` to the unit's
 * totals (the columns the group keeps), and the unit ids found in several variants.
 *
 * @remarks
 * A finite number (at least 0 for a count) passes without a call; any other cell goes to the checking
 * getter of the column, which parses a decimal text or a bigint or throws the error. A unit id is checked
 * where {@link UnitIds.unitOf} reads it. Per (slot, variant), the sums of the rows' absolute counts and
 * values bound the squared per-unit totals, so that only a cell beyond {@link SAFE_SUM} needs its squares
 * summed ({@link squaresOverflow}).
 *
 * @throws {@link DataError} for a bad cell.
 * @internal
 */
export function accumulateUnitTotals(
  reader: RowReader,
  unitIds: UnitIds,
  rows: RowTargets,
  exposures: Float64Array,
): UnitTotalsSummary {
  const { targets, variantCount, exposureSlots, groupOfSlot, totalsOfSlot } = rows;
  const slotCount = groupOfSlot.length;
  const cells = (slotCount + 1) * variantCount + 1;
  const slotOfTarget = Int32Array.from({ length: cells }, (_, target) =>
    Math.floor((target - 1) / variantCount),
  );
  const variantOfTarget = Int32Array.from({ length: cells }, (_, target) => (target - 1) % variantCount);
  const exposureTarget = Uint8Array.from({ length: cells }, (_, target) =>
    target > 0 && exposureSlots[slotOfTarget[target]!] ? 1 : 0,
  );
  const countBound = new Float64Array(cells);
  const sumBound = new Float64Array(cells);
  const countCell = reader.cells('count');
  const sumValueCell = reader.cells('sum_value');
  const countOf = reader.nonNegativeNumber('count');
  const sumValueOf = reader.number('sum_value');
  // Per unit type: the unit ids found in more than one variant.
  const shared = new Map<string, { ids: Set<string>; example: string }>();
  for (let row = 0; row < targets.length; row++) {
    const target = targets[row]!;
    if (target === 0) continue;
    const countCellValue = countCell(row);
    const count =
      typeof countCellValue === 'number' && countCellValue - countCellValue === 0 && countCellValue >= 0
        ? countCellValue
        : countOf(row);
    const variant = variantOfTarget[target]!;
    if (exposureTarget[target] === 1) exposures[variant] = exposures[variant]! + count;
    const slot = slotOfTarget[target]!;
    if (slot === slotCount) continue;
    const group = groupOfSlot[slot]!;
    let unit = unitIds.unitOf(group, variant, row);
    const sumCellValue = sumValueCell(row);
    const value =
      typeof sumCellValue === 'number' && sumCellValue - sumCellValue === 0 ? sumCellValue : sumValueOf(row);
    if (unit < 0) {
      // The unit id was first found in another variant: a unit of its own, and one to warn about.
      unit = ~unit;
      const unitId = unitIds.text(row);
      const ofUnitType = shared.get(group.unitType);
      if (ofUnitType === undefined) shared.set(group.unitType, { ids: new Set([unitId]), example: unitId });
      else ofUnitType.ids.add(unitId);
    }
    countBound[target] = countBound[target]! + count;
    sumBound[target] = sumBound[target]! + Math.abs(value);
    const counts = group.totals[totalsOfSlot[slot]!];
    if (counts !== undefined) counts[unit] = counts[unit]! + count;
    const sums = group.totals[totalsOfSlot[slot]! + 1];
    if (sums !== undefined) sums[unit] = sums[unit]! + value;
  }
  const mayOverflow = new Uint8Array(cells - 1);
  for (let target = 1; target < cells; target++) {
    mayOverflow[target - 1] =
      (countBound[target]! < SAFE_SUM ? 0 : 1) | (sumBound[target]! < SAFE_SUM ? 0 : 2);
  }
  const sharedUnits = [...shared].map(([unitType, { ids, example }]) => ({
    unitType,
    count: ids.size,
    example,
  }));
  return { sharedUnits, mayOverflow };
}

/**
 * Checks the cells {@link accumulateUnitTotals} checks in the rows before `end` whose targets are known,
 * in the same order: throws the {@link DataError} of the first bad one, if any.
 *
 * @internal
 */
export function checkRowCells(
  reader: RowReader,
  unitIds: UnitIds,
  rows: Pick<RowTargets, 'targets' | 'variantCount' | 'exposureSlots'>,
  end: number,
): void {
  const countOf = reader.nonNegativeNumber('count');
  const sumValueOf = reader.number('sum_value');
  const exposureOnly = (rows.exposureSlots.length - 1) * rows.variantCount;
  for (let row = 0; row < end && row < rows.targets.length; row++) {
    const target = rows.targets[row]! - 1;
    if (target < 0) continue;
    countOf(row);
    if (target >= exposureOnly) continue;
    unitIds.check(row);
    sumValueOf(row);
  }
}

/**
 * Per variant, whether the sum of the squared per-unit totals of a goal's column overflows: the totals are
 * those the group keeps, or summed again from the rows for a column it does not keep.
 *
 * @internal
 */
export function squaresOverflow(
  reader: RowReader,
  unitIds: UnitIds,
  rows: RowTargets,
  slot: number,
  column: 'count' | 'sum_value',
): boolean[] {
  const { targets, variantCount, groupOfSlot, totalsOfSlot } = rows;
  const group = groupOfSlot[slot]!;
  let totals = group.totals[totalsOfSlot[slot]! + (column === 'count' ? 0 : 1)];
  if (totals === undefined) {
    const read = column === 'count' ? reader.nonNegativeNumber('count') : reader.number('sum_value');
    totals = new Float64Array(group.size);
    for (let row = 0; row < targets.length; row++) {
      const target = targets[row]! - 1;
      if (target < 0 || Math.floor(target / variantCount) !== slot) continue;
      const unit = unitIds.unitOf(group, target % variantCount, row);
      totals[unit] = totals[unit]! + read(row);
    }
  }
  const squares = new Float64Array(variantCount);
  for (let unit = 0; unit < group.size; unit++) {
    const variant = group.variantOf[unit]!;
    squares[variant] = squares[variant]! + totals[unit]! * totals[unit]!;
  }
  return Array.from(squares, (square) => !Number.isFinite(square));
}
