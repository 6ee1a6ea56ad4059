import type { UnitGoals } from '../goals/goal-rows.js';
import { UnitGoalTable } from '../goals/unit-goal-table.js';
import { evaluateGoalTable } from './evaluate-goal-table.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { Evaluation } from './evaluation.js';
import { goalTableSetup } from './goal-table-setup.js';
import { unitExposureGoal } from './unit-exposure-goal.js';
import { unitMetricSums } from './unit-metric-sums.js';

/**
 * `Experiment.evaluateByUnit`: pivots the unit rows once, evaluates every metric's nominator per unit
 * (winsorized when the metric asks for it), sums it and its squares per variant, and runs the statistics.
 *
 * @internal
 */
export function evaluateUnitGoals(
  experiment: EvaluatedExperiment,
  goals: UnitGoals,
  options: EvaluateOptions,
): Evaluation {
  const setup = goalTableSetup(experiment, goals);
  // The exposure goal of the unit type is always needed: a unit with only its exposure row is a pivot row
  // (a zero of every nominator without dimension conditions, in winsorization pools too).
  const table = UnitGoalTable.fromRows(goals, {
    ...setup,
    goals: [...setup.goals, unitExposureGoal(experiment)],
  });
  return evaluateGoalTable(
    experiment,
    table,
    'unit',
    (pivot) => unitMetricSums(experiment.metrics, pivot, pivot.variantCount),
    options,
  );
}
