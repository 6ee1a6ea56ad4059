import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestData } from '../../src/testing/index.js';
import { packageDataFolder } from '../../src/testing/package-data-folder.js';
import { FIXTURES } from '../support/fixtures.js';

const ROOT = join(FIXTURES, '..');

describe('TestData loads the bundled reference data', () => {
  it('reads every row of every file', () => {
    const evaluations = TestData.loadEvaluations();
    expect({
      agg: TestData.loadGoalsAgg().length,
      byUnit: TestData.loadGoalsByUnit().length,
      wide: TestData.loadGoalsSimpleAgg().length,
      metrics: evaluations.metrics.length,
      checks: evaluations.checks.length,
      exposures: evaluations.exposures.length,
    }).toEqual({ agg: 206, byUnit: 163, wide: 2, metrics: 83, checks: 79, exposures: 73 });
  });

  it('keeps text cells as text (empty dimension and date cells as empty strings) and numbers as numbers', () => {
    const [click] = TestData.loadGoalsAgg('test-dimension');
    expect(click).toEqual({
      exp_id: 'test-dimension',
      date: '',
      exp_variant_id: 'a',
      unit_type: 'test_unit_type',
      agg_type: 'global',
      goal: 'exposure',
      element: '',
      product: '',
      count: 1000,
      sum_sqr_count: 1000,
      sum_value: 1000,
      sum_sqr_value: 1000,
      count_unique: 1000,
    });
    const dated = TestData.loadGoalsAgg('test-sequential-v1');
    expect(dated.map((row) => row.date)).toContain('2020-01-14');
    expect(TestData.loadGoalsAgg('test-dim-operators').map((row) => row.product)).toEqual([
      '',
      '',
      '>1',
      '>1',
      '!=1',
      '!=1',
    ]);
  });

  it('filters by experiment id', () => {
    expect(TestData.loadGoalsAgg('test-conversion').every((row) => row.exp_id === 'test-conversion')).toBe(
      true,
    );
    expect(TestData.loadGoalsByUnit('test-real-valued')).toHaveLength(75);
    expect(TestData.loadGoalsAgg('no-such-experiment')).toEqual([]);
    expect(TestData.loadEvaluations('test-srm').checks).toHaveLength(3);
  });

  it('reads by-unit rows with their dimension columns and text unit ids', () => {
    const rows = TestData.loadGoalsByUnit('test-trigger');
    expect(rows.find((row) => row.goal === 'click')).toEqual({
      exp_id: 'test-trigger',
      exp_variant_id: 'a',
      unit_type: 'test_unit_type',
      agg_type: 'unit',
      goal: 'click',
      dimension: 'product',
      dimension_value: '1',
      unit_id: '1',
      count: 1,
      sum_value: 10,
    });
  });

  it('keeps the column order of wide rows (experiment id, variant, goals)', () => {
    const rows = TestData.loadGoalsSimpleAgg('test-simple-metric');
    expect(rows.map((row) => Object.entries(row))).toEqual([
      [
        ['exp_id', 'test-simple-metric'],
        ['variant', 'a'],
        ['views', 473661],
        ['clicks', 48194],
        ['conversions', 413],
        ['bookings', 17152],
        ['bookings_squared', 803105],
      ],
      [
        ['exp_id', 'test-simple-metric'],
        ['variant', 'b'],
        ['views', 471485],
        ['clicks', 47184],
        ['conversions', 360],
        ['bookings', 14503],
        ['bookings_squared', 677178],
      ],
    ]);
  });

  it('reads the spreadsheet cells N/A and NA as NaN, inf as Infinity, ids as numbers', () => {
    const { metrics, checks, exposures } = TestData.loadEvaluations();
    const exposureRow = metrics.find(
      (row) => row.exp_id === 'test-missing-default-exposure' && row.exp_variant_id === 'a',
    );
    expect(exposureRow).toMatchObject({
      metric_id: 1,
      metric_name: 'Click-through Rate',
      count: 0,
      sum_value: 30,
    });
    expect(exposureRow?.mean).toBe(Number.POSITIVE_INFINITY);
    expect(exposureRow?.diff).toBeNaN();
    expect(exposureRow?.['degrees of freedom']).toBeNaN();
    const fpr = metrics.find(
      (row) => row.exp_id === 'test-false-positive-risk' && row.exp_variant_id === 'b',
    );
    expect(fpr).toMatchObject({ power: 0.079165, required_sample_size: 26043, minimum_effect: 0.05 });
    expect(fpr?.false_positive_risk).toBeNaN();
    expect(checks[0]).toEqual({
      exp_id: 'test-srm',
      check_id: 1,
      check_name: 'SRM',
      variable_id: 'p_value',
      value: 0.140747987,
    });
    expect(exposures[0]).toEqual({
      exp_id: 'test-conversion',
      exp_variant_id: 'a',
      unit_type: 'test_unit_type',
      agg_type: 'global',
      goal: 'exposure',
      count: 21,
    });
  });

  it('returns fresh rows on every call', () => {
    const [first] = TestData.loadGoalsAgg('test-conversion');
    (first as Record<string, unknown>).count = -1;
    expect(TestData.loadGoalsAgg('test-conversion')[0]?.count).toBe(5);
  });

  it('finds the data folder from the sources and from any folder inside the package', () => {
    expect(packageDataFolder()).toBe(join(ROOT, 'fixtures', 'ep-stats'));
    expect(packageDataFolder(join(ROOT, 'dist', 'testing.cjs'))).toBe(join(ROOT, 'fixtures', 'ep-stats'));
    expect(() => packageDataFolder('/')).toThrow(/no package.json named ep-stats/);
  });
});
