import type { SharedUnits } from './goal-table-diagnostics.js';
import type { RowReader } from './row-reader.js';
import type { UnitGroup } from './unit-group.js';
import type { UnitIds } from './unit-ids.js';

/** The rows to read and where they go, as the first pass over the rows found them. @internal */
export interface RowTargets {
  /** Per row, `slot * variantCount + variant + 1`, or 0 for a row not read. */
  readonly targets: Uint8Array | Uint16Array | Int32Array;
  readonly variantCount: number;
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
 * The second pass over the rows: finds every read row's unit in its group and adds its `count` and
 * `sum_value` to the unit's totals (the columns the group keeps), and the unit ids found in several variants.
 *
 * @remarks
 * Cells were checked by the first pass. Per (slot, variant), the sums of the rows' absolute counts and values
 * bound the squared per-unit totals, so that only a cell beyond {@link SAFE_SUM} needs its squares summed
 * ({@link squaresOverflow}).
 *
 * @internal
 */
export function accumulateUnitTotals(
  reader: RowReader,
  unitIds: UnitIds,
  rows: RowTargets,
): UnitTotalsSummary {
  const { targets, variantCount, groupOfSlot, totalsOfSlot } = rows;
  const cells = groupOfSlot.length * variantCount + 1;
  const slotOfTarget = Int32Array.from({ length: cells }, (_, target) =>
    Math.floor((target - 1) / variantCount),
  );
  const variantOfTarget = Int32Array.from({ length: cells }, (_, target) => (target - 1) % variantCount);
  const countBound = new Float64Array(cells);
  const sumBound = new Float64Array(cells);
  const countOf = numbers(reader, 'count', reader.nonNegativeNumber('count'));
  const sumValueOf = numbers(reader, 'sum_value', reader.number('sum_value'));
  // Per unit type: the unit ids found in more than one variant.
  const shared = new Map<string, { ids: Set<string>; example: string }>();
  for (let row = 0; row < targets.length; row++) {
    const target = targets[row]!;
    if (target === 0) continue;
    const slot = slotOfTarget[target]!;
    const group = groupOfSlot[slot]!;
    let unit = unitIds.unitOf(group, variantOfTarget[target]!, row);
    if (unit < 0) {
      // The unit id was first found in another variant: a unit of its own, and one to warn about.
      unit = ~unit;
      const unitId = unitIds.text(row);
      const ofUnitType = shared.get(group.unitType);
      if (ofUnitType === undefined) shared.set(group.unitType, { ids: new Set([unitId]), example: unitId });
      else ofUnitType.ids.add(unitId);
    }
    const count = countOf(row);
    const value = sumValueOf(row);
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

/** A getter of a number column checked by the first pass: a typed array is read directly. */
function numbers(reader: RowReader, column: string, read: (row: number) => number): (row: number) => number {
  const cells = reader.column(column);
  if (cells instanceof Float64Array || cells instanceof Int32Array) return (row) => cells[row]!;
  return read;
}
