import type { Expression } from '../expression/ast.js';
import { postOrder } from '../expression/evaluate-vectors.js';
import { prePeriodGoalName } from '../goals/pre-period-rows.js';

/**
 * The expression over the pre-period of `preDays` days: every goal read under its pre-period name
 * ({@link prePeriodGoalName}), numbers and operators unchanged. Built bottom-up over the post-order, without
 * recursion, so that expressions of any depth are copied.
 *
 * @internal
 */
export function prePeriodExpression(expression: Expression, preDays: number): Expression {
  const built: Expression[] = [];
  for (const node of postOrder(expression)) {
    if (node.kind === 'number') built.push(node);
    else if (node.kind === 'goal') {
      built.push(Object.freeze({ ...node, goal: prePeriodGoalName(node.goal, preDays) }));
    } else {
      const right = built.pop()!;
      const left = built.pop()!;
      built.push(Object.freeze({ ...node, left, right }));
    }
  }
  return built[0]!;
}
