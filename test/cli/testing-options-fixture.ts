/**
 * An experiment file with every testing option (`correction`, `correction_scope`, `sequential`, a one-sided
 * non-inferiority metric, an SRM check with `expected_weights`), goals of a 90/10 rollout, and the same
 * experiment built with the library's options, for the CLI tests.
 */
import { type AggregatedGoalRow, Experiment, Metric, type MetricOptions, SrmCheck } from '../../src/index.js';

const EXPOSURES = 'count(u.global.exposure)';

/** `n` exposed units of `variant` whose `goal` values have mean `mean` and standard deviation `sd`. */
function valueRow(variant: string, goal: string, n: number, mean: number, sd: number): AggregatedGoalRow {
  const sum = n * mean;
  return {
    exp_id: 'checkout',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: goal === 'exposure' ? 'global' : 'unit',
    goal,
    count: n,
    sum_sqr_count: n,
    sum_value: sum,
    // sum of squares = (n - 1) sd^2 + sum^2 / n
    sum_sqr_value: (n - 1) * sd * sd + sum ** 2 / n,
    count_unique: n,
  };
}

/** A 90/10 rollout with revenue (higher is better) and checkout seconds (lower is better). */
export const GOALS: readonly AggregatedGoalRow[] = [
  valueRow('a', 'exposure', 9000, 1, 0),
  valueRow('b', 'exposure', 1000, 1, 0),
  valueRow('a', 'revenue', 9000, 10, 4),
  valueRow('b', 'revenue', 1000, 10.3, 4),
  valueRow('a', 'seconds', 9000, 30, 10),
  valueRow('b', 'seconds', 1000, 29.9, 10),
];

export const REVENUE = {
  id: 1,
  name: 'Revenue',
  nominator: 'value(u.unit.revenue)',
  denominator: EXPOSURES,
};
export const CHECKOUT_TIME = {
  id: 2,
  name: 'Checkout time',
  nominator: 'value(u.unit.seconds)',
  denominator: EXPOSURES,
};

/** An experiment file with every new field. */
export const FILE = {
  id: 'checkout',
  control_variant: 'a',
  unit_type: 'u',
  correction: 'benjamini-hochberg',
  correction_scope: 'report',
  sequential: 'confidence-sequence',
  metrics: [REVENUE, { ...CHECKOUT_TIME, alternative: 'less', non_inferiority_margin: 0.02 }],
  checks: [{ id: 1, name: 'SRM', denominator: EXPOSURES, expected_weights: { a: 90, b: 10 } }],
};

/** The same experiment built with the library's options. */
export function libraryExperiment(
  metricOptions: Partial<MetricOptions> = {},
  options: Partial<ConstructorParameters<typeof Experiment>[0]> = {},
): Experiment {
  return new Experiment({
    id: 'checkout',
    controlVariant: 'a',
    unitType: 'u',
    correction: 'benjamini-hochberg',
    correctionScope: 'report',
    sequential: 'confidence-sequence',
    metrics: [
      new Metric(REVENUE),
      new Metric({ ...CHECKOUT_TIME, alternative: 'less', nonInferiorityMargin: 0.02, ...metricOptions }),
    ],
    checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: EXPOSURES, expectedWeights: { a: 90, b: 10 } })],
    ...options,
  });
}
