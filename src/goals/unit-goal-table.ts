import type { Expression, GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import type { AggregatedColumn, AggregatedGoalSource } from '../expression/evaluate-aggregated.js';
import { evaluatePerUnit } from '../expression/evaluate-per-unit.js';
import { GoalSlotIndex } from './goal-match-key.js';
import type { UnitGoals } from './goal-rows.js';
import {
  flaggedGoals,
  type GoalTableDiagnostics,
  recordTableDiagnostics,
  type SharedUnits,
} from './goal-table-diagnostics.js';
import { RowReader } from './row-reader.js';
import { scanGoalRows } from './scan-goal-rows.js';

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

/** The units of one (unit type, aggregation type, dimension values) combination. */
interface UnitGroup {
  readonly unitType: string;
  /**
   * Unit id to the number of the unit first found with it. A null-prototype object rather than a Map: V8
   * stores integer-like keys (the usual unit ids) as elements, several times faster than a Map at a million
   * units. One index for all variants, so that finding a unit id in a second variant costs nothing more.
   */
  readonly index: Record<string, number>;
  /** `variant + SEPARATOR + unitId` to unit number, for units whose id was first found in another variant. */
  readonly otherVariants: Map<string, number>;
  readonly variantOf: number[];
  readonly unitIds: string[];
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
const UNIT_KEY_COLUMNS = ['exp_variant_id', 'unit_type', 'agg_type', 'goal', 'unit_id', 'count', 'sum_value'];

/**
 * Goals aggregated per unit, pivoted once: for every needed goal, the per-unit totals of `count` and
 * `sum_value`, units grouped by (unit type, aggregation type, dimension values).
 *
 * @remarks
 * A unit (variant and unit id) is a row of a group when it has a row of any needed goal of that group;
 * a goal it lacks counts as zero, and rows split over several lines are summed first. A goal reads the
 * units of its own group. Building hashes every row once (no sorting, nothing quadratic).
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
  private readonly slotCount: readonly Float64Array[];
  private readonly slotSumValue: readonly Float64Array[];

  private constructor(
    options: UnitGoalTableOptions,
    parts: {
      slots: GoalSlotIndex;
      slotGroup: (UnitGroup | undefined)[];
      slotCount: Float64Array[];
      slotSumValue: Float64Array[];
      exposures: Float64Array;
      foreign: number;
      goalsWithoutRows: GoalReference[];
      diagnostics: GoalTableDiagnostics;
    },
  ) {
    this.variants = Object.freeze([...options.variants]);
    this.dimensions = Object.freeze([...options.dimensions]);
    this.slots = parts.slots;
    this.slotGroup = parts.slotGroup;
    this.slotCount = parts.slotCount;
    this.slotSumValue = parts.slotSumValue;
    this.exposures = parts.exposures;
    this.foreignExperimentRows = parts.foreign;
    this.goalsWithoutRows = Object.freeze(parts.goalsWithoutRows);
    recordTableDiagnostics(this, parts.diagnostics);
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
    const reader = new RowReader(goals, UNIT_KEY_COLUMNS);
    const variantCount = options.variants.length;
    const slots = new GoalSlotIndex(options.dimensions, options.goals);
    const slotGroupKey = slots.goals.map((_, slot) => slots.groupKey(slot));
    const groups = new Map<string, UnitGroup>();
    const groupOfSlot = slotGroupKey.map((key, slot) => groupOf(groups, key, slots.goals[slot]!.unitType));

    // Per slot, per unit of its group: totals grown as units appear (one pass, no per-row buffers).
    const counts: number[][] = slots.goals.map(() => []);
    const sums: number[][] = slots.goals.map(() => []);
    const groupSlots = new Map<UnitGroup, number[]>();
    groupOfSlot.forEach((group, slot) => {
      const members = groupSlots.get(group);
      if (members === undefined) groupSlots.set(group, [slot]);
      else members.push(slot);
    });
    const seen = new Uint8Array(slots.size);
    const exposures = new Float64Array(variantCount);
    const unitIdOf = reader.text('unit_id');
    const countOf = reader.nonNegativeNumber('count');
    const sumValueOf = reader.number('sum_value');
    // Per unit type: the unit ids found in more than one variant.
    const shared = new Map<string, { ids: Set<string>; example: string }>();
    let lastGroup: UnitGroup | undefined;
    let lastVariant = -1;
    let lastUnitId = '';
    let lastUnit = 0;

    const addUnit = (group: UnitGroup, variant: number, unitId: string): number => {
      const unit = group.variantOf.length;
      group.variantOf.push(variant);
      group.unitIds.push(unitId);
      for (const member of groupSlots.get(group)!) {
        counts[member]!.push(0);
        sums[member]!.push(0);
      }
      return unit;
    };

    const scan = scanGoalRows(
      reader,
      slots,
      { ...options, exposureAggType: 'unit' },
      (row, variant, slot, isExposure) => {
        const count = countOf(row);
        if (isExposure) exposures[variant] = exposures[variant]! + count;
        if (slot === undefined) return;
        const group = groupOfSlot[slot]!;
        const unitId = unitIdOf(row);
        let unit: number | undefined;
        if (group === lastGroup && variant === lastVariant && unitId === lastUnitId) {
          unit = lastUnit; // rows of one unit usually come together
        } else {
          unit = group.index[unitId];
          if (unit === undefined) {
            unit = addUnit(group, variant, unitId);
            group.index[unitId] = unit;
          } else if (group.variantOf[unit] !== variant) {
            // The unit id was first found in another variant: a unit of its own, and one to warn about.
            const key = variant + SEPARATOR + unitId;
            unit = group.otherVariants.get(key);
            if (unit === undefined) {
              unit = addUnit(group, variant, unitId);
              group.otherVariants.set(key, unit);
              let ofUnitType = shared.get(group.unitType);
              if (ofUnitType === undefined) {
                ofUnitType = { ids: new Set(), example: unitId };
                shared.set(group.unitType, ofUnitType);
              }
              ofUnitType.ids.add(unitId);
            }
          }
          lastGroup = group;
          lastVariant = variant;
          lastUnitId = unitId;
          lastUnit = unit;
        }
        seen[slot] = 1;
        const slotCounts = counts[slot]!;
        const slotSums = sums[slot]!;
        slotCounts[unit] = slotCounts[unit]! + count;
        slotSums[unit] = slotSums[unit]! + sumValueOf(row);
      },
    );

    const slotGroup = groupOfSlot.map((group) => (group.variantOf.length > 0 ? group : undefined));
    // Per-unit totals to typed arrays, flagging (goal, variant) cells whose squared totals overflow.
    const nonFinite = new Uint8Array(slots.size * variantCount);
    const squares = new Float64Array(variantCount);
    const toTotals = (values: number[], slot: number): Float64Array => {
      const variantOf = groupOfSlot[slot]!.variantOf;
      const totals = new Float64Array(values.length);
      squares.fill(0);
      for (let unit = 0; unit < values.length; unit++) {
        const value = values[unit]!;
        totals[unit] = value;
        const variant = variantOf[unit]!;
        squares[variant] = squares[variant]! + value * value;
      }
      for (let variant = 0; variant < variantCount; variant++) {
        if (!Number.isFinite(squares[variant]!)) nonFinite[slot * variantCount + variant] = 1;
      }
      return totals;
    };
    const slotCount = counts.map(toTotals);
    const slotSumValue = sums.map(toTotals);
    const sharedUnits: SharedUnits[] = [...shared].map(([unitType, { ids, example }]) => ({
      unitType,
      count: ids.size,
      example,
    }));
    slots.goals.forEach((goal, slot) => {
      if (seen[slot] === 1) scan.names.addGoal(goal);
    });
    return new UnitGoalTable(options, {
      slots,
      slotGroup,
      slotCount,
      slotSumValue,
      exposures,
      foreign: scan.foreignRows,
      goalsWithoutRows: slots.goals.filter((_, slot) => seen[slot] === 0),
      diagnostics: {
        rows: scan.rows,
        otherVariantRows: scan.otherVariantRows,
        exposureRows: scan.exposureRows,
        names: scan.names,
        inconsistentSums: [],
        nonFiniteSums: flaggedGoals(slots.goals, nonFinite, variantCount),
        sharedUnits,
      },
    });
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
    const counts = this.slotCount[slot]!;
    const sums = this.slotSumValue[slot]!;
    for (let unit = 0; unit < group.variantOf.length; unit++) {
      const count = counts[unit]!;
      const value = sums[unit]!;
      const cell =
        column === 'count'
          ? count
          : column === 'sum_sqr_count'
            ? count * count
            : column === 'sum_value'
              ? value
              : column === 'sum_sqr_value'
                ? value * value
                : count > 0
                  ? 1
                  : 0;
      const variant = group.variantOf[unit]!;
      out[variant] = out[variant]! + cell;
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
    const goalSlots = collectGoals(expression).map((goal) => this.slotOf(goal));
    const groups = [...new Set(goalSlots.map((slot) => this.slotGroup[slot]))].filter(
      (group): group is UnitGroup => group !== undefined,
    );
    if (groups.length <= 1) {
      const group = groups[0];
      const unitCount = group?.variantOf.length ?? 0;
      const values = evaluatePerUnit(expression, unitCount, (goal) => {
        const slot = this.slotOf(goal);
        // A goal without any unit reads zeros for the units of the expression's other goals.
        if (this.slotGroup[slot] !== group) return undefined;
        return { count: this.slotCount[slot]!, sumValue: this.slotSumValue[slot]! };
      });
      return { variantOf: Int32Array.from(group?.variantOf ?? []), values };
    }
    // Goals of several groups: align every goal on the union of their units.
    const union = new Map<string, number>();
    const variantOf: number[] = [];
    const positions = new Map<UnitGroup, Int32Array>();
    for (const group of groups) {
      const position = new Int32Array(group.variantOf.length);
      group.variantOf.forEach((variant, unit) => {
        const key = variant + SEPARATOR + group.unitIds[unit]!;
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
      const count = new Float64Array(variantOf.length);
      const sumValue = new Float64Array(variantOf.length);
      if (group !== undefined) {
        const position = positions.get(group)!;
        for (let unit = 0; unit < position.length; unit++) {
          count[position[unit]!] = this.slotCount[slot]![unit]!;
          sumValue[position[unit]!] = this.slotSumValue[slot]![unit]!;
        }
      }
      return { count, sumValue };
    });
    return { variantOf: Int32Array.from(variantOf), values };
  }

  private slotOf(goal: GoalReference): number {
    const slot = this.slots.slotOf(goal);
    if (slot === undefined) {
      throw new Error(`The goal table was not built for goal ${goal.unitType}.${goal.aggType}.${goal.goal}`);
    }
    return slot;
  }
}

function groupOf(groups: Map<string, UnitGroup>, key: string, unitType: string): UnitGroup {
  let group = groups.get(key);
  if (group === undefined) {
    group = {
      unitType,
      index: Object.create(null) as Record<string, number>,
      otherVariants: new Map(),
      variantOf: [],
      unitIds: [],
    };
    groups.set(key, group);
  }
  return group;
}
