import { evaluateAggregatedInto } from '../expression/evaluate-aggregated.js';
import { AggregatedGoalTable } from '../goals/aggregated-goal-table.js';
import type { AggregatedGoals } from '../goals/goal-rows.js';
import { type WideGoals, wideToLongGoals } from '../goals/wide-to-long.js';
import type { MetricSums } from './compute-metric-statistics.js';
import { evaluateGoalTable } from './evaluate-goal-table.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { Evaluation } from './evaluation.js';
import { goalTableSetup } from './goal-table-setup.js';
import type { Metric } from './metric.js';

/**
 * `Experiment.evaluateAgg`: sums the goal rows once, warns about what the data lacks or cannot be, evaluates
 * every metric's expressions over the sums and runs the statistics.
 *
 * @param wide - Whether the rows were converted from wide rows (no exposures; missing goals are columns).
 * @internal
 */
export function evaluateAggregatedGoals(
  experiment: EvaluatedExperiment,
  goals: AggregatedGoals,
  options: EvaluateOptions,
  wide = false,
): Evaluation {
  const table = AggregatedGoalTable.fromRows(goals, goalTableSetup(experiment, goals));
  return evaluateGoalTable(
    experiment,
    table,
    wide ? 'wide' : 'aggregated',
    (sums) => aggregatedMetricSums(experiment.metrics, sums),
    options,
  );
}

/** Per-variant sums of every metric: its nominator and denominator evaluated over the goal sums. */
function aggregatedMetricSums(metrics: readonly Metric[], table: AggregatedGoalTable): MetricSums {
  const variantCount = table.variantCount;
  const count = new Float64Array(metrics.length * variantCount);
  const sumValue = new Float64Array(metrics.length * variantCount);
  const sumSqrValue = new Float64Array(metrics.length * variantCount);
  metrics.forEach((metric, m) => {
    const offset = m * variantCount;
    evaluateAggregatedInto(metric.nominatorExpression, table, sumValue, sumSqrValue, offset);
    // Only the denominator's value is used: its squared sums are not computed.
    evaluateAggregatedInto(metric.denominatorExpression, table, count, undefined, offset);
  });
  return { count, sumValue, sumSqrValue };
}

/**
 * `Experiment.evaluateWideAgg`: converts the wide rows to aggregated goal rows and evaluates them, with the
 * warnings of wide input (a missing goal is a missing column; wide input has no exposures).
 *
 * @internal
 */
export function evaluateWideGoals(
  experiment: EvaluatedExperiment,
  rows: WideGoals,
  options: EvaluateOptions,
): Evaluation {
  return evaluateAggregatedGoals(experiment, wideToLongGoals(rows, experiment.unitType), options, true);
}
