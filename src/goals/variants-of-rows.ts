import { RowReader } from './row-reader.js';

/** A value no cell holds, so that the first row is never taken for a repetition. */
const NO_CELL = Symbol('no cell');

/**
 * The sorted, unique variant ids of goal rows of one experiment, plus the control.
 *
 * @remarks
 * A cell equal to the previous row's cell of its column is not read again (same text, already checked), so
 * sorted or grouped data costs a comparison per row.
 *
 * @throws {@link DataError} for a row without `exp_variant_id`, or without `exp_id` while other rows have it.
 * @internal
 */
export function variantsOfRows(goals: unknown, expId: string, controlVariant: string): string[] {
  const reader = new RowReader(goals, ['exp_variant_id']);
  const expIdOf = reader.textIfPresent('exp_id');
  const variantOf = reader.text('exp_variant_id');
  const expIdCell = reader.cells('exp_id');
  const variantCell = reader.cells('exp_variant_id');
  const variants = new Set<string>([controlVariant]);
  let lastExpIdCell: unknown = NO_CELL;
  let foreign = false;
  let lastVariantCell: unknown = NO_CELL;
  for (let row = 0; row < reader.length; row++) {
    if (expIdOf !== undefined) {
      const cell = expIdCell(row);
      if (cell !== lastExpIdCell) {
        const rowExpId = expIdOf(row);
        foreign = rowExpId !== '' && rowExpId !== expId;
        lastExpIdCell = cell;
      }
      if (foreign) continue;
    }
    const cell = variantCell(row);
    if (cell === lastVariantCell) continue;
    variants.add(variantOf(row));
    lastVariantCell = cell;
  }
  return [...variants].sort();
}
