import { BINARY_OPERATORS, type BinaryOperation, type BinaryOperator, type Expression } from './ast.js';
import { ExpressionTokenizer } from './tokenizer.js';

/**
 * The deepest expression tree {@link parseExpression} accepts, counted in nested binary operations.
 *
 * @remarks
 * A flat sum of `n` terms is `n - 1` operations deep (every level is left-associative), so at most 1001
 * terms can be chained at one level. Parentheses that only wrap a single operand add no depth, and the parser
 * keeps its own stacks, so any nesting of parentheses is parsed without exhausting the call stack. The limit
 * keeps every tree small enough for the recursive evaluators and the printer.
 *
 * @example
 * ```ts
 * import { MAX_EXPRESSION_DEPTH } from 'ep-stats';
 * MAX_EXPRESSION_DEPTH; // => 1000
 * ```
 * @public
 */
export const MAX_EXPRESSION_DEPTH = 1000;

/**
 * Parses a metric expression such as `count(user.unit.conversion) / count(user.unit.exposure)` into a tree.
 *
 * @remarks
 * Grammar (whitespace — space, tab, CR, LF — between tokens is ignored):
 * `expr := operand (op operand)*`, `operand := number | goal | "(" expr ")"`, `number := ["-"] digits`,
 * `goal := func "(" unit_type "." agg_type "." name ["(" dim ("," dim)* [","] ")"] ")"`,
 * `dim := dimname op value`. `func` is `value`, `count` or `unique`; `unit_type` is letters and `_`;
 * `agg_type` is `unit` or `global`; names are letters, digits and `_`; a dimension operator is the longest of
 * `=`, `=^`, `!=`, `<`, `>`, `<=`, `>=`; a value is one or more of letters, digits, spaces and `_-.%/|`
 * (leading whitespace skipped, trailing spaces kept).
 *
 * Binary operators bind, tightest first, `*`, `/`, `-`, `+`, `~`, each level left-associative, so
 * `a / b * c` is `a / (b * c)` and `a + b - c` is `a + (b - c)`. A `-` right after an operand is the binary
 * operator; where an operand is expected it starts a negative integer (`a - -5`); `-` before a goal or `(`
 * is an error. `-0` is read as `0`.
 *
 * The tree is deeply frozen. Spans are `[start, end)` offsets into `text`; a parenthesised expression yields
 * its inner node with the inner span (parentheses are not included), and a binary node spans from its left
 * operand's start to its right operand's end. Parsing is linear in the length of the text.
 *
 * @param text - The expression text.
 * @returns The expression tree.
 * @throws {@link ExpressionError} for any text outside the grammar, with the faulty span, or when the tree
 * would be deeper than {@link MAX_EXPRESSION_DEPTH}.
 *
 * @example
 * ```ts
 * import { parseExpression, type BinaryOperation } from 'ep-stats';
 * const tree = parseExpression('value(user.unit.conversion) / count(user.unit.exposure)') as BinaryOperation;
 * tree.operator; // => '/'
 * tree.span; // => { start: 0, end: 55 }
 * parseExpression('count(u.unit.view(element=^button-1, product>1))'); // => { kind: 'goal', fn: 'count', unitType: 'u', aggType: 'unit', goal: 'view', dimensions: [{ name: 'element', operator: '=^', value: 'button-1', storedValue: '^button-1' }, { name: 'product', operator: '>', value: '1', storedValue: '>1' }], span: { start: 0, end: 48 } }
 * ```
 * @public
 */
export function parseExpression(text: string): Expression {
  const tokens = new ExpressionTokenizer(text);
  const operands: Operand[] = [];
  const pending: Pending[] = [];
  let openParen: number | undefined;
  for (;;) {
    const operand = tokens.readOperand(openParen);
    if (operand.kind === 'open') {
      pending.push(operand);
      openParen = operand.start;
      continue;
    }
    operands.push({ node: operand.node, depth: 0 });
    openParen = undefined;
    let next = tokens.readOperator();
    while (next.kind === 'close') {
      while (pending.at(-1)?.kind === 'operator') reduce(tokens, operands, pending);
      if (pending.pop() === undefined) {
        tokens.fail('Unmatched `)`: there is no `(` for it to close', next.start, next.start + 1);
      }
      next = tokens.readOperator();
    }
    if (next.kind === 'end') break;
    const level = precedence(next.operator);
    while (bindsAtLeast(pending.at(-1), level)) reduce(tokens, operands, pending);
    pending.push(next);
  }
  while (pending.at(-1)?.kind === 'operator') reduce(tokens, operands, pending);
  const unclosed = pending.pop();
  if (unclosed !== undefined) {
    tokens.fail(
      'Unclosed `(`: expected `)` before the end of the expression',
      unclosed.start,
      unclosed.start + 1,
    );
  }
  return (operands[0] as Operand).node;
}

/** An operand on the stack with the number of binary operations nested in it. */
interface Operand {
  readonly node: Expression;
  readonly depth: number;
}

/** An operator waiting for its right operand, or an open parenthesis. */
type Pending =
  | { readonly kind: 'operator'; readonly operator: BinaryOperator; readonly start: number }
  | { readonly kind: 'open'; readonly start: number };

/** Binding strength: higher binds tighter (`*` highest, `~` lowest). */
function precedence(operator: BinaryOperator): number {
  return BINARY_OPERATORS.length - BINARY_OPERATORS.indexOf(operator);
}

/** Whether a pending operator must be applied before an operator of `level` (left-associativity). */
function bindsAtLeast(top: Pending | undefined, level: number): boolean {
  return top?.kind === 'operator' && precedence(top.operator) >= level;
}

/** Pops one operator and its two operands and pushes the frozen binary node. */
function reduce(tokens: ExpressionTokenizer, operands: Operand[], pending: Pending[]): void {
  const top = pending.pop() as Pending & { kind: 'operator' };
  const right = operands.pop() as Operand;
  const left = operands.pop() as Operand;
  const depth = Math.max(left.depth, right.depth) + 1;
  if (depth > MAX_EXPRESSION_DEPTH) {
    tokens.fail(
      `Expression is nested more than ${MAX_EXPRESSION_DEPTH} operations deep: split it into simpler metrics`,
      top.start,
      top.start + 1,
    );
  }
  const span = Object.freeze({ start: left.node.span.start, end: right.node.span.end });
  const node: BinaryOperation = {
    kind: 'binary',
    operator: top.operator,
    left: left.node,
    right: right.node,
    span,
  };
  operands.push({ node: Object.freeze(node), depth });
}
