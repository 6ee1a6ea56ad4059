import type { GoalReference } from '../expression/ast.js';

const SEPARATOR = '\u0000';

/**
 * The key under which goal rows and goals meet: unit type, aggregation type, goal name and the stored value
 * of every experiment dimension (`''` where the goal has none), in the experiment's dimension order.
 *
 * @internal
 */
export function goalMatchKey(goal: GoalReference, dimensions: readonly string[]): string {
  let key = goal.unitType + SEPARATOR + goal.aggType + SEPARATOR + goal.goal;
  for (const name of dimensions) {
    let stored = '';
    for (const condition of goal.dimensions) {
      if (condition.name === name) {
        stored = condition.storedValue;
        break;
      }
    }
    key += SEPARATOR + stored;
  }
  return key;
}

/** The same key built from the cells of a row. @internal */
export function rowMatchKey(
  unitType: string,
  aggType: string,
  goal: string,
  dimensionValues: readonly string[],
): string {
  let key = unitType + SEPARATOR + aggType + SEPARATOR + goal;
  for (const value of dimensionValues) key += SEPARATOR + value;
  return key;
}
