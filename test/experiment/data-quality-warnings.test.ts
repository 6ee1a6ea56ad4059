import { describe, expect, it } from 'vitest';
import { type EvaluationWarning, Experiment, Metric, SimpleMetric } from '../../src/index.js';
import { compareWithReference } from '../support/compare-evaluation.js';
import { aggregatedGoalRow, type GoalColumns, unitGoalRow } from '../support/goal-rows.js';
import { experimentOfRequest, loadReferenceCases } from '../support/reference-cases.js';

const U = 'u';
const exposures = `count(${U}.global.exposure)`;

/** An aggregated row of experiment `e` of unit type `u`; `sums` replace the sums (default: `count` 1). */
const aggRow = (variant: string, goal: string, sums: GoalColumns) =>
  aggregatedGoalRow(variant, goal, Number(sums.count ?? 1), sums);

/** Revenue per exposed unit, from rows per unit. */
const byUnitRevenue = () =>
  new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: U,
    metrics: [
      new Metric({
        id: 1,
        name: 'Revenue',
        nominator: `value(${U}.unit.buy)`,
        denominator: `count(${U}.unit.exposure)`,
      }),
    ],
  });

/** The rows of units exposed in `variant`. */
const exposed = (variant: string, ...units: string[]) =>
  units.map((unit) => unitGoalRow(variant, unit, 'exposure'));

const codes = (warnings: readonly EvaluationWarning[], code: string) =>
  warnings.filter((w) => w.code === code);

describe('inconsistent-sums', () => {
  const references = loadReferenceCases();

  it('flags the reference test data whose sums of squares are impossible, and keeps its numbers', () => {
    const unique = references.find((c) => c.name === 'fixture-test_unique')!;
    const evaluation = experimentOfRequest(unique.request).evaluateAgg(unique.goals as never);
    expect(compareWithReference(evaluation, unique.expected)).toEqual([]);
    // count 512, sum_sqr_count 542, count_unique 455: 542 < 512^2 / 455 = 576.1 (and the same for the values).
    expect(codes(evaluation.warnings, 'inconsistent-sums')).toEqual([
      {
        code: 'inconsistent-sums',
        message:
          'Goal `unique(test_unit_type.unit.click)` has rows whose sums of squares are impossible for their sums ' +
          '(`sum_sqr_value` below `sum_value^2 / count_unique`, and `sum_sqr_count` below `count^2 / count_unique`) ' +
          'in variants `a`, `b`, `c`; they are evaluated as they are, but their variances are not those of real ' +
          'per-unit values.',
        goal: 'unique(test_unit_type.unit.click)',
        variants: ['a', 'b', 'c'],
      },
    ]);
  });

  it('checks each row: an impossible row is found even when the summed cell looks possible', () => {
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: U,
      metrics: [
        new Metric({ id: 1, name: 'Revenue', nominator: `value(${U}.unit.buy)`, denominator: exposures }),
      ],
    });
    // Row 1: 10 units summing to 100 need a sum of squares of at least 1000; 500 is impossible. Summed with
    // row 2 (sum 0, squares 5000, 10 units) the cell, 100 and 5500 over 20 units, would pass (>= 500).
    const rows = [
      aggRow('a', 'exposure', { count: 20 }),
      aggRow('b', 'exposure', { count: 20 }),
      aggRow('a', 'buy', { count: 10, sum_value: 100, sum_sqr_value: 500, count_unique: 10, product: 'p1' }),
      aggRow('a', 'buy', { count: 10, sum_value: 0, sum_sqr_value: 5000, count_unique: 10, product: 'p2' }),
      aggRow('b', 'buy', { count: 10, sum_value: 100, sum_sqr_value: 1000, count_unique: 10 }),
    ];
    const evaluation = experiment.evaluateAgg(rows);
    expect(codes(evaluation.warnings, 'inconsistent-sums')).toMatchObject([
      { goal: `value(${U}.unit.buy)`, variants: ['a'] },
    ]);
    expect(codes(evaluation.warnings, 'inconsistent-sums')[0]!.message).toContain(
      '(`sum_sqr_value` below `sum_value^2 / count_unique`)',
    );
    // Equality (every unit has the same value) and rounding within the tolerance are not flagged.
    const equal = [
      aggRow('a', 'exposure', { count: 3 }),
      aggRow('a', 'buy', {
        count: 3,
        sum_value: 0.1 + 0.1 + 0.1,
        sum_sqr_value: 0.03 * (1 - 1e-9),
        count_unique: 3,
      }),
    ];
    expect(codes(experiment.evaluateAgg(equal).warnings, 'inconsistent-sums')).toEqual([]);
  });

  it('is not checked for wide input, which has no unit counts', () => {
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: U,
      metrics: [
        new SimpleMetric({
          id: 1,
          name: 'Bookings',
          numerator: 'bookings',
          denominator: 'views',
          unitType: U,
        }),
      ],
    });
    const rows = [
      { exp_id: 'e', variant: 'a', views: 100, bookings: 50, bookings_squared: 10 },
      { exp_id: 'e', variant: 'b', views: 100, bookings: 60, bookings_squared: 12 },
    ];
    expect(experiment.evaluateWideAgg(rows).warnings.map((w) => w.code)).not.toContain('inconsistent-sums');
  });
});

