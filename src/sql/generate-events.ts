import { ValidationError } from '../index.js';
import type { EventRecord } from './event-record.js';
import { SeededRandom } from './seeded-random.js';

/**
 * The true effects of a variant: relative changes of the base rates (`0.1` = 10 % more, `-0.05` = 5 % less).
 *
 * @example
 * ```ts
 * import type { VariantEffects } from 'ep-stats/sql';
 * const effects: VariantEffects = { clicks: 0.1, value: -0.05 };
 * effects.clicks; // => 0.1
 * ```
 * @public
 */
export interface VariantEffects {
  /** Views per active day. */
  readonly views?: number;
  /** Probability that a view is clicked. */
  readonly clicks?: number;
  /** Probability of a conversion per active day. */
  readonly conversions?: number;
  /** Conversion values. */
  readonly value?: number;
  /** Probability that a conversion is refunded. */
  readonly refunds?: number;
}

/**
 * A variant of a synthetic experiment.
 *
 * @example
 * ```ts
 * import type { SyntheticVariant } from 'ep-stats/sql';
 * const variant: SyntheticVariant = { id: 'b', weight: 1, effects: { conversions: 0.2 } };
 * variant.id; // => 'b'
 * ```
 * @public
 */
export interface SyntheticVariant {
  readonly id: string;
  /** Share of units, relative to the other variants' weights (default 1). */
  readonly weight?: number;
  readonly effects?: VariantEffects;
}

/**
 * Options of {@link generateEvents}.
 *
 * @example
 * ```ts
 * import type { GenerateEventsOptions } from 'ep-stats/sql';
 * const options: GenerateEventsOptions = { seed: 1, units: 100, days: 7, variants: [{ id: 'a' }, { id: 'b' }] };
 * options.days; // => 7
 * ```
 * @public
 */
export interface GenerateEventsOptions {
  /** Seed of the pseudo-random generator: same options, same events. */
  readonly seed: number;
  /** Number of units. */
  readonly units: number;
  /** Number of days of the experiment. */
  readonly days: number;
  readonly variants: readonly SyntheticVariant[];
  /** Experiment id (default `demo`). */
  readonly expId?: string;
  /** Unit type (default `user`). */
  readonly unitType?: string;
  /** First day, `YYYY-MM-DD` (default `2024-01-01`). */
  readonly startDate?: string;
  /**
   * Days of history before `startDate` (default 0: none). With history, units differ in how active they are
   * (a per-unit propensity that scales views, the conversion probability and order values in both periods, so that a unit's
   * history predicts its behaviour in the experiment, as CUPED expects) and have events on the `preDays` days
   * before the start, without experiment and variant (`exp_id` and `exp_variant_id` empty).
   */
  readonly preDays?: number;
}

/**
 * One generated event: the fixed columns plus the dimensions `element`, `product` and `country` (`''` where
 * the event has none).
 *
 * @example
 * ```ts
 * import type { SyntheticEvent } from 'ep-stats/sql';
 * const event: SyntheticEvent = {
 *   exp_id: 'demo', exp_variant_id: 'a', unit_type: 'user', unit_id: '1', date: '2024-01-01', goal: 'exposure',
 *   count: 1, value: 0, element: '', product: '', country: 'CZ',
 * };
 * event.goal; // => 'exposure'
 * ```
 * @public
 */
export interface SyntheticEvent extends EventRecord {
  readonly date: string;
  readonly element: string;
  readonly product: string;
  readonly country: string;
}

/**
 * The dimension columns of {@link SyntheticEvent}.
 *
 * @example
 * ```ts
 * import { SYNTHETIC_DIMENSIONS } from 'ep-stats/sql';
 * SYNTHETIC_DIMENSIONS; // => ['element', 'product', 'country']
 * ```
 * @public
 */
export const SYNTHETIC_DIMENSIONS: readonly string[] = Object.freeze(['element', 'product', 'country']);

