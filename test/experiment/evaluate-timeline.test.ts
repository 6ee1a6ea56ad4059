import { describe, expect, it } from 'vitest';
import {
  DataError,
  Experiment,
  evaluateTimeline,
  Metric,
  sequentialConfidenceLevel,
  type TimelineGoalRow,
  type TimelineWarning,
  ValidationError,
} from '../../src/index.js';

const ctr = new Metric({
  id: 1,
  name: 'CTR',
  nominator: 'count(u.unit.click)',
  denominator: 'count(u.global.exposure)',
});
const revenue = new Metric({
  id: 2,
  name: 'Revenue per user',
  nominator: 'value(u.unit.order)',
  denominator: 'count(u.global.exposure)',
});
const options = {
  id: 'e',
  controlVariant: 'a',
  unitType: 'u',
  dateFrom: '2024-01-01',
  dateTo: '2024-01-10',
  metrics: [ctr, revenue],
};
const experiment = new Experiment(options);

/** Cumulative goal rows of one day: exposures, clicks (0/1 per unit) and orders (value, sum of squares). */
function day(
  date: string,
  variants: Record<string, { units: number; clicks: number; revenue: number; revenueSquares: number }>,
): TimelineGoalRow[] {
  return Object.entries(variants).flatMap(([variant, { units, clicks, revenue, revenueSquares }]) => {
    const base = { day: date, exp_id: 'e', exp_variant_id: variant, unit_type: 'u' };
    return [
      {
        ...base,
        agg_type: 'global',
        goal: 'exposure',
        count: units,
        sum_sqr_count: units,
        sum_value: 0,
        sum_sqr_value: 0,
        count_unique: units,
      },
      {
        ...base,
        agg_type: 'unit',
        goal: 'click',
        count: clicks,
        sum_sqr_count: clicks,
        sum_value: 0,
        sum_sqr_value: 0,
        count_unique: clicks,
      },
      {
        ...base,
        agg_type: 'unit',
        goal: 'order',
        count: clicks,
        sum_sqr_count: clicks,
        sum_value: revenue,
        sum_sqr_value: revenueSquares,
        count_unique: clicks,
      },
    ];
  });
}

const rows = [
  ...day('2024-01-09', {
    a: { units: 900, clicks: 90, revenue: 950, revenueSquares: 21000 },
    b: { units: 910, clicks: 110, revenue: 1300, revenueSquares: 30000 },
  }),
  ...day('2024-01-05', {
    a: { units: 500, clicks: 50, revenue: 510, revenueSquares: 11000 },
    b: { units: 490, clicks: 60, revenue: 700, revenueSquares: 16000 },
  }),
  ...day('2024-01-08', {
    a: { units: 800, clicks: 80, revenue: 840, revenueSquares: 18500 },
    b: { units: 790, clicks: 95, revenue: 1100, revenueSquares: 25000 },
  }),
  ...day('2024-01-10', {
    a: { units: 1000, clicks: 100, revenue: 1050, revenueSquares: 23000 },
    b: { units: 1000, clicks: 125, revenue: 1500, revenueSquares: 34000 },
  }),
];
const ofDay = (date: string) => rows.filter((row) => row.day === date).map(({ day: _, ...row }) => row);

describe('evaluateTimeline', () => {
  it("evaluates each day's rows exactly as evaluateAgg of the experiment with dateFor set to that day", () => {
    const timeline = experiment.evaluateTimeline(rows, { timestamp: 1700000000 });
    expect(timeline.days).toEqual(['2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10']);
    expect(timeline.metrics).toHaveLength(4 * 2 * 2);
    for (const date of timeline.days) {
      const expected = new Experiment({ ...options, dateFor: date }).evaluateAgg(ofDay(date), {
        timestamp: 1700000000,
      });
      const actual = timeline.metrics.filter((row) => row.day === date).map(({ day: _, ...row }) => row);
      expect(actual).toEqual(expected.metrics);
      expect(timeline.evaluations[timeline.days.indexOf(date)]?.confidenceLevel).toBe(
        expected.confidenceLevel,
      );
    }
    // The day's own sums: day 2024-01-05, variant b of CTR has mean 60 / 490.
    expect(timeline.metrics.find((row) => row.day === '2024-01-05' && row.expVariantId === 'b')?.mean).toBe(
      60 / 490,
    );
  });

  it("gives each day its O'Brien-Fleming level: 1 - 2 (1 - Phi(z_0.975 / sqrt(day / 10))), rounded to 4 digits", () => {
    const timeline = evaluateTimeline(experiment, rows);
    const levels = timeline.days.map(
      (date) => timeline.metrics.find((row) => row.day === date)?.confidenceLevel,
    );
    // Days 5, 8, 9, 10 of 10: 0.99443, 0.97157, 0.96117, 0.95 (NormalDist of Python's statistics module).
    expect(levels).toEqual([0.9944, 0.9716, 0.9612, 0.95]);
    expect(levels).toEqual(
      timeline.days.map((date) => sequentialConfidenceLevel(0.95, '2024-01-01', '2024-01-10', date)),
    );
  });

  it('tags every warning with the day whose evaluation raised it', () => {
    // No order rows yet on day 2: a goal-without-rows warning of that day.
    const onlyA = day('2024-01-02', {
      a: { units: 10, clicks: 1, revenue: 5, revenueSquares: 25 },
      b: { units: 12, clicks: 2, revenue: 5, revenueSquares: 25 },
    }).filter((row) => row.goal !== 'order');
    const seen: TimelineWarning[] = [];
    const timeline = experiment.evaluateTimeline(
      [...onlyA, ...ofDay('2024-01-10').map((row) => ({ ...row, day: '2024-01-10' }))],
      {
        onWarning: (warning) => seen.push(warning as TimelineWarning),
      },
    );
    const alone = new Experiment({ ...options, dateFor: '2024-01-02' }).evaluateAgg(
      onlyA.map(({ day: _, ...row }) => row),
    );
    expect(alone.warnings.length).toBeGreaterThan(0);
    const expected = alone.warnings.map((warning) => ({ ...warning, day: '2024-01-02' }));
    expect(timeline.warnings.filter((warning) => warning.day === '2024-01-02')).toEqual(expected);
    expect(timeline.warnings).toEqual(seen);
  });

  it('rejects a malformed day, a day before dateFrom and an unknown option', () => {
    const bad = (day: unknown) => () =>
      experiment.evaluateTimeline([{ ...rows[0]!, day } as TimelineGoalRow]);
    expect(bad('2024-1-5')).toThrow(DataError);
    expect(bad('2024-1-5')).toThrow(/Row 0, column `day`/);
    expect(bad('2023-12-31')).toThrow(/before the experiment's `dateFrom`/);
    expect(() => experiment.evaluateTimeline(rows, { onWarnings: () => {} } as never)).toThrow(
      ValidationError,
    );
  });
});