describe('unit-in-several-variants', () => {
  it('counts the unit ids found in more than one variant once, and keeps them as units of each variant', () => {
    const experiment = byUnitRevenue();
    const rows = [
      ...exposed('a', '1', '2', '3'),
      ...exposed('b', '2', '3', '4'),
      unitGoalRow('b', '2', 'buy', 5),
      unitGoalRow('a', '2', 'buy', 3),
    ];
    const evaluation = experiment.evaluateByUnit(rows);
    expect(codes(evaluation.warnings, 'unit-in-several-variants')).toEqual([
      {
        code: 'unit-in-several-variants',
        message:
          '2 units of unit type `u` appear in more than one variant (e.g. unit `2`); each variant counts them as a ' +
          'unit of its own. Check the assignment of units to variants.',
        count: 2,
      },
    ]);
    expect(evaluation.metrics.map((row) => [row.count, row.sumValue])).toEqual([
      [3, 3],
      [3, 5],
    ]);
  });
});

describe('non-finite-sums', () => {
  it('by unit: names the goal whose squared per-unit totals overflow instead of a silent NaN', () => {
    const experiment = byUnitRevenue();
    const rows = [
      ...exposed('a', '1', '2'),
      ...exposed('b', '3', '4'),
      unitGoalRow('a', '1', 'buy', 1e200),
      unitGoalRow('b', '3', 'buy', 1),
    ];
    const evaluation = experiment.evaluateByUnit(rows);
    expect(codes(evaluation.warnings, 'non-finite-sums')).toEqual([
      {
        code: 'non-finite-sums',
        message:
          'The sums of goal `value(u.unit.buy)` (or of their squares) overflow to Infinity in variant `a`; ' +
          'statistics that read the goal are not finite there. Rescale the values (e.g. to thousands).',
        goal: 'value(u.unit.buy)',
        variants: ['a'],
      },
    ]);
  });

  it('aggregated: names the goal whose summed rows overflow, and a metric whose own arithmetic overflows', () => {
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: U,
      metrics: [
        new Metric({ id: 1, name: 'Revenue', nominator: `value(${U}.unit.buy)`, denominator: exposures }),
        new Metric({
          id: 2,
          name: 'Scaled',
          nominator: `value(${U}.unit.view) * value(${U}.unit.view)`,
          denominator: exposures,
        }),
      ],
    });
    const big = { count: 1, sum_value: 1e308, sum_sqr_value: 1e308, count_unique: 1 };
    const rows = [
      aggRow('a', 'exposure', { count: 10 }),
      aggRow('b', 'exposure', { count: 10 }),
      aggRow('a', 'buy', big),
      aggRow('a', 'buy', big),
      aggRow('b', 'buy', { count: 1 }),
      aggRow('a', 'view', { count: 1 }),
      aggRow('b', 'view', { count: 1, sum_value: 1e200, sum_sqr_value: 1e200 }),
    ];
    const warnings = codes(experiment.evaluateAgg(rows).warnings, 'non-finite-sums');
    expect(warnings.map((w) => [w.goal, w.metricIds, w.variants])).toEqual([
      ['value(u.unit.buy)', undefined, ['a']],
      [undefined, [2], ['b']],
    ]);
    expect(warnings[1]!.message).toBe(
      "The sums of metric 'Scaled' (its nominator, the squares of its nominator or its denominator) are not " +
        'finite in variant `b`; its statistics there are NaN or infinite.',
    );
  });
});
