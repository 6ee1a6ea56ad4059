import ndarray from 'ndarray';
import { ValidationError } from '../errors/validation-error.js';
import type { Matrix } from './matrix.js';

/**
 * A new (rows x columns) matrix of zeros, row-major over a `Float64Array` of its own.
 * @internal
 */
export function createMatrix(rows: number, columns: number): Matrix {
  return ndarray(new Float64Array(rows * columns), [rows, columns]);
}

/**
 * A (rows x columns) row-major view of `data` (no copy).
 * @internal
 */
export function matrixView(data: Float64Array, rows: number, columns: number): Matrix {
  return ndarray(data, [rows, columns]);
}

/**
 * The view of one column repeated across every column (stride 0 along the columns): the control's value
 * beside every variant's, for element-wise operations.
 * @internal
 */
export function broadcastColumn(matrix: Matrix, column: number): Matrix {
  const [rows = 0, columns = 0] = matrix.shape;
  const picked = matrix.pick(null, column);
  return ndarray(picked.data, [rows, columns], [picked.stride[0] ?? 0, 0], picked.offset);
}

/**
 * The shape `[rows, columns]` that every matrix of `matrices` has.
 *
 * @throws {@link ValidationError} with the matrix's name as `path` when one is not a two-dimensional matrix
 *   over a `Float64Array` or its shape differs from the first one's.
 * @internal
 */
export function commonShape(matrices: Readonly<Record<string, Matrix>>): [number, number] {
  let expected: [number, number] | undefined;
  let first = '';
  for (const [name, matrix] of Object.entries(matrices)) {
    const shape = isMatrix(matrix) ? matrix.shape : undefined;
    if (shape === undefined || shape.length !== 2) {
      throw new ValidationError(
        `\`${name}\` must be a two-dimensional matrix (an ndarray of a Float64Array, [metrics, variants]).`,
        [name],
      );
    }
    const rows = shape[0]!;
    const columns = shape[1]!;
    if (expected === undefined) {
      expected = [rows, columns];
      first = name;
    } else if (rows !== expected[0] || columns !== expected[1]) {
      throw new ValidationError(
        `\`${name}\` has the shape [${rows}, ${columns}]; expected [${expected[0]}, ${expected[1]}] like \`${first}\`.`,
        [name],
      );
    }
  }
  return expected ?? [0, 0];
}

/**
 * Checks that `controlIndex` is one of `columns` columns.
 * @throws {@link ValidationError} with `path` `['controlIndex']` otherwise.
 * @internal
 */
export function requireColumn(controlIndex: number, columns: number): void {
  if (!Number.isInteger(controlIndex) || controlIndex < 0 || controlIndex >= columns) {
    throw new ValidationError(
      `controlIndex must be a column between 0 and ${columns - 1}, received ${controlIndex}.`,
      ['controlIndex'],
    );
  }
}

function isMatrix(value: unknown): value is Matrix {
  if (typeof value !== 'object' || value === null) return false;
  const { data, shape, stride } = value as Partial<Matrix>;
  return data instanceof Float64Array && Array.isArray(shape) && Array.isArray(stride);
}
