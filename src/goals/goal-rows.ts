/**
 * A cell of a goal row as a SQL driver or CSV reader returns it.
 *
 * @example
 * ```ts
 * import type { GoalCell } from 'ep-stats';
 * const cells: GoalCell[] = ['a', 12, 12n, null];
 * cells.length; // => 4
 * ```
 * @public
 */
export type GoalCell = string | number | bigint | boolean | null | undefined;

/**
 * One row of pre-aggregated goals (spec section 1), with the warehouse's snake_case column names.
 *
 * @remarks
 * One row per (experiment, variant, unit type, aggregation type, goal, dimension values). Numeric cells may
 * be numbers, bigints or decimal strings (as SQL drivers return them). Any further column is a dimension
 * (e.g. `element`, `product`); an empty, `null` or missing dimension cell means "no dimension". Columns that
 * no goal of the experiment mentions (such as `date`) are ignored.
 *
 * @example
 * ```ts
 * import type { AggregatedGoalRow } from 'ep-stats';
 * const row: AggregatedGoalRow = {
 *   exp_id: 'test-conversion', exp_variant_id: 'a', unit_type: 'test_unit_type', agg_type: 'unit',
 *   goal: 'click', count: 5, sum_sqr_count: 5, sum_value: 5, sum_sqr_value: 5, count_unique: 5,
 * };
 * row.goal; // => 'click'
 * ```
 * @public
 */
export interface AggregatedGoalRow {
  readonly exp_id?: GoalCell;
  readonly exp_variant_id: GoalCell;
  readonly unit_type: GoalCell;
  readonly agg_type: GoalCell;
  readonly goal: GoalCell;
  readonly count: GoalCell;
  readonly sum_sqr_count: GoalCell;
  readonly sum_value: GoalCell;
  readonly sum_sqr_value: GoalCell;
  readonly count_unique: GoalCell;
  readonly [dimension: string]: GoalCell;
}

/**
 * Pre-aggregated goals in columnar form: one array per column, all of the same length.
 *
 * @example
 * ```ts
 * import type { AggregatedGoalColumns } from 'ep-stats';
 * const goals: AggregatedGoalColumns = {
 *   exp_variant_id: ['a', 'b'], unit_type: ['u', 'u'], agg_type: ['global', 'global'],
 *   goal: ['exposure', 'exposure'], count: new Float64Array([21, 26]), sum_sqr_count: [21, 26],
 *   sum_value: [21, 26], sum_sqr_value: [21, 26], count_unique: [21, 26],
 * };
 * goals.count.length; // => 2
 * ```
 * @public
 */
export interface AggregatedGoalColumns {
  readonly exp_id?: ArrayLike<GoalCell>;
  readonly exp_variant_id: ArrayLike<GoalCell>;
  readonly unit_type: ArrayLike<GoalCell>;
  readonly agg_type: ArrayLike<GoalCell>;
  readonly goal: ArrayLike<GoalCell>;
  readonly count: ArrayLike<GoalCell>;
  readonly sum_sqr_count: ArrayLike<GoalCell>;
  readonly sum_value: ArrayLike<GoalCell>;
  readonly sum_sqr_value: ArrayLike<GoalCell>;
  readonly count_unique: ArrayLike<GoalCell>;
  readonly [dimension: string]: ArrayLike<GoalCell> | undefined;
}

/**
 * Pre-aggregated goals: an array of row objects or an object of column arrays.
 *
 * @example
 * ```ts
 * import type { AggregatedGoals } from 'ep-stats';
 * const none: AggregatedGoals = [];
 * Array.isArray(none); // => true
 * ```
 * @public
 */
export type AggregatedGoals = readonly AggregatedGoalRow[] | AggregatedGoalColumns;

/**
 * One row of goals aggregated per unit (spec section 1), for by-unit evaluation.
 *
 * @remarks
 * One row per (experiment, variant, unit type, aggregation type, goal, unit, dimension values); a unit may
 * be split over several rows of the same goal.
 *
 * @example
 * ```ts
 * import type { UnitGoalRow } from 'ep-stats';
 * const row: UnitGoalRow = {
 *   exp_id: 'test-real-valued', exp_variant_id: 'a', unit_type: 'test_unit_type', agg_type: 'unit',
 *   goal: 'exposure', unit_id: '1', count: 1, sum_value: 1,
 * };
 * row.unit_id; // => '1'
 * ```
 * @public
 */
export interface UnitGoalRow {
  readonly exp_id?: GoalCell;
  readonly exp_variant_id: GoalCell;
  readonly unit_type: GoalCell;
  readonly agg_type: GoalCell;
  readonly goal: GoalCell;
  readonly unit_id: GoalCell;
  readonly count: GoalCell;
  readonly sum_value: GoalCell;
  readonly [dimension: string]: GoalCell;
}

/**
 * Goals aggregated per unit: an array of row objects or an object of column arrays.
 *
 * @remarks
 * Columns may be plain arrays or typed arrays (as DuckDB or an Arrow table give them): `count` and
 * `sum_value` as `Float64Array` (or any numeric typed array), `unit_id` as strings, numbers, bigints, or a
 * numeric typed array including `BigInt64Array`. A unit id is its text: `7`, `7n` and `'7'` are one unit,
 * `'007'` another. Column arrays are read without building row objects, and integer unit ids (numbers,
 * bigints, typed arrays or decimal strings) are hashed as 64-bit integers, never converted to text.
 * Column arrays are several times faster than row objects; numeric unit ids are a little faster than strings
 * (see the by-unit section of `docs/statistics.md`).
 *
 * @example
 * ```ts
 * import type { UnitGoals } from 'ep-stats';
 * const goals: UnitGoals = { exp_variant_id: [], unit_type: [], agg_type: [], goal: [], unit_id: [], count: [], sum_value: [] };
 * goals.unit_id.length; // => 0
 * const typed: UnitGoals = {
 *   exp_variant_id: ['a', 'b'], unit_type: ['u', 'u'], agg_type: ['unit', 'unit'], goal: ['exposure', 'exposure'],
 *   unit_id: BigInt64Array.of(1n, 2n), count: Float64Array.of(1, 1), sum_value: Float64Array.of(1, 1),
 * };
 * typed.unit_id.length; // => 2
 * ```
 * @public
 */
export type UnitGoals =
  | readonly UnitGoalRow[]
  | {
      readonly exp_id?: ArrayLike<GoalCell>;
      readonly exp_variant_id: ArrayLike<GoalCell>;
      readonly unit_type: ArrayLike<GoalCell>;
      readonly agg_type: ArrayLike<GoalCell>;
      readonly goal: ArrayLike<GoalCell>;
      readonly unit_id: ArrayLike<GoalCell>;
      readonly count: ArrayLike<GoalCell>;
      readonly sum_value: ArrayLike<GoalCell>;
      readonly [dimension: string]: ArrayLike<GoalCell> | undefined;
    };
