/** Goals built by hand, bypassing the expression grammar, to reach every value the SQL layer might see. */
import type { DimensionCondition, DimensionOperator, GoalReference } from '../../../src/index.js';
import type { GoalQueryExperiment } from '../../../src/sql/index.js';

/** A condition as written: dimension, operator, value. */
export interface WrittenCondition {
  readonly name: string;
  readonly operator: DimensionOperator;
  readonly value: string;
}

/** The stored value of a condition (spec section 2). */
export function storedValue(condition: WrittenCondition): string {
  if (condition.operator === '=') return condition.value;
  return condition.operator === '=^' ? `^${condition.value}` : `${condition.operator}${condition.value}`;
}

/** `count(user.unit.<name>(conditions))` completed with `dimensions` (conditions on other names appended). */
export function handMadeGoal(
  name: string,
  conditions: readonly WrittenCondition[],
  dimensions: readonly string[],
): GoalReference {
  const complete = (dimension: string): DimensionCondition => {
    const condition = conditions.find((c) => c.name === dimension);
    return condition === undefined
      ? { name: dimension, operator: '=', value: '', storedValue: '' }
      : { ...condition, storedValue: storedValue(condition) };
  };
  return {
    kind: 'goal',
    fn: 'count',
    unitType: 'user',
    aggType: 'unit',
    goal: name,
    dimensions: [
      ...dimensions.map(complete),
      ...conditions
        .filter((c) => !dimensions.includes(c.name))
        .map((c) => ({ ...c, storedValue: storedValue(c) })),
    ],
    span: { start: 0, end: 0 },
  };
}

/** An experiment shape (for the compile functions) with the exposure goal and the given goals. */
export function handMadeExperiment(
  id: string,
  goals: readonly GoalReference[],
  dimensions: readonly string[],
  overrides: Partial<GoalQueryExperiment> = {},
): GoalQueryExperiment {
  const experiment = {
    id,
    unitType: 'user',
    dateFrom: undefined,
    dateTo: undefined,
    dateFor: '2024-01-01',
    filters: [],
    dimensions,
    goals: [handMadeGoal('exposure', [], dimensions), ...goals],
    ...overrides,
  };
  // As Experiment.evaluationDay(): the explicit dateFor (these shapes always have one).
  return {
    ...experiment,
    evaluationDay: overrides.evaluationDay ?? (() => experiment.dateFor ?? '2024-01-01'),
  };
}
