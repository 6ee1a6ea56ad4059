import { describe, expect, it } from 'vitest';
import { Experiment, Metric, type MetricRow } from '../../src/index.js';
import { toWideTable, WIDE_STATISTICS } from '../../src/results/metric-wide-table.js';
import { decodeNumber, MismatchLog } from '../support/fixtures.js';
import { readmeCase, threeVariantCase } from './evaluations.js';

const TOLERANCE = { relative: 1e-9, absolute: 1e-12 };

describe('toWideTable', () => {
  it("puts the README example's statistics side by side", () => {
    const { evaluation } = readmeCase();
    const table = toWideTable(evaluation);
    expect(table.columns).toEqual(
      WIDE_STATISTICS.map((statistic) => ({ metricId: 1, metricName: 'Click-through Rate', statistic })),
    );
    expect(table.rows.map((row) => [row.expId, row.expVariantId])).toEqual([
      ['test-conversion', 'a'],
      ['test-conversion', 'b'],
    ]);
    const [mean, diff, lower, upper, pValue] = table.rows[1]!.values;
    const b = evaluation.metrics[1]!;
    expect(mean).toBeCloseTo(7 / 26, 12);
    expect(diff).toBeCloseTo(0.1307692308, 10); // the README's figures
    expect(pValue).toBeCloseTo(0.8244735669, 10);
    // The bounds are the row's own; for this positive control mean they are diff -+ half-width.
    expect(lower).toBe(b.confidenceLower);
    expect(upper).toBe(b.confidenceUpper);
    expect(lower).toBeCloseTo(b.diff - b.confidenceInterval, 15);
    expect(upper).toBeCloseTo(b.diff + b.confidenceInterval, 15);
  });

  it("takes the bounds from the rows' confidenceLower and confidenceUpper, not from diff -+ ci", () => {
    // An interval that is not diff -+ confidenceInterval shows where the columns come from.
    const row = {
      expId: 'x',
      metricId: 1,
      metricName: 'M',
      expVariantId: 'b',
      mean: 0.5,
      diff: 0.1,
      confidenceInterval: 0.2,
      confidenceLower: -0.05,
      confidenceUpper: 0.3,
      pValue: 0.3,
    } as unknown as MetricRow;
    expect(toWideTable({ metrics: [row] }).rows[0]!.values).toEqual([0.5, 0.1, -0.05, 0.3, 0.3]);
  });

  it('keeps the lower bound below the upper bound for a negative control mean', () => {
    // Net value per unit: control -2 (sum -200 over 100 units), treatment -1.8 (sum -180 over 100), both
    // with standard deviation 1 (sum of squares (n - 1) * 1 + sum^2 / n): diff = (-1.8 + 2) / |-2| = +0.1.
    const experiment = new Experiment({
      id: 'net',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [
        new Metric({
          id: 1,
          name: 'Net',
          nominator: 'value(u.unit.net)',
          denominator: 'count(u.global.exposure)',
        }),
      ],
    });
    const goal = (variant: string, aggType: string, name: string, sum: number, sumSquares: number) => ({
      exp_id: 'net',
      exp_variant_id: variant,
      unit_type: 'u',
      agg_type: aggType,
      goal: name,
      count: 100,
      sum_sqr_count: 100,
      sum_value: sum,
      sum_sqr_value: sumSquares,
      count_unique: 100,
    });
    const evaluation = experiment.evaluateAgg([
      goal('a', 'global', 'exposure', 100, 100),
      goal('b', 'global', 'exposure', 100, 100),
      goal('a', 'unit', 'net', -200, 99 + 200 ** 2 / 100),
      goal('b', 'unit', 'net', -180, 99 + 180 ** 2 / 100),
    ]);
    const b = evaluation.metrics[1]!;
    const [, diff, lower, upper] = toWideTable(evaluation).rows[1]!.values;
    expect(diff).toBeCloseTo(0.1, 12);
    expect(lower).toBe(b.confidenceLower);
    expect(upper).toBe(b.confidenceUpper);
    expect(lower).toBeLessThan(diff!);
    expect(diff).toBeLessThan(upper!);
  });

  it('matches the reference outputs of the three-variant test', () => {
    const { evaluation, reference } = threeVariantCase();
    const table = toWideTable(evaluation);
    if ('error' in reference.expected) throw new Error('the fixture holds an error');
    const log = new MismatchLog();
    expect(table.rows.map((row) => row.expVariantId)).toEqual(['a', 'b', 'c']);
    reference.expected.metrics.forEach((expected, index) => {
      const values = table.rows[index]!.values;
      const diff = decodeNumber(expected.diff);
      const interval = decodeNumber(expected.confidence_interval);
      const label = String(expected.exp_variant_id);
      log.check(`${label} mean`, values[0]!, decodeNumber(expected.mean), TOLERANCE);
      log.check(`${label} diff`, values[1]!, diff, TOLERANCE);
      log.check(`${label} lower`, values[2]!, diff - interval, { relative: 1e-8, absolute: 1e-12 });
      log.check(`${label} upper`, values[3]!, diff + interval, { relative: 1e-8, absolute: 1e-12 });
      log.check(`${label} p-value`, values[4]!, decodeNumber(expected.p_value), TOLERANCE);
    });
    expect(log.mismatches).toEqual([]);
  });

  it('orders metrics by id, not by definition order', () => {
    const metric = (id: number, name: string) =>
      new Metric({ id, name, nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' });
    const experiment = new Experiment({
      id: 'x',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [metric(10, 'Ten'), metric(2, 'Two')],
    });
    const table = toWideTable(experiment.evaluateAgg([]));
    expect(table.columns.map((column) => column.metricId)).toEqual([2, 2, 2, 2, 2, 10, 10, 10, 10, 10]);
  });

  it('orders numeric ids before string ids and keeps 1 and "1" apart', () => {
    const row = (metricId: number | string, expVariantId: string, mean: number) =>
      ({
        expId: 'x',
        metricId,
        metricName: String(metricId),
        expVariantId,
        mean,
        diff: 0,
        confidenceInterval: 0,
        pValue: 1,
      }) as unknown as MetricRow;
    const table = toWideTable({ metrics: [row('b', 'a', 1), row('1', 'a', 2), row(1, 'a', 3)] });
    expect(
      table.columns.filter((column) => column.statistic === 'mean').map((column) => column.metricId),
    ).toEqual([1, '1', 'b']);
    expect(table.rows[0]!.values.filter((_, index) => index % 5 === 0)).toEqual([3, 2, 1]);
  });

  it('fills NaN where a metric has no row for a variant', () => {
    const row = (metricId: number, expVariantId: string) =>
      ({
        expId: 'x',
        metricId,
        metricName: 'M',
        expVariantId,
        mean: 0.5,
        diff: 0.1,
        confidenceInterval: 0.2,
        confidenceLower: 0.1 - 0.2,
        confidenceUpper: 0.1 + 0.2,
        pValue: 0.3,
      }) as unknown as MetricRow;
    const table = toWideTable({ metrics: [row(1, 'a'), row(1, 'b'), row(2, 'b')] });
    expect(table.rows[0]!.values.slice(5)).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ]);
    expect(table.rows[1]!.values.slice(5)).toEqual([0.5, 0.1, 0.1 - 0.2, 0.1 + 0.2, 0.3]);
  });

  it('returns frozen data', () => {
    const table = toWideTable(readmeCase().evaluation);
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.isFrozen(table.rows[0]!.values)).toBe(true);
  });
});
