import type { GoalReference } from './ast.js';

/**
 * The identity of a goal: `unit_type.agg_type.name`, then its non-empty dimensions in brackets.
 *
 * @remarks
 * Each dimension with a non-empty stored value is listed in written order as `name=storedValue`, or as
 * `name` + storedValue when the stored value starts with `>`, `<`, `=` or `!` (so `product>1`, `x<=4`,
 * `product!=1`, `element=^button-1`). Two goals are the same goal when their keys are equal; the function
 * (`value`, `count`, `unique`) is not part of the key, and neither are completed (empty) dimensions.
 *
 * @param goal - A goal reference.
 * @returns The key, e.g. `user.unit.view[element=^button-1, product>1]`.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { goalKey, parseExpression, type GoalReference } from 'ep-stats';
 * goalKey(parseExpression('count(user.unit.click)') as GoalReference); // => 'user.unit.click'
 * goalKey(parseExpression('count(u.unit.view(element=^button-1, product>1))') as GoalReference); // => 'u.unit.view[element=^button-1, product>1]'
 * ```
 * @public
 */
export function goalKey(goal: GoalReference): string {
  const base = `${goal.unitType}.${goal.aggType}.${goal.goal}`;
  const parts: string[] = [];
  for (const { name, storedValue } of goal.dimensions) {
    if (storedValue === '') continue;
    const first = storedValue[0];
    const joined = first === '>' || first === '<' || first === '=' || first === '!';
    parts.push(joined ? `${name}${storedValue}` : `${name}=${storedValue}`);
  }
  return parts.length === 0 ? base : `${base}[${parts.join(', ')}]`;
}
