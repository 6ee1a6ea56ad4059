import type { GoalReference } from '../expression/ast.js';
import {
  AGGREGATED_COLUMNS,
  type AggregatedColumn,
  type AggregatedGoalSource,
  registerDenseSums,
} from '../expression/evaluate-aggregated.js';
import { GoalSlotIndex } from './goal-match-key.js';
import type { AggregatedGoals, GoalCell } from './goal-rows.js';
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
    const variantCount = this.variants.length;
    registerDenseSums(this, {
      variantCount,
      sums,
      offsetOf: (goal) => this.slotOrThrow(goal) * variantCount,
    });
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
    const slots = GoalSlotIndex.of(options.dimensions, options.goals);
    const size = slots.size * variantCount;
    const count = new Float64Array(size);
    const sumSqrCount = new Float64Array(size);
    const sumValue = new Float64Array(size);
    const sumSqrValue = new Float64Array(size);
    const countUnique = new Float64Array(size);
    const seen = new Uint8Array(slots.size);
    const inconsistent = new Uint8Array(size);
    const exposures = new Float64Array(variantCount);
    const numbers = new RowNumbers(reader);
    const scan = scanGoalRows(
      reader,
      slots,
      { ...options, exposureAggType: 'global' },
      (row, variant, slot, isExposure) => {
        if (isExposure) exposures[variant] = exposures[variant]! + numbers.count(row);
        if (slot === undefined) return;
        seen[slot] = 1;
        const cell = slot * variantCount + variant;
        numbers.read(row);
        count[cell] = count[cell]! + numbers.countValue;
        sumSqrCount[cell] = sumSqrCount[cell]! + numbers.sumSqrCount;
        sumValue[cell] = sumValue[cell]! + numbers.sumValue;
        sumSqrValue[cell] = sumSqrValue[cell]! + numbers.sumSqrValue;
        countUnique[cell] = countUnique[cell]! + numbers.countUnique;
        if (impossibleSquares(numbers.sumValue, numbers.sumSqrValue, numbers.countUnique)) {
          inconsistent[cell] = inconsistent[cell]! | IMPOSSIBLE_SUM_SQR_VALUE;
        }
        if (impossibleSquares(numbers.countValue, numbers.sumSqrCount, numbers.countUnique)) {
          inconsistent[cell] = inconsistent[cell]! | IMPOSSIBLE_SUM_SQR_COUNT;
        }
      },
    );
    const goalsWithoutRows = slots.goals.filter((_, slot) => seen[slot] === 0);
    scan.names.addGoalsSeen(slots.goals, seen);
    const nonFinite = new Uint8Array(size);
    for (let cell = 0; cell < size; cell++) {
      // `x - x` is 0 for a finite x and NaN for NaN and the infinities: the total is 0 exactly when all are.
      const a = count[cell]!;
      const b = sumSqrCount[cell]!;
      const c = sumValue[cell]!;
      const d = sumSqrValue[cell]!;
      const e = countUnique[cell]!;
      if (a - a + (b - b) + (c - c) + (d - d) + (e - e) !== 0) nonFinite[cell] = 1;
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
    const sums = {
      count,
      sum_sqr_count: sumSqrCount,
      sum_value: sumValue,
      sum_sqr_value: sumSqrValue,
      count_unique: countUnique,
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
    const start = this.slotOrThrow(goal) * this.variants.length;
    return this.sums[column].subarray(start, start + this.variants.length);
  }

  private slotOrThrow(goal: GoalReference): number {
    const slot = this.slots.slotOf(goal);
    if (slot === undefined) {
      throw new Error(`The goal table was not built for goal ${goal.unitType}.${goal.aggType}.${goal.goal}`);
    }
    return slot;
  }
}

/**
 * The five numbers of an aggregated goal row, read as {@link RowReader.number} and
 * {@link RowReader.nonNegativeNumber} read them: a row whose cells are all finite numbers (none negative but
 * `sum_value`) is read directly, any other row through the reader's getters, in the order of the columns, so
 * that a bad cell gives the same error.
 */
