import type { UnitGoals } from '../goals/goal-rows.js';
import { tableDiagnostics } from '../goals/goal-table-diagnostics.js';
import { UnitGoalTable } from '../goals/unit-goal-table.js';
import { assembleEvaluation } from './assemble-evaluation.js';
import { warnAboutDataQuality, warnAboutNonFiniteMetricSums } from './data-quality-warnings.js';
import { evaluateChecks } from './evaluate-checks.js';
import type { Evaluation } from './evaluation.js';
import type { EvaluateOptions, Experiment } from './experiment.js';
import { goalTableSetup } from './goal-table-setup.js';
import { warnAboutMissingData } from './missing-data-warnings.js';
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
  warnAboutMissingData(warnings, experiment, table, 'unit');
  warnAboutDataQuality(warnings, tableDiagnostics(table), variants);
  const sums = unitMetricSums(experiment.metrics, table, variants.length);
  const overflowingGoals = tableDiagnostics(table).nonFiniteSums.map((flagged) => flagged.goal);
  warnAboutNonFiniteMetricSums(warnings, experiment, sums, variants, overflowingGoals);

  return assembleEvaluation({
    experiment,
    variants,
    sums,
    checkVariables: evaluateChecks(experiment, table, warnings),
    exposures: table.exposures,
    warnings,
    timestamp: options.timestamp,
  });
}
