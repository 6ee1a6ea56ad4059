import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  type EvaluationWarning,
  Experiment,
  Metric,
  SrmCheck,
  SumRatioCheck,
  ValidationError,
} from '../../src/index.js';
import { compareWithReference } from '../support/compare-evaluation.js';
import { mismatch } from '../support/fixtures.js';
import { unitGoalRow } from '../support/goal-rows.js';
import { experimentOfRequest, loadReferenceCases, type ReferenceCase } from '../support/reference-cases.js';

const all = loadReferenceCases();
const byName = (name: string) => all.find((c) => c.name === name)!;
const evaluateCase = (referenceCase: ReferenceCase, warnings: EvaluationWarning[] = []) =>
  experimentOfRequest(referenceCase.request).evaluateByUnit(referenceCase.goals as never, {
    onWarning: (warning) => warnings.push(warning),
  });

describe('evaluateByUnit matches the reference outputs', () => {
  const fixtures = all.filter((c) => c.kind === 'by_unit' && c.source === 'fixture');

  it('covers every by-unit fixture case', () => {
    expect(fixtures.map((c) => c.name)).toHaveLength(8);
  });

  for (const referenceCase of fixtures) {
    it(referenceCase.name, () => {
      expect(compareWithReference(evaluateCase(referenceCase), referenceCase.expected)).toEqual([]);
    });
  }
});

describe('evaluateWideAgg matches the reference outputs', () => {
  for (const referenceCase of all.filter((c) => c.kind === 'wide_agg')) {
    it(referenceCase.name, () => {
      const experiment = experimentOfRequest(referenceCase.request, referenceCase.simple_metrics === true);
      const evaluation = experiment.evaluateWideAgg(referenceCase.goals as never);
      expect(compareWithReference(evaluation, referenceCase.expected)).toEqual([]);
    });
  }
});

