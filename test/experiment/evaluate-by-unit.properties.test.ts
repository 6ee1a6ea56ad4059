import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  Experiment,
  Metric,
  SrmCheck,
  SumRatioCheck,
  type UnitGoalRow,
} from '../../src/index.js';
import { mismatch } from '../support/fixtures.js';

const denominator = 'count(u.unit.exposure)';
const metrics = [
  new Metric({ id: 1, name: 'Clicks', nominator: 'count(u.unit.click)', denominator }),
  new Metric({ id: 2, name: 'Revenue', nominator: 'value(u.unit.revenue)', denominator }),
  new Metric({ id: 3, name: 'Clickers', nominator: 'unique(u.unit.click)', denominator }),
  new Metric({
    id: 4,
    name: 'Button revenue',
    nominator: 'value(u.unit.revenue(element=button))',
    denominator,
  }),
];
const checks = [
  new SrmCheck({ id: 1, name: 'SRM', denominator }),
  new SumRatioCheck({ id: 2, name: 'Clicks per exposure', nominator: 'count(u.unit.click)', denominator }),
];
const experiment = new Experiment({ id: 'x', controlVariant: 'a', unitType: 'u', metrics, checks });

/** One goal row of a unit; values are multiples of 1/4 so that every sum is exact in floating point. */
const goalRow = fc.record({
  goal: fc.constantFrom('click', 'revenue'),
  element: fc.constantFrom('', 'button'),
  count: fc.integer({ min: 1, max: 5 }),
  quarterValue: fc.integer({ min: 0, max: 4000 }),
});
const unit = fc.record({
  variant: fc.constantFrom('a', 'b', 'c'),
  rows: fc.array(goalRow, { maxLength: 4 }),
});
const units = fc.array(unit, { minLength: 1, maxLength: 40 });

function unitRows(
  data: { variant: string; rows: { goal: string; element: string; count: number; quarterValue: number }[] }[],
) {
  const rows: UnitGoalRow[] = [];
  data.forEach((u, index) => {
    const common = {
      exp_id: 'x',
      exp_variant_id: u.variant,
      unit_type: 'u',
      agg_type: 'unit',
      unit_id: `u${index}`,
    };
    rows.push({ ...common, goal: 'exposure', element: '', count: 1, sum_value: 1 });
    for (const r of u.rows) {
      rows.push({
        ...common,
        goal: r.goal,
        element: r.element,
        count: r.count,
        sum_value: r.quarterValue / 4,
      });
    }
  });
  return rows;
}

/** What a warehouse would return: per-unit totals first, then count, squares and uniques per variant. */
function aggregate(rows: UnitGoalRow[]): AggregatedGoalRow[] {
  const perUnit = new Map<string, { row: UnitGoalRow; count: number; value: number }>();
  for (const row of rows) {
    const key = [row.exp_variant_id, row.goal, row.element, row.unit_id].join('|');
    const total = perUnit.get(key) ?? { row, count: 0, value: 0 };
    total.count += Number(row.count);
    total.value += Number(row.sum_value);
    perUnit.set(key, total);
  }
  const groups = new Map<string, AggregatedGoalRow>();
  for (const { row, count, value } of perUnit.values()) {
    const key = [row.exp_variant_id, row.goal, row.element].join('|');
    const group = groups.get(key) ?? {
      exp_id: 'x',
      exp_variant_id: row.exp_variant_id,
      unit_type: 'u',
      agg_type: 'unit',
      goal: row.goal,
      element: row.element,
      count: 0,
      sum_sqr_count: 0,
      sum_value: 0,
      sum_sqr_value: 0,
      count_unique: 0,
    };
    groups.set(key, {
      ...group,
      count: Number(group.count) + count,
      sum_sqr_count: Number(group.sum_sqr_count) + count * count,
      sum_value: Number(group.sum_value) + value,
      sum_sqr_value: Number(group.sum_sqr_value) + value * value,
      count_unique: Number(group.count_unique) + (count > 0 ? 1 : 0),
    });
  }
  return [...groups.values()];
}

describe('evaluateByUnit invariants', () => {
  it('equals evaluateAgg on the same data aggregated per unit (non-winsorized metrics)', () => {
    fc.assert(
      fc.property(units, (data) => {
        const rows = unitRows(data);
        const byUnit = experiment.evaluateByUnit(rows, { timestamp: 0 });
        const agg = experiment.evaluateAgg(aggregate(rows), { timestamp: 0 });
        const problems: string[] = [];
        byUnit.metrics.forEach((row, index) => {
          const other = agg.metrics[index]!;
          for (const field of [
            'count',
            'mean',
            'std',
            'sumValue',
            'diff',
            'pValue',
            'confidenceInterval',
          ] as const) {
            const problem = mismatch(row[field], other[field], { relative: 1e-12, absolute: 1e-300 });
            if (problem) problems.push(`${row.metricName} ${row.expVariantId} ${field}: ${problem}`);
          }
        });
        byUnit.checks.forEach((row, index) => {
          const problem = mismatch(row.value, agg.checks[index]!.value, {
            relative: 1e-12,
            absolute: 1e-300,
          });
          if (problem) problems.push(`check ${row.checkId} ${row.variableId}: ${problem}`);
        });
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same result when a unit is split over several rows', () => {
    fc.assert(
      fc.property(units, fc.nat(), (data, pick) => {
        const rows = unitRows(data);
        const index = pick % rows.length;
        const row = rows[index]!;
        const half = { ...row, count: Number(row.count) / 2, sum_value: Number(row.sum_value) / 2 };
        const split = [...rows.slice(0, index), half, half, ...rows.slice(index + 1)];
        expect(experiment.evaluateByUnit(split, { timestamp: 0 })).toEqual(
          experiment.evaluateByUnit(rows, { timestamp: 0 }),
        );
      }),
      { numRuns: 300 },
    );
  });
});
