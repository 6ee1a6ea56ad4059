/**
 * docs/examples/drill-down-and-timeline.ts (the guide docs/guide-drill-down-and-timeline.md walks through it)
 * runs, and what it prints is what the documented equalities give, computed here another way: each segment
 * block is `evaluateAgg` of the experiment restricted to that segment's countries by an exposure filter (the
 * demo events carry the country on the exposure), each timeline day is `evaluateAgg` with `dateFor` = that
 * day of the goals of the experiment cut at that day; the users per segment and the SRM p-values are counted
 * from the CSV itself.
 * The guide's printed blocks are compared with this output by test/docs/check-excerpt-output.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  correctForMultipleTesting,
  type Evaluation,
  Experiment,
  type ExperimentOptions,
  Filter,
  Metric,
  type MetricRow,
  pythonFormatter,
  SrmCheck,
} from '../../src/index.js';
import { DuckDbClient, duckdbDialect, SqlDao } from '../../src/sql/index.js';
import { DEMO_EVENTS_CSV, loadDemoCsvIntoDuckDb } from '../sql/support/event-tables.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TIMESTAMP = 1_704_931_200;
const DAYS = Array.from({ length: 10 }, (_, index) => `2024-01-${String(index + 1).padStart(2, '0')}`);

/** The script's experiment restated, without its breakdown (the blocks are recomputed by filters). */
const exposures = 'count(user.global.exposure)';
const experimentWith = (options: Partial<ExperimentOptions>) =>
  new Experiment({
    id: 'demo',
    controlVariant: 'a',
    unitType: 'user',
    dateFrom: '2024-01-01',
    dateTo: '2024-01-10',
    dateFor: '2024-01-10',
    metrics: [
      new Metric({
        id: 1,
        name: 'Conversion rate',
        nominator: 'unique(user.unit.conversion)',
        denominator: exposures,
      }),
      new Metric({
        id: 2,
        name: 'Revenue per user',
        nominator: 'value(user.unit.conversion)',
        denominator: exposures,
      }),
    ],
    checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: exposures })],
    ...options,
  });

/** The demo's exposure events, read from the CSV without SQL (each demo user is exposed once). */
function exposuresFromCsv(): { variant: string; country: string; date: string }[] {
  const [header, ...lines] = readFileSync(DEMO_EVENTS_CSV, 'utf8').trimEnd().split('\n');
  const columns = header!.split(',');
  const at = (name: string) => columns.indexOf(name);
  return lines
    .map((line) => line.split(','))
    .filter((cells) => cells[at('exp_id')] === 'demo' && cells[at('goal')] === 'exposure')
    .map((cells) => ({
      variant: cells[at('exp_variant_id')]!,
      country: cells[at('country')]!,
      date: cells[at('date')]!,
    }));
}

/** Exposed users per country and variant. */
function usersByCountry(): Map<string, Map<string, number>> {
  const users = new Map<string, Map<string, number>>();
  for (const { variant, country } of exposuresFromCsv()) {
    const byVariant = users.get(country) ?? new Map<string, number>();
    byVariant.set(variant, (byVariant.get(variant) ?? 0) + 1);
    users.set(country, byVariant);
  }
  return users;
}

/**
 * The SRM p-value of three variants planned equal: Pearson's statistic has 2 degrees of freedom, whose
 * chi-square survival function is exactly `exp(-x / 2)`.
 */
function srmPValue(counts: readonly number[]): number {
  const expected = counts.reduce((sum, count) => sum + count, 0) / counts.length;
  const statistic = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
  return Math.exp(-statistic / 2);
}

const percent = (value: number) => `${value >= 0 ? '+' : ''}${(100 * value).toFixed(1)}%`;

/** The cells the script prints for one metric row (the control's without difference, interval, p-value). */
function cells(evaluation: Evaluation): string[][] {
  return evaluation.metrics.map((row) => [
    row.metricName,
    row.expVariantId,
    String(row.count),
    // Python's formatting (the metrics' formats), which rounds exact halves to even: 10 / 64 is 15.62%.
    pythonFormatter(row.metricId === 1 ? '{:.2%}' : '{:,.2f}')(row.mean),
    ...(row.expVariantId === 'a'
      ? []
      : [
          percent(row.diff),
          `[${percent(row.confidenceLower)}, ${percent(row.confidenceUpper)}]`,
          row.pValue.toFixed(3),
        ]),
  ]);
}

