/**
 * By unit, a CUPED metric reads its pre-period values from unit rows marked with `pre_days`: the same numbers
 * as `evaluateMetricSums` on the metric sums of those per-unit values (computed here directly from the units),
 * for a mean and for a ratio metric; pre-period rows never count as experiment-period goals.
 */
import { describe, expect, it } from 'vitest';
import {
  DataError,
  type Evaluation,
  type EvaluationWarning,
  Experiment,
  Metric,
  type MetricRow,
  type MetricSumsRow,
  type UnitGoalRow,
  ValidationError,
} from '../../src/index.js';
import { armSums, metricSumsRow } from '../support/cuped-sums.js';
import { standardNormal, uniform } from '../support/uniform.js';

interface Unit {
  readonly variant: 'a' | 'b' | 'c';
  readonly id: string;
  readonly orders: number;
  readonly revenue: number;
  readonly preOrders: number;
  readonly preRevenue: number;
}

const random = uniform(20_261_208);
const units: Unit[] = [];
for (let i = 0; i < 3_000; i++) {
  const propensity = Math.exp(0.6 * standardNormal(random));
  const orders = Math.floor(random() * 3 * propensity);
  const preOrders = Math.floor(random() * 3 * propensity);
  units.push({
    variant: (['a', 'b', 'c'] as const)[i % 3]!,
    id: `u${i}`,
    orders,
    revenue: orders * 20 * propensity * (1 + random()),
    preOrders,
    preRevenue: preOrders * 20 * propensity * (1 + random()),
  });
}

function unitRows(list: readonly Unit[], preDays = 14): UnitGoalRow[] {
  return list.flatMap((unit) => {
    const base = {
      exp_id: 'shop',
      exp_variant_id: unit.variant,
      unit_type: 'user',
      agg_type: 'unit',
      unit_id: unit.id,
    };
    const rows: UnitGoalRow[] = [{ ...base, goal: 'exposure', count: 1, sum_value: 0 }];
    if (unit.orders > 0) rows.push({ ...base, goal: 'order', count: unit.orders, sum_value: unit.revenue });
    if (unit.preOrders > 0) {
      rows.push({
        ...base,
        goal: 'order',
        count: unit.preOrders,
        sum_value: unit.preRevenue,
        pre_days: preDays,
      });
    }
    return rows;
  });
}

const revenuePerUser = (cuped: boolean) =>
  new Metric({
    id: 1,
    name: 'Revenue per user',
    nominator: 'value(user.unit.order)',
    denominator: 'count(user.unit.exposure)',
    kind: 'mean',
    ...(cuped ? { cuped: { preDays: 14 } } : {}),
  });
const revenuePerOrder = (cuped: boolean) =>
  new Metric({
    id: 2,
    name: 'Revenue per order',
    nominator: 'value(user.unit.order)',
    denominator: 'count(user.unit.order)',
    ...(cuped ? { cuped: { preDays: 14 } } : {}),
  });

function experiment(cuped: boolean) {
  return new Experiment({
    id: 'shop',
    controlVariant: 'a',
    unitType: 'user',
    metrics: [revenuePerUser(cuped), revenuePerOrder(cuped)],
  });
}

/** Metric sums of the two metrics straight from the units: x, y, u, v per unit (y = v = 1 for the mean). */
function metricSums(list: readonly Unit[]): MetricSumsRow[] {
  return [1, 2].flatMap((metricId) =>
    ['a', 'b', 'c'].map((variant) =>
      metricSumsRow(
        variant,
        metricId,
        armSums(
          list
            .filter((unit) => unit.variant === variant)
            .map((unit) =>
              metricId === 1
                ? { x: unit.revenue, u: unit.preRevenue }
                : { x: unit.revenue, y: unit.orders, u: unit.preRevenue, v: unit.preOrders },
            ),
        ),
        'shop',
      ),
    ),
  );
}

const FIELDS = [
  'mean',
  'std',
  'diff',
  'standardError',
  'pValue',
  'confidenceLower',
  'confidenceUpper',
  'absoluteDiff',
  'absoluteDiffLower',
  'absoluteDiffUpper',
  'degreesOfFreedom',
  'cupedTheta',
  'varianceReduction',
] as const satisfies readonly (keyof MetricRow)[];

function expectSameStatistics(
  actual: Evaluation,
  expected: Evaluation,
  fields: readonly (keyof MetricRow)[] = FIELDS,
) {
  expect(actual.metrics.length).toBe(expected.metrics.length);
  actual.metrics.forEach((row, i) => {
    const other = expected.metrics[i]!;
    for (const field of fields) {
      const a = row[field] as number;
      const b = other[field] as number;
      if (Number.isNaN(b)) expect(a, `${field} of row ${i}`).toBeNaN();
      else
        expect(Math.abs(a - b), `${field} of row ${i}: ${a} vs ${b}`).toBeLessThanOrEqual(
          1e-12 * Math.max(1, Math.abs(b)),
        );
    }
  });
}

