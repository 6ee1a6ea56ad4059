/**
 * A half-open range `[start, end)` of UTF-16 code unit offsets into an expression's text.
 *
 * @example
 * ```ts
 * import { parseExpression } from 'ep-stats';
 * parseExpression('count(u.unit.click)').span; // => { start: 0, end: 19 }
 * ```
 * @public
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The function applied to a goal: which pre-aggregated columns it reads.
 *
 * @remarks
 * `value` reads `sum_value` / `sum_sqr_value`, `count` reads `count` / `sum_sqr_count`, and `unique` reads
 * `count_unique` for both.
 *
 * @example
 * ```ts
 * import { GOAL_FUNCTIONS } from 'ep-stats';
 * GOAL_FUNCTIONS; // => ['value', 'count', 'unique']
 * ```
 * @public
 */
export type GoalFunction = 'value' | 'count' | 'unique';

/**
 * Every {@link GoalFunction}, in the order the error messages list them.
 *
 * @example
 * ```ts
 * import { GOAL_FUNCTIONS } from 'ep-stats';
 * GOAL_FUNCTIONS.includes('count'); // => true
 * ```
 * @public
 */
export const GOAL_FUNCTIONS: readonly GoalFunction[] = Object.freeze(['value', 'count', 'unique'] as const);

/**
 * How a goal was aggregated: per unit (`unit`) or over all units (`global`).
 *
 * @example
 * ```ts
 * import { AGGREGATION_TYPES } from 'ep-stats';
 * AGGREGATION_TYPES; // => ['unit', 'global']
 * ```
 * @public
 */
export type AggregationType = 'unit' | 'global';

/**
 * Every {@link AggregationType}.
 *
 * @example
 * ```ts
 * import { AGGREGATION_TYPES } from 'ep-stats';
 * AGGREGATION_TYPES.includes('global'); // => true
 * ```
 * @public
 */
export const AGGREGATION_TYPES: readonly AggregationType[] = Object.freeze(['unit', 'global'] as const);

/**
 * A comparison operator in a goal's dimension condition, e.g. `product>1`.
 *
 * @example
 * ```ts
 * import { DIMENSION_OPERATORS } from 'ep-stats';
 * DIMENSION_OPERATORS.length; // => 7
 * ```
 * @public
 */
export type DimensionOperator = '=' | '=^' | '!=' | '<' | '>' | '<=' | '>=';

/**
 * Every {@link DimensionOperator}.
 *
 * @example
 * ```ts
 * import { DIMENSION_OPERATORS } from 'ep-stats';
 * DIMENSION_OPERATORS; // => ['=', '=^', '!=', '<', '>', '<=', '>=']
 * ```
 * @public
 */
export const DIMENSION_OPERATORS: readonly DimensionOperator[] = Object.freeze([
  '=',
  '=^',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
] as const);

/**
 * A binary operator of the expression language, listed from the tightest binding to the loosest.
 *
 * @remarks
 * Every level is left-associative. `~` subtracts values but adds the squared sums (see
 * {@link evaluateAggregated}).
 *
 * @example
 * ```ts
 * import { BINARY_OPERATORS } from 'ep-stats';
 * BINARY_OPERATORS; // => ['*', '/', '-', '+', '~']
 * ```
 * @public
 */
export type BinaryOperator = '*' | '/' | '-' | '+' | '~';

/**
 * Every {@link BinaryOperator}, tightest binding first (the language's precedence).
 *
 * @example
 * ```ts
 * import { BINARY_OPERATORS } from 'ep-stats';
 * BINARY_OPERATORS.indexOf('*') < BINARY_OPERATORS.indexOf('+'); // => true
 * ```
 * @public
 */
export const BINARY_OPERATORS: readonly BinaryOperator[] = Object.freeze(['*', '/', '-', '+', '~'] as const);

/**
 * One dimension condition of a goal, e.g. `element=^button` or `product>1`.
 *
 * @remarks
 * `storedValue` is the string the data access layer writes back into the dimension column and the engine
 * matches by equality: the value itself for `=`, `^` + value for `=^`, and operator + value for every other
 * operator (`>1`, `!=1`, `<=4`). A completed dimension that the goal did not mention has operator `=` and
 * value `''`.
 *
 * @example
 * ```ts
 * import { parseExpression, type GoalReference } from 'ep-stats';
 * const goal = parseExpression('count(u.unit.view(product>1))') as GoalReference;
 * goal.dimensions[0]?.storedValue; // => '>1'
 * ```
 * @public
 */
export interface DimensionCondition {
  /** Dimension (column) name. */
  readonly name: string;
  /** Comparison operator. */
  readonly operator: DimensionOperator;
  /** The value as written after the operator (leading spaces removed, trailing spaces kept). */
  readonly value: string;
  /** The value as stored in goal rows (see remarks). */
  readonly storedValue: string;
}

/**
 * An integer literal such as `1000` or `-5`.
 *
 * @example
 * ```ts
 * import { parseExpression } from 'ep-stats';
 * parseExpression('-5'); // => { kind: 'number', value: -5, span: { start: 0, end: 2 } }
 * ```
 * @public
 */
export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
  readonly span: Span;
}

/**
 * A goal reference such as `count(user.unit.click(element=button-1))`.
 *
 * @example
 * ```ts
 * import { parseExpression, type GoalReference } from 'ep-stats';
 * const goal = parseExpression('value(user.unit.conversion)') as GoalReference;
 * [goal.fn, goal.unitType, goal.aggType, goal.goal]; // => ['value', 'user', 'unit', 'conversion']
 * ```
 * @public
 */
export interface GoalReference {
  readonly kind: 'goal';
  /** Which columns the goal reads. */
  readonly fn: GoalFunction;
  /** Unit type, e.g. `user`. */
  readonly unitType: string;
  /** Aggregation type. */
  readonly aggType: AggregationType;
  /** Goal name, e.g. `click`. */
  readonly goal: string;
  /** Dimension conditions in the order written (after completion: the completed order). */
  readonly dimensions: readonly DimensionCondition[];
  readonly span: Span;
}

/**
 * A binary operation `left operator right`.
 *
 * @example
 * ```ts
 * import { parseExpression, type BinaryOperation } from 'ep-stats';
 * const tree = parseExpression('count(u.unit.a) - 1') as BinaryOperation;
 * [tree.kind, tree.operator, tree.right.kind]; // => ['binary', '-', 'number']
 * ```
 * @public
 */
export interface BinaryOperation {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
}

/**
 * A parsed expression of the metric language: an immutable tree.
 *
 * @example
 * ```ts
 * import { parseExpression, type Expression } from 'ep-stats';
 * const tree: Expression = parseExpression('count(u.unit.a) / 2');
 * tree.kind; // => 'binary'
 * ```
 * @public
 */
export type Expression = NumberLiteral | GoalReference | BinaryOperation;
