import { evaluateAggregated } from '../expression/evaluate-aggregated.js';
import { AggregatedGoalTable } from '../goals/aggregated-goal-table.js';
import type { AggregatedGoals } from '../goals/goal-rows.js';
import { assembleEvaluation } from './assemble-evaluation.js';
import { evaluateChecks } from './evaluate-checks.js';
import type { Evaluation } from './evaluation.js';
import type { EvaluateOptions, Experiment } from './experiment.js';
import { goalTableSetup, warnAboutForeignRows } from './goal-table-setup.js';
import { WarningCollector } from './warning-collector.js';

/**
 * `Experiment.evaluateAgg`: sums the goal rows once, evaluates every metric's expressions over the sums and
 * runs the statistics.
 *
 * @internal
 */
export function evaluateAggregatedGoals(
  experiment: Experiment,
  goals: AggregatedGoals,
  options: EvaluateOptions,
): Evaluation {
  const warnings = new WarningCollector(options.onWarning);
  const setup = goalTableSetup(experiment, goals);
  const variants = setup.variants;
  const table = AggregatedGoalTable.fromRows(goals, setup);
  warnAboutForeignRows(warnings, table.foreignExperimentRows, experiment.id);

  const metricCount = experiment.metrics.length;
  const variantCount = variants.length;
  const count = new Float64Array(metricCount * variantCount);
  const sumValue = new Float64Array(metricCount * variantCount);
  const sumSqrValue = new Float64Array(metricCount * variantCount);
  experiment.metrics.forEach((metric, m) => {
    const nominator = evaluateAggregated(metric.nominatorExpression, table);
    const denominator = evaluateAggregated(metric.denominatorExpression, table);
    const offset = m * variantCount;
    sumValue.set(nominator.value, offset);
    sumSqrValue.set(nominator.squared, offset);
    count.set(denominator.value, offset);
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
