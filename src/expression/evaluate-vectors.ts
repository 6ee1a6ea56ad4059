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
      applyElementwise(semantics.operator(node.operator), left as Float64Array, right);
      values.push(left);
    }
  }
  const result = values.pop();
  if (result === undefined || values.length > 0)
    throw new Error('evaluateVectors: malformed expression tree');
  return result as Float64Array;
}

/** `left[i] = left[i] op right[i]` for every element of `left`. @internal */
export function applyElementwise(operator: Arithmetic, left: Float64Array, right: ArrayLike<number>): void {
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

/**
 * A goal's vector inside a larger array: `length` elements of `array` from `start` (only read).
 *
 * @internal
 */
export interface VectorSlice {
  readonly array: Float64Array;
  readonly start: number;
}

/** How an expression's leaves and operators are read by {@link evaluateSlices}. @internal */
export interface SliceSemantics {
  /** Where the vector of a goal leaf is. */
  readonly goal: (goal: GoalReference) => VectorSlice;
  /** The value of a number leaf, broadcast over the vector. */
  readonly number: (value: number) => number;
  /** The arithmetic operator that a language operator applies. */
  readonly operator: (operator: BinaryOperator) => Arithmetic;
}

/** A vector that {@link evaluateSlices} made (in `out`, or in an array of its own): written in place. */
class OwnVector {
  constructor(
    readonly array: Float64Array | number[],
    readonly start: number,
  ) {}
}

/** An operand of {@link evaluateSlices}: a number (broadcast), a goal's vector (only read) or its own. */
type Operand = number | VectorSlice | OwnVector;

/**
 * {@link evaluateVectors} over goal vectors that are slices of larger arrays, every vector of `length`
 * elements, into `length` elements of `out` from `at`: the same arithmetic on the same numbers, element by
 * element, without making vectors for the leaves.
 *
 * @remarks
 * A number stays a number until an operator combines it with a vector, and a goal's vector is read where it
 * is. An operator writes into its left operand when that is a vector of its own; otherwise the operators on
 * the path from the root through the left operands write into `out`, and any other one into a new array (as
 * `a - (b + c)` does for `b + c`). An expression of leaves and operators along that path makes no vector.
 *
 * @internal
 */
export function evaluateSlices(
  expression: Expression,
  length: number,
  semantics: SliceSemantics,
  out: Float64Array,
  at: number,
): void {
  const values: Operand[] = [];
  // The operators from the root through the left operands, top down; post-order meets them bottom up.
  const leftPath: Expression[] = [];
  for (let node = expression; node.kind === 'binary'; node = node.left) leftPath.push(node);
  let next = leftPath.length - 1;
  const result = new OwnVector(out, at);
  for (const node of postOrder(expression)) {
    if (node.kind === 'number') values.push(semantics.number(node.value));
    else if (node.kind === 'goal') values.push(semantics.goal(node));
    else {
      const right = values.pop();
      const left = values.pop();
      if (left === undefined || right === undefined) {
        throw new Error('evaluateVectors: malformed expression tree');
      }
      const onLeftPath = next >= 0 && node === leftPath[next];
      if (onLeftPath) next--;
      const operator = semantics.operator(node.operator);
      if (typeof left === 'number' && typeof right === 'number') {
        values.push(arithmetic(operator, left, right));
        continue;
      }
      const target =
        left instanceof OwnVector ? left : onLeftPath ? result : new OwnVector(new Array<number>(length), 0);
      combine(operator, target, left, right, length);
      values.push(target);
    }
  }
  const last = values.pop();
  if (last === undefined || values.length > 0) throw new Error('evaluateVectors: malformed expression tree');
  if (typeof last === 'number') out.fill(last, at, at + length);
  else if (last !== result) for (let i = 0; i < length; i++) out[at + i] = last.array[last.start + i]!;
}

/** Writes `left operator right`, element-wise, into `target` (which may be `left`). */
function combine(
  operator: Arithmetic,
  target: OwnVector,
  left: Operand,
  right: Operand,
  length: number,
): void {
  const { array, start } = target;
  const leftArray = typeof left === 'number' ? undefined : left.array;
  const leftStart = typeof left === 'number' ? 0 : left.start;
  const leftNumber = typeof left === 'number' ? left : 0;
  const rightArray = typeof right === 'number' ? undefined : right.array;
  const rightStart = typeof right === 'number' ? 0 : right.start;
  const rightNumber = typeof right === 'number' ? right : 0;
  for (let i = 0; i < length; i++) {
    const a = leftArray === undefined ? leftNumber : leftArray[leftStart + i]!;
    const b = rightArray === undefined ? rightNumber : rightArray[rightStart + i]!;
    array[start + i] = arithmetic(operator, a, b);
  }
}

function arithmetic(operator: Arithmetic, a: number, b: number): number {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}
