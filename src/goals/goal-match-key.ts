import type { GoalReference } from '../expression/ast.js';

const SEPARATOR = '\u0000';

/** The stored value of every dimension in `dimensions` for a goal (`''` where it has none). */
function storedValues(goal: GoalReference, dimensions: readonly string[]): string[] {
  return dimensions.map(
    (name) => goal.dimensions.find((condition) => condition.name === name)?.storedValue ?? '',
  );
}

/**
 * The key under which goal rows and goals meet: unit type, aggregation type, goal name and the stored value
 * of every experiment dimension (`''` where the goal has none), in the experiment's dimension order.
 *
 * @remarks
 * Two goal references of an experiment read the same goal rows exactly when their keys are equal, so a data
 * access layer can query each distinct key once (as `ep-stats/sql` does). The parts are joined with NUL.
 *
 * @param goal - A goal reference of a metric or check (see `collectGoals`).
 * @param dimensions - The experiment's dimensions, in order (`experiment.dimensions`).
 * @returns The key.
 *
 * @example
 * ```ts
 * import { collectGoals, goalMatchKey, parseExpression } from 'ep-stats';
 * const [plain, red] = collectGoals(parseExpression('count(u.unit.click) + count(u.unit.click(color=red))'));
 * goalMatchKey(plain!, ['color']) === goalMatchKey(red!, ['color']); // => false
 * goalMatchKey(plain!, []).split('\u0000'); // => ['u', 'unit', 'click']
 * ```
 * @public
 */
export function goalMatchKey(goal: GoalReference, dimensions: readonly string[]): string {
  return [goal.unitType, goal.aggType, goal.goal, ...storedValues(goal, dimensions)].join(SEPARATOR);
}

/** The same key without the goal name: the (unit type, aggregation type, dimension values) group. @internal */
export function goalGroupKey(goal: GoalReference, dimensions: readonly string[]): string {
  return [goal.unitType, goal.aggType, ...storedValues(goal, dimensions)].join(SEPARATOR);
}

type Level = Map<string, Level | number>;

/**
 * Numbers the distinct goals of an experiment by their match key and finds the slot of a row from its cells
 * with nested maps, so that reading millions of rows builds no key strings.
 *
 * @internal
 */
export class GoalSlotIndex {
  private readonly root: Level = new Map();
  private readonly slotByKey = new Map<string, number>();
  /** The first goal of every slot, in slot order. */
  readonly goals: GoalReference[] = [];

  constructor(
    readonly dimensions: readonly string[],
    goals: readonly GoalReference[],
  ) {
    for (const goal of goals) {
      const key = goalMatchKey(goal, dimensions);
      if (this.slotByKey.has(key)) continue;
      const slot = this.goals.length;
      this.slotByKey.set(key, slot);
      this.goals.push(goal);
      const path = [goal.unitType, goal.aggType, goal.goal, ...storedValues(goal, dimensions)];
      let level = this.root;
      path.forEach((part, depth) => {
        if (depth === path.length - 1) {
          level.set(part, slot);
          return;
        }
        let next = level.get(part);
        if (!(next instanceof Map)) {
          next = new Map();
          level.set(part, next);
        }
        level = next;
      });
    }
  }

  /** Number of distinct goals. */
  get size(): number {
    return this.goals.length;
  }

  /** The slot of a goal, or undefined when the index was not built with it. */
  slotOf(goal: GoalReference): number | undefined {
    return this.slotByKey.get(goalMatchKey(goal, this.dimensions));
  }

  /** The slot of a row with these cells, or undefined when no goal matches. */
  lookup(
    unitType: string,
    aggType: string,
    goal: string,
    dimensionValues: readonly string[],
  ): number | undefined {
    let level = this.root.get(unitType);
    if (!(level instanceof Map)) return undefined;
    level = level.get(aggType);
    if (!(level instanceof Map)) return undefined;
    let next = level.get(goal);
    for (const value of dimensionValues) {
      if (!(next instanceof Map)) return undefined;
      next = next.get(value);
    }
    return typeof next === 'number' ? next : undefined;
  }
}
