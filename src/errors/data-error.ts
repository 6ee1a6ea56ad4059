import { EpStatsError, type EpStatsErrorOptions } from './ep-stats-error.js';

/**
 * Where in the input data a {@link DataError} was found.
 *
 * @example
 * ```ts
 * import type { DataErrorLocation } from 'ep-stats';
 * const location: DataErrorLocation = { row: 4, column: 'sum_value' };
 * location.column; // => 'sum_value'
 * ```
 * @public
 */
export interface DataErrorLocation {
  /** Zero-based index of the offending row, when the problem is in one row. */
  readonly row?: number;
  /** Name of the offending column, when the problem is in one column. */
  readonly column?: string;
}

/**
 * Input data (goal rows) that cannot be evaluated: a missing column, a non-numeric cell, a malformed row.
 *
 * @remarks
 * The message names the row (zero-based) and the column and quotes the offending value. Statistically
 * degenerate data (zero exposures, a single unit, zero variance) is not an error: it yields NaN or Infinity
 * as documented.
 *
 * @example
 * ```ts
 * import { DataError } from 'ep-stats';
 * const error = new DataError('expected a number', { row: 3, column: 'count' });
 * [error.row, error.column, error.code]; // => [3, 'count', 'data']
 * error.message; // => 'Row 3, column `count`: expected a number'
 * ```
 * @public
 */
export class DataError extends EpStatsError {
  /** Zero-based row index, if the problem is in one row. */
  readonly row: number | undefined;
  /** Column name, if the problem is in one column. */
  readonly column: string | undefined;
  /** The message without the location prefix. */
  readonly reason: string;

  constructor(reason: string, location: DataErrorLocation = {}, options?: EpStatsErrorOptions) {
    super('data', `${describeLocation(location)}${reason}`, options);
    this.name = 'DataError';
    this.row = location.row;
    this.column = location.column;
    this.reason = reason;
  }
}

function describeLocation({ row, column }: DataErrorLocation): string {
  if (row !== undefined && column !== undefined) return `Row ${row}, column \`${column}\`: `;
  if (row !== undefined) return `Row ${row}: `;
  if (column !== undefined) return `Column \`${column}\`: `;
  return '';
}
