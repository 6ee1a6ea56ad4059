import { DataError } from '../errors/data-error.js';
import type { GoalCell } from './goal-rows.js';

/**
 * Uniform, validating access to goal rows given as row objects or as column arrays.
 *
 * @internal
 */
export class RowReader {
  readonly length: number;
  private readonly rows: readonly Readonly<Record<string, GoalCell>>[] | undefined;
  private readonly columns: Readonly<Record<string, ArrayLike<GoalCell> | undefined>> | undefined;

  constructor(input: unknown, required: readonly string[]) {
    if (Array.isArray(input)) {
      this.rows = input as Readonly<Record<string, GoalCell>>[];
      this.columns = undefined;
      this.length = input.length;
      for (let row = 0; row < input.length; row++) {
        const value: unknown = input[row];
        if (value === null || typeof value !== 'object') {
          throw new DataError(`expected a goal row object, received ${describe(value)}`, { row });
        }
      }
    } else if (input !== null && typeof input === 'object') {
      const columns = input as Record<string, ArrayLike<GoalCell> | undefined>;
      this.rows = undefined;
      this.columns = columns;
      let length: number | undefined;
      let first = '';
      for (const name of Object.keys(columns)) {
        const column = columns[name];
        if (column === undefined) continue;
        if (typeof column !== 'object' || column === null || typeof column.length !== 'number') {
          throw new DataError(`expected an array of cells, received ${describe(column)}`, { column: name });
        }
        if (length === undefined) {
          length = column.length;
          first = name;
        } else if (column.length !== length) {
          throw new DataError(
            `has ${column.length} cells but column \`${first}\` has ${length}; all columns must have the same length`,
            { column: name },
          );
        }
      }
      this.length = length ?? 0;
      for (const name of required) {
        if (columns[name] === undefined) {
          throw new DataError(`required column is missing (expected columns: ${required.join(', ')})`, {
            column: name,
          });
        }
      }
    } else {
      throw new DataError(
        `expected an array of goal rows or an object of columns, received ${describe(input)}`,
      );
    }
  }

  /**
   * Whether the data has the column: for column arrays, whether the array is given; for row objects,
   * whether any row has a cell (other than `undefined`) under that key. Row objects are searched until the
   * first row with the cell, so a column the first row has costs nothing.
   */
  hasColumn(name: string): boolean {
    if (this.columns !== undefined) return this.columns[name] !== undefined;
    const rows = this.rows ?? [];
    for (let row = 0; row < rows.length; row++) {
      if (rows[row]?.[name] !== undefined) return true;
    }
    return false;
  }

  /**
   * A getter of a text column that not every input has, such as `exp_id`: `undefined` when no row has the
   * column; otherwise every row must have it (a `null` or empty cell reads as `''`).
   *
   * @throws {@link DataError} (from the getter) for a row without the column while other rows have it.
   */
  textIfPresent(column: string): ((row: number) => string) | undefined {
    if (!this.hasColumn(column)) return undefined;
    const read = this.optionalText(column);
    const rows = this.rows;
    if (rows === undefined) return read;
    return (row) => {
      if (rows[row]?.[column] === undefined) {
        throw new DataError('required column is missing from this row (other rows have it)', { row, column });
      }
      return read(row);
    };
  }

  /** The object of a row when the input is row objects, else undefined (column arrays). */
  rowObject(row: number): object | undefined {
    return this.rows?.[row];
  }

  /** The row objects when the input is row objects, else undefined (column arrays). */
  rowObjects(): readonly Readonly<Record<string, GoalCell>>[] | undefined {
    return this.rows;
  }

  /** The array of a column when the input is column arrays (else, or without that column, undefined). */
  column(name: string): ArrayLike<GoalCell> | undefined {
    return this.columns?.[name];
  }

  /** A getter of the raw cells of one column, resolved once so that hot loops index an array directly. */
  cells(column: string): (row: number) => GoalCell {
    const rows = this.rows;
    if (rows !== undefined) return rowCells(rows, column);
    const cells = this.columns?.[column];
    return cells === undefined ? () => undefined : (row) => cells[row];
  }

