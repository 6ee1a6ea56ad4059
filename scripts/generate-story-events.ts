/**
 * Writes the checkout story datasets, Parquet only (`npx tsx scripts/generate-story-events.ts`):
 *
 * - `fixtures/events/checkout-story.parquet`: an A/B test of a checkout redesign (experiment
 *   `checkout-redesign`, control `a`, treatment `b`) with 60,000 users over 14 days from 2024-03-04. The
 *   redesign lifts the conversion probability by 12 % but a conversion is refunded 25 % more often, and it
 *   does not touch clicks: the conversion rate is clearly better, the refunds guardrail clearly worse, the
 *   button click-through rate inconclusive, and the split is sound.
 * - `fixtures/events/checkout-srm.parquet`: the same experiment (`checkout-redesign-srm`, 25,000 users) with a
 *   broken split: `b` gets 0.93 units for every unit of `a`, which the SRM check flags.
 *
 * Their experiment files are `fixtures/examples/checkout-story.experiment.json` and
 * `fixtures/examples/checkout-srm.experiment.json`; `generateEvents` describes the model and
 * `test/sql/story-events.test.ts` checks that the committed files are what this script writes and that
 * the story holds.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type GenerateEventsOptions,
  generateEvents,
  SYNTHETIC_DIMENSIONS,
  type VariantEffects,
  writeEventsParquet,
} from '../src/sql/index.js';

/** The true effects of the redesign: more conversions, more of them refunded, clicks unchanged. */
export const CHECKOUT_REDESIGN_EFFECTS: VariantEffects = { conversions: 0.12, refunds: 0.25 };

/** The options of `checkout-story.parquet`: an even split, a story that the evaluation tells. */
export const STORY_EVENTS_OPTIONS: GenerateEventsOptions = {
  seed: 20240311,
  units: 60_000,
  days: 14,
  expId: 'checkout-redesign',
  unitType: 'user',
  startDate: '2024-03-04',
  variants: [{ id: 'a' }, { id: 'b', effects: CHECKOUT_REDESIGN_EFFECTS }],
};

/** The options of `checkout-srm.parquet`: the same test with a broken split (a : b = 1 : 0.93). */
export const SRM_EVENTS_OPTIONS: GenerateEventsOptions = {
  seed: 20240305,
  units: 25_000,
  days: 14,
  expId: 'checkout-redesign-srm',
  unitType: 'user',
  startDate: '2024-03-04',
  variants: [
    { id: 'a', weight: 1 },
    { id: 'b', weight: 0.93, effects: CHECKOUT_REDESIGN_EFFECTS },
  ],
};

/** Where the datasets live. */
export const STORY_EVENTS_FOLDER = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  'fixtures',
  'events',
);

/** Each dataset's file name (in {@link STORY_EVENTS_FOLDER}) and options. */
export const STORY_DATASETS: readonly { readonly file: string; readonly options: GenerateEventsOptions }[] = [
  { file: 'checkout-story.parquet', options: STORY_EVENTS_OPTIONS },
  { file: 'checkout-srm.parquet', options: SRM_EVENTS_OPTIONS },
];

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(STORY_EVENTS_FOLDER, { recursive: true });
  for (const { file, options } of STORY_DATASETS) {
    const events = generateEvents(options);
    await writeEventsParquet(events, join(STORY_EVENTS_FOLDER, file), SYNTHETIC_DIMENSIONS);
    console.log(`wrote ${events.length} events to ${join(STORY_EVENTS_FOLDER, file)}`);
  }
}
