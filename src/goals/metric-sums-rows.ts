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
  /** Metric ids of rows of the experiment's variants that name no metric of the experiment, as written. */
  readonly unknownMetricIds: readonly string[];
  /** Rows of the experiment read (of its variants). */
  readonly rows: number;
}

/**
 * Reads metric sums into (metrics x variants) cells.
 *
 * @throws {@link DataError} naming the row and column of a missing or malformed cell, a negative `units`,
 *   `sum_x2` or `sum_y2`, or a second row of the same metric and variant.
 * @internal
 */
export function readMetricSums(
  input: unknown,
  expId: string,
  metricIds: readonly DefinitionId[],
  variants: readonly string[],
): MetricSumsCells {
  const reader = new RowReader(input, METRIC_SUMS_COLUMNS);
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
  }
  const seen = Uint8Array.from(firstRow, (row) => (row === -1 ? 0 : 1));
  return { ...sums, seen, unknownMetricIds: [...unknown], rows };
}
