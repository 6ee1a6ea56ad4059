import type { GoalSlotIndex } from './goal-match-key.js';
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

/**
 * Reads every goal row once and visits those of a known variant that match a goal slot or are exposure
 * rows, with the row's variant index and slot (undefined for an exposure row of no needed goal).
 *
 * @returns The number of rows skipped because they belong to another experiment.
 * @internal
 */
export function scanGoalRows(
  reader: RowReader,
  slots: GoalSlotIndex,
  scan: GoalRowScan,
  visit: (row: number, variant: number, slot: number | undefined, isExposure: boolean) => void,
): number {
  const variantIndex = new Map<string, number>();
  scan.variants.forEach((variant, index) => {
    if (!variantIndex.has(variant)) variantIndex.set(variant, index);
  });
  const expIdOf =
    scan.expId !== undefined && reader.hasColumn('exp_id') ? reader.optionalText('exp_id') : undefined;
  const variantOf = reader.text('exp_variant_id');
  const unitTypeOf = reader.text('unit_type');
  const aggTypeOf = reader.text('agg_type');
  const goalOf = reader.text('goal');
  const dimensionsOf = scan.dimensions.map((name) => reader.optionalText(name));
  const dimensionValues = new Array<string>(scan.dimensions.length);
  let foreign = 0;

  for (let row = 0; row < reader.length; row++) {
    if (expIdOf !== undefined) {
      const expId = expIdOf(row);
      if (expId !== '' && expId !== scan.expId) {
        foreign++;
        continue;
      }
    }
    const variant = variantIndex.get(variantOf(row));
    const unitType = unitTypeOf(row);
    const aggType = aggTypeOf(row);
    const goalName = goalOf(row);
    if (variant === undefined) continue;
    for (let d = 0; d < dimensionsOf.length; d++) dimensionValues[d] = dimensionsOf[d]!(row);
    const slot = slots.lookup(unitType, aggType, goalName, dimensionValues);
    const isExposure =
      scan.exposureUnitType !== undefined &&
      unitType === scan.exposureUnitType &&
      aggType === scan.exposureAggType &&
      goalName === 'exposure';
    if (slot !== undefined || isExposure) visit(row, variant, slot, isExposure);
  }
  return foreign;
}