describe('evaluateByUnit with a CUPED metric', () => {
  it('equals evaluateMetricSums on the per-unit sums (mean and ratio, three variants, Holm)', () => {
    const byUnit = experiment(true).evaluateByUnit(unitRows(units));
    const fromSums = experiment(true).evaluateMetricSums(metricSums(units));
    expectSameStatistics(byUnit, fromSums);
    // Revenue per user: the pre-period explains a share of the variance (propensity is shared).
    const treatment = byUnit.metrics.find((row) => row.metricId === 1 && row.expVariantId === 'b')!;
    expect(treatment.varianceReduction).toBeGreaterThan(0.05);
    expect(treatment.cupedTheta).toBeGreaterThan(0);
  });

  it('reads column arrays as row objects', () => {
    const rows = unitRows(units);
    const columns: Record<string, unknown[]> = {};
    for (const key of [
      'exp_id',
      'exp_variant_id',
      'unit_type',
      'agg_type',
      'goal',
      'unit_id',
      'count',
      'sum_value',
      'pre_days',
    ]) {
      columns[key] = rows.map((row) => row[key] ?? null);
    }
    const fromColumns = experiment(true).evaluateByUnit(columns as never);
    expectSameStatistics(fromColumns, experiment(true).evaluateByUnit(rows));
  });

  it('without CUPED, pre-period rows are ignored: the same as the rows without them', () => {
    const withPre = experiment(false).evaluateByUnit(unitRows(units));
    const withoutPre = experiment(false).evaluateByUnit(
      unitRows(units.map((unit) => ({ ...unit, preOrders: 0, preRevenue: 0 }))),
    );
    expectSameStatistics(withPre, withoutPre, FIELDS.slice(0, 11));
    expect(withPre.metrics[0]?.cupedTheta).toBeUndefined();
  });

  it('drops pre-period rows of units that are not in the experiment', () => {
    const stranger: UnitGoalRow = {
      exp_id: 'shop',
      exp_variant_id: 'a',
      unit_type: 'user',
      agg_type: 'unit',
      unit_id: 'not-exposed',
      goal: 'order',
      count: 5,
      sum_value: 1e6,
      pre_days: 14,
    };
    expectSameStatistics(
      experiment(true).evaluateByUnit([...unitRows(units), stranger]),
      experiment(true).evaluateByUnit(unitRows(units)),
    );
  });

  it('warns cuped-without-pre-period and gives the unadjusted numbers when no row has the metric pre_days', () => {
    const warnings: EvaluationWarning[] = [];
    const other = experiment(true).evaluateByUnit(unitRows(units, 28), {
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.filter((w) => w.code === 'cuped-without-pre-period').map((w) => w.metricIds)).toEqual([
      [1],
      [2],
    ]);
    expect(other.metrics.every((row) => row.cupedTheta === 0 || row.expVariantId === 'a')).toBe(true);
    const plain = experiment(false).evaluateByUnit(unitRows(units, 28));
    expectSameStatistics(other, plain, ['mean', 'diff', 'pValue', 'standardError']);
  });

  it('names the goals of the pre-period rows when a goal name differs (a typo)', () => {
    const warnings: EvaluationWarning[] = [];
    const typo = unitRows(units).map((row) => (row.pre_days === 14 ? { ...row, goal: 'ordr' } : row));
    experiment(true).evaluateByUnit(typo, { onWarning: (w) => warnings.push(w) });
    const missing = warnings.filter((w) => w.code === 'cuped-without-pre-period');
    expect(missing.map((w) => w.metricIds)).toEqual([[1], [2]]);
    expect(missing[0]?.message).toContain('(pre_days 14 rows have the goals ordr)');
  });

  it('rejects a pre_days cell that is not a whole number of days, naming row and column', () => {
    const rows = unitRows(units.slice(0, 3));
    const bad = [...rows, { ...rows[0]!, goal: 'order', pre_days: 1.5 }];
    expect(() => experiment(true).evaluateByUnit(bad)).toThrow(DataError);
    expect(() => experiment(true).evaluateByUnit(bad)).toThrow(
      new RegExp(`^Row ${rows.length}, column \`pre_days\`: expected a whole number`),
    );
  });

  it('evaluateAgg and evaluateWideAgg reject a CUPED metric, naming it', () => {
    expect(() => experiment(true).evaluateAgg([])).toThrow(ValidationError);
    expect(() => experiment(true).evaluateWideAgg([])).toThrow(/instead of evaluateWideAgg/);
    try {
      experiment(true).evaluateAgg([]);
    } catch (error) {
      expect((error as ValidationError).path).toEqual(['metrics', 0, 'cuped']);
    }
  });
});

describe('a CUPED metric with a deep expression', () => {
  it('evaluates a nominator at the parser depth limit (1,000 terms) by unit', () => {
    const terms = 1_000;
    const deep = new Metric({
      id: 1,
      name: 'Revenue, 1,000 terms',
      nominator: Array.from({ length: terms }, () => 'value(user.unit.order)').join(' + '),
      denominator: 'count(user.unit.exposure)',
      kind: 'mean',
      cuped: { preDays: 14 },
    });
    const shallow = new Metric({
      id: 1,
      name: 'Revenue x 1,000',
      nominator: `value(user.unit.order) * ${terms}`,
      denominator: 'count(user.unit.exposure)',
      kind: 'mean',
      cuped: { preDays: 14 },
    });
    const evaluate = (metric: Metric) =>
      new Experiment({ id: 'shop', controlVariant: 'a', unitType: 'user', metrics: [metric] }).evaluateByUnit(
        unitRows(units.slice(0, 300)),
      );
    const [a, b] = [evaluate(deep), evaluate(shallow)];
    expect(a.metrics[1]?.cupedTheta).toBeCloseTo(b.metrics[1]!.cupedTheta!, 9);
    expect(a.metrics[1]?.pValue).toBeCloseTo(b.metrics[1]!.pValue, 9);
  });
});
