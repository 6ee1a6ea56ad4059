/**
 * Writes the demo events dataset: `fixtures/events/demo-events.csv` and its Parquet twin
 * `fixtures/events/demo-events.parquet` (`npx tsx scripts/generate-demo-events.ts`).
 *
 * A synthetic A/B/C test of 800 users over 10 days (seed 20240101) with 14 days of history before it (for
 * CUPED): variant `b` has 20 % more clicks and 15 % more conversions, variant `c` 10 % higher conversion values
 * and 50 % more refunds. See `docs/sql.md`
 * for the events schema and `generateEvents` for the model. `test/sql/demo-events.test.ts` checks that the
 * committed files are what this script writes.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type GenerateEventsOptions,
  generateEvents,
  SYNTHETIC_DIMENSIONS,
  writeEventsCsv,
  writeEventsParquet,
} from '../src/sql/index.js';

/** The options of the committed dataset. */
export const DEMO_EVENTS_OPTIONS: GenerateEventsOptions = {
  seed: 20240101,
  units: 800,
  days: 10,
  expId: 'demo',
  unitType: 'user',
  startDate: '2024-01-01',
  preDays: 14,
  variants: [
    { id: 'a' },
    { id: 'b', effects: { clicks: 0.2, conversions: 0.15 } },
    { id: 'c', effects: { value: 0.1, refunds: 0.5 } },
  ],
};

/** Where the dataset lives. */
export const DEMO_EVENTS_FOLDER = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  'fixtures',
  'events',
);

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const events = generateEvents(DEMO_EVENTS_OPTIONS);
  mkdirSync(DEMO_EVENTS_FOLDER, { recursive: true });
  writeEventsCsv(events, join(DEMO_EVENTS_FOLDER, 'demo-events.csv'), SYNTHETIC_DIMENSIONS);
  await writeEventsParquet(events, join(DEMO_EVENTS_FOLDER, 'demo-events.parquet'), SYNTHETIC_DIMENSIONS);
  console.log(`wrote ${events.length} events to ${DEMO_EVENTS_FOLDER}`);
}
