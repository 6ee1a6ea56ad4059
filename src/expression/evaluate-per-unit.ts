import type { BinaryOperator, Expression, GoalReference } from './ast.js';
import { applyElementwise, evaluateVectors, postOrder } from './evaluate-vectors.js';

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

/**
 * {@link evaluatePerUnit} into a given array: the same values, element for element, without a fresh vector
 * per goal and number.
 *
 * @remarks
 * Every operator applies the same arithmetic to the same operands as in {@link evaluatePerUnit}: the
 * leftmost goal or number of the expression is written into `out` and each operator applies to its left
 * operand in place, so the expression's value ends in `out`. A right operand that is a `value` or `count`
 * goal is read where it is; a number, or a goal without units (zeros), is applied as that number (the same
 * arithmetic as on a vector filled with it); any other right operand (`unique`, or an operator's result) is
 * computed into an array from `scratch`, reused once read.
 *
 * @param expression - A parsed expression.
 * @param out - Receives the values; its length is the number of units.
 * @param totals - As for {@link evaluatePerUnit}.
 * @param scratch - An array of `length` elements (any content) for a right operand that needs computing.
 * @returns `out`.
 * @internal
 */
export function evaluatePerUnitInto(
  expression: Expression,
  out: Float64Array,
  totals: (goal: GoalReference) => UnitGoalTotals | undefined,
  scratch: (length: number) => Float64Array,
): Float64Array {
  const length = out.length;
  const nodes = postOrder(expression);
  // Operands: a vector, or a number applied to every element.
  const operands: (ArrayLike<number> | number)[] = [];
  // Arrays of this evaluation: `out` first (for the leftmost leaf), then from `scratch`, reused once free.
  const owned = new Set<Float64Array>();
  const free: Float64Array[] = [];
  const array = () => {
    const next = owned.size === 0 ? out : (free.pop() ?? scratch(length));
    owned.add(next);
    return next;
  };
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    // In post-order an operator's right operand is the node just before it.
    const isRight = nodes[index + 1]?.kind === 'binary';
    if (node.kind === 'number') {
      operands.push(isRight ? node.value : array().fill(node.value));
    } else if (node.kind === 'goal') {
      const unit = totals(node);
      if (unit === undefined) operands.push(isRight ? 0 : array().fill(0));
      else if (node.fn === 'unique') operands.push(unique(unit.count, array()));
      else {
        const vector = node.fn === 'value' ? unit.sumValue : unit.count;
        if (isRight) operands.push(vector);
        else {
          const copy = array();
          for (let i = 0; i < length; i++) copy[i] = vector[i]!;
          operands.push(copy);
        }
      }
    } else {
      const right = operands.pop();
      const left = operands.pop();
      if (!(left instanceof Float64Array) || right === undefined) {
        throw new Error('evaluatePerUnitInto: malformed expression tree');
      }
      applyInPlace(node.operator, left, right);
      if (right instanceof Float64Array && owned.has(right)) free.push(right);
      operands.push(left);
    }
  }
  const result = operands.pop();
  if (!(result instanceof Float64Array) || operands.length > 0) {
    throw new Error('evaluatePerUnitInto: malformed expression tree');
  }
  if (result !== out) out.set(result);
  return out;
}

/** 1 for a unit with a count above 0, else 0 (`unique`), into `into`. */
function unique(count: ArrayLike<number>, into: Float64Array): Float64Array {
  for (let i = 0; i < into.length; i++) into[i] = count[i]! > 0 ? 1 : 0;
  return into;
}

/** `left[i] = left[i] op right[i]` (`~` subtracts), with a number `right` the same for every element. */
function applyInPlace(operator: BinaryOperator, left: Float64Array, right: ArrayLike<number> | number): void {
  const n = left.length;
  if (typeof right === 'number') {
    switch (operator) {
      case '+':
        for (let i = 0; i < n; i++) left[i] = left[i]! + right;
        break;
      case '-':
      case '~':
        for (let i = 0; i < n; i++) left[i] = left[i]! - right;
        break;
      case '*':
        for (let i = 0; i < n; i++) left[i] = left[i]! * right;
        break;
      case '/':
        for (let i = 0; i < n; i++) left[i] = left[i]! / right;
        break;
    }
    return;
  }
  applyElementwise(operator === '~' ? '-' : operator, left, right);
}
