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
  const own = goal.dimensions;
  const { distinct, empty } = completionOf(names);
  const dimensions: DimensionCondition[] = [...own];
  if (own.length <= 4) {
    for (let n = 0; n < distinct.length; n++) {
      const name = distinct[n]!;
      if (!own.some((condition) => condition.name === name)) dimensions.push(empty[n]!);
    }
  } else {
    const present = new Set(own.map((dimension) => dimension.name));
    for (let n = 0; n < distinct.length; n++) {
      if (!present.has(distinct[n]!)) dimensions.push(empty[n]!);
    }
  }
  const completed: GoalReference = Object.freeze({ ...goal, dimensions: Object.freeze(dimensions) });
  OWN_CONDITIONS.set(completed, OWN_CONDITIONS.get(goal) ?? own.length);
  return completed;
}

/** Per completed goal: how many of its leading conditions are its own (the rest are empty completions). */
const OWN_CONDITIONS = new WeakMap<GoalReference, number>();

/** Per frozen list of names completed to: its distinct names and their empty conditions, shared by goals. */
const COMPLETIONS = new WeakMap<
  readonly string[],
  { readonly distinct: readonly string[]; readonly empty: readonly DimensionCondition[] }
>();

/** The distinct names and their empty conditions; remembered for a frozen list (an experiment's). */
function completionOf(names: readonly string[]) {
  let completion = COMPLETIONS.get(names);
  if (completion === undefined) {
    const distinct = [...new Set(names)];
    const empty = distinct.map((name) =>
      Object.freeze({ name, operator: '=' as const, value: '', storedValue: '' }),
    );
    completion = { distinct, empty };
    if (Object.isFrozen(names)) COMPLETIONS.set(names, completion);
  }
  return completion;
}

/**
 * How many leading conditions of a goal can constrain its rows: for a goal from {@link completeDimensions},
 * those it had before completion (the completed ones are empty: they constrain nothing); otherwise all. Lets
 * goal matching cost a goal's own conditions, not the experiment's dimensions.
 *
 * @internal
 */
export function constrainingConditions(goal: GoalReference): number {
  return OWN_CONDITIONS.get(goal) ?? goal.dimensions.length;
}
