/**
 * `ep-stats evaluate` with an experiment file that has `breakdowns` and `timeline: 'daily'`: from the demo
 * events, each segment equals the command run with an exposure filter on that segment's countries and each
 * timeline day the command cut at that day; from goals files, the segments and the timeline equal the
 * library's evaluation of the same rows; the report names the segments and days, the warnings of the days
 * are grouped on stderr, and what cannot be served is an error naming the field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  Experiment,
  Metric,
  type SrmCheck,
  sequentialConfidenceLevel,
} from '../../src/index.js';
import { DEMO_BODY, DEMO_DAYS } from '../support/demo-drill-down.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { parseJsonWithNonFinite, runCli } from './run-cli.js';

const EVENTS = 'fixtures/events/demo-events.parquet';
const DEFINITION = DEMO_BODY;
const DAYS = DEMO_DAYS;

const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-cli-drill-down-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
function scratchFile(name: string, content: string): string {
  files += 1;
  const path = join(scratch, `${files}-${name}`);
  writeFileSync(path, content);
  return path;
}
const experimentFile = (definition: object) => scratchFile('experiment.json', JSON.stringify(definition));

type Row = Record<string, number | string | boolean | null>;
interface JsonReport {
  metrics: Row[];
  checks: Row[];
  exposures: Row[];
  warnings: { code: string; segment?: { breakdown: string; value: string }; day?: string }[];
  segments?: {
    breakdown: string;
    value: string;
    folded?: string[];
    exposed_units: number;
    metrics: Row[];
    checks: Row[];
    exposures: Row[];
  }[];
  timeline?: Row[];
}

async function json(
  definition: object,
  source: readonly string[] = ['--events', EVENTS],
): Promise<JsonReport> {
  const result = await runCli([
    'evaluate',
    '--experiment',
    experimentFile(definition),
    ...source,
    '--format',
    'json',
  ]);
  expect(result.code, result.stderr).toBe(0);
  return parseJsonWithNonFinite(result.stdout) as JsonReport;
}

const STATISTICS = [
  'mean',
  'std',
  'sum_value',
  'diff',
  'p_value',
  'confidence_lower',
  'confidence_upper',
  'count',
];

/** Expects the same rows up to the last bits that DuckDB's parallel sums of revenue may change. */
function expectCloseRows(actual: readonly Row[], expected: readonly Row[], label: string) {
  expect(actual.map((row) => [row.metric_id, row.exp_variant_id])).toEqual(
    expected.map((row) => [row.metric_id, row.exp_variant_id]),
  );
  actual.forEach((row, index) => {
    for (const member of STATISTICS) {
      const want = Number(expected[index]![member]);
      const got = Number(row[member]);
      if (Number.isNaN(want)) expect(got, `${label} ${member}`).toBeNaN();
      else expect(got, `${label} ${member} row ${index}`).toBeCloseTo(want, 10);
    }
  });
}

