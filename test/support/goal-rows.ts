import type { AggregatedGoalRow, GoalCell, UnitGoalRow } from '../../src/index.js';

/** Further columns of a row: dimensions (e.g. `product`), or replacements of the builders' defaults. */
export type GoalColumns = Readonly<Record<string, GoalCell>>;

/** The aggregation type of a goal in the tests' data: `global` for `exposure`, `unit` for the others. */
export const aggTypeOf = (goal: string): 'global' | 'unit' => (goal === 'exposure' ? 'global' : 'unit');

/**
 * An aggregated goal row of `count` units with one event of value 1 each (so every sum, sum of squares and
 * unique count equals `count`), in experiment `e` of unit type `u`, aggregated as {@link aggTypeOf} says;
 * `columns` replace any of these (e.g. `sum_value`, `exp_id`) or add dimensions.
 */
export function aggregatedGoalRow(
  variant: string,
  goal: string,
  count: number,
  columns: GoalColumns = {},
): AggregatedGoalRow {
  return {
    exp_id: 'e',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: aggTypeOf(goal),
    goal,
    count,
    sum_sqr_count: count,
    sum_value: count,
    sum_sqr_value: count,
    count_unique: count,
    ...columns,
  };
}

/**
 * A goal row of one unit (`unit_id` `unit`) with `count` events summing to `value`, in experiment `e` of unit
 * type `u`; `columns` replace any of these or add dimensions.
 */
export function unitGoalRow(
  variant: string,
  unit: string,
  goal: string,
  value = 1,
  count = 1,
  columns: GoalColumns = {},
): UnitGoalRow {
  return {
    exp_id: 'e',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: 'unit',
    goal,
    unit_id: unit,
    count,
    sum_value: value,
    ...columns,
  };
}
