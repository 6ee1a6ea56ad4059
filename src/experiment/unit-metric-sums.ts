import { ValidationError } from '../errors/validation-error.js';
import type { Expression } from '../expression/ast.js';
import { emptyCovariateCells } from '../goals/metric-sums-rows.js';
import {
  type PerUnitScratch,
  type PerUnitValues,
  sharedPerUnit,
  type UnitGoalTable,
} from '../goals/unit-goal-table.js';
import type { CupedCells } from './apply-cuped.js';
import type { MetricSums } from './compute-metric-statistics.js';
import type { Metric } from './metric.js';
import { winsorizeBySelection } from './winsorize-by-selection.js';

/** A CUPED metric's nominator and denominator over its pre-period. @internal */
export interface PrePeriodExpressions {
  readonly nominator: Expression;
  readonly denominator: Expression;
}

/**
 * Per-variant sums of every metric from per-unit values: the nominator evaluated per unit (winsorized
 * when the metric asks for it) summed with its squares, the denominator summed, and the centred sum of
 * squares that the variance is computed from.
 *
 * @remarks
 * Per variant, Welford's algorithm gives the mean `mean_k` and the centred sum of squares `M2_k` of the
 * `k` per-unit values. A variant's `count` (the denominator) may exceed `k` (units of the denominator
 * without a nominator value hold 0); merging those zeros gives
 * `M2 = M2_k + mean_k^2 k (count - k) / count` (Chan, Golub and LeVeque 1979), algebraically
 * `sum_sqr_value - sum_value^2 / count` but free of its cancellation: a constant metric has variance 0
 * exactly, and a mean of 1e6 with a standard deviation of 1 keeps all its digits (Welford, B. P. 1962,
 * Technometrics 4). A variant without
 * denominator (count 0) gets the variance of the sums formula (NaN or infinite), as in aggregated evaluation.
 *
 * A CUPED metric (`prePeriod[m]` given) also gets the metric sums of its units with the pre-period values:
 * `x` (winsorized like the nominator), `y`, and the pre-period nominator `u` and denominator `v` (for a mean,
 * `y = v = 1` per unit), summed with their squares and cross-products.
 *
 * @throws {@link ValidationError} when a CUPED metric's goals are of different unit groups (unit type and
 *   aggregation type), so that its per-unit values cannot be paired.
 * @internal
 */
