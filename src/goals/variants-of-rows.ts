import { RowReader } from './row-reader.js';

/**
 * The sorted, unique variant ids of goal rows of one experiment, plus the control.
 *
 * @internal
 */
export function variantsOfRows(goals: unknown, expId: string, controlVariant: string): string[] {
  const reader = new RowReader(goals, ['exp_variant_id']);
  const checkExpId = reader.hasColumn('exp_id');
  const variants = new Set<string>([controlVariant]);
  for (let row = 0; row < reader.length; row++) {
    if (checkExpId) {
      const rowExpId = reader.optionalText(row, 'exp_id');
      if (rowExpId !== '' && rowExpId !== expId) continue;
    }
    variants.add(reader.text(row, 'exp_variant_id'));
  }
  return [...variants].sort();
}
