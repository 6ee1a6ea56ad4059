import type { GoalReference } from '../expression/ast.js';
import type { GoalNamesSeen } from './goal-names-seen.js';

/** A goal and the variants (indexes into the table's variants) where something is wrong with it. @internal */
export interface GoalVariants {
  readonly goal: GoalReference;
  readonly variants: readonly number[];
  /** The flags of the goal's cells, or-ed (their meaning is the producer's). */
  readonly flags: number;
}

/** Unit ids found in more than one variant, for one unit type. @internal */
export interface SharedUnits {
  readonly unitType: string;
  /** Number of distinct unit ids found in two or more variants. */
  readonly count: number;
  /** One of them, first found. */
  readonly example: string;
}

/**
 * What a goal table learnt about its rows while reading them, for the evaluation's data warnings: nothing
 * here changes a number.
 *
 * @internal
 */
export interface GoalTableDiagnostics {
  /** Rows of the experiment in one of the table's variants. */
  readonly rows: number;
  /** Rows of the experiment whose variant is not one of the table's variants (ignored). */
  readonly otherVariantRows: number;
  /** Exposure rows read (`exposureUnitType`, the exposure aggregation type, goal `exposure`). */
  readonly exposureRows: number;
  /** Unit types, aggregation types and goal names of the rows of the table's variants. */
  readonly names: GoalNamesSeen;
  /**
   * Goals with a row whose sums of squares are impossible for its sums (aggregated rows only): see
   * {@link impossibleSquares}.
   */
  readonly inconsistentSums: readonly GoalVariants[];
  /** Goals whose sums (aggregated) or squared per-unit totals (by unit) overflow to Infinity. */
  readonly nonFiniteSums: readonly GoalVariants[];
  /** Unit ids found in several variants, per unit type (by unit only). */
  readonly sharedUnits: readonly SharedUnits[];
}

/** Flag of a row whose `sum_sqr_value` is impossible for its `sum_value`. @internal */
export const IMPOSSIBLE_SUM_SQR_VALUE = 1;
/** Flag of a row whose `sum_sqr_count` is impossible for its `count`. @internal */
export const IMPOSSIBLE_SUM_SQR_COUNT = 2;

/**
 * Relative tolerance of {@link impossibleSquares}: rounding of sums computed in floating point (or printed
 * with limited precision) must not be reported.
 *
 * @internal
 */
export const SQUARES_TOLERANCE = 1e-6;

/**
 * Whether a sum of squares is impossible for its sum over `units` units: by the Cauchy-Schwarz inequality
 * real per-unit values `x_i` give `sum x_i^2 >= (sum x_i)^2 / units`.
 *
 * @remarks
 * The test is `sumOfSquares * units < sum^2 (1 - SQUARES_TOLERANCE)`. It is skipped (false) when `units` is
 * 0 (unknown, as in wide input, which has no unit counts) and when `sum^2` overflows (reported as
 * non-finite sums instead).
 *
 * @param sum - `sum_value` (or `count`).
 * @param sumOfSquares - `sum_sqr_value` (or `sum_sqr_count`).
 * @param units - `count_unique`.
 * @internal
 */
export function impossibleSquares(sum: number, sumOfSquares: number, units: number): boolean {
  if (units <= 0) return false;
  const square = sum * sum;
  return square <= Number.MAX_VALUE && sumOfSquares * units < square * (1 - SQUARES_TOLERANCE);
}

/** The goals with a flagged (non-zero) (goal, variant) cell, each with its flagged variants. @internal */
export function flaggedGoals(
  goals: readonly GoalReference[],
  flags: Uint8Array,
  variantCount: number,
): GoalVariants[] {
  const flagged: GoalVariants[] = [];
  goals.forEach((goal, slot) => {
    const start = slot * variantCount;
    let or = 0;
    for (let variant = 0; variant < variantCount; variant++) or |= flags[start + variant]!;
    if (or === 0) return;
    const variants: number[] = [];
    for (let variant = 0; variant < variantCount; variant++) {
      if (flags[start + variant] !== 0) variants.push(variant);
    }
    flagged.push({ goal, variants, flags: or });
  });
  return flagged;
}

const DIAGNOSTICS = new WeakMap<object, GoalTableDiagnostics>();

/** Records what a goal table learnt about its rows (called by the table's constructor). @internal */
export function recordTableDiagnostics(table: object, diagnostics: GoalTableDiagnostics): void {
  DIAGNOSTICS.set(table, diagnostics);
}

/**
 * What a goal table learnt about its rows while reading them, for the evaluation's data warnings.
 *
 * @throws Error for an object that is not a goal table built from rows.
 * @internal
 */
export function tableDiagnostics(table: object): GoalTableDiagnostics {
  const diagnostics = DIAGNOSTICS.get(table);
  if (diagnostics === undefined) throw new Error('not a goal table built from rows');
  return diagnostics;
}
