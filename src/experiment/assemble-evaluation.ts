import ndarray from 'ndarray';
import type { CheckVariable } from '../checks/check.js';
import { nullValueOf } from '../statistics/alternative.js';
import type { Matrix } from '../statistics/matrix.js';
import { DOCUMENTATION_URL } from '../text/documentation-url.js';
import { beforeStartWarning } from './before-start-warning.js';
import { computeMetricStatistics, type MetricSums } from './compute-metric-statistics.js';
import { confidenceSequenceSettings } from './confidence-sequence-statistics.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { CheckRow, Evaluation, ExposureRow, MetricMatrices, MetricRow } from './evaluation.js';
import { flaggedVariants } from './flagged-variants.js';
import { smallSampleWarnings } from './small-sample.js';
import type { WarningCollector } from './warning-collector.js';

/** Inputs of {@link assembleEvaluation}. @internal */
export interface EvaluationParts {
  readonly experiment: EvaluatedExperiment;
  readonly variants: readonly string[];
  readonly sums: MetricSums;
  /** Per check (definition order): its variables, or undefined when it failed. */
  readonly checkVariables: readonly (readonly CheckVariable[] | undefined)[];
  readonly exposures: Float64Array;
  readonly warnings: WarningCollector;
  readonly timestamp: number | undefined;
}

/**
 * Runs the statistics over the per-variant sums and builds the immutable {@link Evaluation}.
 *
 * @internal
 */
