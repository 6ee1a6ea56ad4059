import type { Expression, GoalFunction, GoalReference } from './ast.js';
import { evaluateSlices, evaluateVectors } from './evaluate-vectors.js';

/**
 * A numeric column of pre-aggregated goal rows (spec: `count`, `sum_sqr_count`, `sum_value`,
 * `sum_sqr_value`, `count_unique`).
 *
 * @example
 * ```ts
 * import { AGGREGATED_COLUMNS } from 'ep-stats';
 * AGGREGATED_COLUMNS; // => ['count', 'sum_sqr_count', 'sum_value', 'sum_sqr_value', 'count_unique']
 * ```
 * @public
 */
export type AggregatedColumn = 'count' | 'sum_sqr_count' | 'sum_value' | 'sum_sqr_value' | 'count_unique';

/**
 * Every {@link AggregatedColumn}, in the order of the goal-row contract.
 *
 * @example
 * ```ts
 * import { AGGREGATED_COLUMNS } from 'ep-stats';
 * AGGREGATED_COLUMNS.length; // => 5
 * ```
 * @public
 */
export const AGGREGATED_COLUMNS: readonly AggregatedColumn[] = Object.freeze([
  'count',
  'sum_sqr_count',
  'sum_value',
  'sum_sqr_value',
  'count_unique',
] as const);

/**
 * Which aggregated columns each goal function reads: the first for values, the second for squared sums.
 *
 * @example
 * ```ts
 * import { FUNCTION_COLUMNS } from 'ep-stats';
 * FUNCTION_COLUMNS.value; // => { value: 'sum_value', squared: 'sum_sqr_value' }
 * FUNCTION_COLUMNS.unique; // => { value: 'count_unique', squared: 'count_unique' }
 * ```
 * @public
 */
export const FUNCTION_COLUMNS: Readonly<
  Record<GoalFunction, { readonly value: AggregatedColumn; readonly squared: AggregatedColumn }>
> = Object.freeze({
  value: Object.freeze({ value: 'sum_value', squared: 'sum_sqr_value' } as const),
  count: Object.freeze({ value: 'count', squared: 'sum_sqr_count' } as const),
  unique: Object.freeze({ value: 'count_unique', squared: 'count_unique' } as const),
});

/**
 * Per-variant sums of pre-aggregated goals, as read by {@link evaluateAggregated}.
 *
 * @remarks
 * {@link AggregatedGoalTable} implements it; adopters can implement it over their own storage.
 *
 * @example
 * ```ts
 * import { evaluateAggregated, parseExpression, type AggregatedGoalSource } from 'ep-stats';
 * const source: AggregatedGoalSource = { variantCount: 2, column: () => [3, 4] };
 * evaluateAggregated(parseExpression('count(u.unit.click)'), source).value; // => new Float64Array([3, 4])
 * ```
 * @public
 */
export interface AggregatedGoalSource {
  /** Number of variants (the length of every vector). */
  readonly variantCount: number;
  /** Variant ids in the order of every vector, when known (an SRM check with planned weights needs them). */
  readonly variants?: readonly string[];
  /** The per-variant sums of one column over the rows that match `goal` (zeros where none match). */
  column(goal: GoalReference, column: AggregatedColumn): ArrayLike<number>;
}

/**
 * The per-variant value and squared-sum vectors of an expression.
 *
 * @example
 * ```ts
 * import { evaluateAggregated, parseExpression } from 'ep-stats';
 * const result = evaluateAggregated(parseExpression('2'), { variantCount: 1, column: () => [0] });
 * [result.value[0], result.squared[0]]; // => [2, 4]
 * ```
 * @public
 */
export interface AggregatedVectors {
  /** Per-variant value of the expression. */
  readonly value: Float64Array;
  /** Per-variant squared sums of the expression. */
  readonly squared: Float64Array;
}

/**
 * Evaluates an expression over pre-aggregated goals: per variant, its value and its squared sums.
 *
 * @remarks
 * Values: a number is itself, a goal is the sum of its function's first column over the matching rows
 * ({@link FUNCTION_COLUMNS}), and operators apply their arithmetic element-wise. Squared sums: a number `n`
 * is `n * n`, a goal is the sum of its second column, `*` `/` `+` `-` apply the same arithmetic to the
 * operands' squared sums, and `~` subtracts values but adds squared sums. For a metric, `sum_value` is the
 * value of the nominator, `sum_sqr_value` its squared sums and `count` the value of the denominator.
 * Division by zero follows IEEE 754 (NaN or Infinity).
 *
 * @param expression - A parsed expression ({@link parseExpression}).
 * @param source - Per-variant goal sums, e.g. an {@link AggregatedGoalTable}.
 * @returns Fresh vectors of length `source.variantCount`.
 *
 * @example
 * ```ts
 * import { evaluateAggregated, parseExpression, type AggregatedGoalSource } from 'ep-stats';
 * const sums: Record<string, Record<string, number[]>> = {
 *   conversion: { sum_value: [10, 12], sum_sqr_value: [50, 60] },
 *   refund: { sum_value: [2, 3], sum_sqr_value: [4, 9] },
 * };
 * const source: AggregatedGoalSource = {
 *   variantCount: 2,
 *   column: (goal, column) => sums[goal.goal]?.[column] ?? [0, 0],
 * };
 * const net = evaluateAggregated(parseExpression('value(u.unit.conversion) ~ value(u.unit.refund)'), source);
 * Array.from(net.value); // => [8, 9]
 * Array.from(net.squared); // => [54, 69]
 * ```
 * @public
 */
