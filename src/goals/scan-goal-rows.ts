import type { GoalSlotIndex, GoalsOfType } from './goal-match-key.js';
import { GoalNamesSeen } from './goal-names-seen.js';
import type { RowReader } from './row-reader.js';

/** Which rows {@link scanGoalRows} visits. @internal */
export interface GoalRowScan {
  /** Variant ids; rows of other variants are skipped. */
  readonly variants: readonly string[];
  /** Dimension columns matched on. */
  readonly dimensions: readonly string[];
  /** When given, rows whose `exp_id` is present and differs are skipped and counted. */
  readonly expId?: string;
  /** When given, rows of this unit type, `exposureAggType` and goal `exposure` are visited as exposures. */
  readonly exposureUnitType?: string;
  /** Aggregation type of exposure rows: `global` in aggregated goals, `unit` in per-unit goals. */
  readonly exposureAggType: 'global' | 'unit';
}

/** What {@link scanGoalRows} found besides the rows it visited. @internal */
export interface GoalRowScanSummary {
  /** Rows skipped because their `exp_id` is another experiment's. */
  readonly foreignRows: number;
  /** Rows of the experiment skipped because their variant is not one of the variants. */
  readonly otherVariantRows: number;
  /** Rows of the experiment and of one of its variants (visited or not). */
  readonly rows: number;
  /** Exposure rows visited. */
  readonly exposureRows: number;
  /**
   * Unit types, aggregation types and goal names of the rows of the experiment's variants that matched no
   * goal slot; the caller adds the goals of the slots that rows matched.
   */
  readonly names: GoalNamesSeen;
}

/**
 * Reads every goal row once and visits those of a known variant that match a goal slot or are exposure
 * rows, with the row's variant index and slot (undefined for an exposure row of no needed goal).
 *
 * @remarks
 * Every row is checked for the `exp_id` column when any row has it: a row without it is an error, not a row
 * of the experiment.
 *
 * @returns How many rows were skipped, and the names of the rows that matched no goal.
 * @throws {@link DataError} for a row without a key column or without `exp_id` while other rows have it.
 * @internal
 */
