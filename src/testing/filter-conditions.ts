import { DataError, type GoalCell } from '../index.js';

/**
 * A cell as text: `''` for `null`, `undefined` and empty cells (what pandas reads as NaN).
 *
 * @internal
 */
export function cellText(cell: GoalCell): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/**
 * Whether a cell is one of a filter's values. An empty cell is never one (as NaN is never in a pandas
 * `isin` list); values are compared as text, so the value `1` matches the cell `'1'`.
 *
 * @internal
 */
export function isOneOf(cell: GoalCell, values: readonly (string | number)[] | undefined): boolean {
  const text = cellText(cell);
  return text !== '' && values !== undefined && values.some((value) => String(value) === text);
}

/**
 * Throws when no row has the column a filter or a date range needs (the reference fails there too).
 *
 * @internal
 */
export function requireColumn(
  rows: readonly Readonly<Record<string, GoalCell>>[],
  column: string,
  purpose: string,
): void {
  if (rows.length === 0 || rows.some((row) => row[column] !== undefined)) return;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].join(', ');
  throw new DataError(`${purpose} needs the column \`${column}\`, but the goal rows have only: ${columns}`, {
    column,
  });
}
