import type { Expression, GoalReference } from './ast.js';
import { evaluateVectors } from './evaluate-vectors.js';

/**
 * Per-unit totals of one goal, as read by {@link evaluatePerUnit}.
 *
 * @example
 * ```ts
 * import type { UnitGoalTotals } from 'ep-stats';
 * const click: UnitGoalTotals = { count: [2, 0, 1], sumValue: [2, 0, 1] };
 * click.count.length; // => 3
 * ```
 * @public
 */
export interface UnitGoalTotals {
  /** Per-unit number of goals (`count`). */
  readonly count: ArrayLike<number>;
  /** Per-unit summed value (`sum_value`). */
  readonly sumValue: ArrayLike<number>;
}

/**
 * Evaluates an expression per unit: one value per unit from the units' goal totals.
 *
 * @remarks
 * Each goal reads the column its function names: `value` the summed value, `count` the number of goals,
 * `unique` 1 when the unit has at least one such goal and 0 otherwise. Numbers broadcast; operators apply
 * element-wise, `~` subtracting like `-` (squared sums are formed afterwards from the per-unit results, so
 * compound metrics get exact variances). Goals that a unit lacks must be given as zeros.
 *
 * @param expression - A parsed expression.
 * @param unitCount - Number of units (the length of every vector).
 * @param totals - Per-unit totals of a goal (aligned with the units), or `undefined` when no unit has it.
 * @returns A fresh vector of length `unitCount`.
 *
 * @example
 * ```ts
 * import { evaluatePerUnit, parseExpression } from 'ep-stats';
 * const totals = {
 *   conversion: { count: [1, 2, 0], sumValue: [10, 30, 0] },
 *   refund: { count: [0, 1, 0], sumValue: [0, 5, 0] },
 * };
 * const net = evaluatePerUnit(
 *   parseExpression('value(u.unit.conversion) - value(u.unit.refund)'),
 *   3,
 *   (goal) => totals[goal.goal as 'conversion' | 'refund'],
 * );
 * Array.from(net); // => [10, 25, 0]
 * const converted = evaluatePerUnit(parseExpression('unique(u.unit.conversion)'), 3, () => totals.conversion);
 * Array.from(converted); // => [1, 1, 0]
 * ```
 * @public
 */
export function evaluatePerUnit(
  expression: Expression,
  unitCount: number,
  totals: (goal: GoalReference) => UnitGoalTotals | undefined,
): Float64Array {
  return evaluateVectors(expression, unitCount, {
    goal: (goal) => {
      const unit = totals(goal);
      if (unit === undefined) return new Float64Array(unitCount);
      if (goal.fn === 'value') return unit.sumValue;
      if (goal.fn === 'count') return unit.count;
      return Float64Array.from(unit.count, (count) => (count > 0 ? 1 : 0));
    },
    number: (n) => n,
    operator: (operator) => (operator === '~' ? '-' : operator),
  });
}
