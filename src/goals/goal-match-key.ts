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

/**
 * A node of a {@link GoalSlotIndex}: the slot of the goal whose path ends here (-1 for none), and the nodes
 * one dimension further, by dimension number, then by stored value.
 *
 * @internal
 */
export interface SlotNode {
  slot: number;
  next: Map<number, Map<string, SlotNode>> | undefined;
  /**
   * The only node one dimension further, when there is exactly one (as for most goals): compared with a row's
   * next dimension number and value instead of looking them up.
   */
  only: { readonly index: number; readonly value: string; readonly node: SlotNode } | undefined;
}

/** A node without goal and without further dimensions. */
function emptyNode(): SlotNode {
  return { slot: -1, next: undefined, only: undefined };
}

/**
 * The goals of one unit type and aggregation type in a {@link GoalSlotIndex}, by goal name (an opaque handle
 * for {@link GoalSlotIndex.lookupIn}).
 *
 * @internal
 */
export type GoalsOfType = ReadonlyMap<string, SlotNode>;

/** A frozen list of goals' slot index, per list of dimensions (see {@link GoalSlotIndex.of}). */
const INDEXES = new WeakMap<readonly GoalReference[], GoalSlotIndex>();

/**
 * Numbers the distinct goals of an experiment by their match key and finds the slot of a row from its cells
 * with nested maps, so that reading millions of rows builds no key strings.
 *
 * @remarks
 * The path of a goal is its unit type, aggregation type and name, then the number and the stored value of
 * each dimension it constrains (value not `''`), in dimension order: a goal or a row costs the dimensions it
 * has, not every dimension of the experiment, so an experiment whose metrics each read a dimension of their
 * own is matched in time linear in its goals and rows.
 *
 * An index never changes once built.
 *
 * @internal
 */
export class GoalSlotIndex {
  /** Unit type -> aggregation type -> goal name -> node. */
  private readonly root = new Map<string, Map<string, Map<string, SlotNode>>>();
  private readonly dimensionIndex = new Map<string, number>();
  /** The first goal of every slot, in slot order. */
  readonly goals: readonly GoalReference[];
  /** The sparse dimensions of every slot's goal, in slot order. */
  private readonly slotDimensions: SparseDimensions[] = [];
  /** The slot (-1 for none) of goals looked up by {@link GoalSlotIndex.slotOf}, when they are frozen. */
  private readonly slotOfGoal = new WeakMap<GoalReference, number>();

  /**
   * The index of frozen goals and dimensions (an experiment's), built once and then reused; of other lists,
   * a new one.
   */
  static of(dimensions: readonly string[], goals: readonly GoalReference[]): GoalSlotIndex {
    // Only frozen lists of frozen goals are cached: what was found for them holds.
    const cached = INDEXES.get(goals);
    if (cached !== undefined && cached.dimensions === dimensions) return cached;
    const index = new GoalSlotIndex(dimensions, goals);
    if (Object.isFrozen(goals) && Object.isFrozen(dimensions) && goals.every(isFrozenGoal)) {
      INDEXES.set(goals, index);
    }
    return index;
  }

  constructor(
    readonly dimensions: readonly string[],
    goals: readonly GoalReference[],
  ) {
    dimensions.forEach((name, index) => {
      if (!this.dimensionIndex.has(name)) this.dimensionIndex.set(name, index);
    });
    const slotGoals: GoalReference[] = [];
    for (const goal of goals) {
      const sparse = this.sparseDimensions(goal);
      let node = this.goalNode(goal.unitType, goal.aggType, goal.goal);
      for (let d = 0; d < sparse.indices.length; d++) {
        node = childNode(node, sparse.indices[d]!, sparse.values[d]!);
      }
      if (node.slot >= 0) continue;
      node.slot = slotGoals.length;
      slotGoals.push(goal);
      this.slotDimensions.push(sparse);
    }
    this.goals = slotGoals;
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
    let slot = this.slotOfGoal.get(goal);
    if (slot === undefined) {
      const sparse = this.sparseDimensions(goal);
      slot =
        this.lookup(
          goal.unitType,
          goal.aggType,
          goal.goal,
          sparse.indices,
          sparse.values,
          sparse.indices.length,
        ) ?? -1;
      if (isFrozenGoal(goal)) this.slotOfGoal.set(goal, slot);
    }
    return slot < 0 ? undefined : slot;
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
    return this.lookupIn(this.goalsOf(unitType, aggType), goal, indices, values, length);
  }

  /** The goals of a unit type and aggregation type, for {@link GoalSlotIndex.lookupIn}. */
  goalsOf(unitType: string, aggType: string): GoalsOfType | undefined {
    return this.root.get(unitType)?.get(aggType);
  }

  /**
   * {@link GoalSlotIndex.lookup} among the goals of the row's unit type and aggregation type (found once for
   * consecutive rows of one type).
   */
  lookupIn(
    goals: GoalsOfType | undefined,
    goal: string,
    indices: readonly number[],
    values: readonly string[],
    length: number,
  ): number | undefined {
    let node = goals?.get(goal);
    for (let d = 0; d < length && node !== undefined; d++) {
      const only = node.only;
      if (only === undefined) node = node.next?.get(indices[d]!)?.get(values[d]!);
      else node = only.index === indices[d] && only.value === values[d] ? only.node : undefined;
    }
    return node === undefined || node.slot < 0 ? undefined : node.slot;
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

  /** The node of a goal name under its unit type and aggregation type, made when missing. */
  private goalNode(unitType: string, aggType: string, goal: string): SlotNode {
    let byAggType = this.root.get(unitType);
    if (byAggType === undefined) {
      byAggType = new Map();
      this.root.set(unitType, byAggType);
    }
    let byGoal = byAggType.get(aggType);
    if (byGoal === undefined) {
      byGoal = new Map();
      byAggType.set(aggType, byGoal);
    }
    let node = byGoal.get(goal);
    if (node === undefined) {
      node = emptyNode();
      byGoal.set(goal, node);
    }
    return node;
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

/** The node one dimension (number and stored value) further than `node`, made when missing. */
function childNode(node: SlotNode, index: number, value: string): SlotNode {
  node.next ??= new Map();
  let byValue = node.next.get(index);
  if (byValue === undefined) {
    byValue = new Map();
    node.next.set(index, byValue);
  }
  let child = byValue.get(value);
  if (child === undefined) {
    child = emptyNode();
    byValue.set(value, child);
    // The first child is the only one; a second one ends that.
    node.only = node.next.size === 1 && byValue.size === 1 ? { index, value, node: child } : undefined;
  }
  return child;
}

/** Whether a goal and its list of conditions are frozen (as parsed and completed goals are). */
function isFrozenGoal(goal: GoalReference): boolean {
  return Object.isFrozen(goal) && Object.isFrozen(goal.dimensions);
}
