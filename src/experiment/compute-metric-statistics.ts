import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { nullValueOf } from '../statistics/alternative.js';
import type { MultipleTestingCorrection } from '../statistics/correct-for-multiple-testing.js';
import { falsePositiveRiskMatrix } from '../statistics/false-positive-risk-matrix.js';
import { powerMatrix } from '../statistics/power-matrix.js';
import { ratioMomentsMatrix } from '../statistics/ratio-moments-matrix.js';
import { requiredSampleSizeMatrix } from '../statistics/required-sample-size-matrix.js';
import { tHalfWidthAt } from '../statistics/t-half-width.js';
import { welchTestMatrix } from '../statistics/welch-test-matrix.js';
import { applyCuped, type CupedCells, type CupedOutcome } from './apply-cuped.js';
import {
  applyConfidenceSequence,
  type ConfidenceSequenceSettings,
} from './confidence-sequence-statistics.js';
import {
  type CorrectionHook,
  type CorrectionScope,
  correctEvaluationFamilies,
  evaluationFamilies,
} from './correct-evaluation-families.js';
import { differenceIntervals } from './difference-intervals.js';
import { impreciseVarianceCells } from './imprecise-variance.js';
import type { Metric } from './metric.js';

/** Per-variant sums of every metric, (metrics x variants) row-major. @internal */
export interface MetricSums {
  /** Denominator values. */
  readonly count: Float64Array;
  /** Nominator values. */
  readonly sumValue: Float64Array;
  /** Nominator squared sums. */
  readonly sumSqrValue: Float64Array;
  /**
   * Centred sums of squares `sum (x - mean)^2`, when per-unit values were available; the variance is then
   * computed from them instead of from `sumSqrValue - sumValue^2 / count`.
   */
  readonly centeredSquares?: Float64Array;
  /** Per-unit sums of ratio metrics (from metric sums); their rows are estimated by the delta method. */
  readonly ratio?: RatioCells;
  /** Per-unit sums with the pre-period covariates of metrics adjusted by CUPED. */
  readonly cuped?: CupedCells;
  /**
   * Metrics of kind 'ratio' whose nominator and denominator are of different unit groups by unit, so that
   * their per-unit values cannot be paired for the delta method: they keep the per-denominator formula.
   */
  readonly unpairedRatioMetrics?: readonly number[];
}

/** The per-unit sums of metrics estimated as ratios, (metrics x variants) row-major. @internal */
export interface RatioCells {
  /** Per metric: whether its row is a ratio (the other rows keep the mean formulas). */
  readonly isRatio: readonly boolean[];
  /** Exposed units `n`. */
  readonly units: Float64Array;
  /** `sum y^2` of the per-unit denominators (`count` holds `sum y`). */
  readonly sumY2: Float64Array;
  /** `sum x y`. */
  readonly sumXY: Float64Array;
}

/** Inputs of {@link computeMetricStatistics}. @internal */
export interface MetricStatisticsInput {
  readonly metrics: readonly Metric[];
  readonly variants: readonly string[];
  readonly controlIndex: number;
  readonly sums: MetricSums;
  readonly confidenceLevel: number;
  readonly nullHypothesisRate: number | undefined;
  /** Correction for multiple testing, `'holm'` when omitted. */
  readonly correction?: MultipleTestingCorrection;
  /** Its families: each metric's treatments (the default, `'metric'`) or all of them (`'report'`). */
  readonly correctionScope?: CorrectionScope;
  /** Always-valid intervals and p-values (`sequential: 'confidence-sequence'`); fixed-horizon when omitted. */
  readonly confidenceSequence?: ConfidenceSequenceSettings | undefined;
  /** Replaces the correction of the families above (a segmented evaluation's report-wide family). */
  readonly correctionHook?: CorrectionHook | undefined;
}

/** Per-cell statistics, (metrics x variants) row-major. @internal */
export interface MetricStatistics {
  readonly mean: Float64Array;
  readonly std: Float64Array;
  readonly diff: Float64Array;
  readonly standardError: Float64Array;
  readonly testStat: Float64Array;
  readonly pValue: Float64Array;
  readonly confidenceInterval: Float64Array;
  /**
   * Per cell, the level `alpha` at which the correction for multiple testing read its interval (`NaN` where
   * the interval is at the evaluation's level); `undefined` when no cell was adjusted.
   */
  readonly intervalAlpha: Float64Array | undefined;
  /** `diff - confidenceInterval`. */
  readonly confidenceLower: Float64Array;
  /** `diff + confidenceInterval`. */
  readonly confidenceUpper: Float64Array;
  /** `mean - control mean`. */
  readonly absoluteDiff: Float64Array;
  /** Lower bound of `absoluteDiff` at the cell's level. */
  readonly absoluteDiffLower: Float64Array;
  /** Upper bound of `absoluteDiff` at the cell's level. */
  readonly absoluteDiffUpper: Float64Array;
  readonly degreesOfFreedom: Float64Array;
  readonly minimumEffect: Float64Array;
  readonly sampleSize: Float64Array;
  readonly requiredSampleSize: Float64Array;
  readonly power: Float64Array;
  readonly falsePositiveRisk: Float64Array;
  /** Indices of metrics with a negative variance estimate in some variant. */
  readonly negativeVarianceMetrics: readonly number[];
  /** Cells whose variance from sums of squares kept fewer than about 6 significant digits. */
  readonly impreciseVarianceCells: Uint8Array;
  /** Adjustment coefficients and variance reductions of CUPED metrics, when there are any. */
  readonly cuped?: Pick<CupedOutcome, 'theta' | 'varianceReduction'>;
}

