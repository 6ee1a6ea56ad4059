import type { DimensionCondition, GoalReference } from './ast.js';

/**
 * Every dimension name that any of the goals mentions, in order of first appearance.
 *
 * @param goals - Goal references, e.g. the goals of a metric.
 * @returns The distinct dimension names.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { collectGoals, dimensionNames, parseExpression } from 'ep-stats';
 * const goals = collectGoals(parseExpression('count(u.unit.view(element=a)) + count(u.unit.view(product>1, element=b))'));
 * dimensionNames(goals); // => ['element', 'product']
 * ```
 * @public
 */
export function dimensionNames(goals: readonly GoalReference[]): string[] {
  const names = new Set<string>();
  for (const goal of goals) {
    for (const dimension of goal.dimensions) names.add(dimension.name);
  }
  return [...names];
}

/**
 * A copy of a goal that has a condition for every one of `names`, empty where the goal had none.
 *
 * @remarks
 * Dimension completion (spec: every goal of a metric gets every dimension that any goal of the metric
 * mentions). The result lists the goal's own conditions in written order, then each missing name with
 * operator `=`, value `''` and stored value `''`. An empty stored value matches only rows whose dimension
 * cell is empty, so `count(u.unit.view)` next to `count(u.unit.view(element=button-1))` reads the total row.
 * Completion does not change the {@link goalKey}.
 *
 * @param goal - The goal to complete.
 * @param names - Dimension names to complete to, e.g. from {@link dimensionNames}.
 * @returns A new, frozen goal reference.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { completeDimensions, parseExpression, type GoalReference } from 'ep-stats';
 * const goal = parseExpression('count(u.unit.view(product>1))') as GoalReference;
 * completeDimensions(goal, ['element', 'product']).dimensions; // => [{ name: 'product', operator: '>', value: '1', storedValue: '>1' }, { name: 'element', operator: '=', value: '', storedValue: '' }]
 * ```
 * @public
 */
export function completeDimensions(goal: GoalReference, names: readonly string[]): GoalReference {
  const dimensions: DimensionCondition[] = [...goal.dimensions];
  const present = new Set(goal.dimensions.map((dimension) => dimension.name));
  for (const name of names) {
    if (present.has(name)) continue;
    present.add(name);
    dimensions.push(Object.freeze({ name, operator: '=', value: '', storedValue: '' }));
  }
  return Object.freeze({ ...goal, dimensions: Object.freeze(dimensions) });
}
