import { DataError } from '../errors/data-error.js';
import { didYouMean } from '../text/closest-name.js';
import type { GoalCell } from './goal-rows.js';
import { RowReader } from './row-reader.js';

/**
 * Name of the optional column that marks goal rows of a grouped (GROUPING SETS) query: the breakdown a row
 * belongs to, empty or `null` on the rows of the totals.
 *
 * @example
 * ```ts
 * import { BREAKDOWN_COLUMN } from 'ep-stats';
 * BREAKDOWN_COLUMN; // => 'breakdown'
 * ```
 * @public
 */
export const BREAKDOWN_COLUMN = 'breakdown';

/**
 * Segment value of the rows whose breakdown cell is empty or `null` (the dimension was not recorded).
 *
 * @example
 * ```ts
 * import { NO_VALUE_SEGMENT } from 'ep-stats';
 * NO_VALUE_SEGMENT; // => '(none)'
 * ```
 * @public
 */
export const NO_VALUE_SEGMENT = '(none)';

/** The rows of each segment of each breakdown, and of the totals. @internal */
export interface GoalRowSplit {
  /** Row indices of the totals: every row of flat input, the rows with an empty marker of grouped input. */
  readonly totals: readonly number[];
  /** Per breakdown (in the order given), the row indices of each segment value, in first-seen order. */
  readonly segments: readonly ReadonlyMap<string, number[]>[];
}

/**
 * Splits goal rows (row objects or column arrays) by the value of each breakdown column.
 *
 * @remarks
 * Flat input (no {@link BREAKDOWN_COLUMN}): every row carries its segment value in each breakdown column and
 * belongs to one segment of every breakdown; the totals are all rows. Grouped input (a
 * {@link BREAKDOWN_COLUMN} column, as a GROUPING SETS statement returns it): a row whose marker is empty is a
 * row of the totals, any other row belongs to the segment of the breakdown its marker names. An empty or
 * `null` segment value is {@link NO_VALUE_SEGMENT}.
 *
 * @throws {@link DataError} for a breakdown column that no row has (a misspelt breakdown would otherwise put
 *   every row into {@link NO_VALUE_SEGMENT}), a marker that names no breakdown, or a segment cell that is not
 *   text.
 * @internal
 */
export function splitGoalRows(goals: unknown, breakdowns: readonly string[]): GoalRowSplit {
  const reader = new RowReader(goals, []);
  if (reader.length > 0) {
    for (const breakdown of breakdowns) {
      if (reader.hasColumn(breakdown)) continue;
      const names = Array.isArray(goals)
        ? Object.keys((goals[0] ?? {}) as object)
        : Object.keys(goals as object);
      throw new DataError(
        `no goal row has the column of the breakdown \`${breakdown}\`${didYouMean(breakdown, names)}; the rows of a drill-down carry a column per breakdown (columns: ${names.join(', ')})`,
        { column: breakdown },
      );
    }
  }
  const values = breakdowns.map((breakdown) => reader.optionalText(breakdown));
  const segments = breakdowns.map(() => new Map<string, number[]>());
  const totals: number[] = [];
  const add = (b: number, row: number): void => {
    const value = values[b]!(row) || NO_VALUE_SEGMENT;
    const map = segments[b]!;
    const rows = map.get(value);
    if (rows === undefined) map.set(value, [row]);
    else rows.push(row);
  };
  if (!reader.hasColumn(BREAKDOWN_COLUMN)) {
    for (let row = 0; row < reader.length; row++) {
      totals.push(row);
      for (let b = 0; b < breakdowns.length; b++) add(b, row);
    }
    return { totals, segments };
  }
  const marker = reader.optionalText(BREAKDOWN_COLUMN);
  for (let row = 0; row < reader.length; row++) {
    const name = marker(row);
    if (name === '') {
      totals.push(row);
      continue;
    }
    const b = breakdowns.indexOf(name);
    if (b === -1) {
      throw new DataError(
        `\`${name}\` is not a breakdown of the experiment (breakdowns: ${breakdowns.join(', ') || 'none'}); leave the cell empty on the rows of the totals`,
        { row, column: BREAKDOWN_COLUMN },
      );
    }
    add(b, row);
  }
  return { totals, segments };
}

/**
 * The goal rows at the given indices, in the shape they came in: an array of the same row objects, or
 * column arrays of the same kinds (a typed array stays a typed array of the same type).
 *
 * @internal
 */
export function selectGoalRows<T>(goals: T, indices: readonly number[]): T {
  if (Array.isArray(goals)) return indices.map((index) => goals[index]) as T;
  const columns = goals as Readonly<Record<string, ArrayLike<GoalCell> | undefined>>;
  const selected: Record<string, ArrayLike<GoalCell> | undefined> = {};
  for (const name of Object.keys(columns)) {
    const column = columns[name];
    if (column === undefined) continue;
    selected[name] = pick(column, indices);
  }
  return selected as T;
}

type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array;

function pick(column: ArrayLike<GoalCell>, indices: readonly number[]): ArrayLike<GoalCell> {
  if (ArrayBuffer.isView(column) && !(column instanceof DataView)) {
    const typed = column as unknown as TypedArray;
    const Constructor = typed.constructor as new (length: number) => TypedArray;
    const out = new Constructor(indices.length);
    for (let i = 0; i < indices.length; i++) (out as unknown as GoalCell[])[i] = typed[indices[i]!]!;
    return out as unknown as ArrayLike<GoalCell>;
  }
  return indices.map((index) => column[index]);
}