describe('ep-stats evaluate --events with breakdowns and a daily timeline', () => {
  const definition = { ...DEFINITION, breakdowns: ['country'], breakdown_top: 3, timeline: 'daily' };

  it('reports each segment as the command with an exposure filter on its countries', async () => {
    const report = await json(definition);
    expect(report.segments!.map((segment) => [segment.value, segment.folded])).toEqual([
      ['CZ', undefined],
      ['DE', undefined],
      ['US', undefined],
      ['(other)', ['FR', 'SK']],
    ]);
    const plain = await json(DEFINITION);
    expectCloseRows(report.metrics, plain.metrics, 'overall');
    for (const segment of report.segments!) {
      const countries = segment.folded ?? [segment.value];
      const filtered = await json({
        ...DEFINITION,
        filters: [{ scope: 'exposure', dimension: 'country', value: countries }],
      });
      expectCloseRows(segment.metrics, filtered.metrics, segment.value);
      // Each run has its own timestamp.
      const untimed = (rows: readonly Row[]) => rows.map(({ timestamp: _time, ...row }) => row);
      expect(untimed(segment.checks)).toEqual(untimed(filtered.checks));
      expect(untimed(segment.exposures)).toEqual(untimed(filtered.exposures));
      expect(segment.exposed_units).toBe(
        filtered.exposures.reduce((sum, row) => sum + Number(row.exposures), 0),
      );
    }
  });

  it('reports each timeline day as the command cut at that day, at that day’s level', async () => {
    const report = await json(definition);
    const timeline = report.timeline!;
    expect([...new Set(timeline.map((row) => row.day))]).toEqual(DAYS);
    for (const day of DAYS) {
      const cut = await json({ ...DEFINITION, date_to: day, date_for: day });
      const rows = timeline.filter((row) => row.day === day);
      // The level-free statistics are those of the data up to the day; the level is day N of 10's.
      const levelFree = ['mean', 'std', 'sum_value', 'diff', 'p_value', 'count'];
      rows.forEach((row, index) => {
        for (const member of levelFree) {
          const want = Number(cut.metrics[index]![member]);
          if (Number.isNaN(want)) expect(Number(row[member])).toBeNaN();
          else expect(Number(row[member]), `${day} ${member}`).toBeCloseTo(want, 10);
        }
        expect(row.confidence_level).toBe(sequentialConfidenceLevel(0.95, '2024-01-01', '2024-01-10', day));
      });
    }
  });

  it('prints a scorecard per segment, the timeline table and the days’ warnings grouped', async () => {
    const result = await runCli(['evaluate', '--experiment', experimentFile(definition), '--events', EVENTS]);
    expect(result.code, result.stderr).toBe(0);
    const report = await json(definition);
    const headings = result.stdout.split('\n').filter((line) => line.startsWith('Segment '));
    expect(headings).toEqual(
      report.segments!.map(
        (s) =>
          `Segment country = ${s.value}${s.folded ? ` (${s.folded.join(', ')})` : ''}: ${s.exposed_units} exposed units (control variant a, confidence level 95%)`,
      ),
    );
    const table = result.stdout
      .slice(result.stdout.indexOf('Timeline (cumulative, by day)'))
      .trimEnd()
      .split('\n');
    // Title, header, rule, then 10 days x 2 metrics x 2 treatments.
    expect(table.length).toBe(3 + 40);
    const cells = table.slice(3).map((line) => line.trim().split(/ {2,}/));
    expect(cells.map((row) => row[0])).toEqual(DAYS.flatMap((day) => Array(4).fill(day)));
    expect(cells.map((row) => row[3])).toEqual(
      DAYS.flatMap((day) =>
        Array(4).fill(sequentialConfidenceLevel(0.95, '2024-01-01', '2024-01-10', day).toFixed(4)),
      ),
    );
    // Every day of this small demo warns small-sample for both metrics: two lines, not twenty.
    const dayLines = result.stderr
      .split('\n')
      .filter((line) => line.includes(' days, 2024-01-01 to 2024-01-10)'));
    expect(dayLines.length).toBe(2);
    expect(report.warnings.filter((warning) => warning.day !== undefined).length).toBe(20);
    const segmentLines = result.stderr.split('\n').filter((line) => line.includes('(segment country = CZ)'));
    expect(segmentLines.length).toBe(
      report.warnings.filter((warning) => warning.segment?.value === 'CZ').length,
    );
  });

  it('writes Markdown headings for the segments and the timeline', async () => {
    const result = await runCli([
      'evaluate',
      '--experiment',
      experimentFile(definition),
      '--events',
      EVENTS,
      '--format',
      'markdown',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const headings = result.stdout.split('\n').filter((line) => line.startsWith('## '));
    expect(headings[0]).toBe('## Experiment demo');
    expect(headings.slice(1, 5).map((line) => line.split(':')[0])).toEqual([
      '## Segment country = CZ',
      '## Segment country = DE',
      '## Segment country = US',
      '## Segment country = (other) (FR, SK)',
    ]);
    expect(headings.at(-1)).toBe('## Timeline (cumulative, by day)');
  });
});

describe('ep-stats evaluate --goals with breakdowns or a timeline', () => {
  const ctr = {
    id: 1,
    name: 'CTR',
    nominator: 'count(u.unit.click)',
    denominator: 'count(u.global.exposure)',
  };
  const base = { id: 'e', control_variant: 'a', unit_type: 'u', metrics: [ctr], checks: [] };
  const libraryExperiment = (options: object) =>
    new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [new Metric({ id: 1, name: 'CTR', nominator: ctr.nominator, denominator: ctr.denominator })],
      checks: [] as SrmCheck[],
      ...options,
    });
  const COLUMNS = [
    'exp_id',
    'exp_variant_id',
    'unit_type',
    'agg_type',
    'goal',
    'count',
    'sum_sqr_count',
    'sum_value',
    'sum_sqr_value',
    'count_unique',
  ];
  const csv = (rows: readonly AggregatedGoalRow[], extra: readonly string[]) =>
    `${[...COLUMNS, ...extra].join(',')}\n${rows.map((row) => [...COLUMNS, ...extra].map((column) => row[column] ?? '').join(',')).join('\n')}\n`;

  it('drills a goals file with a breakdown column down as the library does', async () => {
    const rows: AggregatedGoalRow[] = [];
    [
      ['CZ', 400, 40, 52],
      ['SK', 250, 30, 22],
      ['DE', 90, 9, 15],
    ].forEach(([country, n, a, b]) => {
      rows.push(aggregatedGoalRow('a', 'exposure', n as number, { country }));
      rows.push(aggregatedGoalRow('b', 'exposure', (n as number) + 10, { country }));
      rows.push(aggregatedGoalRow('a', 'click', a as number, { country }));
      rows.push(aggregatedGoalRow('b', 'click', b as number, { country }));
    });
    const goals = scratchFile('segments.csv', csv(rows, ['country']));
    const report = await json({ ...base, breakdowns: ['country'], breakdown_top: 2 }, ['--goals', goals]);
    const expected = libraryExperiment({ breakdowns: ['country'], breakdownTop: 2 }).evaluateAggSegments(
      rows,
    );
    expect(report.metrics.map((row) => row.p_value)).toEqual(
      expected.overall.metrics.map((row) => row.pValue),
    );
    expect(report.segments!.map((s) => [s.value, s.folded, s.exposed_units])).toEqual([
      ['CZ', undefined, 810],
      ['SK', undefined, 510],
      ['(other)', ['DE'], 190],
    ]);
    report.segments!.forEach((segment, index) => {
      const block = expected.segments[index]!.evaluation;
      expect(segment.metrics.map((row) => [row.mean, row.diff, row.p_value, row.confidence_upper])).toEqual(
        block.metrics.map((row) => [row.mean, row.diff, row.pValue, row.confidenceUpper]),
      );
    });
  });

  it('evaluates a goals file with a day column as the timeline, the last day being the scorecard', async () => {
    const rows = DAYS.slice(0, 3).flatMap((day, d) => [
      { ...aggregatedGoalRow('a', 'exposure', 100 * (d + 1)), day },
      { ...aggregatedGoalRow('b', 'exposure', 100 * (d + 1) + 5), day },
      { ...aggregatedGoalRow('a', 'click', 10 * (d + 1)), day },
      { ...aggregatedGoalRow('b', 'click', 13 * (d + 1)), day },
    ]);
    const goals = scratchFile('timeline.csv', csv(rows, ['day']));
    const dated = { date_from: '2024-01-01', date_to: '2024-01-10' };
    const report = await json({ ...base, ...dated, timeline: 'daily' }, ['--goals', goals]);
    const expected = libraryExperiment({ dateFrom: '2024-01-01', dateTo: '2024-01-10' }).evaluateTimeline(
      rows,
    );
    expect(
      report.timeline!.map((row) => [row.day, row.exp_variant_id, row.confidence_level, row.p_value]),
    ).toEqual(expected.metrics.map((row) => [row.day, row.expVariantId, row.confidenceLevel, row.pValue]));
    // The scorecard is the last day's evaluation: its level is day 3 of 10's.
    expect(report.metrics.map((row) => row.confidence_level)).toEqual([
      sequentialConfidenceLevel(0.95, '2024-01-01', '2024-01-10', '2024-01-03'),
      sequentialConfidenceLevel(0.95, '2024-01-01', '2024-01-10', '2024-01-03'),
    ]);
    expect(report.metrics.map((row) => row.mean)).toEqual([30 / 300, 39 / 305]);
  });

  it('names the field when the rows cannot serve a drill-down or a timeline', async () => {
    const fail = async (definition: object, args: readonly string[]) => {
      const result = await runCli(['evaluate', '--experiment', experimentFile(definition), ...args]);
      expect(result.code, result.stdout).toBe(1);
      return result.stderr.trim();
    };
    const goals = scratchFile('empty.csv', `${COLUMNS.join(',')}\n`);
    expect(await fail({ ...base, breakdowns: ['country'] }, ['--goals', goals, '--wide'])).toContain(
      'breakdowns: breakdowns (a drill-down) reads goal rows aggregated per variant, not wide rows; leave out --wide',
    );
    const dated = { ...base, date_from: '2024-01-01', breakdowns: ['country'], timeline: 'daily' };
    expect(await fail(dated, ['--goals', goals])).toContain('a goals file holds the rows of a drill-down');
    expect(await fail({ ...DEFINITION, timeline: 'daily' }, ['--events', EVENTS, '--by-unit'])).toContain(
      "timeline: timeline: 'daily' is queried from events as goals aggregated per variant; leave out --by-unit",
    );
    const { date_from: _from, date_for: _for, ...undated } = DEFINITION;
    expect(await fail({ ...undated, timeline: 'daily' }, ['--events', EVENTS])).toContain(
      'timeline: a daily timeline starts on date_from, which is missing',
    );
  });
});