const COUNTRIES = ['CZ', 'DE', 'FR', 'SK', 'US'];
const COUNTRY_WEIGHTS = [4, 2, 1, 1, 2];
const ELEMENTS = ['button-1', 'button-2', 'button-10', 'link-1'];
const PRODUCTS = ['1', '2', '3', '10', 'p-1', 'p_1'];
const RETURN_PROBABILITY = 0.3;
const VIEWS_PER_DAY = 2;
const CLICK_PROBABILITY = 0.15;
const CONVERSION_PROBABILITY = 0.05;
const REFUND_PROBABILITY = 0.1;
const LOG_VALUE_MEAN = 3.5;
const LOG_VALUE_SIGMA = 0.9;

type PushEvent = (
  day: number,
  goal: string,
  count: number,
  value: number,
  dimensions: Partial<SyntheticEvent>,
) => void;

/** The events of one active day of a unit: views, clicks, a conversion and its refund. */
function activeDay(
  random: SeededRandom,
  day: number,
  effect: (name: keyof VariantEffects) => number,
  propensity: number,
  push: PushEvent,
): void {
  const views = new Map<string, number>();
  const viewCount = random.poisson(VIEWS_PER_DAY * effect('views') * propensity);
  for (let view = 0; view < viewCount; view++) {
    const element = ELEMENTS[random.integer(ELEMENTS.length)]!;
    const product = PRODUCTS[random.integer(PRODUCTS.length)]!;
    const key = `${element}\u0000${product}`;
    views.set(key, (views.get(key) ?? 0) + 1);
    if (random.next() < CLICK_PROBABILITY * effect('clicks')) push(day, 'click', 1, 0, { element, product });
  }
  for (const [key, count] of views) {
    const [element, product] = key.split('\u0000');
    push(day, 'view', count, 0, { element, product });
  }
  if (random.next() < CONVERSION_PROBABILITY * effect('conversions') * propensity) {
    const product = PRODUCTS[random.integer(PRODUCTS.length)]!;
    const value =
      Math.round(
        Math.exp(LOG_VALUE_MEAN + LOG_VALUE_SIGMA * random.normal()) * effect('value') * propensity * 100,
      ) / 100;
    push(day, 'conversion', 1, value, { product });
    if (random.next() < REFUND_PROBABILITY * effect('refunds')) push(day, 'refund', 1, value, { product });
  }
}

function validate(options: GenerateEventsOptions): void {
  const positive = (value: unknown, name: string) => {
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new ValidationError(`\`${name}\` must be a positive integer, received ${String(value)}`, [name]);
    }
  };
  if (!Number.isSafeInteger(options.seed)) {
    throw new ValidationError(`\`seed\` must be an integer, received ${String(options.seed)}`, ['seed']);
  }
  positive(options.units, 'units');
  positive(options.days, 'days');
  if (options.preDays !== undefined && options.preDays !== 0) positive(options.preDays, 'preDays');
  if (options.variants.length === 0) throw new ValidationError('`variants` must not be empty', ['variants']);
  options.variants.forEach((variant, index) => {
    if (options.variants.findIndex((other) => other.id === variant.id) !== index) {
      throw new ValidationError(`Variant id \`${variant.id}\` appears more than once`, [
        'variants',
        index,
        'id',
      ]);
    }
    if (!((variant.weight ?? 1) > 0)) {
      throw new ValidationError(`Variant weights must be positive, received ${String(variant.weight)}`, [
        'variants',
        index,
        'weight',
      ]);
    }
    for (const [name, effect] of Object.entries(variant.effects ?? {})) {
      if (!(typeof effect === 'number' && effect > -1)) {
        throw new ValidationError(
          `Effects are relative changes greater than -1, received ${String(effect)}`,
          ['variants', index, 'effects', name],
        );
      }
    }
  });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate ?? '2024-01-01')) {
    throw new ValidationError(`\`startDate\` must be YYYY-MM-DD, received ${options.startDate}`, [
      'startDate',
    ]);
  }
}

