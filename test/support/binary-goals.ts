import { type AggregatedGoalRow, Metric } from '../../src/index.js';
import { aggregatedGoalRow } from './goal-rows.js';

/**
 * Goal rows of binary goals (each unit has at most one, so every sum of squares equals its sum) from
 * `[variant, clicks, exposures]` triples: a `unit` click row and a `global` exposure row per variant.
 */
export function binaryGoalRows(
  variants: readonly (readonly [string, number, number])[],
  { expId = 'test-conversion', unitType = 'test_unit_type' } = {},
): AggregatedGoalRow[] {
  const columns = { exp_id: expId, unit_type: unitType };
  return variants.flatMap(([variant, clicks, exposures]) => [
    aggregatedGoalRow(variant, 'click', clicks, columns),
    aggregatedGoalRow(variant, 'exposure', exposures, columns),
  ]);
}

/** The reference README's example: click-through rate 5/21 in `a`, 7/26 in `b`. */
export const README_VARIANTS = [
  ['a', 5, 21],
  ['b', 7, 26],
] as const;

/** Metric 1, `CTR`: the clicks per exposure of the goals of {@link binaryGoalRows} of unit type `unitType`. */
export function clickThroughRate(unitType = 'test_unit_type'): Metric {
  return new Metric({
    id: 1,
    name: 'CTR',
    nominator: `count(${unitType}.unit.click)`,
    denominator: `count(${unitType}.global.exposure)`,
  });
}
