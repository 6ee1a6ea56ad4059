import type { GoalReference } from '../expression/ast.js';
import {
  AGGREGATED_COLUMNS,
  type AggregatedColumn,
  type AggregatedGoalSource,
} from '../expression/evaluate-aggregated.js';
import { GoalSlotIndex } from './goal-match-key.js';
import type { AggregatedGoals } from './goal-rows.js';
import {
  flaggedGoals,
  type GoalTableDiagnostics,
  IMPOSSIBLE_SUM_SQR_COUNT,
  IMPOSSIBLE_SUM_SQR_VALUE,
  impossibleSquares,
  recordTableDiagnostics,
} from './goal-table-diagnostics.js';
import { RowReader } from './row-reader.js';
import { scanGoalRows } from './scan-goal-rows.js';

/**
 * What an {@link AggregatedGoalTable} is built for.
 *
 * @example
 * ```ts
 * import { parseExpression, type AggregatedGoalTableOptions, type GoalReference } from 'ep-stats';
 * const options: AggregatedGoalTableOptions = {
 *   variants: ['a', 'b'],
 *   goals: [parseExpression('count(u.global.exposure)') as GoalReference],
 *   dimensions: [],
 * };
 * options.variants.length; // => 2
 * ```
 * @public
 */
export interface AggregatedGoalTableOptions {
  /** Variant ids in output order; rows of other variants are ignored. */
  readonly variants: readonly string[];
  /** The goals to sum (each with the dimensions it constrains). */
  readonly goals: readonly GoalReference[];
  /** Dimension columns to match on, e.g. `['element', 'product']`; other columns are ignored. */
  readonly dimensions: readonly string[];
  /** When given, rows whose `exp_id` is present and differs are ignored (and counted). */
  readonly expId?: string;
  /** When given, also sum the exposures: `count` of rows with this unit type, `global`, goal `exposure`. */
  readonly exposureUnitType?: string;
}

/** Columns every aggregated goal row must have. @internal */
export const AGGREGATED_KEY_COLUMNS = ['exp_variant_id', 'unit_type', 'agg_type', 'goal'] as const;

/**
 * Pre-aggregated goal rows summed once into columnar typed arrays indexed by (goal, variant).
 *
 * @remarks
 * Building reads every row once: its key (unit type, aggregation type, goal and the experiment's dimension
 * cells, empty or `null` meaning "no dimension") is looked up among the needed goals and its five numeric
 * columns are added to that goal's slot for the row's variant. A (variant, goal) combination without rows
 * stays zero. Evaluating any number of metrics then reads the sums, never the rows.
 *
 * A row read for a needed goal must have all five numeric columns, and `count`, `sum_sqr_count`,
 * `sum_sqr_value` and `count_unique` must not be negative ({@link DataError}). A row whose sums of squares
 * are impossible for its sums (`sum_sqr_value < sum_value^2 / count_unique`, or the same for
 * `sum_sqr_count` and `count`) is still summed as it is; the evaluation reports it as a warning. The check
 * is made per row, not on the summed (goal, variant) cell: by the Cauchy-Schwarz inequality consistent
 * rows always sum to a consistent cell, while an impossible row can hide in a consistent sum (rows of one
 * goal split over dimension values or dates).
 *
 * @example
 * ```ts
 * import { AggregatedGoalTable, evaluateAggregated, parseExpression, type GoalReference } from 'ep-stats';
 * const click = parseExpression('count(u.unit.click)') as GoalReference;
 * const row = (variant: string, count: number) => ({
 *   exp_variant_id: variant, unit_type: 'u', agg_type: 'unit', goal: 'click',
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * });
 * const table = AggregatedGoalTable.fromRows([row('a', 5), row('b', 7), row('a', 1)], {
 *   variants: ['a', 'b', 'c'], goals: [click], dimensions: [],
 * });
 * Array.from(table.column(click, 'count')); // => [6, 7, 0]
 * Array.from(evaluateAggregated(click, table).value); // => [6, 7, 0]
 * ```
 * @public
 */
export class AggregatedGoalTable implements AggregatedGoalSource {
  /** Variant ids, in the order of every vector. */
  readonly variants: readonly string[];
  /** Dimension columns matched on. */
  readonly dimensions: readonly string[];
  /** Per-variant exposures, when `exposureUnitType` was given (zeros otherwise). */
  readonly exposures: Float64Array;
  /** Number of rows ignored because their `exp_id` was another experiment's. */
  readonly foreignExperimentRows: number;
  /** Goals that no row matched, for any variant. */
  readonly goalsWithoutRows: readonly GoalReference[];
  private readonly slots: GoalSlotIndex;
  private readonly sums: Readonly<Record<AggregatedColumn, Float64Array>>;

