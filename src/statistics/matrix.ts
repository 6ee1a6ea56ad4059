/**
 * A two-dimensional, row-major view of a `Float64Array`, as the `ndarray` package builds it: the
 * (metrics x variants) matrices of an evaluation. The declaration is the library's own, so that the published
 * types stand alone; an `ndarray` `NdArray<Float64Array>` has this shape, and a `Matrix` can be handed to
 * `ndarray-ops` functions as one.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import type { Matrix } from 'ep-stats';
 * const experiment = new Experiment({
 *   id: 'ctr', controlVariant: 'a', unitType: 'u',
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 * });
 * const count: Matrix = experiment.evaluateAgg([]).matrices.count;
 * count.shape; // => [1, 1]
 * ```
 * @public
 */
export interface Matrix {
  /** The values, row-major from `offset` with `stride`. */
  data: Float64Array;
  /** `[rows, columns]`: `[metrics, variants]`. */
  shape: number[];
  /** The steps in `data` between neighbours along each dimension. */
  stride: number[];
  /** The index in `data` of the element at `[0, 0]`. */
  offset: number;
  /** Always `'float64'`. */
  dtype: 'float64';
  /** Number of elements (rows x columns). */
  size: number;
  /** Dimensions ordered from the one with the smallest stride. */
  order: number[];
  /** Number of dimensions, 2. */
  dimension: number;
  /** The element at `(row, column)`. */
  get(...indices: number[]): number;
  /** Sets the element at `(row, column)` to the last argument and returns it. */
  set(...indicesAndValue: number[]): number;
  /** The index in `data` of the element at `(row, column)`. */
  index(...indices: number[]): number;
  /** The view that starts at the given indices. */
  lo(...indices: number[]): Matrix;
  /** The view that ends before the given indices. */
  hi(...indices: number[]): Matrix;
  /** The view that steps through each dimension by the given amounts. */
  step(...steps: number[]): Matrix;
  /** The view with the dimensions in the given order. */
  transpose(...axes: number[]): Matrix;
  /** The view with some dimensions fixed (a number) and others kept (`null`), e.g. one metric's row. */
  pick(...indices: Array<number | null>): Matrix;
  /** The transposed view, (variants x metrics). */
  T: Matrix;
}