/** Sample mean and standard deviation (n - 1) of per-unit values. */
function moments(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** Per-unit totals of one goal's sum_value (or count) in a case's goal rows, by variant then unit. */
function unitTotals(referenceCase: ReferenceCase, goal: string, column: 'sum_value' | 'count') {
  const totals = new Map<string, Map<string, number>>();
  for (const row of referenceCase.goals as unknown as AggregatedGoalRow[]) {
    const units = totals.get(String(row.exp_variant_id)) ?? new Map<string, number>();
    totals.set(String(row.exp_variant_id), units);
    const unit = String(row.unit_id);
    units.set(unit, (units.get(unit) ?? 0) + (row.goal === goal ? Number(row[column]) : 0));
  }
  return totals;
}

describe('by-unit evaluation where the reference fails (documented deviations)', () => {
  it('evaluates a compound nominator with the variance of the per-unit net values', () => {
    const referenceCase = byName('quirk-by-unit-compound-expression');
    expect('error' in referenceCase.expected).toBe(true);
    const evaluation = evaluateCase(referenceCase);
    const conversion = unitTotals(referenceCase, 'conversion', 'sum_value');
    const exposure = unitTotals(referenceCase, 'exposure', 'sum_value');
    for (const row of evaluation.metrics) {
      const units = [...conversion.get(row.expVariantId)!.keys()];
      const net = units.map(
        (unit) => conversion.get(row.expVariantId)!.get(unit)! - exposure.get(row.expVariantId)!.get(unit)!,
      );
      const expected = moments(net); // a: 5 units, net values -1, 4, -1, 6.5, 0
      expect(row.count).toBe(units.length);
      expect(mismatch(row.mean, expected.mean, { relative: 1e-12, absolute: 1e-15 })).toBeUndefined();
      expect(mismatch(row.std, expected.std, { relative: 1e-12, absolute: 1e-15 })).toBeUndefined();
    }
  });

  it('zero-fills a control variant without rows', () => {
    // The control `c` has no rows at all; the reference fails, we evaluate it as zeros.
    const evaluation = evaluateCase(byName('quirk-by-unit-control-missing'));
    expect(evaluation.metrics.map((row) => row.expVariantId)).toEqual(['a', 'b', 'c']);
    const control = evaluation.metrics[2]!;
    expect([control.count, control.sumValue]).toEqual([0, 0]);
    expect(control.mean).toBeNaN();
    expect(evaluation.metrics[0]!.diff).toBeNaN();
  });

  it('zero-fills a variant without rows of a dimensional goal', () => {
    const evaluation = evaluateCase(byName('quirk-by-unit-dim-missing-for-a-variant'));
    const b = evaluation.metrics.find((row) => row.expVariantId === 'b')!;
    expect([b.sumValue, b.mean]).toEqual([0, 0]);
    expect(b.count).toBeGreaterThan(0);
  });

  it('zero-fills a goal missing from the data and warns', () => {
    const warnings: EvaluationWarning[] = [];
    const evaluation = evaluateCase(byName('quirk-by-unit-missing-goal'), warnings);
    expect(evaluation.metrics.map((row) => row.sumValue)).toEqual([0, 0]);
    expect(warnings.filter((w) => w.code === 'goal-without-rows')).toEqual([
      {
        code: 'goal-without-rows',
        message: 'No row of goal `value(user.unit.refund)`; it counts as zero in every variant.',
        goal: 'value(user.unit.refund)',
        metricIds: [1],
      },
    ]);
  });

  it('warns that a global goal has no by-unit rows', () => {
    const warnings: EvaluationWarning[] = [];
    const evaluation = evaluateCase(byName('quirk-by-unit-global-denominator'), warnings);
    expect(evaluation.metrics.map((row) => row.count)).toEqual([0, 0]);
    expect(warnings.map((w) => w.code)).toEqual(['goal-without-rows', 'small-sample']);
    expect(warnings[0]!.message).toContain('user.global.exposure');
  });

  it('keeps an explicit variant without rows, zero-filled', () => {
    const referenceCase = byName('quirk-by-unit-missing-variant');
    const evaluation = evaluateCase(referenceCase);
    expect(evaluation.metrics.map((row) => row.expVariantId)).toEqual(['a', 'b', 'c']);
    expect(evaluation.exposures.map((row) => row.exposures)).toEqual([5, 5, 0]);
    if ('error' in referenceCase.expected) throw new Error('unexpected');
    // The means and deviations of a and b are the reference's (which drops c).
    for (const expected of referenceCase.expected.metrics) {
      const row = evaluation.metrics.find((r) => r.expVariantId === expected.exp_variant_id)!;
      expect(mismatch(row.mean, Number(expected.mean), { relative: 1e-12, absolute: 0 })).toBeUndefined();
      expect(mismatch(row.std, Number(expected.std), { relative: 1e-12, absolute: 0 })).toBeUndefined();
    }
  });

  it('evaluates a SumRatio check by unit from the per-unit counts', () => {
    const referenceCase = byName('quirk-by-unit-sum-ratio-unsupported');
    const evaluation = evaluateCase(referenceCase);
    const total = (goal: string) =>
      [...unitTotals(referenceCase, goal, 'count').values()]
        .flatMap((units) => [...units.values()])
        .reduce((a, b) => a + b, 0);
    const [nominator, denominator] = [total('conversion'), total('exposure')];
    const sumRatio = evaluation.checks.find((row) => row.checkId === 1 && row.variableId === 'sum_ratio')!;
    expect(sumRatio.value).toBe(nominator / (denominator + nominator));
    expect(evaluation.checks.filter((row) => row.checkId === 2).map((row) => row.variableId)).toEqual([
      'p_value',
      'test_stat',
      'confidence_level',
    ]);
  });
});

describe('winsorization', () => {
  const metric = (options: { outlierUpperPercentile?: number; outlierLowerPercentile?: number }) =>
    new Metric({
      id: 1,
      name: 'Revenue',
      nominator: 'value(u.unit.conversion)',
      denominator: 'count(u.unit.exposure)',
      ...options,
    });

  it.each([
    ['outlierUpperPercentile', 60, '`outlier_upper_percentile` must be in `[0, 50)` but `60` received.'],
    ['outlierLowerPercentile', 50, '`outlier_lower_percentile` must be in `[0, 50)` but `50` received.'],
    ['outlierLowerPercentile', -1, '`outlier_lower_percentile` must be in `[0, 50)` but `-1` received.'],
  ])('rejects %s = %s with the reference message', (field, value, message) => {
    expect(() => metric({ [field]: value })).toThrow(ValidationError);
    expect(() => metric({ [field]: value })).toThrow(message);
  });

  it('caps with the pooled 75th percentile, the same threshold for every variant, keeping units', () => {
    // Per-unit values a: 1, 2, 3; b: 4, 100. Pooled sorted [1, 2, 3, 4, 100]: the 0.75 quantile with linear
    // interpolation is at rank 3 -> 4, so b's 100 becomes 4 and a is unchanged.
    const rows = (
      [
        ['a', '1', 1],
        ['a', '2', 2],
        ['a', '3', 3],
        ['b', '4', 4],
        ['b', '5', 100],
      ] as const
    ).flatMap(([variant, unit, value]) => [
      unitGoalRow(variant, unit, 'exposure'),
      unitGoalRow(variant, unit, 'conversion', value),
    ]);
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [metric({ outlierUpperPercentile: 25 })],
      checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.unit.exposure)' })],
    });
    const evaluation = experiment.evaluateByUnit(rows as never);
    expect(evaluation.metrics.map((row) => [row.count, row.sumValue])).toEqual([
      [3, 6],
      [2, 8],
    ]);
  });

  it('reads SumRatio and SRM checks from by-unit data', () => {
    const check = new SumRatioCheck({
      id: 2,
      name: 'SumRatio',
      nominator: 'count(u.unit.conversion)',
      denominator: 'count(u.unit.exposure)',
    });
    expect(check.goals).toHaveLength(2);
  });
});

describe('by-unit compound nominators', () => {
  it('read zeros for a goal that no unit has', () => {
    // Two units in `a` with 2 and 3 clicks and no button views: per-unit values 2 + 0 and 3 + 0.
    const row = (unit: string, goal: string, count: number) =>
      unitGoalRow('a', unit, goal, count, count, { element: '' });
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [
        new Metric({
          id: 1,
          name: 'Clicks and button views',
          nominator: 'count(u.unit.click) + count(u.unit.view(element=button))',
          denominator: 'count(u.unit.exposure)',
        }),
      ],
    });
    const [metric] = experiment.evaluateByUnit([
      row('1', 'exposure', 1),
      row('2', 'exposure', 1),
      row('1', 'click', 2),
      row('2', 'click', 3),
    ]).metrics;
    expect([metric?.count, metric?.sumValue, metric?.mean]).toEqual([2, 5, 2.5]);
    expect(metric?.std).toBeCloseTo(Math.SQRT1_2, 15);
  });
});