  private constructor(
    options: AggregatedGoalTableOptions,
    slots: GoalSlotIndex,
    sums: Record<AggregatedColumn, Float64Array>,
    exposures: Float64Array,
    foreignExperimentRows: number,
    goalsWithoutRows: GoalReference[],
    diagnostics: GoalTableDiagnostics,
  ) {
    this.variants = Object.freeze([...options.variants]);
    this.dimensions = Object.freeze([...options.dimensions]);
    this.slots = slots;
    this.sums = sums;
    this.exposures = exposures;
    this.foreignExperimentRows = foreignExperimentRows;
    this.goalsWithoutRows = Object.freeze(goalsWithoutRows);
    recordTableDiagnostics(this, diagnostics);
  }

  /**
   * Sums goal rows into a table.
   *
   * @param goals - Row objects or column arrays with the columns of {@link AggregatedGoalRow}.
   * @param options - Variants, needed goals and dimensions.
   * @throws {@link DataError} when a required column is missing (from a row read, `exp_id` from a row while
   *   other rows have it), a cell is not of the expected type, or a count or sum of squares is negative.
   */
  static fromRows(goals: AggregatedGoals, options: AggregatedGoalTableOptions): AggregatedGoalTable {
    const reader = new RowReader(goals, [...AGGREGATED_KEY_COLUMNS, ...AGGREGATED_COLUMNS]);
    const variantCount = options.variants.length;
    const slots = new GoalSlotIndex(options.dimensions, options.goals);
    const size = slots.size * variantCount;
    const sums = {
      count: new Float64Array(size),
      sum_sqr_count: new Float64Array(size),
      sum_value: new Float64Array(size),
      sum_sqr_value: new Float64Array(size),
      count_unique: new Float64Array(size),
    };
    const seen = new Uint8Array(slots.size);
    const inconsistent = new Uint8Array(size);
    const exposures = new Float64Array(variantCount);
    const countOf = reader.nonNegativeNumber('count');
    const sumSqrCountOf = reader.nonNegativeNumber('sum_sqr_count');
    const sumValueOf = reader.number('sum_value');
    const sumSqrValueOf = reader.nonNegativeNumber('sum_sqr_value');
    const countUniqueOf = reader.nonNegativeNumber('count_unique');
    const scan = scanGoalRows(
      reader,
      slots,
      { ...options, exposureAggType: 'global' },
      (row, variant, slot, isExposure) => {
        if (isExposure) exposures[variant] = exposures[variant]! + countOf(row);
        if (slot === undefined) return;
        seen[slot] = 1;
        const cell = slot * variantCount + variant;
        const count = countOf(row);
        const sumSqrCount = sumSqrCountOf(row);
        const sumValue = sumValueOf(row);
        const sumSqrValue = sumSqrValueOf(row);
        const countUnique = countUniqueOf(row);
        sums.count[cell] = sums.count[cell]! + count;
        sums.sum_sqr_count[cell] = sums.sum_sqr_count[cell]! + sumSqrCount;
        sums.sum_value[cell] = sums.sum_value[cell]! + sumValue;
        sums.sum_sqr_value[cell] = sums.sum_sqr_value[cell]! + sumSqrValue;
        sums.count_unique[cell] = sums.count_unique[cell]! + countUnique;
        if (impossibleSquares(sumValue, sumSqrValue, countUnique)) {
          inconsistent[cell] = inconsistent[cell]! | IMPOSSIBLE_SUM_SQR_VALUE;
        }
        if (impossibleSquares(count, sumSqrCount, countUnique)) {
          inconsistent[cell] = inconsistent[cell]! | IMPOSSIBLE_SUM_SQR_COUNT;
        }
      },
    );
    const goalsWithoutRows = slots.goals.filter((_, slot) => seen[slot] === 0);
    slots.goals.forEach((goal, slot) => {
      if (seen[slot] === 1) scan.names.addGoal(goal);
    });
    const nonFinite = new Uint8Array(size);
    for (let cell = 0; cell < size; cell++) {
      for (const column of AGGREGATED_COLUMNS) {
        if (!Number.isFinite(sums[column][cell]!)) nonFinite[cell] = 1;
      }
    }
    const diagnostics: GoalTableDiagnostics = {
      rows: scan.rows,
      otherVariantRows: scan.otherVariantRows,
      exposureRows: scan.exposureRows,
      names: scan.names,
      inconsistentSums: flaggedGoals(slots.goals, inconsistent, variantCount),
      nonFiniteSums: flaggedGoals(slots.goals, nonFinite, variantCount),
      sharedUnits: [],
    };
    return new AggregatedGoalTable(
      options,
      slots,
      sums,
      exposures,
      scan.foreignRows,
      goalsWithoutRows,
      diagnostics,
    );
  }

  /** Number of variants (the length of every vector). */
  get variantCount(): number {
    return this.variants.length;
  }

  /**
   * Per-variant sums of one column for a goal (a read-only view; zeros where no row matched).
   *
   * @throws Error when the goal was not among the goals the table was built for.
   */
  column(goal: GoalReference, column: AggregatedColumn): Float64Array {
    const slot = this.slots.slotOf(goal);
    if (slot === undefined) {
      throw new Error(`The goal table was not built for goal ${goal.unitType}.${goal.aggType}.${goal.goal}`);
    }
    const start = slot * this.variants.length;
    return this.sums[column].subarray(start, start + this.variants.length);
  }
}
