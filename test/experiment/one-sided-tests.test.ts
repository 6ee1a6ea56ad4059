/**
 * One-sided and non-inferiority metrics through `Experiment.evaluateAgg` and `evaluateMetricSums`: p-values,
 * half-open intervals of the relative and absolute differences, `significant` against the margin, Holm with
 * three variants, CUPED rows and the required sample size. Expected values are SciPy 1.17's
 * (`scipy.stats.t`), computed by hand and written next to each assertion, or relations to the two-sided test.
 */
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  type Evaluation,
  Experiment,
  holmBonferroni,
  Metric,
  type MetricOptions,
  type MetricRow,
  powerFromSampleSizes,
  requiredSampleSizePerVariant,
  SimpleMetric,
} from '../../src/index.js';
import { armSums, metricSumsRow } from '../support/cuped-sums.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { thrownValidationError } from '../support/thrown.js';
import { standardNormal, uniform } from '../support/uniform.js';

/** Rows of one variant: `n` exposed units whose `goal` values have mean `mean` and standard deviation `sd`. */
function variantRows(
  variant: string,
  n: number,
  mean: number,
  sd: number,
  goal = 'value',
): AggregatedGoalRow[] {
  const sum = n * mean;
  // sum of squares = (n - 1) sd^2 + sum^2 / n
  const sumSqr = (n - 1) * sd * sd + (sum * sum) / n;
  return [
    aggregatedGoalRow(variant, 'exposure', n),
    aggregatedGoalRow(variant, goal, n, { sum_value: sum, sum_sqr_value: sumSqr }),
  ];
}

function metric(id: number, options: Partial<MetricOptions> = {}): Metric {
  return new Metric({
    id,
    name: `metric ${id}`,
    nominator: 'value(u.unit.value)',
    denominator: 'count(u.global.exposure)',
    ...options,
  });
}

function evaluate(
  metrics: Metric[],
  rows: AggregatedGoalRow[],
  confidenceLevel = 0.95,
  variants?: string[],
): Evaluation {
  return new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: 'u',
    metrics,
    confidenceLevel,
    ...(variants === undefined ? {} : { variants }),
  }).evaluateAgg(rows);
}

function rowOf(evaluation: Evaluation, metricId: number, variant: string): MetricRow {
  const found = evaluation.metrics.find((row) => row.metricId === metricId && row.expVariantId === variant);
  if (found === undefined) throw new Error(`no row for metric ${metricId}, variant ${variant}`);
  return found;
}

describe('Metric options alternative and nonInferiorityMargin', () => {
  it('default to a two-sided test against 0 and are public properties', () => {
    const plain = metric(1);
    expect(plain.alternative).toBe('two-sided');
    expect(plain.nonInferiorityMargin).toBeUndefined();
    expect(metric(1, { nonInferiorityMargin: null }).nonInferiorityMargin).toBeUndefined();
    const guardrail = metric(2, { alternative: 'less', nonInferiorityMargin: 0.02 });
    expect([guardrail.alternative, guardrail.nonInferiorityMargin]).toEqual(['less', 0.02]);
    const simple = new SimpleMetric({
      id: 3,
      name: 'CTR',
      numerator: 'clicks',
      denominator: 'views',
      alternative: 'greater',
    });
    expect(simple.alternative).toBe('greater');
  });

  it('reject a margin with a two-sided test, outside (0, 1), and an unknown alternative, naming the path', () => {
    const twoSided = thrownValidationError(() => metric(1, { nonInferiorityMargin: 0.02 }));
    expect(twoSided.path).toEqual(['nonInferiorityMargin']);
    expect(twoSided.message).toContain('needs a one-sided `alternative`');
    expect(
      thrownValidationError(() => metric(1, { alternative: 'two-sided', nonInferiorityMargin: 0.02 })).path,
    ).toEqual(['nonInferiorityMargin']);
    for (const margin of [0, 1, -0.02, Number.NaN, '0.02']) {
      const error = thrownValidationError(() =>
        metric(1, { alternative: 'greater', nonInferiorityMargin: margin as number }),
      );
      expect(error.path).toEqual(['nonInferiorityMargin']);
    }
    const unknown = thrownValidationError(() => metric(1, { alternative: 'larger' as never }));
    expect(unknown.path).toEqual(['alternative']);
    expect(unknown.message).toBe(
      "`alternative` must be 'two-sided', 'greater' (higher is better) or 'less' (lower is better), " +
        "received 'larger'.",
    );
  });
});

