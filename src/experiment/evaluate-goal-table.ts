import type { AggregatedGoalSource } from '../expression/evaluate-aggregated.js';
import { tableDiagnostics } from '../goals/goal-table-diagnostics.js';
import { assembleEvaluation } from './assemble-evaluation.js';
import type { MetricSums } from './compute-metric-statistics.js';
import { warnAboutDataQuality, warnAboutNonFiniteMetricSums } from './data-quality-warnings.js';
import { evaluateChecks } from './evaluate-checks.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { Evaluation, EvaluationWarning } from './evaluation.js';
import { type GoalInputKind, type MissingDataSource, warnAboutMissingData } from './missing-data-warnings.js';
import { WarningCollector } from './warning-collector.js';

/**
 * The part of every evaluation after its goal table is built: warnings about what the data lacks or cannot
 * be, the metrics' per-variant sums, warnings about sums that are not finite, checks and statistics.
 *
 * @param experiment - The evaluated experiment.
 * @param table - The goal table built from the input for `variants`.
 * @param kind - The kind of input (decides the exposure goal and the words of the warnings).
 * @param metricSums - Computes the metrics' per-variant sums from the table.
 * @param options - Warning callback and timestamp.
 * @param inputWarnings - Warnings about the input found while the table was built, given after the missing data.
 * @internal
 */
export function evaluateGoalTable<Table extends AggregatedGoalSource & MissingDataSource>(
  experiment: EvaluatedExperiment,
  table: Table,
  kind: GoalInputKind,
  metricSums: (table: Table) => MetricSums,
  options: EvaluateOptions,
  inputWarnings: readonly EvaluationWarning[] = [],
): Evaluation {
  const warnings = new WarningCollector(options.onWarning);
  const { variants } = table;
  const diagnostics = tableDiagnostics(table);
  warnAboutMissingData(warnings, experiment, table, kind);
  for (const warning of inputWarnings) warnings.add(warning);
  warnAboutDataQuality(warnings, diagnostics, variants);
  const sums = metricSums(table);
  const overflowingGoals = diagnostics.nonFiniteSums.map((flagged) => flagged.goal);
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