class RowNumbers {
  /** `count` of the row last {@link RowNumbers.read}. */
  countValue = 0;
  /** `sum_sqr_count` of the row last read. */
  sumSqrCount = 0;
  /** `sum_value` of the row last read. */
  sumValue = 0;
  /** `sum_sqr_value` of the row last read. */
  sumSqrValue = 0;
  /** `count_unique` of the row last read. */
  countUnique = 0;
  private readonly objects: readonly Readonly<Record<string, GoalCell>>[] | undefined;
  private readonly countCells: ArrayLike<GoalCell>;
  private readonly sumSqrCountCells: ArrayLike<GoalCell>;
  private readonly sumValueCells: ArrayLike<GoalCell>;
  private readonly sumSqrValueCells: ArrayLike<GoalCell>;
  private readonly countUniqueCells: ArrayLike<GoalCell>;
  private readonly countOf: (row: number) => number;
  private readonly sumSqrCountOf: (row: number) => number;
  private readonly sumValueOf: (row: number) => number;
  private readonly sumSqrValueOf: (row: number) => number;
  private readonly countUniqueOf: (row: number) => number;

  constructor(reader: RowReader) {
    this.objects = reader.rowObjects();
    this.countCells = reader.column('count') ?? [];
    this.sumSqrCountCells = reader.column('sum_sqr_count') ?? [];
    this.sumValueCells = reader.column('sum_value') ?? [];
    this.sumSqrValueCells = reader.column('sum_sqr_value') ?? [];
    this.countUniqueCells = reader.column('count_unique') ?? [];
    this.countOf = reader.nonNegativeNumber('count');
    this.sumSqrCountOf = reader.nonNegativeNumber('sum_sqr_count');
    this.sumValueOf = reader.number('sum_value');
    this.sumSqrValueOf = reader.nonNegativeNumber('sum_sqr_value');
    this.countUniqueOf = reader.nonNegativeNumber('count_unique');
  }

  /** The `count` of a row. */
  count(row: number): number {
    const object = this.objects?.[row];
    const cell = object === undefined ? this.countCells[row] : object.count;
    return typeof cell === 'number' && cell - cell === 0 && cell >= 0 ? cell : this.countOf(row);
  }

  /** Reads the five numbers of a row into the fields. */
  read(row: number): void {
    const object = this.objects?.[row];
    const count = object === undefined ? this.countCells[row] : object.count;
    const sumSqrCount = object === undefined ? this.sumSqrCountCells[row] : object.sum_sqr_count;
    const sumValue = object === undefined ? this.sumValueCells[row] : object.sum_value;
    const sumSqrValue = object === undefined ? this.sumSqrValueCells[row] : object.sum_sqr_value;
    const countUnique = object === undefined ? this.countUniqueCells[row] : object.count_unique;
    if (
      typeof count === 'number' &&
      typeof sumSqrCount === 'number' &&
      typeof sumValue === 'number' &&
      typeof sumSqrValue === 'number' &&
      typeof countUnique === 'number' &&
      // `x - x` is 0 for a finite x and NaN for NaN and the infinities: the total is 0 exactly when all are.
      count - count + (sumSqrCount - sumSqrCount) + (sumValue - sumValue) === 0 &&
      sumSqrValue - sumSqrValue + (countUnique - countUnique) === 0 &&
      count >= 0 &&
      sumSqrCount >= 0 &&
      sumSqrValue >= 0 &&
      countUnique >= 0
    ) {
      this.countValue = count;
      this.sumSqrCount = sumSqrCount;
      this.sumValue = sumValue;
      this.sumSqrValue = sumSqrValue;
      this.countUnique = countUnique;
      return;
    }
    this.countValue = this.countOf(row);
    this.sumSqrCount = this.sumSqrCountOf(row);
    this.sumValue = this.sumValueOf(row);
    this.sumSqrValue = this.sumSqrValueOf(row);
    this.countUnique = this.countUniqueOf(row);
  }
}
