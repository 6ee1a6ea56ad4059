import type { Expression, GoalReference } from '../expression/ast.js';
import type { UnitGoals } from '../goals/goal-rows.js';
import { unitGoalTable } from '../goals/unit-goal-table.js';
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
  const exposure = unitExposureGoal(experiment);
  // Metrics read the column of each goal's function; checks may read any column of their goals.
  const perUnitReads = [
    ...experiment.metrics.flatMap((metric) =>
      goalNodes(metric.nominatorExpression, metric.denominatorExpression).map((goal) => ({
        goal,
        columns: 'function' as const,
      })),
    ),
    ...[...experiment.checks.flatMap((check) => check.goals), exposure].map((goal) => ({
      goal,
      columns: 'all' as const,
    })),
  ];
  const table = unitGoalTable(goals, { ...setup, goals: [...setup.goals, exposure], perUnitReads });
  return evaluateGoalTable(
    experiment,
    table,
    'unit',
    (pivot) => unitMetricSums(experiment.metrics, pivot, pivot.variantCount),
    options,
  );
}

/** Every goal leaf of the expressions, with its function (goals of one key but other functions included). */
function goalNodes(...expressions: Expression[]): GoalReference[] {
  const goals: GoalReference[] = [];
  const stack = [...expressions];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.kind === 'binary') stack.push(node.left, node.right);
    else if (node.kind === 'goal') goals.push(node);
  }
  return goals;
}