  /** A getter of a required text column (numbers are converted to their decimal text). */
  text(column: string): (row: number) => string {
    const cell = this.cells(column);
    return (row) => {
      const value = cell(row);
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
      throw this.cellError(row, column, value, 'expected text');
    };
  }

  /** A getter of an optional text column such as a dimension: empty, null or missing is `''`. */
  optionalText(column: string): (row: number) => string {
    const cell = this.cells(column);
    return (row) => {
      const value = cell(row);
      if (typeof value === 'string') return value;
      if (value === null || value === undefined) return '';
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
        return String(value);
      throw new DataError(`expected text or an empty cell, received ${describe(value)}`, { row, column });
    };
  }

  /** A getter of a required finite number column (numbers, bigints and decimal strings are accepted). */
  number(column: string): (row: number) => number {
    const cells = this.columns?.[column];
    if (cells !== undefined) {
      // Column arrays (typed arrays above all): a finite number is read without a further call.
      return (row) => {
        const value = cells[row];
        return typeof value === 'number' && value - value === 0
          ? value
          : this.parseNumber(row, column, value);
      };
    }
    const cell = this.cells(column);
    return (row) => {
      const value = cell(row);
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return this.parseNumber(row, column, value);
    };
  }

  /**
   * A getter of a required finite number column that cannot be negative (a count, a sum of squares).
   *
   * @throws {@link DataError} (from the getter) for a negative number, besides the errors of
   *   {@link RowReader.number}.
   */
  nonNegativeNumber(column: string): (row: number) => number {
    const read = this.number(column);
    return (row) => {
      const value = read(row);
      if (value < 0) {
        throw new DataError(
          `expected a number of at least 0, received \`${value}\`; a count or a sum of squares cannot be negative`,
          { row, column },
        );
      }
      return value;
    };
  }

  /** A cell that is not a finite number as a finite number (a bigint or a decimal string), else the error. */
  private parseNumber(row: number, column: string, value: GoalCell): number {
    let parsed = Number.NaN;
    if (typeof value === 'bigint') parsed = Number(value);
    else if (typeof value === 'string' && DECIMAL.test(value)) parsed = Number(value);
    else if (typeof value !== 'number') throw this.cellError(row, column, value, 'expected a number');
    if (!Number.isFinite(parsed)) {
      throw new DataError(`expected a finite number, received ${describe(value)}`, { row, column });
    }
    return parsed;
  }

  private cellError(row: number, column: string, value: GoalCell, expected: string): DataError {
    if (value === undefined && this.rows !== undefined && !(column in (this.rows[row] ?? {}))) {
      return new DataError('required column is missing from this row', { row, column });
    }
    return new DataError(`${expected}, received ${describe(value)}`, { row, column });
  }
}

/**
 * A getter of the cells of one column of row objects. The columns of the goal-row contracts get a function
 * each, which reads one key (fast once the rows' shapes are known); other columns one that reads a key given
 * at run time (a slower read when many columns are read that way).
 */
function rowCells(
  rows: readonly Readonly<Record<string, GoalCell>>[],
  column: string,
): (row: number) => GoalCell {
  switch (column) {
    case 'exp_id':
      return (row) => rows[row]?.exp_id;
    case 'exp_variant_id':
      return (row) => rows[row]?.exp_variant_id;
    case 'unit_type':
      return (row) => rows[row]?.unit_type;
    case 'agg_type':
      return (row) => rows[row]?.agg_type;
    case 'goal':
      return (row) => rows[row]?.goal;
    case 'unit_id':
      return (row) => rows[row]?.unit_id;
    case 'count':
      return (row) => rows[row]?.count;
    case 'sum_value':
      return (row) => rows[row]?.sum_value;
    default:
      return (row) => rows[row]?.[column];
  }
}

const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A short, quoted description of an unexpected value for error messages. @internal */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `\`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\` (text)`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return `\`${String(value)}\` (${typeof value})`;
  }
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}
