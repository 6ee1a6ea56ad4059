/**
 * Peeking by simulation: seeded A/A experiments (no true difference) read after every one of 20 daily batches
 * through `Experiment.evaluateAgg`, the cumulative sums of each day evaluated as an experimenter looking at
 * the results daily would. An experiment is a false positive when any of its 20 looks is significant (the
 * interval of a treatment excludes 0). With `sequential: 'confidence-sequence'` the rate must stay at or below
 * alpha = 0.05 (the count at most the 99.9 % quantile of Binomial(streams, 0.05)); with fixed-horizon
 * intervals (no dates, no sequential adjustment) it must clearly exceed alpha (the count above that quantile).
 * The reference's O'Brien-Fleming level (dates of a 20-day experiment, `dateFor` each day) is printed too,
 * without an assertion. A three-arm run checks the family-wise rate of Holm over the always-valid p-values.
 * The printed table is the figure of docs/statistics.md, "Always-valid intervals (confidence sequences)".
 */
import { describe, expect, it } from 'vitest';
import { type AggregatedGoalRow, Experiment, type ExperimentOptions, Metric } from '../../src/index.js';
import { binomialBand } from '../calibration/binomial-band.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { uniform } from '../support/uniform.js';

const ALPHA = 0.05;
const DAYS = 20;
/** Units per arm and day. */
const UNITS_PER_DAY = 400;
/** Conversion rate of every arm (A/A). */
const RATE = 0.1;
/** Independent binary metrics per simulated experiment: each is one A/A stream. */
const METRICS = 100;

interface Run {
  readonly variants: readonly string[];
  readonly experiments: number;
  readonly seed: number;
}

/** The methods compared: the experiment options of an evaluation on `day` (1-based). */
const METHODS: Record<string, (day: number) => Partial<ExperimentOptions>> = {
  'fixed horizon': () => ({}),
  "O'Brien-Fleming (reference)": (day) => ({
    dateFrom: '2024-01-01',
    dateTo: '2024-01-20',
    dateFor: `2024-01-${String(day).padStart(2, '0')}`,
  }),
  'confidence sequence': () => ({ sequential: 'confidence-sequence' }),
};

const metrics = Array.from(
  { length: METRICS },
  (_, m) =>
    new Metric({
      id: m + 1,
      name: `Conversion ${m + 1}`,
      nominator: `count(u.unit.conversion_${m + 1})`,
      denominator: 'count(u.global.exposure)',
    }),
);

/** Binomial(n, p) by n Bernoulli draws. */
function binomial(random: () => number, n: number, p: number): number {
  let successes = 0;
  for (let i = 0; i < n; i++) if (random() < p) successes += 1;
  return successes;
}

/**
 * Per method: the number of streams (metrics of the simulated experiments) with a significant treatment
 * (any of them, with three arms: the family-wise error) at some look.
 */
function simulate(run: Run): Record<string, number> {
  const random = uniform(run.seed);
  const falsePositives: Record<string, number> = Object.fromEntries(
    Object.keys(METHODS).map((name) => [name, 0]),
  );
  const experiments = Object.fromEntries(
    Object.entries(METHODS).map(([name, options]) => [
      name,
      (day: number) =>
        new Experiment({
          id: 'e',
          controlVariant: 'a',
          unitType: 'u',
          variants: run.variants,
          metrics,
          ...options(day),
        }),
    ]),
  );
  for (let e = 0; e < run.experiments; e++) {
    const conversions = run.variants.map(() => new Float64Array(METRICS));
    const flagged = Object.fromEntries(Object.keys(METHODS).map((name) => [name, new Uint8Array(METRICS)]));
    for (let day = 1; day <= DAYS; day++) {
      const rows: AggregatedGoalRow[] = [];
      run.variants.forEach((variant, v) => {
        rows.push(aggregatedGoalRow(variant, 'exposure', day * UNITS_PER_DAY));
        for (let m = 0; m < METRICS; m++) {
          conversions[v]![m]! += binomial(random, UNITS_PER_DAY, RATE);
          rows.push(aggregatedGoalRow(variant, `conversion_${m + 1}`, conversions[v]![m]!));
        }
      });
      for (const [name, experiment] of Object.entries(experiments)) {
        for (const row of experiment(day).evaluateAgg(rows, { timestamp: 0 }).metrics) {
          if (row.significant) flagged[name]![Number(row.metricId) - 1] = 1;
        }
      }
    }
    for (const name of Object.keys(METHODS)) {
      const hits = flagged[name]!.reduce((sum, hit) => sum + hit, 0);
      falsePositives[name]! += hits;
    }
  }
  return falsePositives;
}

const percent = (count: number, total: number) => `${((100 * count) / total).toFixed(2)} %`;

describe('peeking at A/A experiments after each of 20 daily batches', () => {
  it('keeps the rate of any significant look at or below alpha with confidence sequences, not with fixed-horizon intervals', () => {
    const run: Run = { variants: ['a', 'b'], experiments: 40, seed: 20_240_601 };
    const streams = run.experiments * METRICS;
    const counts = simulate(run);
    // The 99.9 % quantile of Binomial(streams, alpha): a calibrated procedure exceeds it with probability 0.1 %.
    const upper = binomialBand(streams, ALPHA, 0.998).upper;
    console.info(
      [
        `Peeking: ${streams.toLocaleString('en')} A/A streams (binary metric, rate ${RATE}, ${UNITS_PER_DAY} units per arm and day), read after each of ${DAYS} days, alpha ${ALPHA}; seed ${run.seed}.`,
        'Share of streams with a significant look on any day:',
        ...Object.entries(counts).map(
          ([name, count]) =>
            `  ${name.padEnd(28)} ${String(count).padStart(5)} / ${streams}  ${percent(count, streams)}`,
        ),
        `  99.9 % upper quantile of Binomial(${streams}, ${ALPHA}): ${upper} (${percent(upper, streams)})`,
      ].join('\n'),
    );
    expect(counts['confidence sequence']).toBeLessThanOrEqual(upper);
    expect(counts['fixed horizon']).toBeGreaterThan(upper);
  });

  it('keeps the family-wise rate of Holm over the always-valid p-values at or below alpha (three arms)', () => {
    // Family: the two treatments of a metric; a stream is a false positive when either is significant on any day.
    const run: Run = { variants: ['a', 'b', 'c'], experiments: 15, seed: 77_003 };
    const streams = run.experiments * METRICS;
    const counts = simulate(run);
    const upper = binomialBand(streams, ALPHA, 0.998).upper;
    console.info(
      [
        `Peeking, three arms with Holm: ${streams} A/A/A streams, ${DAYS} daily looks; seed ${run.seed}.`,
        ...Object.entries(counts).map(
          ([name, count]) =>
            `  ${name.padEnd(28)} ${String(count).padStart(5)} / ${streams}  ${percent(count, streams)}`,
        ),
        `  99.9 % upper quantile of Binomial(${streams}, ${ALPHA}): ${upper} (${percent(upper, streams)})`,
      ].join('\n'),
    );
    expect(counts['confidence sequence']).toBeLessThanOrEqual(upper);
    expect(counts['fixed horizon']).toBeGreaterThan(upper);
  });
});
