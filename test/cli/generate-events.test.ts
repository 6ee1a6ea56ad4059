import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbClient, eventsToCsv, generateEvents, SYNTHETIC_DIMENSIONS } from '../../src/sql/index.js';
import { parseJsonWithNonFinite, ROOT, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-cli-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A two-variant experiment on generated events: clicks per exposed user, and an SRM check. */
const EXPERIMENT = {
  id: 'round-trip',
  control_variant: 'a',
  variants: ['a', 'b'],
  unit_type: 'session',
  metrics: [
    {
      id: 1,
      name: 'Clicks per session',
      nominator: 'count(session.unit.click)',
      denominator: 'count(session.global.exposure)',
    },
  ],
  checks: [{ id: 1, name: 'SRM', type: 'SRM', denominator: 'count(session.global.exposure)' }],
};

const OPTIONS = [
  '--units',
  '300',
  '--days',
  '5',
  '--seed',
  '7',
  '--exp-id',
  'round-trip',
  '--unit-type',
  'session',
];

interface JsonEvaluation {
  readonly metrics: readonly {
    readonly exp_variant_id: string;
    readonly mean: number;
    readonly diff: number;
  }[];
  readonly exposures: readonly { readonly exp_variant_id: string; readonly exposures: number }[];
}

describe.concurrent('ep-stats generate-events', () => {
  it('writes the bundled demo dataset byte for byte from the options of its script', async () => {
    const out = join(scratch, 'demo-events.csv');
    const { code, stdout, stderr } = await runCli([
      'generate-events',
      '--out',
      out,
      '--units',
      '800',
      '--days',
      '10',
      '--pre-days',
      '14',
      '--seed',
      '20240101',
      '--variants',
      'a,b,c',
      '--effects',
      'b.clicks=0.2,b.conversions=0.15',
      '--effects',
      'c.value=0.1,c.refunds=0.5',
    ]);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toBe(`wrote 12,365 events of 800 units (demo, variants a, b, c) to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(join(ROOT, 'fixtures/events/demo-events.csv'), 'utf8'),
    );
  });

  it('round trip: generate-events to Parquet and CSV, then evaluate --events on both', async () => {
    const parquet = join(scratch, 'round-trip.parquet');
    const csv = join(scratch, 'round-trip.csv');
    const effects = ['--effects', 'b.clicks=1'];
    for (const out of [parquet, csv]) {
      const result = await runCli(['generate-events', '--out', out, ...OPTIONS, ...effects]);
      expect([result.code, result.stderr]).toEqual([0, '']);
    }
    // The files hold exactly the events of generateEvents with the same options.
    const expected = generateEvents({
      seed: 7,
      units: 300,
      days: 5,
      expId: 'round-trip',
      unitType: 'session',
      variants: [{ id: 'a' }, { id: 'b', effects: { clicks: 1 } }],
    });
    expect(readFileSync(csv, 'utf8')).toBe(eventsToCsv(expected, SYNTHETIC_DIMENSIONS));
    const client = await DuckDbClient.open();
    const [row] = await client.query('SELECT COUNT(*) AS n FROM read_parquet($1)', [parquet]);
    await client.close();
    expect(Number(row?.n)).toBe(expected.length);

    const experiment = join(scratch, 'round-trip.json');
    writeFileSync(experiment, JSON.stringify(EXPERIMENT));
    const results = await Promise.all(
      [parquet, csv].map((events) =>
        runCli(['evaluate', '--experiment', experiment, '--events', events, '--format', 'json']),
      ),
    );
    const [fromParquet, fromCsv] = results.map((result) => {
      // 300 units in two variants are below the calibrated regime: only small-sample warnings.
      expect([result.code, result.stderr.replace(/^warning \[small-sample\]: .*\n/gm, '')]).toEqual([0, '']);
      return parseJsonWithNonFinite(result.stdout) as JsonEvaluation;
    });
    // Every unit is exposed once; clicks per session from the generated events themselves.
    const exposures = (variant: string) =>
      expected.filter((event) => event.goal === 'exposure' && event.exp_variant_id === variant).length;
    const clicks = (variant: string) =>
      expected
        .filter((event) => event.goal === 'click' && event.exp_variant_id === variant)
        .reduce((sum, event) => sum + event.count, 0);
    expect(fromParquet?.exposures.map((row) => row.exposures)).toEqual([exposures('a'), exposures('b')]);
    expect(exposures('a') + exposures('b')).toBe(300);
    for (const evaluation of [fromParquet, fromCsv]) {
      const mean = (variant: string) =>
        evaluation?.metrics.find((row) => row.exp_variant_id === variant)?.mean;
      expect(mean('a')).toBeCloseTo(clicks('a') / exposures('a'), 12);
      expect(mean('b')).toBeCloseTo(clicks('b') / exposures('b'), 12);
    }
    // Twice the click probability shows.
    expect(fromCsv?.metrics[1]?.diff).toBeGreaterThan(0.5);
  });

  it('reports usage errors with exit code 2', async () => {
    const out = join(scratch, 'x.csv');
    const cases: [string[], RegExp][] = [
      [['--out', join(scratch, 'x.txt')], /^error: --out must name a \.parquet or \.csv file/],
      [['--out', out, '--effects', 'c.clicks=0.5'], /names variant "c", which is not one of --variants a,b/],
      [['--out', out, '--effects', 'b.clickz=0.5'], /unknown rate "clickz"/],
      [['--out', out, '--effects', 'b.clicks=-1'], /must be a number greater than -1/],
      [['--out', out, '--variants', 'a,a'], /variant "a" is listed twice/],
      [['--out', out, '--units', '0'], /expected a whole number at least 1/],
      [['--out', join(scratch, 'missing', 'x.csv')], /^error: cannot write the --out file .*: ENOENT/],
      [['--units', '10'], /required option '--out <file>' not specified/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runCli(['generate-events', ...args]);
      expect([code, stdout], args.join(' ')).toEqual([2, '']);
      expect(stderr, args.join(' ')).toMatch(message);
    }
  });

  it('documents itself in --help with examples', async () => {
    const { code, stdout } = await runCli(['generate-events', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--effects <effects>');
    expect(stdout).toContain('Examples:');
  });
});
