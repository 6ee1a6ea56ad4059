import type { DefinitionId } from '../checks/definition-id.js';
import { DataError } from '../errors/data-error.js';
import type { GoalCell } from './goal-rows.js';
import { RowReader } from './row-reader.js';

/**
 * One row of metric sums: per experiment, variant and metric, the exposed units and the sums of the per-unit
 * nominator values `x` and denominator values `y`, with their squares and cross-product. An exposed unit
 * without any goal of the metric contributes zeros.
 *
 * @example
 * ```ts
 * import type { MetricSumsRow } from 'ep-stats';
 * // Revenue per order: 4 users with (revenue, orders) (20, 1), (0, 0), (90, 3), (40, 2).
 * const row: MetricSumsRow = {
 *   exp_id: 'checkout', exp_variant_id: 'a', metric_id: 1, units: 4,
 *   sum_x: 150, sum_x2: 10_100, sum_y: 6, sum_y2: 14, sum_xy: 370,
 * };
 * row.sum_x / row.sum_y; // => 25
 * ```
 * @public
 */
export interface MetricSumsRow {
  /** Experiment id; rows of other experiments are skipped. Optional. */
  readonly exp_id?: string;
  /** Variant id. */
  readonly exp_variant_id: string;
  /** The metric's id (a number or its text). */
  readonly metric_id: DefinitionId;
  /** Exposed units `n`. */
  readonly units: number;
  /** `sum x`: the per-unit nominator values summed. */
  readonly sum_x: number;
  /** `sum x^2`. */
  readonly sum_x2: number;
  /** `sum y`: the per-unit denominator values summed. */
  readonly sum_y: number;
  /** `sum y^2`. */
  readonly sum_y2: number;
  /** `sum x y`. */
  readonly sum_xy: number;
  /**
   * Pre-period covariates of a CUPED metric (`cuped` of its definition), required for its rows and ignored
   * for other metrics: `u` is the unit's nominator and `v` its denominator over the pre-period
   * `[dateFrom - preDays, dateFrom)`, zero for a unit without events there. `sum_u` is `sum u`.
   */
  readonly sum_u?: number;
  /** `sum u^2`. */
  readonly sum_u2?: number;
  /** `sum v`. */
  readonly sum_v?: number;
  /** `sum v^2`. */
  readonly sum_v2?: number;
  /** `sum x u`. */
  readonly sum_xu?: number;
  /** `sum x v`. */
  readonly sum_xv?: number;
  /** `sum y u`. */
  readonly sum_yu?: number;
  /** `sum y v`. */
  readonly sum_yv?: number;
  /** `sum u v`. */
  readonly sum_uv?: number;
}

/**
 * Metric sums as columns, one array per column (plain or typed arrays), as DuckDB or Arrow return them.
 *
 * @example
 * ```ts
 * import type { MetricSumsColumns } from 'ep-stats';
 * const columns: MetricSumsColumns = {
 *   exp_variant_id: ['a', 'b'], metric_id: [1, 1], units: Float64Array.of(4, 5),
 *   sum_x: Float64Array.of(150, 160), sum_x2: Float64Array.of(10_100, 9_000),
 *   sum_y: Float64Array.of(6, 7), sum_y2: Float64Array.of(14, 15), sum_xy: Float64Array.of(370, 380),
 * };
 * columns.units.length; // => 2
 * ```
 * @public
 */
export interface MetricSumsColumns {
  readonly exp_id?: ArrayLike<GoalCell>;
  readonly exp_variant_id: ArrayLike<GoalCell>;
  readonly metric_id: ArrayLike<GoalCell>;
  readonly units: ArrayLike<GoalCell>;
  readonly sum_x: ArrayLike<GoalCell>;
  readonly sum_x2: ArrayLike<GoalCell>;
  readonly sum_y: ArrayLike<GoalCell>;
  readonly sum_y2: ArrayLike<GoalCell>;
  readonly sum_xy: ArrayLike<GoalCell>;
  readonly sum_u?: ArrayLike<GoalCell>;
  readonly sum_u2?: ArrayLike<GoalCell>;
  readonly sum_v?: ArrayLike<GoalCell>;
  readonly sum_v2?: ArrayLike<GoalCell>;
  readonly sum_xu?: ArrayLike<GoalCell>;
  readonly sum_xv?: ArrayLike<GoalCell>;
  readonly sum_yu?: ArrayLike<GoalCell>;
  readonly sum_yv?: ArrayLike<GoalCell>;
  readonly sum_uv?: ArrayLike<GoalCell>;
}

