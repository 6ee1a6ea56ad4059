import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { falsePositiveRisk } from '../statistics/false-positive-risk.js';
import { adjustIntervalsForHolm, holmBonferroni } from '../statistics/holm-bonferroni.js';
import { powerFromSampleSizes } from '../statistics/power.js';
import { requiredSampleSizePerVariant } from '../statistics/required-sample-size.js';
import { welchTest } from '../statistics/welch-test.js';
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
}

/** Inputs of {@link computeMetricStatistics}. @internal */
export interface MetricStatisticsInput {
  readonly metrics: readonly Metric[];
  readonly variants: readonly string[];
  readonly controlIndex: number;
  readonly sums: MetricSums;
  readonly confidenceLevel: number;
  readonly nullHypothesisRate: number | undefined;
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
}

/**
 * The statistics of every metric and variant from their sums, vectorised over (metrics x variants)
 * matrices: moments, Welch's test against the control, Holm-Bonferroni with more than two variants,
 * required sample size, power and false positive risk.
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
  const negativeVarianceMetrics: number[] = [];
  for (let m = 0; m < metricCount; m++) {
    for (let v = 0; v < variantCount; v++) {
      if (variance.get(m, v) < 0) {
        negativeVarianceMetrics.push(m);
        break;
      }
    }
  }
  const std = ndarray(new Float64Array(size), shape);
  ops.sqrt(std, variance);
  // variance of the mean estimate: std^2 / count
  const varianceOfMean = ndarray(new Float64Array(size), shape);
  ops.mul(varianceOfMean, std, std);
  ops.diveq(varianceOfMean, count);

  const welch = welchTest({
    metricCount,
    variantCount,
    controlIndex,
    estimate: mean.data,
    estimateVariance: varianceOfMean.data,
    sampleSize: sums.count,
    sumValue: sums.sumValue,
    confidenceLevel,
  });
  const pValue = Float64Array.from(welch.pValue);
  const confidenceInterval = Float64Array.from(welch.confidenceInterval);

  if (variantCount > 2) {
    const treatments = [...Array(variantCount).keys()].filter((v) => v !== controlIndex);
    for (let m = 0; m < metricCount; m++) {
      const cells = treatments.map((v) => m * variantCount + v);
      const raw = cells.map((i) => welch.pValue[i]!);
      const adjusted = holmBonferroni(raw);
      const intervals = adjustIntervalsForHolm({
        pValues: raw,
        adjustedPValues: adjusted,
        standardErrors: cells.map((i) => welch.standardError[i]!),
        degreesOfFreedom: cells.map((i) => welch.degreesOfFreedom[i]!),
        confidenceLevel,
      });
      cells.forEach((i, k) => {
        pValue[i] = adjusted[k]!;
        confidenceInterval[i] = intervals[k]!;
      });
    }
  }

  const intervals = differenceIntervals({
    variantCount,
    controlIndex,
    mean: mean.data,
    varianceOfMean: varianceOfMean.data,
    diff: welch.diff,
    standardError: welch.standardError,
    confidenceInterval,
  });

  const minimumEffect = new Float64Array(size).fill(Number.NaN);
  const sampleSize = new Float64Array(size);
  const requiredSampleSize = new Float64Array(size).fill(Number.NaN);
  const power = new Float64Array(size);
  const risk = new Float64Array(size);
  for (let m = 0; m < metricCount; m++) {
    const metric = metrics[m]!;
    const control = m * variantCount + controlIndex;
    for (let v = 0; v < variantCount; v++) {
      const i = m * variantCount + v;
      sampleSize[i] = metric.denominatorCountsUnits ? sums.count[i]! : Number.NaN;
      if (v !== controlIndex && metric.minimumEffect !== undefined) {
        minimumEffect[i] = metric.minimumEffect;
        requiredSampleSize[i] = requiredSampleSizePerVariant({
          nVariants: variantCount,
          minimumEffect: metric.minimumEffect,
          mean: mean.data[control]!,
          std: std.data[control]!,
          std2: std.data[i]!,
          confidenceLevel,
        });
      }
      power[i] = powerFromSampleSizes({
        nVariants: variantCount,
        sampleSize: sampleSize[i]!,
        requiredSampleSize: requiredSampleSize[i]!,
        confidenceLevel,
      });
      risk[i] =
        input.nullHypothesisRate === undefined
          ? Number.NaN
          : falsePositiveRisk({
              pValue: pValue[i]!,
              power: power[i]!,
              nullHypothesisRate: input.nullHypothesisRate,
              confidenceLevel,
            });
    }
  }

  return {
    mean: mean.data,
    std: std.data,
    diff: welch.diff,
    standardError: welch.standardError,
    testStat: welch.testStat,
    pValue,
    confidenceInterval,
    ...intervals,
    degreesOfFreedom: welch.degreesOfFreedom,
    minimumEffect,
    sampleSize,
    requiredSampleSize,
    power,
    falsePositiveRisk: risk,
    negativeVarianceMetrics,
    impreciseVarianceCells: impreciseCells,
  };
}