export function assembleEvaluation(parts: EvaluationParts): Evaluation {
  const { experiment, variants, sums, warnings } = parts;
  const timestamp = parts.timestamp ?? Math.round(Date.now() / 1000);
  const expId = experiment.id;
  const day = experiment.evaluationDay();
  const confidenceLevel = experiment.evaluationConfidenceLevel(day);
  const beforeStart = beforeStartWarning(experiment, day, confidenceLevel);
  if (beforeStart !== undefined) warnings.add(beforeStart);
  const controlIndex = variants.indexOf(experiment.controlVariant);
  const sequence = confidenceSequenceSettings(experiment);
  const statistics = computeMetricStatistics({
    metrics: experiment.metrics,
    variants,
    controlIndex,
    sums,
    confidenceLevel,
    nullHypothesisRate: experiment.nullHypothesisRate,
    correction: experiment.correction,
    correctionScope: experiment.correctionScope,
    confidenceSequence: sequence,
    correctionHook: experiment.correctionHook,
  });
  if (statistics.negativeVarianceMetrics.length > 0) {
    const affected = statistics.negativeVarianceMetrics.map((m) => experiment.metrics[m]!);
    warnings.add({
      code: 'negative-variance',
      message:
        `Negative variance estimate of metrics [${affected.map((metric) => `'${metric.name}'`).join(', ')}]. ` +
        '`sum_sqr_value` of these metrics is not a sum of squared per-unit goal totals; this usually happens ' +
        'when a metric matches several pre-aggregated rows per unit, e.g. when a dimensional goal sums several ' +
        'dimension values per unit. Standard deviations, p-values and confidence intervals of these metrics are ' +
        'NaN. Pre-aggregate `sum_sqr_value` from per-unit goal totals or evaluate by unit. (With metric sums: ' +
        '`sum_x2`, `sum_y2` and `sum_xy` are not sums over the same per-unit values as `sum_x` and `sum_y`.)',
      metricIds: affected.map((metric) => metric.id),
    });
  }
  warnAboutImpreciseVariances(warnings, experiment, variants, statistics.impreciseVarianceCells);
  for (const m of sums.unpairedRatioMetrics ?? []) {
    const metric = experiment.metrics[m]!;
    warnings.add({
      code: 'ratio-without-unit-pairs',
      message:
        `Metric '${metric.name}' (id ${String(metric.id)}) is a ratio, but its nominator and denominator goals are ` +
        'of different unit types or aggregation types, so their per-unit values cannot be paired for the delta ' +
        "method: its variance is the reference's, over the summed denominator (per view, per order), which " +
        'understates it when the denominator varies per unit. Write both with the same unit type and ' +
        "aggregation type (e.g. both 'unit'), or set kind: 'mean' to accept the reference's formula knowingly.",
      metricIds: [metric.id],
    });
  }
  for (const warning of smallSampleWarnings({ metrics: experiment.metrics, variants, controlIndex, sums })) {
    warnings.add(warning);
  }

  const variantCount = variants.length;
  // The level of each cell's interval: 1 - alpha of the correction where it adjusted the cell.
  const intervalLevels = new Float64Array(statistics.mean.length).fill(confidenceLevel);
  statistics.intervalAlpha?.forEach((alpha, cell) => {
    if (!Number.isNaN(alpha)) intervalLevels[cell] = 1 - alpha;
  });
  const metrics: MetricRow[] = [];
  experiment.metrics.forEach((metric, m) => {
    // Significant: the interval excludes the null value (0, or -+ the non-inferiority margin).
    const nullValue = nullValueOf(metric.alternative, metric.nonInferiorityMargin);
    for (let v = 0; v < variantCount; v++) {
      const i = m * variantCount + v;
      // A plain object literal (no spread), so that every row shares one fast shape; CUPED rows get their two
      // fields added after.
      const row: { -readonly [K in keyof MetricRow]: MetricRow[K] } = {
        expId,
        metricId: metric.id,
        metricName: metric.name,
        expVariantId: variants[v]!,
        count: sums.count[i]!,
        mean: statistics.mean[i]!,
        std: statistics.std[i]!,
        sumValue: sums.sumValue[i]!,
        confidenceLevel,
        intervalConfidenceLevel: intervalLevels[i]!,
        diff: statistics.diff[i]!,
        confidenceLower: statistics.confidenceLower[i]!,
        confidenceUpper: statistics.confidenceUpper[i]!,
        absoluteDiff: statistics.absoluteDiff[i]!,
        absoluteDiffLower: statistics.absoluteDiffLower[i]!,
        absoluteDiffUpper: statistics.absoluteDiffUpper[i]!,
        significant:
          v !== controlIndex &&
          (statistics.confidenceLower[i]! > nullValue || statistics.confidenceUpper[i]! < nullValue),
        testStat: statistics.testStat[i]!,
        pValue: statistics.pValue[i]!,
        confidenceInterval: statistics.confidenceInterval[i]!,
        standardError: statistics.standardError[i]!,
        degreesOfFreedom: statistics.degreesOfFreedom[i]!,
        minimumEffect: statistics.minimumEffect[i]!,
        sampleSize: statistics.sampleSize[i]!,
        requiredSampleSize: statistics.requiredSampleSize[i]!,
        power: statistics.power[i]!,
        falsePositiveRisk: statistics.falsePositiveRisk[i]!,
        timestamp,
      };
      if (statistics.cuped !== undefined && metric.cuped !== undefined) {
        row.cupedTheta = statistics.cuped.theta[i]!;
        row.varianceReduction = statistics.cuped.varianceReduction[i]!;
      }
      metrics.push(Object.freeze(row));
    }
  });

  const checks: CheckRow[] = [];
  experiment.checks.forEach((check, c) => {
    for (const variable of parts.checkVariables[c] ?? []) {
      checks.push(
        Object.freeze({
          expId,
          checkId: check.id,
          checkName: check.name,
          variableId: variable.variableId,
          value: variable.value,
          timestamp,
        }),
      );
    }
  });

  const exposures: ExposureRow[] = variants.map((variant, v) =>
    Object.freeze({ expId, expVariantId: variant, exposures: parts.exposures[v]! }),
  );

  const shape = [experiment.metrics.length, variantCount];
  const matrix = (data: Float64Array): Matrix => ndarray(data, shape);
  const matrices: MetricMatrices = Object.freeze({
    metricIds: Object.freeze(experiment.metrics.map((metric) => metric.id)),
    variants: Object.freeze([...variants]),
    count: matrix(sums.count),
    sumValue: matrix(sums.sumValue),
    sumSqrValue: matrix(sums.sumSqrValue),
    mean: matrix(statistics.mean),
    std: matrix(statistics.std),
    diff: matrix(statistics.diff),
    standardError: matrix(statistics.standardError),
    testStat: matrix(statistics.testStat),
    pValue: matrix(statistics.pValue),
    confidenceInterval: matrix(statistics.confidenceInterval),
    intervalConfidenceLevel: matrix(intervalLevels),
    confidenceLower: matrix(statistics.confidenceLower),
    confidenceUpper: matrix(statistics.confidenceUpper),
    absoluteDiff: matrix(statistics.absoluteDiff),
    absoluteDiffLower: matrix(statistics.absoluteDiffLower),
    absoluteDiffUpper: matrix(statistics.absoluteDiffUpper),
    degreesOfFreedom: matrix(statistics.degreesOfFreedom),
    minimumEffect: matrix(statistics.minimumEffect),
    sampleSize: matrix(statistics.sampleSize),
    requiredSampleSize: matrix(statistics.requiredSampleSize),
    power: matrix(statistics.power),
    falsePositiveRisk: matrix(statistics.falsePositiveRisk),
  });

  return Object.freeze({
    expId,
    metrics: Object.freeze(metrics),
    checks: Object.freeze(checks),
    exposures: Object.freeze(exposures),
    matrices,
    warnings: warnings.warnings,
    method: 'welch-delta' as const,
    confidenceLevel,
    ...(sequence === undefined ? {} : { confidenceSequenceTuning: sequence.tuning }),
    timestamp,
  });
}

/** One `imprecise-variance` warning per metric, naming the variants concerned. */
function warnAboutImpreciseVariances(
  warnings: WarningCollector,
  experiment: EvaluatedExperiment,
  variants: readonly string[],
  cells: Uint8Array,
): void {
  experiment.metrics.forEach((metric, m) => {
    const affected = flaggedVariants(cells, m, variants);
    if (affected.length === 0) return;
    warnings.add({
      code: 'imprecise-variance',
      message:
        `The variance of metric '${metric.name}' in variants ${affected.join(', ')} keeps fewer than about 6 ` +
        'significant digits: `sum_sqr_value` is so much larger than the spread around the mean that ' +
        '`sum_sqr_value - sum_value^2 / count` cancels most digits. Return sums of values shifted by a ' +
        `typical value (or centred sums) from SQL, or evaluate by unit; see ${DOCUMENTATION_URL}numerics.md.`,
      metricIds: [metric.id],
      variants: affected,
    });
  });
}
