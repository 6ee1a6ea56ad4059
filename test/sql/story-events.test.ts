import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SRM_EVENTS_OPTIONS,
  STORY_DATASETS,
  STORY_EVENTS_FOLDER,
  STORY_EVENTS_OPTIONS,
} from '../../scripts/generate-story-events.js';
import { experimentFromFile } from '../../src/cli/experiment-file.js';
import type { Evaluation } from '../../src/index.js';
import {
  DuckDbClient,
  duckdbDialect,
  EventsSchema,
  type GenerateEventsOptions,
  generateEvents,
  SqlDao,
  SYNTHETIC_DIMENSIONS,
  type SyntheticEvent,
} from '../../src/sql/index.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'fixtures', 'examples');
const COLUMNS = ['exp_id', 'exp_variant_id', 'unit_type', 'unit_id', 'date', 'goal', 'count', 'value'];

/** One event as a line of text: every column, the value's shortest round-trip spelling. */
function eventLine(event: Record<string, unknown>): string {
  return [...COLUMNS, ...SYNTHETIC_DIMENSIONS].map((column) => String(event[column])).join('|');
}

/** The rows of a Parquet file, in file order, as {@link eventLine}s. */
async function parquetLines(client: DuckDbClient, path: string): Promise<string[]> {
  const rows = await client.query(
    `SELECT ${[...COLUMNS, ...SYNTHETIC_DIMENSIONS].join(', ')} FROM read_parquet($1)`,
    [path],
  );
  return rows.map((row) => eventLine({ ...row, count: Number(row.count), value: Number(row.value) }));
}

/** Evaluates an experiment file from a Parquet file of events, as `ep-stats evaluate --events` does. */
async function evaluate(experimentFile: string, parquet: string): Promise<Evaluation> {
  const experiment = experimentFromFile(JSON.parse(readFileSync(join(EXAMPLES, experimentFile), 'utf8')));
  const client = await DuckDbClient.open();
  try {
    await client.query(`CREATE VIEW events AS SELECT * FROM read_parquet('${parquet}')`, []);
    const schema = new EventsSchema({ table: 'events', dimensions: SYNTHETIC_DIMENSIONS });
    const dao = new SqlDao({ client, dialect: duckdbDialect, schema });
    return experiment.evaluateAgg(await dao.getAggGoals(experiment));
  } finally {
    await client.close();
  }
}

/** The treatment `b`'s row of a metric. */
function treatment(evaluation: Evaluation, metricName: string) {
  const row = evaluation.metrics.find((r) => r.metricName === metricName && r.expVariantId === 'b');
  if (row === undefined) throw new Error(`no row of ${metricName}`);
  return row;
}

function srmPValue(evaluation: Evaluation): number {
  const row = evaluation.checks.find((r) => r.checkName === 'SRM' && r.variableId === 'p_value');
  if (row === undefined) throw new Error('no SRM p-value');
  return row.value;
}

/** The share of variant `b` among the exposed units. */
function shareOfB(evaluation: Evaluation): number {
  const units = (variant: string) =>
    evaluation.exposures.find((row) => row.expVariantId === variant)?.exposures ?? Number.NaN;
  return units('b') / (units('a') + units('b'));
}

const path = (file: string) => join(STORY_EVENTS_FOLDER, file);

describe('the checkout datasets (fixtures/events/checkout-*.parquet)', () => {
  let client: DuckDbClient;
  beforeAll(async () => {
    client = await DuckDbClient.open();
  });
  afterAll(() => client.close());

  it.each(STORY_DATASETS.map((dataset) => [dataset.file, dataset.options] as const))(
    '%s holds the rows that scripts/generate-story-events.ts writes',
    async (file: string, options: GenerateEventsOptions) => {
      const expected = generateEvents(options).map((event: SyntheticEvent) => eventLine({ ...event }));
      const actual = await parquetLines(client, path(file));
      expect(actual.length).toBe(expected.length);
      const first = actual.findIndex((line, index) => line !== expected[index]);
      expect(
        first === -1 ? undefined : { row: first, actual: actual[first], expected: expected[first] },
      ).toBe(undefined);
    },
    120_000,
  );

  it('stay small: the story at most 3 MB, the broken split at most 1 MB', () => {
    expect(statSync(path('checkout-story.parquet')).size).toBeLessThanOrEqual(3_000_000);
    expect(statSync(path('checkout-srm.parquet')).size).toBeLessThanOrEqual(1_000_000);
  });
});

describe('the checkout story (checkout-story.experiment.json)', () => {
  let evaluation: Evaluation;
  beforeAll(async () => {
    evaluation = await evaluate('checkout-story.experiment.json', path('checkout-story.parquet'));
  }, 60_000);

  it('evaluates every unit of the dataset, split evenly: the SRM check passes', () => {
    const units = evaluation.exposures.reduce((sum, row) => sum + row.exposures, 0);
    expect(units).toBe(STORY_EVENTS_OPTIONS.units);
    // An even split: the share of b within 3 standard errors of 1/2 (sd = sqrt(1/4 / n)).
    expect(Math.abs(shareOfB(evaluation) - 0.5)).toBeLessThan(3 * Math.sqrt(0.25 / units));
    expect(srmPValue(evaluation)).toBeGreaterThan(0.05);
  });

  it('the redesign converts clearly better: p < 0.001 and the interval of the lift well above 0', () => {
    const conversion = treatment(evaluation, 'Conversion rate');
    expect(conversion.pValue).toBeLessThan(0.001);
    expect(conversion.confidenceLower).toBeGreaterThan(0.03);
    expect(conversion.diff).toBeGreaterThan(0.05);
  });

  it('but refunds more: the guardrail is clearly worse (p < 0.01)', () => {
    const refunds = treatment(evaluation, 'Refunds per user (guardrail)');
    expect(refunds.diff).toBeGreaterThan(0);
    expect(refunds.confidenceLower).toBeGreaterThan(0);
    expect(refunds.pValue).toBeLessThan(0.01);
  });

  it('the button click-through rate, which the redesign does not touch, is inconclusive (p > 0.2)', () => {
    const clicks = treatment(evaluation, 'Button click-through rate');
    expect(clicks.pValue).toBeGreaterThan(0.2);
    expect(clicks.confidenceLower).toBeLessThan(0);
    expect(clicks.confidenceUpper).toBeGreaterThan(0);
  });

  it('revenue per user follows the conversions up', () => {
    expect(treatment(evaluation, 'Revenue per user').diff).toBeGreaterThan(0);
  });
});

describe('the broken split (checkout-srm.experiment.json)', () => {
  let evaluation: Evaluation;
  beforeAll(async () => {
    evaluation = await evaluate('checkout-srm.experiment.json', path('checkout-srm.parquet'));
  }, 60_000);

  it('fails the SRM check clearly (p < 1e-6): b has about 0.93 units per unit of a', () => {
    const units = evaluation.exposures.reduce((sum, row) => sum + row.exposures, 0);
    expect(units).toBe(SRM_EVENTS_OPTIONS.units);
    const weightOfB = 0.93;
    const planned = weightOfB / (1 + weightOfB);
    // The realised share of b lies within 4 standard errors of the broken split, not of 1/2.
    expect(Math.abs(shareOfB(evaluation) - planned)).toBeLessThan(
      4 * Math.sqrt((planned * (1 - planned)) / units),
    );
    expect(srmPValue(evaluation)).toBeLessThan(1e-6);
  });
});