/**
 * Metric sums: rows ({@link MetricSumsRow}) or columns ({@link MetricSumsColumns}).
 *
 * @example
 * ```ts
 * import type { MetricSumsInput } from 'ep-stats';
 * const none: MetricSumsInput = [];
 * none.length; // => 0
 * ```
 * @public
 */
export type MetricSumsInput = readonly MetricSumsRow[] | MetricSumsColumns;

/** The columns every metric sums input has, in the order error messages list them. @internal */
export const METRIC_SUMS_COLUMNS = [
  'exp_variant_id',
  'metric_id',
  'units',
  'sum_x',
  'sum_x2',
  'sum_y',
  'sum_y2',
  'sum_xy',
] as const;

/**
 * The pre-period columns of a metric sums row ({@link MetricSumsRow}), which the rows of CUPED metrics need, in
 * the order error messages list them: for SQL or Spark translations that return metric sums.
 *
 * @example
 * ```ts
 * import { METRIC_SUMS_PRE_PERIOD_COLUMNS } from 'ep-stats';
 * METRIC_SUMS_PRE_PERIOD_COLUMNS.length; // => 9
 * METRIC_SUMS_PRE_PERIOD_COLUMNS[0]; // => 'sum_u'
 * ```
 * @public
 */
export const METRIC_SUMS_PRE_PERIOD_COLUMNS = [
  'sum_u',
  'sum_u2',
  'sum_v',
  'sum_v2',
  'sum_xu',
  'sum_xv',
  'sum_yu',
  'sum_yv',
  'sum_uv',
] as const;

/**
 * The pre-period sums of every (metric, variant) cell, (metrics x variants) row-major; zeros in rows of
 * metrics without CUPED. @internal
 */
export interface CovariateCells {
  readonly sumU: Float64Array;
  readonly sumU2: Float64Array;
  readonly sumV: Float64Array;
  readonly sumV2: Float64Array;
  readonly sumXU: Float64Array;
  readonly sumXV: Float64Array;
  readonly sumYU: Float64Array;
  readonly sumYV: Float64Array;
  readonly sumUV: Float64Array;
}

/** Zeroed covariate cells. @internal */
export function emptyCovariateCells(size: number): CovariateCells {
  return {
    sumU: new Float64Array(size),
    sumU2: new Float64Array(size),
    sumV: new Float64Array(size),
    sumV2: new Float64Array(size),
    sumXU: new Float64Array(size),
    sumXV: new Float64Array(size),
    sumYU: new Float64Array(size),
    sumYV: new Float64Array(size),
    sumUV: new Float64Array(size),
  };
}

/** The sums of every (metric, variant) cell, (metrics x variants) row-major. @internal */
export interface MetricSumsCells {
  readonly units: Float64Array;
  readonly sumX: Float64Array;
  readonly sumX2: Float64Array;
  readonly sumY: Float64Array;
  readonly sumY2: Float64Array;
  readonly sumXY: Float64Array;
  /** 1 for a cell that had a row. */
  readonly seen: Uint8Array;
  /** Pre-period sums, when some metric asks for CUPED. */
  readonly covariates: CovariateCells | undefined;
  /** Metric ids of rows of the experiment's variants that name no metric of the experiment, as written. */
  readonly unknownMetricIds: readonly string[];
  /** Rows of the experiment read (of its variants). */
  readonly rows: number;
}

/**
 * Reads metric sums into (metrics x variants) cells.
 *
 * @throws {@link DataError} naming the row and column of a missing or malformed cell, a negative `units`,
 *   `sum_x2`, `sum_y2`, `sum_u2` or `sum_v2`, a second row of the same metric and variant, or a missing
 *   pre-period column when a metric asks for CUPED.
 * @internal
 */