export function evaluateAggregated(expression: Expression, source: AggregatedGoalSource): AggregatedVectors {
  const length = source.variantCount;
  const dense = DENSE_SOURCES.get(source);
  if (dense !== undefined) {
    const value = new Float64Array(length);
    const squared = new Float64Array(length);
    evaluateDense(expression, dense, value, squared, 0);
    return { value, squared };
  }
  const value = evaluateVectors(expression, length, {
    goal: (goal) => source.column(goal, FUNCTION_COLUMNS[goal.fn].value),
    number: (n) => n,
    operator: (operator) => (operator === '~' ? '-' : operator),
  });
  const squared = evaluateVectors(expression, length, {
    goal: (goal) => source.column(goal, FUNCTION_COLUMNS[goal.fn].squared),
    number: (n) => n * n,
    operator: (operator) => (operator === '~' ? '+' : operator),
  });
  return { value, squared };
}

/**
 * Goal sums held in one array per column, every goal's `variantCount` sums at an offset of each array (as in
 * {@link AggregatedGoalTable}), so that an expression reads them in place.
 *
 * @internal
 */
export interface DenseGoalSums {
  readonly variantCount: number;
  readonly sums: Readonly<Record<AggregatedColumn, Float64Array>>;
  /**
   * Where a goal's sums start in every array.
   *
   * @throws Error, as the source's `column` does, for a goal it does not have.
   */
  offsetOf(goal: GoalReference): number;
}

/** The dense sums behind sources (see {@link registerDenseSums}). */
const DENSE_SOURCES = new WeakMap<AggregatedGoalSource, DenseGoalSums>();

/**
 * Records that a source's `column` reads the given dense sums (`column(goal, c)` being the `variantCount` sums
 * of `sums[c]` from `offsetOf(goal)`, for good), so that {@link evaluateAggregated} and
 * {@link evaluateAggregatedInto} read them in place: the same numbers, without a call and a view per goal.
 *
 * @internal
 */
export function registerDenseSums(source: AggregatedGoalSource, dense: DenseGoalSums): void {
  DENSE_SOURCES.set(source, dense);
}

/**
 * {@link evaluateAggregated} into given vectors: the value of an expression into `value` and its squared sums
 * into `squared` (when given), each `source.variantCount` elements from `at`. The same numbers, without making
 * the result's vectors; over dense sums, without making any for most expressions (see `evaluateSlices`).
 *
 * @throws Error as {@link evaluateAggregated} does (`value` and `squared` may then hold part of the result).
 * @internal
 */
export function evaluateAggregatedInto(
  expression: Expression,
  source: AggregatedGoalSource,
  value: Float64Array,
  squared: Float64Array | undefined,
  at: number,
): void {
  const dense = DENSE_SOURCES.get(source);
  if (dense !== undefined) {
    evaluateDense(expression, dense, value, squared, at);
    return;
  }
  const vectors = evaluateAggregated(expression, source);
  value.set(vectors.value, at);
  squared?.set(vectors.squared, at);
}

/** The value and the squared sums of an expression over dense sums (see {@link evaluateAggregatedInto}). */
function evaluateDense(
  expression: Expression,
  dense: DenseGoalSums,
  value: Float64Array,
  squared: Float64Array | undefined,
  at: number,
): void {
  const length = dense.variantCount;
  if (expression.kind === 'goal') {
    // The commonest expression: copy the goal's sums.
    const start = dense.offsetOf(expression);
    const columns = FUNCTION_COLUMNS[expression.fn];
    const values = dense.sums[columns.value];
    for (let i = 0; i < length; i++) value[at + i] = values[start + i]!;
    if (squared === undefined) return;
    const squares = dense.sums[columns.squared];
    for (let i = 0; i < length; i++) squared[at + i] = squares[start + i]!;
    return;
  }
  evaluateSlices(
    expression,
    length,
    {
      goal: (goal) => ({ array: dense.sums[FUNCTION_COLUMNS[goal.fn].value], start: dense.offsetOf(goal) }),
      number: (n) => n,
      operator: (operator) => (operator === '~' ? '-' : operator),
    },
    value,
    at,
  );
  if (squared === undefined) return;
  evaluateSlices(
    expression,
    length,
    {
      goal: (goal) => ({ array: dense.sums[FUNCTION_COLUMNS[goal.fn].squared], start: dense.offsetOf(goal) }),
      number: (n) => n * n,
      operator: (operator) => (operator === '~' ? '+' : operator),
    },
    squared,
    at,
  );
}
