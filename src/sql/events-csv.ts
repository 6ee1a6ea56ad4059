import { writeFileSync } from 'node:fs';
import type { EventRecord } from './event-record.js';
import { EVENT_COLUMNS } from './events-schema.js';

/** A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
function field(cell: string | number | null | undefined): string {
  const text = cell === null || cell === undefined ? '' : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Events as CSV text: a header with the fixed columns then the dimensions, one line per event.
 *
 * @remarks
 * Fields are quoted (RFC 4180) only when they contain a comma, a quote or a line break; null cells are
 * empty; lines end with `\n`.
 *
 * @param events - The events.
 * @param dimensions - The dimension columns, in order.
 * @returns The CSV text.
 *
 * @example
 * ```ts
 * import { eventsToCsv } from 'ep-stats/sql';
 * const csv = eventsToCsv([
 *   { exp_id: 'e1', exp_variant_id: 'a', unit_type: 'user', unit_id: '1', date: '2024-01-01', goal: 'click', count: 1, value: 0, element: 'a,b' },
 * ], ['element']);
 * csv; // => 'exp_id,exp_variant_id,unit_type,unit_id,date,goal,count,value,element\ne1,a,user,1,2024-01-01,click,1,0,"a,b"\n'
 * ```
 * @public
 */
export function eventsToCsv(events: readonly EventRecord[], dimensions: readonly string[]): string {
  const columns = [...EVENT_COLUMNS, ...dimensions];
  const lines = [columns.join(',')];
  for (const event of events) lines.push(columns.map((column) => field(event[column])).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Writes events to a CSV file (see {@link eventsToCsv}).
 *
 * @param events - The events.
 * @param path - The file to (over)write.
 * @param dimensions - The dimension columns, in order.
 *
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { generateEvents, writeEventsCsv, SYNTHETIC_DIMENSIONS } from 'ep-stats/sql';
 * const path = join(mkdtempSync(join(tmpdir(), 'events-')), 'events.csv');
 * writeEventsCsv(generateEvents({ seed: 1, units: 10, days: 2, variants: [{ id: 'a' }] }), path, SYNTHETIC_DIMENSIONS);
 * readFileSync(path, 'utf8').split('\n')[0]; // => 'exp_id,exp_variant_id,unit_type,unit_id,date,goal,count,value,element,product,country'
 * ```
 * @public
 */
export function writeEventsCsv(
  events: readonly EventRecord[],
  path: string,
  dimensions: readonly string[],
): void {
  writeFileSync(path, eventsToCsv(events, dimensions));
}
