import { ValidationError } from '../errors/validation-error.js';
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
  rejectCollidingIds(experiment);
  const cells = readMetricSums(input, experiment.id, experiment.metrics, variants);
  if (cells.rows === 0) {
    warnings.add({
      code: 'empty-input',
      message: `The metric sums have no row of experiment '${experiment.id}'; every metric is NaN.`,
    });
  }
  warnAboutRows(warnings, experiment, variants, cells);
  warnAboutUnitCounts(warnings, experiment, variants, cells);
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
    ...(cells.covariates === undefined
      ? {}
      : {
          cuped: {
            isCuped: experiment.metrics.map((metric) => metric.cuped !== undefined),
            isRatio,
            units: cells.units,
            sumX: cells.sumX,
            sumX2: cells.sumX2,
            sumY: cells.sumY,
            sumY2: cells.sumY2,
            sumXY: cells.sumXY,
            covariates: cells.covariates,
          },
        }),
  };
  const exposures = exposedUnits(cells, experiment.metrics.length, variants.length);
  return assembleEvaluation({
    experiment,
    variants,
    sums,
    checkVariables: evaluateChecks(
      experiment,
      exposureSource(experiment.unitType, variants, exposures),
      warnings,
    ),
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

/** Metric sums name metrics by the text of their id: ids `1` and `'1'` would be one metric there. */
function rejectCollidingIds(experiment: EvaluatedExperiment): void {
  const seen = new Map<string, number>();
  experiment.metrics.forEach((metric, index) => {
    const text = String(metric.id);
    const first = seen.get(text);
    if (first !== undefined) {
      throw new ValidationError(
        `metric ids ${JSON.stringify(experiment.metrics[first]!.id)} and ${JSON.stringify(metric.id)} are the same metric_id '${text}' in metric sums; give the metrics ids that differ as text`,
        ['metrics', index, 'id'],
      );
    }
    seen.set(text, index);
  });
}

/**
 * `inconsistent-sums` per variant whose metrics' rows count different numbers of exposed units: every metric
 * of one evaluation sums over the same exposed units, so the rows come from different unit sets.
 */
function warnAboutUnitCounts(
  warnings: WarningCollector,
  experiment: EvaluatedExperiment,
  variants: readonly string[],
  cells: MetricSumsCells,
): void {
  variants.forEach((variant, v) => {
    const counts = new Map<number, number[]>();
    experiment.metrics.forEach((_metric, m) => {
      const cell = m * variants.length + v;
      if (cells.seen[cell] !== 1) return;
      const units = cells.units[cell]!;
      counts.set(units, [...(counts.get(units) ?? []), m]);
    });
    if (counts.size <= 1) return;
    const described = [...counts]
      .map(
        ([units, metrics]) =>
          `${units} (metrics ${metrics.map((m) => String(experiment.metrics[m]!.id)).join(', ')})`,
      )
      .join(', ');
    warnings.add({
      code: 'inconsistent-sums',
      message: `The metric sums of variant ${variant} count different exposed units: ${described}. Every metric sums over the same exposed units; rows from different unit sets are not comparable and the exposure check reads the largest count.`,
      variants: [variant],
    });
  });
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
function exposureSource(
  unitType: string,
  variants: readonly string[],
  exposures: Float64Array,
): AggregatedGoalSource {
  const counted: readonly AggregatedColumn[] = ['count', 'count_unique', 'sum_sqr_count'];
  return {
    variantCount: exposures.length,
    variants,
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