/** A printed table's data lines (after the header and the rule), split into cells. */
const tableCells = (lines: readonly string[]) => lines.slice(2).map((line) => line.trim().split(/ {2,}/));

describe('docs/examples/drill-down-and-timeline.ts', () => {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'docs/examples/drill-down-and-timeline.ts'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  const blocks = output.trimEnd().split('\n\n');
  const segmentBlocks = blocks.slice(0, -2).map((block) => block.split('\n'));
  const reportLines = blocks.at(-2)!.split('\n');
  const timelineLines = blocks.at(-1)!.split('\n');
  const users = usersByCountry();
  // Countries ranked by exposed users, ties by name: the top 3 keep their segment, the rest fold.
  const ranked = [...users.entries()]
    .map(([country, byVariant]) => ({ country, total: [...byVariant.values()].reduce((x, y) => x + y, 0) }))
    .sort((x, y) => y.total - x.total || (x.country < y.country ? -1 : 1))
    .map(({ country }) => country);
  const segments: { title: string; countries: string[] | undefined }[] = [
    { title: 'Overall', countries: undefined },
    ...ranked.slice(0, 3).map((country) => ({ title: `country = ${country}`, countries: [country] })),
    {
      title: `country = (other) (${[...ranked.slice(3)].sort().join(', ')})`,
      countries: ranked.slice(3),
    },
  ];

  let client: DuckDbClient;
  let dao: SqlDao;
  beforeAll(async () => {
    client = await DuckDbClient.open();
    const schema = await loadDemoCsvIntoDuckDb(client, 'demo_events');
    dao = new SqlDao({ client, dialect: duckdbDialect, schema });
  });
  afterAll(async () => {
    await client?.close();
  });

  it('prints the overall block, the three largest countries and the folded rest, in that order', () => {
    expect(ranked).toEqual(['CZ', 'DE', 'US', 'FR', 'SK']);
    expect(segmentBlocks.map((lines) => lines[0]!.split(':')[0])).toEqual(segments.map(({ title }) => title));
  });

  it('prints per segment the users of each variant and the SRM p-value counted from the CSV', () => {
    segments.forEach(({ countries }, index) => {
      const counts = ['a', 'b', 'c'].map((variant) =>
        [...users.entries()]
          .filter(([country]) => countries === undefined || countries.includes(country))
          .reduce((sum, [, byVariant]) => sum + (byVariant.get(variant) ?? 0), 0),
      );
      expect(segmentBlocks[index]![0]).toBe(
        `${segments[index]!.title}: users a ${counts[0]}, b ${counts[1]}, c ${counts[2]}; SRM p-value ${srmPValue(counts).toFixed(3)}`,
      );
    });
  });

  /** The experiment restricted to `countries` by an exposure filter (all of them when undefined), evaluated. */
  async function filteredEvaluation(countries: readonly string[] | undefined): Promise<Evaluation> {
    const experiment = experimentWith(
      countries === undefined
        ? {}
        : { filters: [new Filter({ scope: 'exposure', dimension: 'country', values: [...countries] })] },
    );
    return experiment.evaluateAgg(await dao.getAggGoals(experiment), { timestamp: TIMESTAMP });
  }

  it('prints each segment block as evaluateAgg of the experiment with an exposure filter on its countries', async () => {
    for (const [index, { countries }] of segments.entries()) {
      const evaluation = await filteredEvaluation(countries);
      expect(tableCells(segmentBlocks[index]!.slice(1)), segments[index]!.title).toEqual(cells(evaluation));
    }
  });

  it("prints, with correctionScope 'report', Holm over the 20 treatment cells of the filtered evaluations", async () => {
    // Per treatment cell: its block, its row in the block's own evaluation (what the scorecard shows) and
    // its unadjusted row (correction 'none'), whose p-value enters the family.
    const cellsOfBlocks: { block: string; own: MetricRow; row: MetricRow }[] = [];
    for (const { title, countries } of segments) {
      const evaluation = await filteredEvaluation(countries);
      const raw = experimentWith({
        correction: 'none',
        ...(countries === undefined
          ? {}
          : { filters: [new Filter({ scope: 'exposure', dimension: 'country', values: countries })] }),
      });
      const rawEvaluation = raw.evaluateAgg(await dao.getAggGoals(raw), { timestamp: TIMESTAMP });
      rawEvaluation.metrics.forEach((row, r) => {
        const own = evaluation.metrics[r]!;
        expect([own.metricId, own.expVariantId]).toEqual([row.metricId, row.expVariantId]);
        // DuckDB's parallel sums of revenue may differ in the last bits between two statements.
        expect(own.diff).toBeCloseTo(row.diff, 12);
        if (row.expVariantId !== 'a') cellsOfBlocks.push({ block: title.split(' (FR')[0]!, own, row });
      });
    }
    expect(reportLines[0]).toBe(`Corrected across the report: ${cellsOfBlocks.length} comparisons, Holm`);
    expect(cellsOfBlocks.length).toBe(5 * 2 * 2);
    const holm = correctForMultipleTesting({
      correction: 'holm',
      pValues: cellsOfBlocks.map(({ row }) => row.pValue),
      standardErrors: cellsOfBlocks.map(({ row }) => row.standardError),
      degreesOfFreedom: cellsOfBlocks.map(({ row }) => row.degreesOfFreedom),
      confidenceLevel: 0.95,
    });
    const expected = cellsOfBlocks.flatMap(({ block, own, row }, k) =>
      own.pValue < 0.05
        ? [
            [
              block,
              row.metricName,
              row.expVariantId,
              own.pValue.toFixed(3),
              holm.pValues[k]!.toFixed(3),
              `[${percent(row.diff - holm.confidenceIntervals[k]!)}, ${percent(row.diff + holm.confidenceIntervals[k]!)}]`,
            ],
          ]
        : [],
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(tableCells(reportLines.slice(1))).toEqual(expected);
  });

  it('prints each timeline day as evaluateAgg on that day of the goals of the experiment cut at that day', async () => {
    expect(timelineLines[0]).toBe('Conversion rate, b vs a, cumulative');
    const printed = tableCells(timelineLines.slice(1));
    expect(printed.map((row) => row[0])).toEqual(DAYS);
    // A user enters the timeline on the day of their exposure and stays: the users of b exposed up to each day.
    const exposed = exposuresFromCsv().filter(({ variant }) => variant === 'b');
    expect(printed.map((row) => Number(row[2]))).toEqual(
      DAYS.map((day) => exposed.filter(({ date }) => date <= day).length),
    );
    for (const [index, day] of DAYS.entries()) {
      const goals = await dao.getAggGoals(experimentWith({ dateTo: day, dateFor: day }));
      const evaluation = experimentWith({ dateFor: day }).evaluateAgg(goals, { timestamp: TIMESTAMP });
      const row = evaluation.metrics.find((r) => r.metricId === 1 && r.expVariantId === 'b')!;
      expect(printed[index], day).toEqual([
        day,
        row.confidenceLevel.toFixed(4),
        ...cells({ ...evaluation, metrics: [row] })[0]!.slice(2),
      ]);
    }
    // The O'Brien-Fleming levels docs/statistics.md states for days 5, 8, 9 and 10 of a 10-day experiment at
    // 0.95 (2 (1 - Phi(q / sqrt(t))) with q = Phi^-1(0.975), t = day / 10).
    expect([4, 7, 8, 9].map((index) => printed[index]![1])).toEqual(['0.9944', '0.9716', '0.9612', '0.9500']);
    // The last day is the whole experiment: the overall block's row of b.
    expect(printed[9]!.slice(2)).toEqual(tableCells(segmentBlocks[0]!.slice(1))[1]!.slice(2));
  });
});
