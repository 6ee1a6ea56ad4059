import { type Expression, type GoalReference, printExpression, ValidationError } from '../index.js';
import { isUnconstrained } from './dimension-condition-sql.js';
import { EXPOSURE_GOAL } from './event-source-sql.js';
import type { SqlParameters } from './sql-parameters.js';

/** The quoted per-unit total columns of a goal: `count` and `value` (null where the unit has none). */
export interface GoalColumns {
  readonly count: string;
  readonly value: string;
}

/**
 * An expression evaluated per unit, as SQL over the per-unit totals of its goals, with the arithmetic of
 * `evaluatePerUnit`: `value` is the summed value, `count` the summed count, `unique` 1 when the count is
 * above 0 and else 0, a goal the unit lacks (a null total) is 0, numbers are bound parameters, and `~`
 * subtracts like `-`. Every operation is parenthesised, so the SQL keeps the tree's order.
 *
 * @internal
 */
export function perUnitExpressionSql(
  expression: Expression,
  columnsOf: (goal: GoalReference) => GoalColumns,
  parameters: SqlParameters,
  doubleType: string,
): string {
  switch (expression.kind) {
    case 'number':
      return parameters.number(expression.value);
    case 'goal': {
      const { count, value } = columnsOf(expression);
      if (expression.fn === 'value') return `COALESCE(${value}, 0)`;
      if (expression.fn === 'count') return `COALESCE(${count}, 0)`;
      return `CAST(CASE WHEN ${count} > 0 THEN 1 ELSE 0 END AS ${doubleType})`;
    }
    case 'binary': {
      // Written left to right: placeholders are bound in the order they appear.
      const left = perUnitExpressionSql(expression.left, columnsOf, parameters, doubleType);
      const right = perUnitExpressionSql(expression.right, columnsOf, parameters, doubleType);
      const operator = expression.operator === '~' ? '-' : expression.operator;
      return `(${left} ${operator} ${right})`;
    }
  }
}

/**
 * Whether an expression is non-zero for every exposed unit: a number other than 0; in the experiment
 * period also `count` or `unique` of the unit exposure goal (`<unitType>.<any>.exposure` without a
 * constraining dimension), which is positive for every exposed unit; a product or quotient of such.
 */
function nonZeroPerUnit(expression: Expression, unitType: string, experimentPeriod: boolean): boolean {
  switch (expression.kind) {
    case 'number':
      return expression.value !== 0;
    case 'goal':
      return (
        experimentPeriod &&
        expression.fn !== 'value' &&
        expression.unitType === unitType &&
        expression.goal === EXPOSURE_GOAL &&
        expression.dimensions.every(isUnconstrained)
      );
    case 'binary':
      return (
        (expression.operator === '*' || expression.operator === '/') &&
        nonZeroPerUnit(expression.left, unitType, experimentPeriod) &&
        nonZeroPerUnit(expression.right, unitType, experimentPeriod)
      );
  }
}

/** The first divisor of an expression that may be 0 for some unit, or `undefined`. */
function unsafeDivisor(
  expression: Expression,
  unitType: string,
  experimentPeriod: boolean,
): Expression | undefined {
  if (expression.kind !== 'binary') return undefined;
  if (expression.operator === '/' && !nonZeroPerUnit(expression.right, unitType, experimentPeriod)) {
    return expression.right;
  }
  return (
    unsafeDivisor(expression.left, unitType, experimentPeriod) ??
    unsafeDivisor(expression.right, unitType, experimentPeriod)
  );
}

/** What the division rule reads of a metric. */
interface DividingMetric {
  readonly id: unknown;
  readonly name: string;
  readonly nominatorExpression: Expression;
  readonly denominatorExpression: Expression;
  readonly cuped?: unknown;
}

/**
 * Rejects a metric whose per-unit nominator or denominator divides by something that can be 0 for a unit.
 *
 * @remarks
 * Metric sums must be finite, while a per-unit division by 0 is infinite or NaN in memory. A divisor is
 * accepted when it is non-zero for every exposed unit whatever the data: a number other than 0, or (in the
 * experiment period) `count` / `unique` of the unit exposure goal, and products and quotients of such.
 * The pre-period of a CUPED metric may hold no exposure, so there only numbers count.
 *
 * @throws `ValidationError` naming the metric and quoting the divisor, with the path of the expression.
 * @internal
 */
export function requireSafeDivisions(metric: DividingMetric, index: number, unitType: string): void {
  const cuped = metric.cuped !== undefined && metric.cuped !== null;
  const parts = [
    ['nominator', metric.nominatorExpression],
    ['denominator', metric.denominatorExpression],
  ] as const;
  for (const [part, expression] of parts) {
    const divisor =
      unsafeDivisor(expression, unitType, true) ??
      (cuped ? unsafeDivisor(expression, unitType, false) : undefined);
    if (divisor === undefined) continue;
    const where = unsafeDivisor(expression, unitType, true) === undefined ? ' in the pre-period (CUPED)' : '';
    throw new ValidationError(
      `Metric '${metric.name}' (id ${String(metric.id)}): its ${part} \`${printExpression(expression)}\` divides per unit ` +
        `by \`${printExpression(divisor)}\`, which can be 0 for a unit${where} (a unit without that goal counts it as 0), ` +
        'making metric sums infinite or NaN; divide at the metric level (nominator / denominator) instead, or by a ' +
        `non-zero number${cuped ? '' : ' or by the unit exposures'}`,
      ['metrics', index, part],
    );
  }
}
