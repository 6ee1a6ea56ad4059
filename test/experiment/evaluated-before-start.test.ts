import { afterEach, describe, expect, it, vi } from 'vitest';
import { Experiment, obrienFlemingConfidenceLevel, sequentialConfidenceLevel } from '../../src/index.js';
import { binaryGoalRows, clickThroughRate, README_VARIANTS } from '../support/binary-goals.js';

const ctr = clickThroughRate('u');

/** The reference README's example, click-through rate 5/21 in `a` and 7/26 in `b`, of experiment `x`. */
const rows = binaryGoalRows(README_VARIANTS, { expId: 'x', unitType: 'u' });

const future = (options: { dateTo?: string } = {}) =>
  new Experiment({
    id: 'x',
    controlVariant: 'a',
    unitType: 'u',
    metrics: [ctr],
    dateFrom: '2026-01-01',
    ...options,
  });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('an experiment that starts in the future', () => {
  it('is constructed without reading the clock', () => {
    const RealDate = Date;
    let reads = 0;
    class CountingDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) reads++;
        super(...(args as [number]));
      }
      static override now(): number {
        reads++;
        return RealDate.now();
      }
    }
    vi.stubGlobal('Date', CountingDate);
    const experiment = future({ dateTo: '2026-01-31' });
    expect(reads).toBe(0);
    expect(experiment.dateFor).toBeUndefined();
    experiment.evaluateAgg(rows, { timestamp: 0 });
    expect(reads).toBeGreaterThan(0);
  });

  it('is evaluated for the day the evaluation runs, with an `evaluated-before-start` warning naming both days', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-02-01T12:00:00Z'));
    const experiment = future({ dateTo: '2026-01-31' });
    vi.setSystemTime(new Date('2025-03-01T23:59:59Z'));
    expect(experiment.evaluationDay()).toBe('2025-03-01');
    const evaluation = experiment.evaluateAgg(rows, { timestamp: 0 });
    expect(evaluation.warnings.filter((warning) => warning.code === 'evaluated-before-start')).toEqual([
      {
        code: 'evaluated-before-start',
        message:
          'Evaluated for 2025-03-01 (today, UTC), before the experiment starts on 2026-01-01 (`dateFrom`): the ' +
          'results do not describe the experiment yet. The sequential confidence level before the start is ' +
          '0.9999 (no alpha spent yet).',
      },
    ]);
    expect(evaluation.metrics.map((metric) => metric.confidenceLevel)).toEqual([0.9999, 0.9999]);
  });

  it('keeps the experiment confidence level before the start without `dateTo` (no sequential adjustment)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-01T00:00:00Z'));
    const evaluation = future().evaluateAgg(rows, { timestamp: 0 });
    expect(evaluation.warnings.map((warning) => warning.message)).toContain(
      'Evaluated for 2025-03-01 (today, UTC), before the experiment starts on 2026-01-01 (`dateFrom`): the ' +
        'results do not describe the experiment yet.',
    );
    expect(evaluation.metrics.map((metric) => metric.confidenceLevel)).toEqual([0.95, 0.95]);
  });

  it('has no warning from its first day on', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const evaluation = future({ dateTo: '2026-01-31' }).evaluateAgg(rows, { timestamp: 0 });
    expect(evaluation.warnings.map((warning) => warning.code)).not.toContain('evaluated-before-start');
    expect(evaluation.metrics[0]?.confidenceLevel).toBe(0.9999);
  });

  it('uses an explicit `dateFor` instead of the clock', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-01T00:00:00Z'));
    const experiment = future({ dateTo: '2026-01-10' });
    const given = new Experiment({
      id: 'x',
      controlVariant: 'a',
      unitType: 'u',
      dateFrom: '2026-01-01',
      dateTo: '2026-01-10',
      dateFor: '2026-01-05',
    });
    expect(given.evaluationDay()).toBe('2026-01-05');
    expect(given.evaluationConfidenceLevel()).toBe(0.9944);
    expect(experiment.evaluationConfidenceLevel('2026-01-05')).toBe(0.9944);
    expect(experiment.evaluationConfidenceLevel()).toBe(0.9999);
  });
});

describe("the O'Brien-Fleming level before the start", () => {
  it('is the level of day 0 (no alpha spent, the cap 0.9999) for every day before dateFrom', () => {
    expect(obrienFlemingConfidenceLevel(0.95, 10, 0)).toBe(0.9999);
    for (const day of ['2019-12-31', '2019-12-01', '2000-01-01']) {
      expect(sequentialConfidenceLevel(0.95, '2020-01-01', '2020-01-10', day)).toBe(0.9999);
    }
    // From the first day on, the level is the reference's: half-way through a two-day experiment, 0.9944.
    expect(sequentialConfidenceLevel(0.95, '2020-01-01', '2020-01-02', '2020-01-01')).toBe(0.9944);
    expect(sequentialConfidenceLevel(0.95, '2020-01-01', '2020-01-02', '2019-12-31')).toBe(0.9999);
  });
});