describe('Metric option preferredDirection', () => {
  it('is undeclared by default, declared as given, and implied by a one-sided alternative', () => {
    expect(metric(1).preferredDirection).toBeUndefined();
    expect(metric(1, { preferredDirection: null }).preferredDirection).toBeUndefined();
    expect(metric(1, { preferredDirection: 'lower' }).preferredDirection).toBe('lower');
    expect(metric(1, { alternative: 'greater' }).preferredDirection).toBe('higher');
    expect(metric(1, { alternative: 'less', preferredDirection: 'lower' }).preferredDirection).toBe('lower');
    const simple = new SimpleMetric({
      id: 3,
      name: 'CTR',
      numerator: 'c',
      denominator: 'v',
      preferredDirection: 'higher',
    });
    expect(simple.preferredDirection).toBe('higher');
  });

  it('changes no statistic', () => {
    const rows = [
      aggregatedGoalRow('a', 'exposure', 1000),
      aggregatedGoalRow('b', 'exposure', 1000),
      aggregatedGoalRow('a', 'value', 1000, { sum_value: 2500, sum_sqr_value: 9000 }),
      aggregatedGoalRow('b', 'value', 1000, { sum_value: 2700, sum_sqr_value: 9900 }),
    ];
    const evaluate = (options: Partial<MetricOptions>) =>
      new Experiment({
        id: 'e',
        controlVariant: 'a',
        unitType: 'u',
        metrics: [metric(1, options)],
      }).evaluateAgg(rows, { timestamp: 0 }).metrics;
    expect(evaluate({ preferredDirection: 'lower' })).toEqual(evaluate({}));
  });

  it('rejects an unknown direction and one that contradicts the alternative, naming the path', () => {
    const unknown = thrownValidationError(() => metric(1, { preferredDirection: 'up' as never }));
    expect([unknown.path, unknown.message]).toEqual([
      ['preferredDirection'],
      "`preferredDirection` must be 'higher' or 'lower', received 'up'",
    ]);
    const contradiction = thrownValidationError(() =>
      metric(1, { alternative: 'greater', preferredDirection: 'lower' }),
    );
    expect(contradiction.path).toEqual(['preferredDirection']);
    expect(contradiction.message).toContain(
      "contradicts `alternative` 'greater', which tests that higher values are better",
    );
  });
});

describe('a non-inferiority guardrail: checkout time must not get worse by more than 2 %', () => {
  const guardrail = metric(1, { name: 'Checkout time', alternative: 'less', nonInferiorityMargin: 0.02 });

  it('passes at +0.5 % with a tight interval', () => {
    // 10,000 units per variant, mean 100 s against 100.5 s, standard deviation 10 s: v = 100 / 10^4 = 0.01,
    // se = sqrt(1.005^2 0.01 + 0.01) / 100 = 0.0014177535046685655, f = 2 (10^4 - 1) = 19998.
    const row = rowOf(
      evaluate([guardrail], [...variantRows('a', 10_000, 100, 10), ...variantRows('b', 10_000, 100.5, 10)]),
      1,
      'b',
    );
    expect(row.diff).toBeCloseTo(0.005, 12);
    expect(row.standardError).toBeCloseTo(0.0014177535046685655, 12);
    expect(row.degreesOfFreedom).toBe(19998);
    // t = (0.005 - 0.02) / se = -10.580118441327087; p = scipy.stats.t.cdf(t, 19998) = 2.1596448202449974e-26
    expect(row.testStat).toBeCloseTo(-10.580118441327087, 8);
    expect(row.pValue / 2.1596448202449974e-26).toBeCloseTo(1, 6);
    // Upper bound 0.005 + se scipy.stats.t.ppf(0.95, 19998) = 0.005 + se 1.6449298265797991
    expect(row.confidenceUpper).toBeCloseTo(0.007332105026567367, 12);
    expect(row.confidenceInterval).toBeCloseTo(0.0014177535046685655 * 1.6449298265797991, 12);
    expect(row.confidenceLower).toBe(Number.NEGATIVE_INFINITY);
    // Absolute: 0.5 s + sqrt(0.02) 1.6449298265797991 = 0.7326282069901175 s
    expect(row.absoluteDiff).toBeCloseTo(0.5, 9);
    expect(row.absoluteDiffUpper).toBeCloseTo(0.7326282069901175, 9);
    expect(row.absoluteDiffLower).toBe(Number.NEGATIVE_INFINITY);
    // The upper bound 0.73 % is below the margin of 2 %: not worse by 2 % or more.
    expect(row.significant).toBe(true);
  });

  it('fails at +1.9 % with a wide interval', () => {
    // 1,000 units per variant, 100 s against 101.9 s: v = 0.1, se = sqrt(1.019^2 0.1 + 0.1) / 100
    // = 0.004514821148174089, f = 1998.
    const row = rowOf(
      evaluate([guardrail], [...variantRows('a', 1000, 100, 10), ...variantRows('b', 1000, 101.9, 10)]),
      1,
      'b',
    );
    expect(row.degreesOfFreedom).toBe(1998);
    // t = (0.019 - 0.02) / se = -0.2214927163625004; p = scipy.stats.t.cdf(t, 1998) = 0.4123657206759441
    expect(row.testStat).toBeCloseTo(-0.2214927163625004, 9);
    expect(row.pValue).toBeCloseTo(0.4123657206759441, 9);
    // Upper bound 0.019 + se scipy.stats.t.ppf(0.95, 1998) = 0.019 + se 1.6456166300576653 = 0.02643: above 2 %.
    expect(row.confidenceUpper).toBeCloseTo(0.026429664763171382, 11);
    expect(row.absoluteDiffUpper).toBeCloseTo(2.6359421299426185, 9);
    expect(row.significant).toBe(false);
    // The control row is the two-sided comparison with itself.
    const control = rowOf(
      evaluate([guardrail], [...variantRows('a', 1000, 100, 10), ...variantRows('b', 1000, 101.9, 10)]),
      1,
      'a',
    );
    expect([control.pValue, control.significant]).toEqual([1, false]);
    expect(control.confidenceLower).toBe(-control.confidenceUpper);
  });
});