export function scanGoalRows(
  reader: RowReader,
  slots: GoalSlotIndex,
  scan: GoalRowScan,
  visit: (row: number, variant: number, slot: number | undefined, isExposure: boolean) => void,
): GoalRowScanSummary {
  const variantIndex = new Map<string, number>();
  scan.variants.forEach((variant, index) => {
    if (!variantIndex.has(variant)) variantIndex.set(variant, index);
  });
  const expIdOf = scan.expId !== undefined ? reader.textIfPresent('exp_id') : undefined;
  const variantOf = reader.text('exp_variant_id');
  const unitTypeOf = reader.text('unit_type');
  const aggTypeOf = reader.text('agg_type');
  const goalOf = reader.text('goal');
  const dimensionsOf = scan.dimensions.map((name) => reader.optionalText(name));
  // The numbers of the distinct dimensions (a repeated name reads the same cell as its first occurrence).
  const distinct = scan.dimensions.flatMap((name, d) => (slots.dimensionNumber(name) === d ? [d] : []));
  const present = presentDimensions(reader, slots, scan.dimensions, distinct);
  const indices: number[] = [];
  const dimensionValues: string[] = [];
  const names = new GoalNamesSeen();
  // A text cell of a row object is read here directly (a getter of the reader costs a call and a read by a
  // variable key); any other cell, and every cell of column arrays, through the getters, which convert it or
  // throw: the same texts and errors, in the same order.
  const objects = reader.rowObjects();
  let foreign = 0;
  let otherVariant = 0;
  let exposureRows = 0;
  // The previous row's variant and its index, and its unit type and aggregation type and their goals: rows
  // come grouped, and comparing a text with the previous one is cheaper than looking it up.
  let lastVariantText: string | undefined;
  let lastVariant: number | undefined;
  let lastUnitType: string | undefined;
  let lastAggType: string | undefined;
  let goalsOfType: GoalsOfType | undefined;
  let exposureType = false;

  for (let row = 0; row < reader.length; row++) {
    const object = objects?.[row];
    if (expIdOf !== undefined) {
      const cell = object?.exp_id;
      const expId = typeof cell === 'string' ? cell : expIdOf(row);
      if (expId !== '' && expId !== scan.expId) {
        foreign++;
        continue;
      }
    }
    const variantCell = object?.exp_variant_id;
    const variantText = typeof variantCell === 'string' ? variantCell : variantOf(row);
    if (variantText !== lastVariantText) {
      lastVariant = variantIndex.get(variantText);
      lastVariantText = variantText;
    }
    const variant = lastVariant;
    const unitTypeCell = object?.unit_type;
    const unitType = typeof unitTypeCell === 'string' ? unitTypeCell : unitTypeOf(row);
    const aggTypeCell = object?.agg_type;
    const aggType = typeof aggTypeCell === 'string' ? aggTypeCell : aggTypeOf(row);
    const goalCell = object?.goal;
    const goalName = typeof goalCell === 'string' ? goalCell : goalOf(row);
    if (variant === undefined) {
      otherVariant++;
      continue;
    }
    let length = 0;
    const dimensionNumbers = present(row);
    for (let k = 0; k < dimensionNumbers.length; k++) {
      const d = dimensionNumbers[k]!;
      const cell = object === undefined ? dimensionsOf[d]!(row) : object[scan.dimensions[d]!];
      const value = typeof cell === 'string' ? cell : cell == null ? '' : dimensionsOf[d]!(row);
      if (value === '') continue;
      indices[length] = d;
      dimensionValues[length] = value;
      length++;
    }
    if (unitType !== lastUnitType || aggType !== lastAggType) {
      goalsOfType = slots.goalsOf(unitType, aggType);
      exposureType =
        scan.exposureUnitType !== undefined &&
        unitType === scan.exposureUnitType &&
        aggType === scan.exposureAggType;
      lastUnitType = unitType;
      lastAggType = aggType;
    }
    const slot = slots.lookupIn(goalsOfType, goalName, indices, dimensionValues, length);
    const isExposure = exposureType && goalName === 'exposure';
    if (slot === undefined) names.add(unitType, aggType, goalName);
    if (isExposure) exposureRows++;
    if (slot !== undefined || isExposure) visit(row, variant, slot, isExposure);
  }
  return {
    foreignRows: foreign,
    otherVariantRows: otherVariant,
    rows: reader.length - foreign - otherVariant,
    exposureRows,
    names,
  };
}

/** From how many dimensions on row objects are read by their own keys rather than every dimension's. */
const MANY_DIMENSIONS = 32;

/**
 * A function giving the numbers of the dimensions whose cells a row may have, ascending: every distinct
 * dimension, or, with many dimensions and a plain row object (prototype `Object.prototype` or `null`), those
 * among the row's own property names and the names `Object.prototype` has (a row reads them too), so that a
 * row costs its own cells rather than the experiment's dimensions. Either way the row's other dimension
 * cells are missing, i.e. empty, and every cell is read in dimension order as before (the same first error).
 */
function presentDimensions(
  reader: RowReader,
  slots: GoalSlotIndex,
  dimensions: readonly string[],
  distinct: readonly number[],
): (row: number) => readonly number[] {
  if (distinct.length < MANY_DIMENSIONS) return () => distinct;
  const inherited = distinct.filter((d) => dimensions[d]! in Object.prototype);
  const found: number[] = [];
  return (row) => {
    const object = reader.rowObject(row);
    if (object === undefined) return distinct;
    const prototype: unknown = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) return distinct;
    found.length = 0;
    for (const name of Object.getOwnPropertyNames(object)) {
      const d = slots.dimensionNumber(name);
      if (d !== undefined && !(name in Object.prototype)) found.push(d);
    }
    for (const d of inherited) found.push(d);
    return found.sort((a, b) => a - b);
  };
}
