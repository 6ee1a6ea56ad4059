import { DOCUMENTATION_URL } from '../text/documentation-url.js';
import type { MetricSums } from './compute-metric-statistics.js';
import type { EvaluationWarning } from './evaluation.js';
import { flaggedVariants } from './flagged-variants.js';
import type { Metric } from './metric.js';

/**
 * Fewest units per variant of the calibrated regime: below it, skewed metrics reject a true null
 * hypothesis more often than nominal (docs/statistics.md, Calibration).
 */
export const SMALL_SAMPLE_UNITS = 1000;

/**
 * Fewest effective units `sumValue^2 / sumSqrValue` per variant of the calibrated regime (for a 0/1
 * nominator: conversions, and non-conversions).
 */
export const SMALL_SAMPLE_EFFECTIVE_UNITS = 200;

/** Per-variant sums of every metric for {@link smallSampleCells}, (metrics x variants) row-major. @internal */
export interface SmallSampleInput {
  readonly variantCount: number;
  readonly controlIndex: number;
  /** Denominator values. */
  readonly count: Float64Array;
  /** Nominator values. */
  readonly sumValue: Float64Array;
  /** Nominator squared sums. */
  readonly sumSqrValue: Float64Array;
  /** Per metric: whether its denominator counts units (see `Metric.denominatorCountsUnits`). */
  readonly countsUnits: readonly boolean[];
}

/**
 * The comparisons (metric x treatment variant) outside the regime where Welch's test of the relative
 * difference is calibrated: 1 where the control or the treatment has too small a sample, else 0.
 *
 * @remarks
 * A variant's sample is small when any of these holds:
 * - the metric's denominator counts units and `count < 1000` ({@link SMALL_SAMPLE_UNITS});
 * - the effective units `sumValue^2 / sumSqrValue < 200` ({@link SMALL_SAMPLE_EFFECTIVE_UNITS}), or are
 *   NaN (no nonzero value). By Cauchy-Schwarz they are at most the units, and equal
 *   `n / (1 + cv^2 (n - 1) / n)` with `cv = std / mean`: they fall with the relative spread, so that
 *   `1 / sqrt(sumValue^2 / sumSqrValue)` is about the relative standard error of the mean. For a 0/1
 *   nominator (`sumSqrValue === sumValue`) they are the conversions;
 * - the nominator is 0/1-valued, the denominator counts units and the non-conversions
 *   `count - sumValue < 200`.
 *
 * The thresholds come from seeded simulations of A/A tests (binary, log-normal and net revenue metrics,
 * with and without Holm-Bonferroni and the sequential level; docs/statistics.md, Calibration): inside them
 * every measured false positive rate lay in the binomial 99.9% band around nominal; below them it rose to
 * 7.9% at alpha 0.05 and 6.6% at 0.0284 (binary at 5% with 200 units per variant). Skewness itself is not
 * visible in sums and squared sums; the units
 * threshold guards against it. The control column is always 0.
 *
 * @param input - Per-variant sums of every metric.
 * @returns (metrics x variants) row-major, 1 for a comparison with a small sample.
 * @internal
 */
export function smallSampleCells(input: SmallSampleInput): Uint8Array {
  const { variantCount, controlIndex, count, sumValue, sumSqrValue, countsUnits } = input;
  const flagged = new Uint8Array(count.length);
  for (let row = 0, metric = 0; row < count.length; row += variantCount, metric++) {
    const units = countsUnits[metric] ?? false;
    const controlSmall = isSmall(
      count[row + controlIndex]!,
      sumValue[row + controlIndex]!,
      sumSqrValue[row + controlIndex]!,
      units,
    );
    for (let variant = 0; variant < variantCount; variant++) {
      if (variant === controlIndex) continue;
      const cell = row + variant;
      if (controlSmall || isSmall(count[cell]!, sumValue[cell]!, sumSqrValue[cell]!, units))
        flagged[cell] = 1;
    }
  }
  return flagged;
}

/** Whether one variant's sums are below the calibrated regime (see {@link smallSampleCells}). */
function isSmall(count: number, sumValue: number, sumSqrValue: number, countsUnits: boolean): boolean {
  if (countsUnits && !(count >= SMALL_SAMPLE_UNITS)) return true;
  if (!((sumValue * sumValue) / sumSqrValue >= SMALL_SAMPLE_EFFECTIVE_UNITS)) return true;
  const binary = sumSqrValue === sumValue;
  return binary && countsUnits && !(count - sumValue >= SMALL_SAMPLE_EFFECTIVE_UNITS);
}

/** Inputs of {@link smallSampleWarnings}. @internal */
export interface SmallSampleWarningInput {
  readonly metrics: readonly Metric[];
  readonly variants: readonly string[];
  readonly controlIndex: number;
  readonly sums: MetricSums;
}

/**
 * One `small-sample` warning per metric with a comparison outside the calibrated regime
 * ({@link smallSampleCells}), listing the treatment variants concerned.
 *
 * @param input - Metrics, variants, the control's column and the per-variant sums.
 * @returns The warnings, in metric order.
 * @internal
 */
export function smallSampleWarnings(input: SmallSampleWarningInput): EvaluationWarning[] {
  const { metrics, variants, controlIndex, sums } = input;
  const variantCount = variants.length;
  const flagged = smallSampleCells({
    variantCount,
    controlIndex,
    count: sums.count,
    sumValue: sums.sumValue,
    sumSqrValue: sums.sumSqrValue,
    countsUnits: metrics.map((metric) => metric.denominatorCountsUnits),
  });
  const warnings: EvaluationWarning[] = [];
  metrics.forEach((metric, m) => {
    const concerned = flaggedVariants(flagged, m, variants);
    if (concerned.length === 0) return;
    warnings.push({
      code: 'small-sample',
      message:
        `Metric '${metric.name}': the ${concerned.length === 1 ? 'comparison of variant' : 'comparisons of variants'} ` +
        `${concerned.join(', ')} with the control ${variants[controlIndex]} ${concerned.length === 1 ? 'has' : 'have'} ` +
        `fewer than ${SMALL_SAMPLE_UNITS.toLocaleString('en-US')} units or fewer than ${SMALL_SAMPLE_EFFECTIVE_UNITS} ` +
        'effective units (conversions, for a 0/1 metric) in a variant; below that the false positive rate is above ' +
        `nominal (see ${DOCUMENTATION_URL}statistics.md, Calibration).`,
      metricIds: [metric.id],
      variants: concerned,
    });
  });
  return warnings;
}
