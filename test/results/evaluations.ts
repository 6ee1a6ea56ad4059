import { type AggregatedGoalRow, type Evaluation, Experiment, Metric } from '../../src/index.js';
import { binaryGoalRows, README_VARIANTS } from '../support/binary-goals.js';
import { readFixture } from '../support/fixtures.js';
import { experimentOfRequest, type ReferenceCase } from '../support/reference-cases.js';

/** An evaluated experiment together with its definition. */
export interface EvaluatedCase {
  readonly experiment: Experiment;
  readonly evaluation: Evaluation;
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
  const evaluation = experiment.evaluateAgg(binaryGoalRows(README_VARIANTS));
  return { experiment, evaluation };
}

/** The reference's three-variant conversion test (`fixture-test_binary_valued.json`): 5/21, 7/26, 9/30. */
export function threeVariantCase(): EvaluatedCase & { reference: ReferenceCase } {
  const reference = readFixture<ReferenceCase>('reference-outputs/fixture-test_binary_valued.json');
  const experiment = experimentOfRequest(reference.request);
  const evaluation = experiment.evaluateAgg(reference.goals as unknown as AggregatedGoalRow[]);
  return { experiment, evaluation, reference };
}
