import type { Expression } from '../expression/ast.js';
import { prePeriodGoalName } from '../goals/pre-period-rows.js';

/**
 * The expression over the pre-period of `preDays` days: every goal read under its pre-period name
 * ({@link prePeriodGoalName}), numbers and operators unchanged.
 *
 * @internal
 */
export function prePeriodExpression(expression: Expression, preDays: number): Expression {
  if (expression.kind === 'number') return expression;
  if (expression.kind === 'goal') {
    return Object.freeze({ ...expression, goal: prePeriodGoalName(expression.goal, preDays) });
  }
  return Object.freeze({
    ...expression,
    left: prePeriodExpression(expression.left, preDays),
    right: prePeriodExpression(expression.right, preDays),
  });
}
