import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_EVENTS_OPTIONS } from '../../scripts/generate-demo-events.js';
import { Experiment, Metric, ValidationError } from '../../src/index.js';
import {
  createEventsTable,
  DuckDbClient,
  duckdbDialect,
  eventsToCsv,
  generateEvents,
  SqlDao,
  SYNTHETIC_DIMENSIONS,
} from '../../src/sql/index.js';
import { DEMO_EVENTS_CSV, DEMO_EVENTS_PARQUET } from './support/event-tables.js';

const twoVariants = [{ id: 'a' }, { id: 'b' }];

describe('generateEvents', () => {
  it('is reproducible from its seed, and another seed gives other events', () => {
    const options = { seed: 42, units: 300, days: 7, variants: twoVariants };
    expect(generateEvents(options)).toEqual(generateEvents(options));
    expect(generateEvents({ ...options, seed: 43 })).not.toEqual(generateEvents(options));
  });

  it('exposes every unit exactly once, within the days, and sorts rows by date', () => {
    const events = generateEvents({
      seed: 1,
      units: 500,
      days: 5,
      variants: twoVariants,
      startDate: '2023-12-30',
    });
    const exposures = events.filter((event) => event.goal === 'exposure');
    expect(exposures).toHaveLength(500);
    expect(new Set(exposures.map((event) => event.unit_id)).size).toBe(500);
    const dates = events.map((event) => event.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates)).toEqual(
      new Set(['2023-12-30', '2023-12-31', '2024-01-01', '2024-01-02', '2024-01-03']),
    );
    expect(new Set(events.map((event) => event.goal))).toEqual(
      new Set(['exposure', 'view', 'click', 'conversion', 'refund']),
    );
  });

  it('gives each goal its dimensions, positive cent values to conversions and refunds', () => {
    const events = generateEvents({ seed: 2, units: 1000, days: 5, variants: twoVariants });
    for (const event of events) {
      const has = SYNTHETIC_DIMENSIONS.filter((name) => event[name] !== '');
      const expected = {
        exposure: ['country'],
        view: ['element', 'product'],
        click: ['element', 'product'],
        conversion: ['product'],
        refund: ['product'],
      };
      expect(has).toEqual(expected[event.goal as keyof typeof expected]);
      if (event.goal === 'conversion' || event.goal === 'refund') {
        expect(event.value).toBeGreaterThan(0);
        expect(Math.round(event.value * 100) / 100).toBe(event.value);
      } else {
        expect(event.value).toBe(0);
      }
    }
  });

  it('splits units by weight and realises the configured true effects', () => {
    const events = generateEvents({
      seed: 3,
      units: 20_000,
      days: 3,
      variants: [
        { id: 'a', weight: 1 },
        { id: 'b', weight: 3, effects: { clicks: 1, value: 1 } },
      ],
    });
    const units = (variant: string) =>
      events.filter((e) => e.goal === 'exposure' && e.exp_variant_id === variant).length;
    expect(units('b') / (units('a') + units('b'))).toBeCloseTo(0.75, 1);
    const perUnit = (variant: string, goal: string, field: 'count' | 'value') =>
      events
        .filter((e) => e.goal === goal && e.exp_variant_id === variant)
        .reduce((sum, e) => sum + e[field], 0) / units(variant);
    // clicks: +100 % of 0.15 per view; values: +100 % (log-normal mean exp(3.5 + 0.9²/2) = 49.6 per conversion)
    expect(perUnit('b', 'click', 'count') / perUnit('a', 'click', 'count')).toBeCloseTo(2, 0);
    const meanValue = (variant: string) =>
      perUnit(variant, 'conversion', 'value') / perUnit(variant, 'conversion', 'count');
    expect(meanValue('a')).toBeGreaterThan(40);
    expect(meanValue('a')).toBeLessThan(60);
    expect(meanValue('b') / meanValue('a')).toBeCloseTo(2, 0);
  });

  it('with preDays: history without experiment or variant before the start, linked to the experiment', () => {
    const options = { seed: 5, units: 2_000, days: 7, variants: twoVariants, startDate: '2024-01-01' };
    const withHistory = generateEvents({ ...options, preDays: 14 });
    const history = withHistory.filter((event) => event.exp_id === '');
    expect(history.every((event) => event.exp_variant_id === '' && event.date < '2024-01-01')).toBe(true);
    expect(history.every((event) => event.date >= '2023-12-18')).toBe(true);
    expect(history.some((event) => event.date === '2023-12-18')).toBe(true);
    expect(history.some((event) => event.goal === 'exposure')).toBe(false);
    const exposed = withHistory.filter((event) => event.goal === 'exposure').map((event) => event.unit_id);
    expect(new Set(exposed).size).toBe(2_000);
    expect(exposed).toHaveLength(2_000);
    // The propensity links the periods: the correlation of per-unit views before and during the experiment is
    // clearly positive (without history, units are alike and it is about 0).
    const viewsPerUnit = (events: typeof withHistory, before: boolean) => {
      const totals = new Map<string, number>();
      for (const event of events) {
        if (event.goal === 'view' && (event.exp_id === '') === before)
          totals.set(event.unit_id, (totals.get(event.unit_id) ?? 0) + event.count);
      }
      return Array.from({ length: 2_000 }, (_, i) => totals.get(String(i + 1)) ?? 0);
    };
    const x = viewsPerUnit(withHistory, true);
    const y = viewsPerUnit(withHistory, false);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const [mx, my] = [mean(x), mean(y)];
    const cov = mean(x.map((v, i) => (v - mx) * (y[i]! - my)));
    const rho = cov / Math.sqrt(mean(x.map((v) => (v - mx) ** 2)) * mean(y.map((v) => (v - my) ** 2)));
    expect(rho).toBeGreaterThan(0.2);
    expect(() => generateEvents({ ...options, preDays: 1.5 })).toThrow(ValidationError);
  });

  it('rejects invalid options with a ValidationError at their path', () => {
    const valid = { seed: 1, units: 10, days: 2, variants: twoVariants };
    const pathOf = (options: Parameters<typeof generateEvents>[0]) => {
      try {
        generateEvents(options);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).path;
      }
      throw new Error('no error');
    };
    expect(pathOf({ ...valid, seed: 1.5 })).toEqual(['seed']);
    expect(pathOf({ ...valid, units: 0 })).toEqual(['units']);
    expect(pathOf({ ...valid, days: -1 })).toEqual(['days']);
    expect(pathOf({ ...valid, variants: [] })).toEqual(['variants']);
    expect(pathOf({ ...valid, variants: [{ id: 'a' }, { id: 'a' }] })).toEqual(['variants', 1, 'id']);
    expect(pathOf({ ...valid, variants: [{ id: 'a', weight: 0 }] })).toEqual(['variants', 0, 'weight']);
    expect(pathOf({ ...valid, variants: [{ id: 'a', effects: { clicks: -1 } }] })).toEqual([
      'variants',
      0,
      'effects',
      'clicks',
    ]);
    expect(pathOf({ ...valid, startDate: '1.1.2024' })).toEqual(['startDate']);
  });

  it('makes data in which the SQL finds the planted effect on clicks', async () => {
    const events = generateEvents({
      seed: 4,
      units: 4000,
      days: 4,
      variants: [{ id: 'a' }, { id: 'b', effects: { clicks: 0.5 } }],
    });
    const client = await DuckDbClient.open();
    const schema = await createEventsTable(client, duckdbDialect, events, {
      table: 'events',
      dimensions: SYNTHETIC_DIMENSIONS,
    });
    const dao = new SqlDao({ client, dialect: duckdbDialect, schema });
    const experiment = new Experiment({
      id: 'demo',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [
        new Metric({
          id: 1,
          name: 'Clicks per view',
          nominator: 'count(user.unit.click)',
          denominator: 'count(user.unit.view)',
        }),
      ],
    });
    const [, b] = experiment.evaluateAgg(await dao.getAggGoals(experiment)).metrics;
    expect(b?.diff).toBeGreaterThan(0.3);
    expect(b?.diff).toBeLessThan(0.7);
    expect(b?.pValue).toBeLessThan(1e-6);
    await dao.close();
  });
});

describe('the committed demo dataset (fixtures/events)', () => {
  const events = generateEvents(DEMO_EVENTS_OPTIONS);

  it('is what scripts/generate-demo-events.ts writes: a few thousand rows, under 1 MB', () => {
    const csv = readFileSync(DEMO_EVENTS_CSV, 'utf8');
    expect(csv).toBe(eventsToCsv(events, SYNTHETIC_DIMENSIONS));
    expect(events.length).toBeGreaterThan(2000);
    expect(events.length).toBeLessThan(20_000);
    expect(Buffer.byteLength(csv)).toBeLessThan(1_000_000);
  });

  it('has a Parquet twin with the same rows', async () => {
    const client = await DuckDbClient.open();
    const rows = await client.query(
      'SELECT exp_id, exp_variant_id, unit_type, unit_id, date, goal, count, value, element, product, country FROM read_parquet($1)',
      [DEMO_EVENTS_PARQUET],
    );
    await client.close();
    expect(rows.map((row) => ({ ...row, count: Number(row.count) }))).toEqual(events);
  });
});