export function readMetricSums(
  input: unknown,
  expId: string,
  metrics: readonly { readonly id: DefinitionId; readonly name: string; readonly cuped?: unknown }[],
  variants: readonly string[],
): MetricSumsCells {
  const metricIds = metrics.map((metric) => metric.id);
  const reader = new RowReader(input, METRIC_SUMS_COLUMNS);
  const cuped = metrics.map((metric) => metric.cuped !== undefined && metric.cuped !== null);
  const firstCuped = cuped.indexOf(true);
  if (firstCuped !== -1) {
    for (const column of METRIC_SUMS_PRE_PERIOD_COLUMNS) {
      if (reader.length > 0 && !reader.hasColumn(column)) {
        const metric = metrics[firstCuped]!;
        throw new DataError(
          `required column is missing: metric '${metric.name}' (id ${String(metric.id)}) asks for CUPED, which reads the pre-period columns ${METRIC_SUMS_PRE_PERIOD_COLUMNS.join(', ')}`,
          { column },
        );
      }
    }
  }
  const metricIndex = new Map(metricIds.map((id, m) => [String(id), m]));
  const variantIndex = new Map(variants.map((variant, v) => [variant, v]));
  const cells = metricIds.length * variants.length;
  const sums = {
    units: new Float64Array(cells),
    sumX: new Float64Array(cells),
    sumX2: new Float64Array(cells),
    sumY: new Float64Array(cells),
    sumY2: new Float64Array(cells),
    sumXY: new Float64Array(cells),
  };
  const firstRow = new Int32Array(cells).fill(-1);
  const expIdOf = reader.textIfPresent('exp_id');
  const variantOf = reader.text('exp_variant_id');
  const metricIdOf = reader.text('metric_id');
  const read = {
    units: reader.nonNegativeNumber('units'),
    sumX: reader.number('sum_x'),
    sumX2: reader.nonNegativeNumber('sum_x2'),
    sumY: reader.number('sum_y'),
    sumY2: reader.nonNegativeNumber('sum_y2'),
    sumXY: reader.number('sum_xy'),
  };
  const covariates = firstCuped === -1 ? undefined : emptyCovariateCells(cells);
  const readCovariate =
    covariates === undefined
      ? undefined
      : {
          sumU: reader.number('sum_u'),
          sumU2: reader.nonNegativeNumber('sum_u2'),
          sumV: reader.number('sum_v'),
          sumV2: reader.nonNegativeNumber('sum_v2'),
          sumXU: reader.number('sum_xu'),
          sumXV: reader.number('sum_xv'),
          sumYU: reader.number('sum_yu'),
          sumYV: reader.number('sum_yv'),
          sumUV: reader.number('sum_uv'),
        };
  const unknown = new Set<string>();
  let rows = 0;
  for (let row = 0; row < reader.length; row++) {
    if (expIdOf !== undefined) {
      const rowExpId = expIdOf(row);
      if (rowExpId !== '' && rowExpId !== expId) continue;
    }
    const variant = variantIndex.get(variantOf(row));
    if (variant === undefined) continue;
    rows++;
    const metricId = metricIdOf(row);
    const metric = metricIndex.get(metricId);
    if (metric === undefined) {
      unknown.add(metricId);
      continue;
    }
    const cell = metric * variants.length + variant;
    if (firstRow[cell] !== -1) {
      throw new DataError(
        `a second row of metric ${metricId} in variant ${variants[variant]} (the first is row ${firstRow[cell]}); metric sums have one row per metric and variant`,
        { row, column: 'metric_id' },
      );
    }
    firstRow[cell] = row;
    sums.units[cell] = read.units(row);
    sums.sumX[cell] = read.sumX(row);
    sums.sumX2[cell] = read.sumX2(row);
    sums.sumY[cell] = read.sumY(row);
    sums.sumY2[cell] = read.sumY2(row);
    sums.sumXY[cell] = read.sumXY(row);
    if (covariates !== undefined && readCovariate !== undefined && cuped[metric] === true) {
      for (const key of Object.keys(readCovariate) as (keyof CovariateCells)[]) {
        covariates[key][cell] = readCovariate[key](row);
      }
    }
  }
  const seen = Uint8Array.from(firstRow, (row) => (row === -1 ? 0 : 1));
  return { ...sums, seen, covariates, unknownMetricIds: [...unknown], rows };
}
