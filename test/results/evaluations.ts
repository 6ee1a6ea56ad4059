import { type AggregatedGoalRow, type Evaluation, Experiment, Metric } from '../../src/index.js';
import { readFixture } from '../support/fixtures.js';
import { experimentOfRequest, type ReferenceCase } from '../support/reference-cases.js';

/** An evaluated experiment together with its definition. */
export interface EvaluatedCase {
  readonly experiment: Experiment;
  readonly evaluation: Evaluation;
}

function goalRow(variant: string, goal: string, aggType: string, count: number): AggregatedGoalRow {
  return {
    exp_id: 'test-conversion',
    exp_variant_id: variant,
    unit_type: 'test_unit_type',
    agg_type: aggType,
    goal,
    count,
    sum_sqr_count: count,
    sum_value: count,
    sum_sqr_value: count,
    count_unique: count,
  };
}

/**
 * The reference README's example: click-through rate 5/21 in `a`, 7/26 in `b`; the README reports
 * diff 0.1307692308 and p-value 0.8244735669 for `b`.
 */
export function readmeCase(): EvaluatedCase {
  const experiment = new Experiment({
    id: 'test-conversion',
    controlVariant: 'a',
    unitType: 'test_unit_type',
    metrics: [
      new Metric({
        id: 1,
        name: 'Click-through Rate',
        nominator: 'count(test_unit_type.unit.click)',
        denominator: 'count(test_unit_type.global.exposure)',
      }),
    ],
  });
  const evaluation = experiment.evaluateAgg([
    goalRow('a', 'click', 'unit', 5),
    goalRow('b', 'click', 'unit', 7),
    goalRow('a', 'exposure', 'global', 21),
    goalRow('b', 'exposure', 'global', 26),
  ]);
  return { experiment, evaluation };
}

/** The reference's three-variant conversion test (`fixture-test_binary_valued.json`): 5/21, 7/26, 9/30. */
export function threeVariantCase(): EvaluatedCase & { reference: ReferenceCase } {
  const reference = readFixture<ReferenceCase>('reference-outputs/fixture-test_binary_valued.json');
  const experiment = experimentOfRequest(reference.request);
  const evaluation = experiment.evaluateAgg(reference.goals as unknown as AggregatedGoalRow[]);
  return { experiment, evaluation, reference };
}
