/** What {@link GoalNamesSeen} records of a goal. @internal */
export interface GoalName {
  readonly unitType: string;
  readonly aggType: string;
  readonly goal: string;
}

/**
 * The unit types, aggregation types and goal names found in goal rows, for "did you mean" hints.
 *
 * @remarks
 * Filled while the rows are read: a goal table records the rows that match none of the goals it was built
 * for (its matched goals are known from the goals themselves, see {@link GoalNamesSeen.addGoal}), so that
 * data holding exactly the needed goals costs nothing. Consecutive rows of one goal are recorded once.
 *
 * @internal
 */
export class GoalNamesSeen {
  /** Unit type -> aggregation type -> goal names. */
  private readonly names = new Map<string, Map<string, Set<string>>>();
  private lastUnitType: string | undefined;
  private lastAggType: string | undefined;
  private lastGoal: string | undefined;
  /** Goals recorded by {@link GoalNamesSeen.addGoalsSeen}, added when the names are first read. */
  private pending: { readonly goals: readonly GoalName[]; readonly seen: Uint8Array } | undefined;

  /** Records a row's unit type, aggregation type and goal name. */
  add(unitType: string, aggType: string, goal: string): void {
    if (this.pending !== undefined) this.addPending();
    if (goal === this.lastGoal && unitType === this.lastUnitType && aggType === this.lastAggType) return;
    this.lastUnitType = unitType;
    this.lastAggType = aggType;
    this.lastGoal = goal;
    let byAggType = this.names.get(unitType);
    if (byAggType === undefined) {
      byAggType = new Map();
      this.names.set(unitType, byAggType);
    }
    let goals = byAggType.get(aggType);
    if (goals === undefined) {
      goals = new Set();
      byAggType.set(aggType, goals);
    }
    goals.add(goal);
  }

  /** Records the name of a goal that some rows matched. */
  addGoal(goal: GoalName): void {
    this.add(goal.unitType, goal.aggType, goal.goal);
  }

  /**
   * Records the names of the goals whose entry of `seen` is 1, as {@link GoalNamesSeen.addGoal} of each in
   * order would, but only when the names are read (most evaluations never read them). Neither list may
   * change afterwards.
   */
  addGoalsSeen(goals: readonly GoalName[], seen: Uint8Array): void {
    if (this.pending !== undefined) this.addPending();
    this.pending = { goals, seen };
  }

  private addPending(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    pending.goals.forEach((goal, index) => {
      if (pending.seen[index] === 1) this.addGoal(goal);
    });
  }

  /** The names, pending goals included. */
  private byUnitType(): Map<string, Map<string, Set<string>>> {
    if (this.pending !== undefined) this.addPending();
    return this.names;
  }

  /** The unit types of the rows, in the order first seen. */
  unitTypes(): string[] {
    return [...this.byUnitType().keys()];
  }

  /** Whether rows of this unit type, aggregation type and goal name exist (whatever their dimensions). */
  has(unitType: string, aggType: string, goal: string): boolean {
    return this.byUnitType().get(unitType)?.get(aggType)?.has(goal) === true;
  }

  /** Goal names of one unit type and aggregation type. */
  goalsOf(unitType: string, aggType: string): string[] {
    return [...(this.byUnitType().get(unitType)?.get(aggType) ?? [])];
  }

  /** Every goal name, of any unit type and aggregation type, without repetitions. */
  allGoals(): string[] {
    const all = new Set<string>();
    for (const byAggType of this.byUnitType().values()) {
      for (const goals of byAggType.values()) for (const goal of goals) all.add(goal);
    }
    return [...all];
  }

  /** The aggregation types under which a unit type has rows of a goal name. */
  aggTypesOf(unitType: string, goal: string): string[] {
    const byAggType = this.byUnitType().get(unitType);
    if (byAggType === undefined) return [];
    return [...byAggType].filter(([, goals]) => goals.has(goal)).map(([aggType]) => aggType);
  }

  /** The unit types that have rows of a goal name under an aggregation type. */
  unitTypesOf(aggType: string, goal: string): string[] {
    return [...this.byUnitType()]
      .filter(([, byAggType]) => byAggType.get(aggType)?.has(goal))
      .map(([unitType]) => unitType);
  }
}