describe('a superiority test (greater) against its two-sided sibling', () => {
  // Conversion-like metric: 5,000 units per variant, 0.2 against 0.21, standard deviation 0.4.
  const rows = [...variantRows('a', 5000, 0.2, 0.4), ...variantRows('b', 5000, 0.21, 0.4)];

  it('halves the p-value on the tested side and takes the two-sided bound at level 2 cl - 1', () => {
    const evaluation = evaluate([metric(1), metric(2, { alternative: 'greater' })], rows);
    const twoSided = rowOf(evaluation, 1, 'b');
    const greater = rowOf(evaluation, 2, 'b');
    expect(greater.testStat).toBe(twoSided.testStat);
    expect(greater.pValue).toBe(twoSided.pValue / 2);
    const atNinety = rowOf(evaluate([metric(1)], rows, 0.9), 1, 'b');
    expect(greater.confidenceLower).toBeCloseTo(atNinety.confidenceLower, 13);
    expect(greater.absoluteDiffLower).toBeCloseTo(atNinety.absoluteDiffLower, 13);
    expect([greater.confidenceUpper, greater.absoluteDiffUpper]).toEqual([
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]);
    // The same data tested for a decrease: the other tail.
    const less = rowOf(evaluate([metric(3, { alternative: 'less' })], rows), 3, 'b');
    expect(less.pValue).toBeCloseTo(1 - twoSided.pValue / 2, 14);
    expect(less.significant).toBe(false);
    expect(greater.significant).toBe(greater.pValue < 0.05);
  });

  it('carries the margin into the statistic: t = (diff + margin) / se', () => {
    const evaluation = evaluate([metric(1, { alternative: 'greater', nonInferiorityMargin: 0.05 })], rows);
    const row = rowOf(evaluation, 1, 'b');
    expect(row.testStat).toBeCloseTo((row.diff + 0.05) / row.standardError, 12);
    // Significant exactly when the lower bound is above -5 %.
    expect(row.significant).toBe(row.confidenceLower > -0.05);
    expect(row.significant).toBe(true);
  });
});

describe('Holm-Bonferroni over one-sided p-values', () => {
  const rows = [
    ...variantRows('a', 4000, 10, 3),
    ...variantRows('b', 4000, 10.25, 3),
    ...variantRows('c', 4000, 10.1, 3),
  ];
  const greater = () => metric(1, { alternative: 'greater' });

  it('adjusts the one-sided p-values and widens the intervals with one-sided quantiles', () => {
    const evaluation = evaluate([greater()], rows);
    // Raw one-sided p-values and intervals: each treatment against the control alone.
    const pair = (variant: string, level: number) =>
      rowOf(
        evaluate(
          [greater()],
          rows.filter((row) => row.exp_variant_id !== (variant === 'b' ? 'c' : 'b')),
          level,
          ['a', variant],
        ),
        1,
        variant,
      );
    const raw = [pair('b', 0.95).pValue, pair('c', 0.95).pValue];
    const adjusted = holmBonferroni(raw);
    const b = rowOf(evaluation, 1, 'b');
    const c = rowOf(evaluation, 1, 'c');
    expect(b.pValue).toBeCloseTo(adjusted[0]!, 15);
    expect(c.pValue).toBeCloseTo(adjusted[1]!, 15);
    // b has the smaller p-value, multiplied by 2 (ratio 1/2): its interval is the one-sided one at level
    // 1 - 0.05 / 2; c's adjusted p-value is its own (ratio 1): the nominal one-sided level.
    expect(b.pValue).toBeCloseTo(2 * raw[0]!, 15);
    expect(c.pValue).toBe(raw[1]);
    expect(b.confidenceInterval).toBeCloseTo(pair('b', 0.975).confidenceInterval, 12);
    expect(c.confidenceInterval).toBeCloseTo(pair('c', 0.95).confidenceInterval, 12);
    expect([b.confidenceUpper, c.confidenceUpper]).toEqual([
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]);
    // The interval excludes 0 exactly when the adjusted p-value is below alpha.
    for (const row of [b, c]) expect(row.significant).toBe(row.pValue < 0.05);
  });
});

