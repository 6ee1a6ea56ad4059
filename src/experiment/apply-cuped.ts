import type { CovariateCells } from '../goals/metric-sums-rows.js';
import {
  type Alternative,
  alternativePValue,
  confidenceQuantileProbability,
} from '../statistics/alternative.js';
import { type CupedArmSums, cupedMeanPair, cupedRatioPair } from '../statistics/cuped-estimates.js';
import { studentTQuantile } from '../statistics/distributions.js';
import { roundHalfEven } from '../statistics/round-half-even.js';

/** Per-unit sums of CUPED metrics, (metrics x variants) row-major. @internal */
export interface CupedCells {
  /** Per metric: whether it is adjusted. */
  readonly isCuped: readonly boolean[];
  /** Per metric: whether it is a ratio (else a mean over the units). */
  readonly isRatio: readonly boolean[];
  /** Exposed units `n`. */
  readonly units: Float64Array;
  readonly sumX: Float64Array;
  readonly sumX2: Float64Array;
  readonly sumY: Float64Array;
  readonly sumY2: Float64Array;
  readonly sumXY: Float64Array;
  readonly covariates: CovariateCells;
}

/** The cells of the Welch test and of the moments that CUPED replaces, (metrics x variants) row-major. @internal */
export interface CupedTargets {
  readonly std: Float64Array;
  readonly diff: Float64Array;
  readonly standardError: Float64Array;
  readonly testStat: Float64Array;
  readonly pValue: Float64Array;
  readonly confidenceInterval: Float64Array;
  readonly degreesOfFreedom: Float64Array;
}

/** What CUPED leaves for the interval of the absolute difference and for the rows. @internal */
export interface CupedOutcome {
  /** Per cell: the adjustment coefficient (NaN outside CUPED rows and in control cells without a treatment). */
  readonly theta: Float64Array;
  /** Per cell: `1 - adjusted / unadjusted` per-unit variance of the variant's estimate. */
  readonly varianceReduction: Float64Array;
  /** 1 for the treatment cells of CUPED rows. */
  readonly adjusted: Uint8Array;
  /** Per treatment cell: difference of the adjusted estimates and its variance (NaN elsewhere). */
  readonly absoluteDiff: Float64Array;
  readonly absoluteVariance: Float64Array;
}

function arm(cells: CupedCells, cell: number): CupedArmSums {
  const c = cells.covariates;
  return {
    n: cells.units[cell]!,
    sumX: cells.sumX[cell]!,
    sumX2: cells.sumX2[cell]!,
    sumY: cells.sumY[cell]!,
    sumY2: cells.sumY2[cell]!,
    sumXY: cells.sumXY[cell]!,
    sumU: c.sumU[cell]!,
    sumU2: c.sumU2[cell]!,
    sumV: c.sumV[cell]!,
    sumV2: c.sumV2[cell]!,
    sumXU: c.sumXU[cell]!,
    sumXV: c.sumXV[cell]!,
    sumYU: c.sumYU[cell]!,
    sumYV: c.sumYV[cell]!,
    sumUV: c.sumUV[cell]!,
  };
}

/**
 * Replaces, in the rows of CUPED metrics, the Welch test of every treatment against the control with the
 * test of the CUPED-adjusted difference of its pair, before Holm-Bonferroni reads the p-values.
 *
 * @remarks
 * Per treatment: the relative difference and its standard error from {@link cupedMeanPair} or
 * {@link cupedRatioPair}, the Welch-Satterthwaite degrees of freedom of the adjusted per-arm variances
 * (rounded and truncated as for every other metric), the t statistic `(diff - nullValue) / se`, the p-value
 * under the row's alternative and the half-width of the interval at `confidenceLevel` (the distance to the
 * finite bound for a one-sided row), as the Welch test does for the other metrics. `std` becomes the square
 * root of the adjusted per-unit variance, so that the required sample size and power use the reduced
 * variance; the control's is the one of its pair with the last treatment (as gbstats reports it).
 *
 * `alternative` and `nullValue` hold one entry per metric (two-sided against 0 when omitted).
 *
 * @internal
 */
export function applyCuped(
  cells: CupedCells,
  targets: CupedTargets,
  variantCount: number,
  controlIndex: number,
  confidenceLevel: number,
  alternative?: readonly Alternative[],
  nullValue?: ArrayLike<number>,
): CupedOutcome {
  const size = cells.units.length;
  const theta = new Float64Array(size).fill(Number.NaN);
  const varianceReduction = new Float64Array(size).fill(Number.NaN);
  const absoluteDiff = new Float64Array(size).fill(Number.NaN);
  const absoluteVariance = new Float64Array(size).fill(Number.NaN);
  const adjusted = new Uint8Array(size);
  cells.isCuped.forEach((isCuped, m) => {
    if (!isCuped) return;
    const rowAlternative = alternative?.[m] ?? 'two-sided';
    const rowNull = nullValue?.[m] ?? 0;
    const quantileProbability = confidenceQuantileProbability(confidenceLevel, rowAlternative);
    const row = m * variantCount;
    const control = row + controlIndex;
    const controlSums = arm(cells, control);
    for (let v = 0; v < variantCount; v++) {
      if (v === controlIndex) continue;
      const cell = row + v;
      const treatmentSums = arm(cells, cell);
      const pair = cells.isRatio[m]
        ? cupedRatioPair(controlSums, treatmentSums)
        : cupedMeanPair(controlSums, treatmentSums);
      const varianceControl = pair.unitVarianceControl / controlSums.n;
      const varianceTreatment = pair.unitVarianceTreatment / treatmentSums.n;
      const degrees = Math.trunc(
        roundHalfEven(
          (varianceControl + varianceTreatment) ** 2 /
            (varianceControl ** 2 / (controlSums.n - 1) + varianceTreatment ** 2 / (treatmentSums.n - 1)),
          5,
        ),
      );
      const standardError = Math.sqrt(pair.relativeVariance);
      const t = (pair.relativeDiff - rowNull) / standardError;
      targets.diff[cell] = pair.relativeDiff;
      targets.standardError[cell] = standardError;
      targets.testStat[cell] = t;
      targets.degreesOfFreedom[cell] = degrees;
      targets.pValue[cell] = alternativePValue(t, degrees, rowAlternative);
      targets.confidenceInterval[cell] = standardError * studentTQuantile(quantileProbability, degrees);
      targets.std[cell] = Math.sqrt(pair.unitVarianceTreatment);
      targets.std[control] = Math.sqrt(pair.unitVarianceControl);
      theta[cell] = pair.theta;
      theta[control] = pair.theta;
      varianceReduction[cell] = 1 - pair.unitVarianceTreatment / pair.plainUnitVarianceTreatment;
      varianceReduction[control] = 1 - pair.unitVarianceControl / pair.plainUnitVarianceControl;
      adjusted[cell] = 1;
      absoluteDiff[cell] = pair.absoluteDiff;
      absoluteVariance[cell] = pair.absoluteVariance;
    }
  });
  return { theta, varianceReduction, adjusted, absoluteDiff, absoluteVariance };
}
