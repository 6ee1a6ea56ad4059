import type { GoalReference } from '../expression/ast.js';
import { constrainingConditions } from '../expression/complete-dimensions.js';

const SEPARATOR = '\u0000';

/** The stored value of every dimension in `dimensions` for a goal (`''` where it has none). */
function storedValues(goal: GoalReference, dimensions: readonly string[]): string[] {
  if (goal.dimensions.length <= 4) {
    return dimensions.map(
      (name) => goal.dimensions.find((condition) => condition.name === name)?.storedValue ?? '',
    );
  }
  // Many conditions (a goal completed with many dimensions): one pass instead of a search per dimension.
  const first = new Map<string, string>();
  for (const condition of goal.dimensions) {
    if (!first.has(condition.name)) first.set(condition.name, condition.storedValue);
  }
  return dimensions.map((name) => first.get(name) ?? '');
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

/**
 * The dimensions of a goal that constrain its rows, as parallel lists sorted by dimension number: the number
 * of every dimension of the experiment whose stored value in the goal is not `''` (the first condition of a
 * name counts, as in {@link goalMatchKey}) and that value. Two goals read the same rows exactly when their unit
 * types, aggregation types, names and these lists are equal; the lists cost the goal's own conditions, not
 * the experiment's dimensions.
 */
interface SparseDimensions {
  readonly indices: readonly number[];
  readonly values: readonly string[];
}

const NO_DIMENSIONS: SparseDimensions = Object.freeze({
  indices: Object.freeze([]),
  values: Object.freeze([]),
});

/** Key of a slot number in a level of the index (dimension numbers are at least 0). */
const END = -1;

type Level = Map<string | number, Level | number>;

/**
 * Numbers the distinct goals of an experiment by their match key and finds the slot of a row from its cells
 * with nested maps, so that reading millions of rows builds no key strings.
 *
 * @remarks
 * The path of a goal is its unit type, aggregation type and name, then the number and the stored value of
 * each dimension it constrains (value not `''`), in dimension order, then {@link END}: a goal or a row costs
 * the dimensions it has, not every dimension of the experiment, so an experiment whose metrics each read a
 * dimension of their own is matched in time linear in its goals and rows.
 *
 * @internal
 */
export class GoalSlotIndex {
  private readonly root: Level = new Map();
  private readonly dimensionIndex = new Map<string, number>();
  /** The first goal of every slot, in slot order. */
  readonly goals: GoalReference[] = [];
  /** The sparse dimensions of every slot's goal, in slot order. */
  private readonly slotDimensions: SparseDimensions[] = [];

  constructor(
    readonly dimensions: readonly string[],
    goals: readonly GoalReference[],
  ) {
    dimensions.forEach((name, index) => {
      if (!this.dimensionIndex.has(name)) this.dimensionIndex.set(name, index);
    });
    for (const goal of goals) {
      const sparse = this.sparseDimensions(goal);
      let level = this.root;
      const descend = (part: string | number): Level => {
        let next = level.get(part);
        if (!(next instanceof Map)) {
          next = new Map();
          level.set(part, next);
        }
        return next;
      };
      level = descend(goal.unitType);
      level = descend(goal.aggType);
      level = descend(goal.goal);
      for (let d = 0; d < sparse.indices.length; d++) {
        level = descend(sparse.indices[d]!);
        level = descend(sparse.values[d]!);
      }
      if (level.has(END)) continue;
      level.set(END, this.goals.length);
      this.goals.push(goal);
      this.slotDimensions.push(sparse);
    }
  }

  /** Number of distinct goals. */
  get size(): number {
    return this.goals.length;
  }

  /** The number of a dimension column, or undefined when it is not one of the dimensions. @internal */
  dimensionNumber(name: string): number | undefined {
    return this.dimensionIndex.get(name);
  }

  /** The slot of a goal, or undefined when the index was not built with it. */
  slotOf(goal: GoalReference): number | undefined {
    const sparse = this.sparseDimensions(goal);
    return this.lookup(
      goal.unitType,
      goal.aggType,
      goal.goal,
      sparse.indices,
      sparse.values,
      sparse.indices.length,
    );
  }

  /**
   * The slot of a row, or undefined when no goal matches.
   *
   * @param indices - The numbers of the row's dimensions whose cells are not empty, ascending.
   * @param values - Their cells.
   * @param length - How many entries of `indices` and `values` are used.
   */
  lookup(
    unitType: string,
    aggType: string,
    goal: string,
    indices: readonly number[],
    values: readonly string[],
    length: number,
  ): number | undefined {
    let level = this.root.get(unitType);
    if (!(level instanceof Map)) return undefined;
    level = level.get(aggType);
    if (!(level instanceof Map)) return undefined;
    level = level.get(goal);
    for (let d = 0; d < length; d++) {
      if (!(level instanceof Map)) return undefined;
      level = level.get(indices[d]!);
      if (!(level instanceof Map)) return undefined;
      level = level.get(values[d]!);
    }
    if (!(level instanceof Map)) return undefined;
    const slot = level.get(END);
    return typeof slot === 'number' ? slot : undefined;
  }

  /**
   * The key of a slot's (unit type, aggregation type, dimension values) group: equal for two slots exactly
   * when {@link goalMatchKey} without the goal name is.
   */
  groupKey(slot: number): string {
    const goal = this.goals[slot]!;
    const sparse = this.slotDimensions[slot]!;
    const parts: string[] = [goal.unitType, goal.aggType];
    for (let d = 0; d < sparse.indices.length; d++) parts.push(String(sparse.indices[d]), sparse.values[d]!);
    return parts.join(SEPARATOR);
  }

  private sparseDimensions(goal: GoalReference): SparseDimensions {
    const conditions = constrainingConditions(goal);
    if (conditions === 0) return NO_DIMENSIONS;
    const frozen = Object.isFrozen(this.dimensions);
    const cached = frozen ? SPARSE.get(goal) : undefined;
    if (cached !== undefined && cached.dimensions === this.dimensions) return cached.sparse;
    const pairs: [number, string][] = [];
    const named = new Set<string>();
    for (let c = 0; c < conditions; c++) {
      const { name, storedValue } = goal.dimensions[c]!;
      if (named.has(name)) continue; // the first condition of a name counts
      named.add(name);
      const index = this.dimensionIndex.get(name);
      if (index !== undefined && storedValue !== '') pairs.push([index, storedValue]);
    }
    if (pairs.length > 1) pairs.sort((a, b) => a[0] - b[0]);
    const indices = pairs.map((pair) => pair[0]);
    const values = pairs.map((pair) => pair[1]);
    const sparse: SparseDimensions = indices.length === 0 ? NO_DIMENSIONS : { indices, values };
    if (frozen) SPARSE.set(goal, { dimensions: this.dimensions, sparse });
    return sparse;
  }
}

/**
 * The sparse dimensions of goals, by goal object (goals are immutable), for the frozen list of dimensions
 * they were computed for (an experiment's), so that evaluating an experiment again reuses them.
 */
const SPARSE = new WeakMap<
  GoalReference,
  { readonly dimensions: readonly string[]; readonly sparse: SparseDimensions }
>();
