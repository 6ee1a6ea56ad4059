import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/**
 * Exposure events per variant (a, b, c) of the bundled demo events, counted from the CSV itself, so that
 * tests of what the program reports follow the committed data.
 */
export function demoExposures(): number[] {
  const csv = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'events', 'demo-events.csv'));
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  return ['a', 'b', 'c'].map(
    (variant) =>
      rows.filter((row) => row.exp_id === 'demo' && row.goal === 'exposure' && row.exp_variant_id === variant)
        .length,
  );
}
