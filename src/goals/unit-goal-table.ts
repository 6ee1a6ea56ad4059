import type { Expression, GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import type { AggregatedColumn, AggregatedGoalSource } from '../expression/evaluate-aggregated.js';
import { evaluatePerUnit, evaluatePerUnitInto } from '../expression/evaluate-per-unit.js';
import { buildUnitGoalTable, type UnitTableOptions, type UnitTableParts } from './build-unit-goal-table.js';
import type { GoalSlotIndex } from './goal-match-key.js';
import type { UnitGoals } from './goal-rows.js';
import { recordTableDiagnostics } from './goal-table-diagnostics.js';
import type { UnitArrays } from './unit-arrays.js';
import type { UnitGroup } from './unit-group.js';

/**
 * What a {@link UnitGoalTable} is built for.
 *
 * @example
 * ```ts
 * import { parseExpression, type GoalReference, type UnitGoalTableOptions } from 'ep-stats';
 * const options: UnitGoalTableOptions = {
 *   variants: ['a', 'b'], goals: [parseExpression('count(u.unit.exposure)') as GoalReference], dimensions: [],
 * };
 * options.goals.length; // => 1
 * ```
 * @public
 */
export interface UnitGoalTableOptions {
  /** Variant ids in output order; rows of other variants are ignored. */
  readonly variants: readonly string[];
  /** The goals to read. */
  readonly goals: readonly GoalReference[];
  /** Dimension columns to match on; other columns are ignored. */
  readonly dimensions: readonly string[];
  /** When given, rows whose `exp_id` is present and differs are ignored (and counted). */
  readonly expId?: string;
  /** When given, also sum the exposures: `count` of rows with this unit type, `unit`, goal `exposure`. */
  readonly exposureUnitType?: string;
}

/**
 * Per-unit values of an expression, with the variant of each unit.
 *
 * @example
 * ```ts
 * import type { PerUnitValues } from 'ep-stats';
 * const perUnit: PerUnitValues = { variantOf: Int32Array.of(0, 0, 1), values: Float64Array.of(6, 4, 2) };
 * perUnit.values.length; // => 3
 * ```
 * @public
 */
export interface PerUnitValues {
  /** Variant index (into the table's variants) of each unit. */
  readonly variantOf: Int32Array;
  /** The expression's value for each unit. */
  readonly values: Float64Array;
}

const SEPARATOR = '\u0000';

let createTable: (goals: UnitGoals, options: UnitTableOptions) => UnitGoalTable;

/**
 * {@link UnitGoalTable.fromRows} with the internal options of {@link UnitTableOptions} (per-unit totals of
 * only the columns the goals read, for an evaluation).
 *
 * @internal
 */
export function unitGoalTable(goals: UnitGoals, options: UnitTableOptions): UnitGoalTable {
  return createTable(goals, options);
}

/** An array that {@link sharedPerUnit} computes values into, kept from call to call. @internal */
export interface PerUnitScratch {
  array?: Float64Array;
}

const SHARED_PER_UNIT = new WeakMap<
  UnitGoalTable,
  (expression: Expression, scratch: PerUnitScratch | undefined, writable: boolean) => PerUnitValues
>();

/**
 * {@link UnitGoalTable.perUnit} without copies: `variantOf`, and the values of an expression that is a
 * single `value` or `count` goal, are the table's own arrays, which the caller must not modify.
 *
 * @remarks
 * With `scratch`, values that need computing (of goals of one group) are computed into its array, which is
 * replaced by a longer one (from the table's arrays) when too short and overwritten by the next call with
 * the same scratch. With `writable` (and `scratch`), the values are never the table's own: a single goal's
 * are copied into the scratch, so that the caller may modify them.
 *
 * @internal
 */
export function sharedPerUnit(
  table: UnitGoalTable,
  expression: Expression,
  scratch?: PerUnitScratch,
  writable = false,
): PerUnitValues {
  return SHARED_PER_UNIT.get(table)!(expression, scratch, writable);
}

/**
 * Goals aggregated per unit, pivoted once: for every needed goal, the per-unit totals of `count` and
 * `sum_value`, units grouped by (unit type, aggregation type, dimension values).
 *
 * @remarks
 * A unit (variant and unit id) is a row of a group when it has a row of any needed goal of that group;
 * a goal it lacks counts as zero, and rows split over several lines are summed first. A goal reads the
 * units of its own group. Building hashes every row once (no sorting, nothing quadratic); column arrays are
 * read directly, and integer unit ids are hashed as 64-bit integers (see {@link UnitGoals}).
 *
 * A unit is a (variant, unit id) pair, as in the reference: a unit id found in two variants is two units
 * (the evaluation warns). A row read for a needed goal must have `unit_id`, `count` and `sum_value`, and its
 * `count` must not be negative ({@link DataError}).
 *
 * The table is also an {@link AggregatedGoalSource}: per variant, `count` and `sum_value` are summed,
 * `sum_sqr_count` and `sum_sqr_value` are sums of squared per-unit totals and `count_unique` counts the units
 * with the goal, so anything written for aggregated goals (checks, {@link evaluateAggregated}) works on it.
 *
 * @example
 * ```ts
 * import { UnitGoalTable, parseExpression, type GoalReference } from 'ep-stats';
 * const conversion = parseExpression('value(u.unit.conversion)') as GoalReference;
 * const row = (variant: string, unit: string, value: number) => ({
 *   exp_variant_id: variant, unit_type: 'u', agg_type: 'unit', goal: 'conversion', unit_id: unit, count: 1, sum_value: value,
 * });
 * const table = UnitGoalTable.fromRows([row('a', '1', 5), row('a', '1', 1), row('a', '2', 4), row('b', '3', 2)], {
 *   variants: ['a', 'b'], goals: [conversion], dimensions: [],
 * });
 * Array.from(table.column(conversion, 'sum_sqr_value')); // => [52, 4]
 * Array.from(table.perUnit(conversion).values); // => [6, 4, 2]
 * ```
 * @public
 */
export class UnitGoalTable implements AggregatedGoalSource {
  readonly variants: readonly string[];
  readonly dimensions: readonly string[];
  /** Per-variant exposures, when `exposureUnitType` was given (zeros otherwise). */
  readonly exposures: Float64Array;
  /** Number of rows ignored because their `exp_id` was another experiment's. */
  readonly foreignExperimentRows: number;
  /** Needed goals that no row matched. */
  readonly goalsWithoutRows: readonly GoalReference[];
  private readonly slots: GoalSlotIndex;
  private readonly slotGroup: readonly (UnitGroup | undefined)[];
  private readonly slotCount: readonly (Float64Array | undefined)[];
  private readonly slotSumValue: readonly (Float64Array | undefined)[];
  private readonly arrays: UnitArrays;

  static {
    createTable = (goals, options) => new UnitGoalTable(options, buildUnitGoalTable(goals, options));
  }

  private constructor(options: UnitGoalTableOptions, parts: UnitTableParts) {
    this.variants = Object.freeze([...options.variants]);
    this.dimensions = Object.freeze([...options.dimensions]);
    this.slots = parts.slots;
    this.slotGroup = parts.slotGroup;
    this.slotCount = parts.slotCount;
    this.slotSumValue = parts.slotSumValue;
    this.exposures = parts.exposures;
    this.foreignExperimentRows = parts.foreign;
    this.goalsWithoutRows = Object.freeze(parts.goalsWithoutRows);
    this.arrays = parts.arrays;
    recordTableDiagnostics(this, parts.diagnostics);
    SHARED_PER_UNIT.set(this, (expression, scratch, writable) =>
      this.evaluate(expression, true, scratch, writable),
    );
  }

  /**
   * Pivots unit goal rows into a table.
   *
   * @param goals - Row objects or column arrays with the columns of {@link UnitGoalRow}.
   * @param options - Variants, needed goals and dimensions.
   * @throws {@link DataError} when a required column is missing (from a row read, `exp_id` from a row while
   *   other rows have it), a cell is not of the expected type, or a `count` is negative.
   */
  static fromRows(goals: UnitGoals, options: UnitGoalTableOptions): UnitGoalTable {
    return new UnitGoalTable(options, buildUnitGoalTable(goals, options));
  }

  /** Number of variants. */
  get variantCount(): number {
    return this.variants.length;
  }

  /**
   * Per-variant sums over the goal's units of one column (squares of per-unit totals for the `sum_sqr_*`
   * columns, units with the goal for `count_unique`).
   */
  column(goal: GoalReference, column: AggregatedColumn): Float64Array {
    const slot = this.slotOf(goal);
    const group = this.slotGroup[slot];
    const out = new Float64Array(this.variants.length);
    if (group === undefined) return out;
    const ofCount = column === 'count' || column === 'sum_sqr_count' || column === 'count_unique';
    const totals = ofCount ? this.counts(slot) : this.sums(slot);
    const { variantOf } = group;
    if (column === 'count_unique') {
      for (let unit = 0; unit < variantOf.length; unit++) {
        const variant = variantOf[unit]!;
        out[variant] = out[variant]! + (totals[unit]! > 0 ? 1 : 0);
      }
    } else if (column === 'sum_sqr_count' || column === 'sum_sqr_value') {
      for (let unit = 0; unit < variantOf.length; unit++) {
        const variant = variantOf[unit]!;
        out[variant] = out[variant]! + totals[unit]! * totals[unit]!;
      }
    } else {
      for (let unit = 0; unit < variantOf.length; unit++) {
        const variant = variantOf[unit]!;
        out[variant] = out[variant]! + totals[unit]!;
      }
    }
    return out;
  }

  /**
   * Evaluates an expression per unit (see {@link evaluatePerUnit}).
   *
   * @remarks
   * The units are those of the expression's goals' groups (for goals of one group, exactly that group's
   * units; for goals of several groups, every unit of any of them, keyed by variant and unit id).
   */
  perUnit(expression: Expression): PerUnitValues {
    return this.evaluate(expression, false);
  }

  /**
   * {@link UnitGoalTable.perUnit}; with `share`, the table's own arrays where no computation is needed, and
   * computed values in `scratch` (see `sharedPerUnit`).
   */
  private evaluate(
    expression: Expression,
    share: boolean,
    scratch?: PerUnitScratch,
    writable = false,
  ): PerUnitValues {
    const goalSlots = collectGoals(expression).map((goal) => this.slotOf(goal));
    const groups = [...new Set(goalSlots.map((slot) => this.slotGroup[slot]))].filter(
      (group): group is UnitGroup => group !== undefined,
    );
    if (groups.length <= 1) {
      const group = groups[0];
      const variantOf = group?.variantOf ?? new Int32Array(0);
      const single = expression.kind === 'goal' && expression.fn !== 'unique';
      if (share && !writable && group !== undefined && single) {
        const slot = this.slotOf(expression);
        const values = expression.fn === 'value' ? this.sums(slot) : this.counts(slot);
        return { variantOf, values };
      }
      const unitCount = variantOf.length;
      const totals = (goal: GoalReference) => {
        const slot = this.slotOf(goal);
        // A goal without any unit reads zeros for the units of the expression's other goals.
        if (this.slotGroup[slot] !== group) return undefined;
        return goal.fn === 'value'
          ? { count: [], sumValue: this.sums(slot) }
          : { count: this.counts(slot), sumValue: [] };
      };
      if (share && scratch !== undefined) {
        if (scratch.array === undefined || scratch.array.length < unitCount) {
          scratch.array = this.arrays.zeros(Float64Array, unitCount);
        }
        const out = scratch.array.length === unitCount ? scratch.array : scratch.array.subarray(0, unitCount);
        const temporary = (length: number) => this.arrays.zeros(Float64Array, length);
        return { variantOf, values: evaluatePerUnitInto(expression, out, totals, temporary) };
      }
      const values = evaluatePerUnit(expression, unitCount, totals);
      return { variantOf: share ? variantOf : variantOf.slice(), values };
    }
    // Goals of several groups: align every goal on the union of their units.
    const union = new Map<string, number>();
    const variantOf: number[] = [];
    const positions = new Map<UnitGroup, Int32Array>();
    for (const group of groups) {
      const position = new Int32Array(group.variantOf.length);
      group.variantOf.forEach((variant, unit) => {
        const key = variant + SEPARATOR + group.idKey(unit);
        let index = union.get(key);
        if (index === undefined) {
          index = variantOf.length;
          union.set(key, index);
          variantOf.push(variant);
        }
        position[unit] = index;
      });
      positions.set(group, position);
    }
    const values = evaluatePerUnit(expression, variantOf.length, (goal) => {
      const slot = this.slotOf(goal);
      const group = this.slotGroup[slot];
      const aligned = new Float64Array(variantOf.length);
      if (group !== undefined) {
        const position = positions.get(group)!;
        const totals = goal.fn === 'value' ? this.sums(slot) : this.counts(slot);
        for (let unit = 0; unit < position.length; unit++) aligned[position[unit]!] = totals[unit]!;
      }
      return goal.fn === 'value' ? { count: [], sumValue: aligned } : { count: aligned, sumValue: [] };
    });
    return { variantOf: Int32Array.from(variantOf), values };
  }

  private counts(slot: number): Float64Array {
    return this.slotCount[slot] ?? notKept(this.slots.goals[slot]!, 'count');
  }

  private sums(slot: number): Float64Array {
    return this.slotSumValue[slot] ?? notKept(this.slots.goals[slot]!, 'sum_value');
  }

  private slotOf(goal: GoalReference): number {
    const slot = this.slots.slotOf(goal);
    if (slot === undefined) {
      throw new Error(`The goal table was not built for goal ${goal.unitType}.${goal.aggType}.${goal.goal}`);
    }
    return slot;
  }
}

function notKept(goal: GoalReference, column: string): never {
  throw new Error(
    `The goal table keeps no per-unit ${column} of goal ${goal.unitType}.${goal.aggType}.${goal.goal}`,
  );
}
