import { goalKey } from '../expression/goal-key.js';
import type { UnitGoals } from '../goals/goal-rows.js';
import { UnitGoalTable } from '../goals/unit-goal-table.js';
import { winsorize } from '../statistics/winsorize.js';
import { assembleEvaluation } from './assemble-evaluation.js';
import { evaluateChecks } from './evaluate-checks.js';
import type { Evaluation } from './evaluation.js';
import type { EvaluateOptions, Experiment } from './experiment.js';
import { goalTableSetup, warnAboutForeignRows } from './goal-table-setup.js';
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
  const table = UnitGoalTable.fromRows(goals, setup);
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

  const variantCount = variants.length;
  const size = experiment.metrics.length * variantCount;
  const count = new Float64Array(size);
  const sumValue = new Float64Array(size);
  const sumSqrValue = new Float64Array(size);
  experiment.metrics.forEach((metric, m) => {
    const offset = m * variantCount;
    const nominator = table.perUnit(metric.nominatorExpression);
    winsorize(
      nominator.values,
      (metric.outlierLowerPercentile ?? 0) / 100,
      1 - (metric.outlierUpperPercentile ?? 0) / 100,
    );
    for (let unit = 0; unit < nominator.values.length; unit++) {
      const value = nominator.values[unit]!;
      const cell = offset + nominator.variantOf[unit]!;
      sumValue[cell] = sumValue[cell]! + value;
      sumSqrValue[cell] = sumSqrValue[cell]! + value * value;
    }
    const denominator = table.perUnit(metric.denominatorExpression);
    for (let unit = 0; unit < denominator.values.length; unit++) {
      const cell = offset + denominator.variantOf[unit]!;
      count[cell] = count[cell]! + denominator.values[unit]!;
    }
  });

  return assembleEvaluation({
    experiment,
    variants,
    sums: { count, sumValue, sumSqrValue },
    checkVariables: evaluateChecks(experiment, table, warnings),
    exposures: table.exposures,
    warnings,
    timestamp: options.timestamp,
  });
}
