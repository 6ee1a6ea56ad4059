import type { GoalReference } from '../expression/ast.js';
import type { AggregatedColumn, AggregatedGoalSource } from '../expression/evaluate-aggregated.js';
import { printExpression } from '../expression/print-expression.js';
import { type MetricSumsCells, readMetricSums } from '../goals/metric-sums-rows.js';
import { variantsOfRows } from '../goals/variants-of-rows.js';
import { assembleEvaluation } from './assemble-evaluation.js';
import type { MetricSums } from './compute-metric-statistics.js';
import { evaluateChecks } from './evaluate-checks.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { Evaluation } from './evaluation.js';
import { flaggedVariants } from './flagged-variants.js';
import { WarningCollector } from './warning-collector.js';

/**
 * Evaluates per-unit metric sums: `'mean'` metrics as means over the exposed units (the statistics of goal
 * sums with `count = units`), `'ratio'` metrics by the delta method; checks read the exposed units.
 *
 * @internal
 */
export function evaluateMetricSums(
  experiment: EvaluatedExperiment,
  input: unknown,
  options: EvaluateOptions,
): Evaluation {
  const warnings = new WarningCollector(options.onWarning);
  const variants = experiment.variants
    ? [...new Set(experiment.variants)].sort()
    : variantsOfRows(input, experiment.id, experiment.controlVariant);
  const metricIds = experiment.metrics.map((metric) => metric.id);
  const cells = readMetricSums(input, experiment.id, metricIds, variants);
  if (cells.rows === 0) {
    warnings.add({
      code: 'empty-input',
      message: `The metric sums have no row of experiment '${experiment.id}'; every metric is NaN.`,
    });
  }
  warnAboutRows(warnings, experiment, variants, cells);
  const isRatio = experiment.metrics.map((metric) => metric.kind === 'ratio');
  const count = Float64Array.from(cells.units);
  isRatio.forEach((ratio, m) => {
    if (ratio)
      count.set(cells.sumY.subarray(m * variants.length, (m + 1) * variants.length), m * variants.length);
  });
  const sums: MetricSums = {
    count,
    sumValue: cells.sumX,
    sumSqrValue: cells.sumX2,
    ratio: { isRatio, units: cells.units, sumY2: cells.sumY2, sumXY: cells.sumXY },
  };
  const exposures = exposedUnits(cells, experiment.metrics.length, variants.length);
  return assembleEvaluation({
    experiment,
    variants,
    sums,
    checkVariables: evaluateChecks(experiment, exposureSource(experiment.unitType, exposures), warnings),
    exposures,
    warnings,
    timestamp: options.timestamp,
  });
}

/** `metric-without-rows` per metric missing in some variants, `unknown-metric-rows` for rows of no metric. */
function warnAboutRows(
  warnings: WarningCollector,
  experiment: EvaluatedExperiment,
  variants: readonly string[],
  cells: MetricSumsCells,
): void {
  const missing = Uint8Array.from(cells.seen, (seen) => 1 - seen);
  if (cells.rows > 0) {
    experiment.metrics.forEach((metric, m) => {
      const absent = flaggedVariants(missing, m, variants);
      if (absent.length === 0) return;
      warnings.add({
        code: 'metric-without-rows',
        message: `Metric '${metric.name}' (id ${String(metric.id)}) has no row of metric sums in variants ${absent.join(', ')}; its statistics there are NaN.`,
        metricIds: [metric.id],
        variants: absent,
      });
    });
  }
  if (cells.unknownMetricIds.length > 0) {
    const known = experiment.metrics.map((metric) => String(metric.id)).join(', ');
    warnings.add({
      code: 'unknown-metric-rows',
      message: `Rows of metric ids ${cells.unknownMetricIds.join(', ')} name no metric of the experiment (its metric ids: ${known}); they were ignored.`,
      count: cells.unknownMetricIds.length,
    });
  }
}

/** Exposed units per variant: the largest `units` of any metric's row (every metric counts the same units). */
function exposedUnits(cells: MetricSumsCells, metricCount: number, variantCount: number): Float64Array {
  const exposures = new Float64Array(variantCount);
  for (let m = 0; m < metricCount; m++) {
    for (let v = 0; v < variantCount; v++) {
      exposures[v] = Math.max(exposures[v]!, cells.units[m * variantCount + v]!);
    }
  }
  return exposures;
}

/** Check input from metric sums: the experiment's exposure goal is the exposed units, other goals are absent. */
function exposureSource(unitType: string, exposures: Float64Array): AggregatedGoalSource {
  const counted: readonly AggregatedColumn[] = ['count', 'count_unique', 'sum_sqr_count'];
  return {
    variantCount: exposures.length,
    column(goal: GoalReference, column: AggregatedColumn): ArrayLike<number> {
      if (
        goal.goal === 'exposure' &&
        goal.unitType === unitType &&
        goal.dimensions.length === 0 &&
        counted.includes(column)
      ) {
        return exposures;
      }
      throw new Error(
        `goal ${printExpression(goal)} is not in metric sums, which carry the exposed units (count(${unitType}.<aggregation>.exposure)) only`,
      );
    },
  };
}
