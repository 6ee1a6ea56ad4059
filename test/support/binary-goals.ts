import type { AggregatedGoalRow } from '../../src/index.js';

/**
 * Goal rows of binary goals (each unit has at most one, so every sum of squares equals its sum) from
 * `[variant, clicks, exposures]` triples: a `unit` click row and a `global` exposure row per variant.
 */
export function binaryGoalRows(
  variants: readonly (readonly [string, number, number])[],
  { expId = 'test-conversion', unitType = 'test_unit_type' } = {},
): AggregatedGoalRow[] {
  return variants.flatMap(([variant, clicks, exposures]) =>
    (
      [
        ['unit', 'click', clicks],
        ['global', 'exposure', exposures],
      ] as const
    ).map(([aggType, goal, count]) => ({
      exp_id: expId,
      exp_variant_id: variant,
      unit_type: unitType,
      agg_type: aggType,
      goal,
      count,
      sum_sqr_count: count,
      sum_value: count,
      sum_sqr_value: count,
      count_unique: count,
    })),
  );
}

/** The reference README's example: click-through rate 5/21 in `a`, 7/26 in `b`. */
export const README_VARIANTS = [
  ['a', 5, 21],
  ['b', 7, 26],
] as const;