/**
 * The statistics of every metric and variant from their sums, vectorised over (metrics x variants)
 * matrices: moments, Welch's test against the control, the correction for multiple testing (by default
 * Holm-Bonferroni over each metric's treatments with more than two variants), required sample size, power
 * and false positive risk.
 *
 * @internal
 */
export function computeMetricStatistics(input: MetricStatisticsInput): MetricStatistics {
  const { metrics, controlIndex, sums, confidenceLevel } = input;
  const metricCount = metrics.length;
  const variantCount = input.variants.length;
  const size = metricCount * variantCount;
  const shape = [metricCount, variantCount];
  const count = ndarray(sums.count, shape);
  const sumValue = ndarray(sums.sumValue, shape);
  const sumSqrValue = ndarray(sums.sumSqrValue, shape);

  // mean = sum_value / count; var = (sum_sqr_value - sum_value^2 / count) / (count - 1); std = sqrt(var)
  const mean = ndarray(new Float64Array(size), shape);
  ops.div(mean, sumValue, count);
  const variance = ndarray(new Float64Array(size), shape);
  let impreciseCells: Uint8Array = new Uint8Array(size);
  if (sums.centeredSquares === undefined) {
    ops.mul(variance, sumValue, mean);
    ops.sub(variance, sumSqrValue, variance);
    impreciseCells = impreciseVarianceCells(sums.sumSqrValue, variance.data);
  } else {
    ops.assign(variance, ndarray(sums.centeredSquares, shape));
  }
  const countMinusOne = ndarray(new Float64Array(size), shape);
  ops.subs(countMinusOne, count, 1);
  ops.diveq(variance, countMinusOne);
  const std = ndarray(new Float64Array(size), shape);
  ops.sqrt(std, variance);
  // variance of the mean estimate: std^2 / count
  const varianceOfMean = ndarray(new Float64Array(size), shape);
  ops.mul(varianceOfMean, std, std);
  ops.diveq(varianceOfMean, count);

  // Ratio rows: R = sum x / sum y with its delta-method variance, the units as the sample size.
  const unitsOrCount = sums.ratio === undefined ? count : ndarray(Float64Array.from(sums.count), shape);
  if (sums.ratio !== undefined) {
    const ratio = sums.ratio;
    const units = ndarray(ratio.units, shape);
    const moments = ratioMomentsMatrix({
      units,
      sumX: sumValue,
      sumX2: sumSqrValue,
      sumY: count,
      sumY2: ndarray(ratio.sumY2, shape),
      sumXY: ndarray(ratio.sumXY, shape),
    });
    ratio.isRatio.forEach((isRatio, m) => {
      if (!isRatio) return;
      ops.assign(mean.pick(m, null), moments.estimate.pick(m, null));
      ops.assign(std.pick(m, null), moments.std.pick(m, null));
      ops.assign(varianceOfMean.pick(m, null), moments.estimateVariance.pick(m, null));
      ops.assign(unitsOrCount.pick(m, null), units.pick(m, null));
      impreciseCells.fill(0, m * variantCount, (m + 1) * variantCount);
    });
  }
  // A negative variance estimate: of the per-unit values for a mean row, of R for a ratio row.
  const negativeVarianceMetrics: number[] = [];
  for (let m = 0; m < metricCount; m++) {
    const rowVariance = sums.ratio?.isRatio[m] === true ? varianceOfMean : variance;
    for (let v = 0; v < variantCount; v++) {
      if (rowVariance.get(m, v) < 0) {
        negativeVarianceMetrics.push(m);
        break;
      }
    }
  }

  // Per metric: the alternative of its treatments' tests and the difference under the null hypothesis.
  const alternative = metrics.map((metric) => metric.alternative);
  const nullValue = Float64Array.from(metrics, (metric) =>
    nullValueOf(metric.alternative, metric.nonInferiorityMargin),
  );
  const welch = welchTestMatrix({
    estimate: mean,
    estimateVariance: varianceOfMean,
    sampleSize: unitsOrCount,
    sumValue,
    controlIndex,
    confidenceLevel,
    alternative,
    nullValue,
  });
  // CUPED rows: the test of the adjusted difference of each treatment's pair replaces Welch's.
  const cuped =
    sums.cuped === undefined || variantCount < 2 || controlIndex < 0
      ? undefined
      : applyCuped(
          sums.cuped,
          {
            std: std.data,
            diff: welch.diff.data,
            standardError: welch.standardError.data,
            testStat: welch.testStat.data,
            pValue: welch.pValue.data,
            confidenceInterval: welch.confidenceInterval.data,
            degreesOfFreedom: welch.degreesOfFreedom.data,
          },
          variantCount,
          controlIndex,
          confidenceLevel,
          alternative,
          nullValue,
        );
  // With sequential: 'confidence-sequence', always-valid p-values and half-widths replace the t-test's.
  const sequence = applyConfidenceSequence(input.confidenceSequence, {
    variantCount,
    controlIndex,
    confidenceLevel,
    alternative,
    sampleSize: unitsOrCount.data,
    cuped: cuped === undefined ? undefined : { adjusted: cuped.adjusted, units: sums.cuped!.units },
    standardError: welch.standardError.data,
    testStat: welch.testStat.data,
    pValue: welch.pValue.data,
    confidenceInterval: welch.confidenceInterval.data,
  });
  // Multiple testing over the final unadjusted p-values (CUPED's included); control cells stay unadjusted.
  const corrected =
    input.correctionHook?.({
      pValue: welch.pValue.data,
      treatmentCells: evaluationFamilies('report', metricCount, variantCount, controlIndex)[0]!,
      confidenceLevel,
    }) ??
    correctEvaluationFamilies({
      correction: input.correction ?? 'holm',
      families: evaluationFamilies(
        input.correctionScope ?? 'metric',
        metricCount,
        variantCount,
        controlIndex,
      ),
      confidenceLevel,
      pValue: welch.pValue.data,
    });
  const pValue = ndarray(corrected.pValue, shape);
  // Each adjusted cell's interval at the level the correction gives it: the sequence's or the t interval.
  const cellAlpha = corrected.cellAlpha;
  const confidenceInterval =
    cellAlpha === undefined
      ? welch.confidenceInterval
      : ndarray(Float64Array.from(welch.confidenceInterval.data), shape);
  if (cellAlpha !== undefined) {
    cellAlpha.forEach((alpha, cell) => {
      if (Number.isNaN(alpha)) return;
      confidenceInterval.data[cell] =
        sequence?.halfWidthAt(cell, alpha) ??
        tHalfWidthAt(
          welch.standardError.data[cell]!,
          welch.degreesOfFreedom.data[cell]!,
          alpha,
          alternative[Math.floor(cell / variantCount)],
        );
    });
  }

  const intervals = differenceIntervals({
    variantCount,
    controlIndex,
    mean: mean.data,
    varianceOfMean: varianceOfMean.data,
    diff: welch.diff.data,
    standardError: welch.standardError.data,
    confidenceInterval: confidenceInterval.data,
    alternative,
    ...(cuped === undefined ? {} : { cuped }),
  });

  // Per metric (row): its minimum effect on the treatments, and the count as the sample size where the
  // denominator counts units.
  const minimumEffect = ndarray(new Float64Array(size), shape);
  const sampleSize = ndarray(new Float64Array(size), shape);
  metrics.forEach((metric, m) => {
    ops.assigns(minimumEffect.pick(m, null), metric.minimumEffect ?? Number.NaN);
    if (sums.ratio?.isRatio[m] === true || metric.denominatorCountsUnits) {
      ops.assign(sampleSize.pick(m, null), unitsOrCount.pick(m, null));
    } else ops.assigns(sampleSize.pick(m, null), Number.NaN);
  });
  if (variantCount > 0) ops.assigns(minimumEffect.pick(null, controlIndex), Number.NaN);
  const requiredSampleSize =
    variantCount > 1
      ? requiredSampleSizeMatrix({
          mean,
          std,
          minimumEffect,
          controlIndex,
          confidenceLevel,
          alternative,
          nullValue,
        })
      : ndarray(new Float64Array(size).fill(Number.NaN), shape);
  const power = powerMatrix({
    sampleSize,
    requiredSampleSize,
    nVariants: variantCount,
    confidenceLevel,
    alternative,
  });
  const risk = falsePositiveRiskMatrix({
    pValue,
    power,
    nullHypothesisRate: input.nullHypothesisRate,
    confidenceLevel,
  });

  return {
    mean: mean.data,
    std: std.data,
    diff: welch.diff.data,
    standardError: welch.standardError.data,
    testStat: welch.testStat.data,
    pValue: pValue.data,
    confidenceInterval: confidenceInterval.data,
    intervalAlpha: cellAlpha,
    ...intervals,
    degreesOfFreedom: welch.degreesOfFreedom.data,
    minimumEffect: minimumEffect.data,
    sampleSize: sampleSize.data,
    requiredSampleSize: requiredSampleSize.data,
    power: power.data,
    falsePositiveRisk: risk.data,
    negativeVarianceMetrics,
    impreciseVarianceCells: impreciseCells,
    ...(cuped === undefined
      ? {}
      : { cuped: { theta: cuped.theta, varianceReduction: cuped.varianceReduction } }),
  };
}
