import { BINARY_OPERATORS, type BinaryOperator, type Expression, type GoalReference } from './ast.js';

/**
 * Writes an expression tree back as canonical text that {@link parseExpression} reads as the same tree.
 *
 * @remarks
 * Goals print as `fn(unit_type.agg_type.name)` or `fn(unit_type.agg_type.name(d=v, e>5))` with each
 * condition as name, operator and value as written (`=^` prints as `=^value`). Dimensions with an empty
 * value (added by {@link completeDimensions}) cannot be written and are left out; they are implied by
 * completion. Binary operators are surrounded by single spaces and parentheses are added only where the
 * precedence (`*`, `/`, `-`, `+`, `~`, tightest first, each left-associative) requires: a left operand that
 * binds looser than its parent, a right operand that binds looser or equally. So `a / (b * c)` prints as
 * `a / b * c` and `(a - b) - c` as `a - b - c`, while `a - (b - c)` keeps its parentheses.
 * Integers print in full decimal digits (`1000000000000000000000`, never `1e+21`); infinities, which only
 * arise from overlong digit strings, print as a 310-digit number that reads back as the same infinity.
 * Non-integer numbers cannot be written in the language and print with `String(value)`.
 *
 * @param expr - The tree to print.
 * @returns The canonical text.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { parseExpression, printExpression } from 'ep-stats';
 * printExpression(parseExpression('(count( u.unit.a )/count(u.unit.b))*2')); // => '(count(u.unit.a) / count(u.unit.b)) * 2'
 * printExpression(parseExpression('value(u.unit.view(element =^ button-1,product>1,)) - -5')); // => 'value(u.unit.view(element=^button-1, product>1)) - -5'
 * ```
 * @public
 */
export function printExpression(expr: Expression): string {
  switch (expr.kind) {
    case 'number':
      return printNumber(expr.value);
    case 'goal':
      return printGoal(expr);
    case 'binary': {
      const level = precedence(expr.operator);
      const left = printExpression(expr.left);
      const right = printExpression(expr.right);
      const wrapLeft = expr.left.kind === 'binary' && precedence(expr.left.operator) < level;
      const wrapRight = expr.right.kind === 'binary' && precedence(expr.right.operator) <= level;
      return `${wrapLeft ? `(${left})` : left} ${expr.operator} ${wrapRight ? `(${right})` : right}`;
    }
  }
}

function precedence(operator: BinaryOperator): number {
  return BINARY_OPERATORS.length - BINARY_OPERATORS.indexOf(operator);
}

function printNumber(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  if (value === Number.POSITIVE_INFINITY) return `1${'0'.repeat(309)}`;
  if (value === Number.NEGATIVE_INFINITY) return `-1${'0'.repeat(309)}`;
  return String(value);
}

function printGoal(goal: GoalReference): string {
  const path = `${goal.unitType}.${goal.aggType}.${goal.goal}`;
  const conditions = goal.dimensions
    .filter((dimension) => dimension.value !== '')
    .map((dimension) => `${dimension.name}${dimension.operator}${dimension.value}`);
  return conditions.length === 0 ? `${goal.fn}(${path})` : `${goal.fn}(${path}(${conditions.join(', ')}))`;
}
