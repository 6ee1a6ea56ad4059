import type { Expression, GoalReference } from './ast.js';
import { goalKey } from './goal-key.js';

/**
 * The distinct goals that one or more expressions read, in order of first appearance.
 *
 * @remarks
 * Expressions are walked left to right (left operand before right operand). Goals are distinct by
 * {@link goalKey}; for repeated goals the first occurrence is kept, so `count(u.unit.a) / value(u.unit.a)`
 * yields one goal. The walk uses an explicit stack, so trees of any depth are safe.
 *
 * @param expressions - Parsed expressions, e.g. a metric's nominator and denominator.
 * @returns The goals, unique by key.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { collectGoals, goalKey, parseExpression } from 'ep-stats';
 * const goals = collectGoals(
 *   parseExpression('value(u.unit.conversion) - value(u.unit.refund)'),
 *   parseExpression('count(u.unit.exposure) + count(u.unit.conversion)'),
 * );
 * goals.map(goalKey); // => ['u.unit.conversion', 'u.unit.refund', 'u.unit.exposure']
 * ```
 * @public
 */
export function collectGoals(...expressions: Expression[]): GoalReference[] {
  const goals: GoalReference[] = [];
  const seen = new Set<string>();
  const stack: Expression[] = [...expressions].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.kind === 'binary') {
      stack.push(node.right, node.left);
    } else if (node.kind === 'goal') {
      const key = goalKey(node);
      if (!seen.has(key)) {
        seen.add(key);
        goals.push(node);
      }
    }
  }
  return goals;
}
