import { evaluateAggregated } from '../expression/evaluate-aggregated.js';
import { AggregatedGoalTable } from '../goals/aggregated-goal-table.js';
import type { AggregatedGoals } from '../goals/goal-rows.js';
import { tableDiagnostics } from '../goals/goal-table-diagnostics.js';
import { type WideGoals, wideToLongGoals } from '../goals/wide-to-long.js';
import { assembleEvaluation } from './assemble-evaluation.js';
import { warnAboutDataQuality, warnAboutNonFiniteMetricSums } from './data-quality-warnings.js';
import { evaluateChecks } from './evaluate-checks.js';
import type { Evaluation } from './evaluation.js';
import type { EvaluateOptions, Experiment } from './experiment.js';
import { goalTableSetup } from './goal-table-setup.js';
import { warnAboutMissingData } from './missing-data-warnings.js';
import { WarningCollector } from './warning-collector.js';

/**
 * `Experiment.evaluateAgg`: sums the goal rows once, warns about what the data lacks or cannot be, evaluates
 * every metric's expressions over the sums and runs the statistics.
 *
 * @param wide - Whether the rows were converted from wide rows (no exposures; missing goals are columns).
 * @internal
 */
export function evaluateAggregatedGoals(
  experiment: Experiment,
  goals: AggregatedGoals,
  options: EvaluateOptions,
  wide = false,
): Evaluation {
  const warnings = new WarningCollector(options.onWarning);
  const setup = goalTableSetup(experiment, goals);
  const variants = setup.variants;
  const table = AggregatedGoalTable.fromRows(goals, setup);
  warnAboutMissingData(warnings, experiment, table, wide ? 'wide' : 'aggregated');
  warnAboutDataQuality(warnings, tableDiagnostics(table), variants);

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

  const sums = { count, sumValue, sumSqrValue };
  warnAboutNonFiniteMetricSums(
    warnings,
    experiment,
    sums,
    variants,
    tableDiagnostics(table).nonFiniteSums.map((flagged) => flagged.goal),
  );

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

/**
 * `Experiment.evaluateWideAgg`: converts the wide rows to aggregated goal rows and evaluates them, with the
 * warnings of wide input (a missing goal is a missing column; wide input has no exposures).
 *
 * @internal
 */
export function evaluateWideGoals(
  experiment: Experiment,
  rows: WideGoals,
  options: EvaluateOptions,
): Evaluation {
  return evaluateAggregatedGoals(experiment, wideToLongGoals(rows, experiment.unitType), options, true);
}