export function unitMetricSums(
  metrics: readonly Metric[],
  table: UnitGoalTable,
  variantCount: number,
  prePeriod: readonly (PrePeriodExpressions | undefined)[] = [],
): MetricSums & { readonly centeredSquares: Float64Array } {
  const size = metrics.length * variantCount;
  // Ratio metrics: the exposed units and the per-unit sums the delta method needs besides sum x, x^2, y.
  const isRatio = metrics.map(() => false);
  const unpairedRatios: number[] = [];
  const ratioUnits = new Float64Array(size);
  const sumY2 = new Float64Array(size);
  const sumXY = new Float64Array(size);
  const count = new Float64Array(size);
  const sumValue = new Float64Array(size);
  const sumSqrValue = new Float64Array(size);
  const centeredSquares = new Float64Array(size);
  const units = new Float64Array(variantCount);
  const runningMean = new Float64Array(variantCount);
  const runningSquares = new Float64Array(variantCount);
  // The per-unit values that need computing reuse two arrays from metric to metric.
  const nominatorScratch: PerUnitScratch = {};
  const denominatorScratch: PerUnitScratch = {};
  const preNominatorScratch: PerUnitScratch = {};
  const preDenominatorScratch: PerUnitScratch = {};
  const cuped = prePeriod.some((pre) => pre !== undefined) ? emptyCupedCells(metrics, size) : undefined;
  // The last metric's denominator and where its per-variant sums are.
  let last: { denominator: PerUnitValues; offset: number } | undefined;
  metrics.forEach((metric, m) => {
    const offset = m * variantCount;
    const lowerQuantile = (metric.outlierLowerPercentile ?? 0) / 100;
    const upperQuantile = 1 - (metric.outlierUpperPercentile ?? 0) / 100;
    const winsorized = lowerQuantile > 0 || upperQuantile < 1;
    // The table's arrays are only read: values to winsorize in place are never the table's own.
    const nominator = sharedPerUnit(table, metric.nominatorExpression, nominatorScratch, winsorized);
    if (winsorized) winsorizeBySelection(nominator.values, lowerQuantile, upperQuantile);
    const denominator = sharedPerUnit(table, metric.denominatorExpression, denominatorScratch);
    if (
      last !== undefined &&
      denominator.values === last.denominator.values &&
      denominator.variantOf === last.denominator.variantOf &&
      denominator.values !== denominatorScratch.array
    ) {
      // The same arrays of the table as the last metric's (metrics usually share their denominator): the
      // same sums.
      count.copyWithin(offset, last.offset, last.offset + variantCount);
    } else {
      for (let unit = 0; unit < denominator.values.length; unit++) {
        const cell = offset + denominator.variantOf[unit]!;
        count[cell] = count[cell]! + denominator.values[unit]!;
      }
    }
    last = { denominator, offset };
    units.fill(0);
    runningMean.fill(0);
    runningSquares.fill(0);
    for (let unit = 0; unit < nominator.values.length; unit++) {
      const value = nominator.values[unit]!;
      const variant = nominator.variantOf[unit]!;
      const cell = offset + variant;
      sumValue[cell] = sumValue[cell]! + value;
      sumSqrValue[cell] = sumSqrValue[cell]! + value * value;
      // Welford's update of the mean and the centred sum of squares of the variant's units.
      const k = units[variant]! + 1;
      units[variant] = k;
      const delta = value - runningMean[variant]!;
      runningMean[variant] = runningMean[variant]! + delta / k;
      runningSquares[variant] = runningSquares[variant]! + delta * (value - runningMean[variant]!);
    }
    if (metric.kind === 'ratio' && denominator.variantOf !== nominator.variantOf) unpairedRatios.push(m);
    if (metric.kind === 'ratio' && denominator.variantOf === nominator.variantOf) {
      // The same units in the same order: x and y of each unit side by side.
      isRatio[m] = true;
      for (let unit = 0; unit < nominator.values.length; unit++) {
        const cell = offset + nominator.variantOf[unit]!;
        const x = nominator.values[unit]!;
        const y = denominator.values[unit]!;
        sumY2[cell] = sumY2[cell]! + y * y;
        sumXY[cell] = sumXY[cell]! + x * y;
      }
      ratioUnits.set(units, offset);
    }
    const pre = prePeriod[m];
    if (cuped !== undefined && pre !== undefined) {
      const isRatio = metric.kind === 'ratio';
      const u = sharedPerUnit(table, pre.nominator, preNominatorScratch);
      const v = isRatio ? sharedPerUnit(table, pre.denominator, preDenominatorScratch) : undefined;
      const paired = [denominator, u, ...(v === undefined ? [] : [v])];
      if (
        paired.some(
          (values) => values.variantOf !== nominator.variantOf && (isRatio || values !== denominator),
        )
      ) {
        throw new ValidationError(
          `metric '${metric.name}' (id ${String(metric.id)}) asks for CUPED by unit, which pairs each unit's values: its nominator${isRatio ? ', denominator' : ''} and pre-period goals must be of one unit type and aggregation type`,
          ['metrics', m, 'cuped'],
        );
      }
      accumulateCuped(cuped, offset, nominator.variantOf, {
        x: nominator.values,
        y: isRatio ? denominator.values : undefined,
        u: u.values,
        v: v?.values,
      });
      (cuped.isRatio as boolean[])[m] = isRatio;
      (cuped.isCuped as boolean[])[m] = true;
    }
    for (let variant = 0; variant < variantCount; variant++) {
      const cell = offset + variant;
      const total = count[cell]!;
      const mean = sumValue[cell]! / total;
      if (!Number.isFinite(mean)) {
        // No denominator (count 0): the same NaN or infinite variance as from the sums.
        centeredSquares[cell] = sumSqrValue[cell]! - sumValue[cell]! * mean;
        continue;
      }
      // Units of the denominator without a nominator value are zeros: merge (count - k) zeros into the
      // k values (Chan, Golub and LeVeque), M2 = M2_k + mean_k^2 k (count - k) / count.
      const k = units[variant]!;
      const unitMean = runningMean[variant]!;
      const absent = total - k;
      centeredSquares[cell] =
        runningSquares[variant]! + (absent === 0 ? 0 : (unitMean * unitMean * k * absent) / total);
    }
  });
  const ratio = isRatio.includes(true) ? { isRatio, units: ratioUnits, sumY2, sumXY } : undefined;
  return {
    count,
    sumValue,
    sumSqrValue,
    centeredSquares,
    ...(ratio === undefined ? {} : { ratio }),
    ...(cuped === undefined ? {} : { cuped }),
    ...(unpairedRatios.length === 0 ? {} : { unpairedRatioMetrics: unpairedRatios }),
  };
}

function emptyCupedCells(metrics: readonly Metric[], size: number): CupedCells {
  return {
    isCuped: metrics.map(() => false),
    isRatio: metrics.map(() => false),
    units: new Float64Array(size),
    sumX: new Float64Array(size),
    sumX2: new Float64Array(size),
    sumY: new Float64Array(size),
    sumY2: new Float64Array(size),
    sumXY: new Float64Array(size),
    covariates: emptyCovariateCells(size),
  };
}

/** Adds each unit's (x, y, u, v) to the sums of its variant's cell; `y` and `v` are 1 per unit when absent. */
function accumulateCuped(
  cells: CupedCells,
  offset: number,
  variantOf: Int32Array,
  values: { x: Float64Array; y: Float64Array | undefined; u: Float64Array; v: Float64Array | undefined },
): void {
  const c = cells.covariates;
  const { x: xs, y: ys, u: us, v: vs } = values;
  for (let unit = 0; unit < xs.length; unit++) {
    const cell = offset + variantOf[unit]!;
    const x = xs[unit]!;
    const y = ys === undefined ? 1 : ys[unit]!;
    const u = us[unit]!;
    const v = vs === undefined ? 1 : vs[unit]!;
    cells.units[cell]! += 1;
    cells.sumX[cell]! += x;
    cells.sumX2[cell]! += x * x;
    cells.sumY[cell]! += y;
    cells.sumY2[cell]! += y * y;
    cells.sumXY[cell]! += x * y;
    c.sumU[cell]! += u;
    c.sumU2[cell]! += u * u;
    c.sumV[cell]! += v;
    c.sumV2[cell]! += v * v;
    c.sumXU[cell]! += x * u;
    c.sumXV[cell]! += x * v;
    c.sumYU[cell]! += y * u;
    c.sumYV[cell]! += y * v;
    c.sumUV[cell]! += u * v;
  }
}
