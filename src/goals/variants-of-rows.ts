import { RowReader } from './row-reader.js';

/**
 * The sorted, unique variant ids of goal rows of one experiment, plus the control.
 *
 * @throws {@link DataError} for a row without `exp_variant_id`, or without `exp_id` while other rows have it.
 * @internal
 */
export function variantsOfRows(goals: unknown, expId: string, controlVariant: string): string[] {
  const reader = new RowReader(goals, ['exp_variant_id']);
  const expIdOf = reader.textIfPresent('exp_id');
  const variantOf = reader.text('exp_variant_id');
  const variants = new Set<string>([controlVariant]);
  for (let row = 0; row < reader.length; row++) {
    if (expIdOf !== undefined) {
      const rowExpId = expIdOf(row);
      if (rowExpId !== '' && rowExpId !== expId) continue;
    }
    variants.add(variantOf(row));
  }
  return [...variants].sort();
}
