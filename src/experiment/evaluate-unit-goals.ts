import { goalKey } from '../expression/goal-key.js';
import type { UnitGoals } from '../goals/goal-rows.js';
import { UnitGoalTable } from '../goals/unit-goal-table.js';
import { assembleEvaluation } from './assemble-evaluation.js';
import { evaluateChecks } from './evaluate-checks.js';
import type { Evaluation } from './evaluation.js';
import type { EvaluateOptions, Experiment } from './experiment.js';
import { goalTableSetup, warnAboutForeignRows } from './goal-table-setup.js';
import { unitExposureGoal } from './unit-exposure-goal.js';
import { unitMetricSums } from './unit-metric-sums.js';
import { WarningCollector } from './warning-collector.js';

/**
 * `Experiment.evaluateByUnit`: pivots the unit rows once, evaluates every metric's nominator per unit
 * (winsorized when the metric asks for it), sums it and its squares per variant, and runs the statistics.
 *
 * @internal
 */
export function evaluateUnitGoals(
  experiment: Experiment,
  goals: UnitGoals,
  options: EvaluateOptions,
): Evaluation {
  const warnings = new WarningCollector(options.onWarning);
  const setup = goalTableSetup(experiment, goals);
  const variants = setup.variants;
  // The exposure goal of the unit type is always needed: a unit with only its exposure row is a pivot row
  // (a zero of every nominator without dimension conditions, in winsorization pools too).
  const table = UnitGoalTable.fromRows(goals, {
    ...setup,
    goals: [...setup.goals, unitExposureGoal(experiment)],
  });
  warnAboutForeignRows(warnings, table.foreignExperimentRows, experiment.id);
  // The implicit global exposure goal is not read by unit (exposures come from the `unit` exposure rows),
  // so only goals of metrics and checks are worth a warning.
  const read = new Set([...experiment.metrics, ...experiment.checks].flatMap((d) => d.goals.map(goalKey)));
  for (const goal of table.goalsWithoutRows) {
    if (!read.has(goalKey(goal))) continue;
    warnings.add({
      code: 'goal-without-rows',
      message: `No unit has the goal \`${goalKey(goal)}\`; it counts as zero for every unit${goal.aggType === 'global' ? ' (by-unit data has no `global` goals)' : ''}.`,
    });
  }

  return assembleEvaluation({
    experiment,
    variants,
    sums: unitMetricSums(experiment.metrics, table, variants.length),
    checkVariables: evaluateChecks(experiment, table, warnings),
    exposures: table.exposures,
    warnings,
    timestamp: options.timestamp,
  });
}