/**
 * Generates the events of a synthetic A/B test, reproducibly from a seed.
 *
 * @remarks
 * Each unit (ids `1`, `2`, ...) is assigned a variant (by weight) and a country, and is exposed once, on a
 * uniformly drawn first day (goal `exposure`, dimension `country`). From that day on it is active on its
 * first day and on each later day with probability 0.3. On an active day it has Poisson(2 × (1 + views))
 * views, written as one `view` row per (element, product) with the number of views in `count`; each view is
 * clicked (a `click` row of count 1 with the view's element and product) with probability
 * 0.15 × (1 + clicks); it converts with probability 0.05 × (1 + conversions) (a `conversion` row with a
 * product and a log-normal value exp(3.5 + 0.9 Z) × (1 + value), rounded to cents), and a conversion is
 * refunded the same day with probability 0.1 × (1 + refunds) (a `refund` row with the same product and
 * value). With `preDays`, each unit's propensity exp(0.8 Z - 0.32) (mean 1, drawn from a second generator, so
 * that without `preDays` the events are exactly those of earlier versions) multiplies its view rate,
 * conversion probability and order values, and the same model (without variant effects) writes its events
 * on each of the `preDays` earlier days with probability 0.3. Elements: `button-1`, `button-2`, `button-10`, `link-1`; products: `1`, `2`, `3`, `10`, `p-1`,
 * `p_1`; countries: CZ, DE, FR, SK, US. Events without value have value 0. Rows are sorted by date, then
 * unit.
 *
 * @param options - Seed, size, variants and their effects.
 * @returns The events.
 * @throws `ValidationError` for a non-integer seed, non-positive sizes, no or duplicate variants,
 *   non-positive weights, effects of -1 or less, or a malformed start date.
 *
 * @example
 * ```ts
 * import { generateEvents } from 'ep-stats/sql';
 * const options = { seed: 7, units: 50, days: 5, variants: [{ id: 'a' }, { id: 'b', effects: { clicks: 0.5 } }] };
 * const events = generateEvents(options);
 * events.filter((event) => event.goal === 'exposure').length; // => 50
 * JSON.stringify(generateEvents(options)) === JSON.stringify(events); // => true
 * ```
 * @public
 */
export function generateEvents(options: GenerateEventsOptions): SyntheticEvent[] {
  validate(options);
  const random = new SeededRandom(options.seed);
  const expId = options.expId ?? 'demo';
  const unitType = options.unitType ?? 'user';
  const start = Date.parse(`${options.startDate ?? '2024-01-01'}T00:00:00Z`);
  const dateOf = (day: number) => new Date(start + day * 86_400_000).toISOString().slice(0, 10);
  const weights = options.variants.map((variant) => variant.weight ?? 1);
  const events: { day: number; unit: number; event: SyntheticEvent }[] = [];
  const preDays = options.preDays ?? 0;
  const history = preDays > 0 ? new SeededRandom(options.seed ^ 0x5eed) : undefined;

  for (let unit = 1; unit <= options.units; unit++) {
    const variant = options.variants[random.weighted(weights)]!;
    const effect = (name: keyof VariantEffects) => 1 + (variant.effects?.[name] ?? 0);
    const country = COUNTRIES[random.weighted(COUNTRY_WEIGHTS)]!;
    const firstDay = random.integer(options.days);
    // Events of the experiment, and of the history before it (no experiment, no variant).
    const pusher =
      (exp: { exp_id: string; exp_variant_id: string }): PushEvent =>
      (day, goal, count, value, dimensions) =>
        events.push({
          day,
          unit,
          event: {
            ...exp,
            unit_type: unitType,
            unit_id: String(unit),
            date: dateOf(day),
            goal,
            count,
            value,
            element: '',
            product: '',
            country: '',
            ...dimensions,
          },
        });
    const push = pusher({ exp_id: expId, exp_variant_id: variant.id });
    const propensity = history === undefined ? 1 : Math.exp(0.8 * history.normal() - 0.32);
    if (history !== undefined) {
      const pushHistory = pusher({ exp_id: '', exp_variant_id: '' });
      for (let day = -preDays; day < 0; day++) {
        if (history.next() >= RETURN_PROBABILITY) continue;
        activeDay(history, day, () => 1, propensity, pushHistory);
      }
    }
    push(firstDay, 'exposure', 1, 0, { country });
    for (let day = firstDay; day < options.days; day++) {
      if (day > firstDay && random.next() >= RETURN_PROBABILITY) continue;
      activeDay(random, day, effect, propensity, push);
    }
  }
  events.sort((a, b) => a.day - b.day || a.unit - b.unit);
  return events.map(({ event }) => event);
}