describe('CUPED rows follow the alternative', () => {
  const random = uniform(2024);
  const arms = [0, 0.04].map((lift) =>
    armSums(
      Array.from({ length: 2000 }, () => {
        const propensity = standardNormal(random);
        return {
          u: 10 + 3 * propensity + standardNormal(random),
          x: (10 + 3 * propensity + standardNormal(random)) * (1 + lift),
        };
      }),
    ),
  );
  const sumsRows = (metricId: number) => arms.map((s, v) => metricSumsRow(v === 0 ? 'a' : 'b', metricId, s));
  const cupedMetric = (id: number, options: Partial<MetricOptions> = {}) =>
    metric(id, { nominator: 'value(u.unit.x)', cuped: { preDays: 14 }, ...options });
  const evaluateSums = (metrics: Metric[], confidenceLevel = 0.95) =>
    new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics,
      confidenceLevel,
    }).evaluateMetricSums(metrics.flatMap((m) => sumsRows(m.id as number)));

  it('gives the one-sided p-value and half-open intervals of the adjusted difference', () => {
    const evaluation = evaluateSums([cupedMetric(1), cupedMetric(2, { alternative: 'greater' })]);
    const twoSided = rowOf(evaluation, 1, 'b');
    const greater = rowOf(evaluation, 2, 'b');
    expect(greater.diff).toBe(twoSided.diff);
    expect(greater.pValue).toBe(twoSided.pValue / 2);
    const atNinety = rowOf(evaluateSums([cupedMetric(1)], 0.9), 1, 'b');
    expect(greater.confidenceLower).toBeCloseTo(atNinety.confidenceLower, 13);
    expect(greater.absoluteDiffLower).toBeCloseTo(atNinety.absoluteDiffLower, 12);
    expect(greater.confidenceUpper).toBe(Number.POSITIVE_INFINITY);
    expect(greater.absoluteDiffUpper).toBe(Number.POSITIVE_INFINITY);
    expect(greater.cupedTheta).toBe(twoSided.cupedTheta);
  });

  it('tests against the margin under less', () => {
    const evaluation = evaluateSums([
      cupedMetric(1),
      cupedMetric(2, { alternative: 'less', nonInferiorityMargin: 0.1 }),
    ]);
    const twoSided = rowOf(evaluation, 1, 'b');
    const guardrail = rowOf(evaluation, 2, 'b');
    // A true +4 % against a margin of +10 %: the statistic (diff - 0.1) / se is well below 0.
    expect(guardrail.testStat).toBeCloseTo((twoSided.diff - 0.1) / twoSided.standardError, 12);
    expect(guardrail.confidenceLower).toBe(Number.NEGATIVE_INFINITY);
    expect(guardrail.absoluteDiffLower).toBe(Number.NEGATIVE_INFINITY);
    expect(guardrail.significant).toBe(true);
    expect(guardrail.pValue).toBeLessThan(0.05);
  });
});

describe('required sample size and power of a non-inferiority metric', () => {
  it('are the scalar functions with the one-sided quantile and the margin added to the effect', () => {
    const rows = [...variantRows('a', 3000, 10, 3), ...variantRows('b', 3000, 10.1, 3.2)];
    const options = { minimumEffect: 0.01, alternative: 'greater', nonInferiorityMargin: 0.02 } as const;
    const row = rowOf(evaluate([metric(1, options)], rows), 1, 'b');
    const control = rowOf(evaluate([metric(1, options)], rows), 1, 'a');
    const required = requiredSampleSizePerVariant({
      nVariants: 2,
      mean: control.mean,
      std: control.std,
      std2: row.std,
      ...options,
    });
    expect(row.requiredSampleSize).toBe(required);
    // n = (z_0.95 + z_0.8)^2 (3^2 + 3.2^2) / (10 (0.01 + 0.02))^2 = 6.1825572 19.24 / 0.09 = 1321.7
    expect(required).toBe(1322);
    expect(row.power).toBe(
      powerFromSampleSizes({
        nVariants: 2,
        sampleSize: 3000,
        requiredSampleSize: required,
        confidenceLevel: 0.95,
        alternative: 'greater',
      }),
    );
  });
});
