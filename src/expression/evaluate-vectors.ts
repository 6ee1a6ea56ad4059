import type { BinaryOperator, Expression, GoalReference } from './ast.js';

/** How an expression's leaves and operators are read by {@link evaluateVectors}. @internal */
export interface VectorSemantics {
  /** The vector of a goal leaf (never modified: copied when it receives a result, read as a right operand). */
  readonly goal: (goal: GoalReference) => ArrayLike<number>;
  /** The value of a number leaf, broadcast over the vector. */
  readonly number: (value: number) => number;
  /** The arithmetic operator that a language operator applies. */
  readonly operator: (operator: BinaryOperator) => Arithmetic;
}

/** Element-wise arithmetic. @internal */
export type Arithmetic = '+' | '-' | '*' | '/';

/**
 * Evaluates an expression element-wise over vectors of one length (variants or units), without recursion
 * so that arbitrarily long chains of operators cannot overflow the stack.
 *
 * @internal
 */
export function evaluateVectors(
  expression: Expression,
  length: number,
  semantics: VectorSemantics,
): Float64Array {
  const values: (Float64Array | ArrayLike<number>)[] = [];
  const nodes = postOrder(expression);
  const isRightOperand = rightOperands(nodes);
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    if (node.kind === 'number') {
      values.push(new Float64Array(length).fill(semantics.number(node.value)));
    } else if (node.kind === 'goal') {
      // A right operand is only read (the result goes to the left one): a goal's vector needs no copy.
      const vector = semantics.goal(node);
      values.push(isRightOperand[index] ? vector : Float64Array.from(vector));
    } else {
      const right = values.pop();
      const left = values.pop();
      if (left === undefined || right === undefined)
        throw new Error('evaluateVectors: malformed expression tree');
      apply(semantics.operator(node.operator), left as Float64Array, right);
      values.push(left);
    }
  }
  const result = values.pop();
  if (result === undefined || values.length > 0)
    throw new Error('evaluateVectors: malformed expression tree');
  return result as Float64Array;
}

function apply(operator: Arithmetic, left: Float64Array, right: ArrayLike<number>): void {
  const n = left.length;
  switch (operator) {
    case '+':
      for (let i = 0; i < n; i++) left[i] = left[i]! + right[i]!;
      break;
    case '-':
      for (let i = 0; i < n; i++) left[i] = left[i]! - right[i]!;
      break;
    case '*':
      for (let i = 0; i < n; i++) left[i] = left[i]! * right[i]!;
      break;
    case '/':
      for (let i = 0; i < n; i++) left[i] = left[i]! / right[i]!;
      break;
  }
}

/** The nodes of an expression in post-order (operands before their operator), iteratively. @internal */
export function postOrder(expression: Expression): Expression[] {
  const out: Expression[] = [];
  const stack: Expression[] = [expression];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    if (node.kind === 'binary') {
      stack.push(node.left, node.right);
    }
  }
  return out.reverse();
}

/** Per node of a post-order, whether it is the right operand of its operator. */
function rightOperands(nodes: readonly Expression[]): boolean[] {
  const isRight = nodes.map(() => false);
  // In post-order an operator's right operand is the node just before it.
  nodes.forEach((node, index) => {
    if (node.kind === 'binary') isRight[index - 1] = true;
  });
  return isRight;
}
