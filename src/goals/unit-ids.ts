import type { RowReader } from './row-reader.js';
import type { UnitGroup } from './unit-group.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Finds the unit of a row in a {@link UnitGroup} from its `unit_id` cell, without converting numeric ids to
 * text.
 *
 * @remarks
 * A unit id is its text ({@link RowReader.text}: numbers and bigints in decimal). An id whose text is an
 * integer in canonical form (`0`, or an optional `-` and digits without a leading zero) within
 * `Number.MAX_SAFE_INTEGER` is keyed by the two 32-bit words of that integer, whether the cell is a number,
 * a bigint or a string; a `BigInt64Array` or `BigUint64Array` column is keyed by the words of its 64-bit
 * values, read without creating bigints; any other id is keyed by its text. Both keys of one id are the
 * same, so two cells are one unit id exactly when their texts are equal.
 *
 * A row whose cell is the previous row's cell (the same string, number or 64-bit value) in the same group
 * and variant is the previous row's unit without a look-up: rows of one unit usually come together.
 *
 * @internal
 */
export class UnitIds {
  /** The text of a row's unit id (for messages; throws the {@link DataError} of a bad cell). */
  readonly text: (row: number) => string;
  private readonly cells: (row: number) => unknown;
  /** The 32-bit words of a 64-bit integer column, two per row. */
  private readonly words: Int32Array | undefined;
  private lastGroup: UnitGroup | undefined;
  private lastVariant = -1;
  /** The last cell looked up (at first the first cell, a cell like the others: comparing stays fast). */
  private lastCell: unknown;
  private lastLow = 0;
  private lastHigh = 0;
  private lastUnit = 0;

  constructor(reader: RowReader) {
    const column = reader.column('unit_id');
    this.text = reader.text('unit_id');
    this.cells = Array.isArray(column) ? (row) => column[row] : reader.cells('unit_id');
    this.words =
      column instanceof BigInt64Array || column instanceof BigUint64Array
        ? new Int32Array(column.buffer, column.byteOffset, column.length * 2)
        : undefined;
    this.lastCell = this.words === undefined && reader.length > 0 ? this.cells(0) : undefined;
  }

  /** Checks a row's unit id cell (throws the {@link DataError} of {@link RowReader.text} for a bad cell). */
  check(row: number): void {
    if (this.words !== undefined) return;
    const cell = this.cells(row);
    if (typeof cell !== 'string' && typeof cell !== 'number' && typeof cell !== 'bigint') this.text(row);
  }

  /**
   * The unit of a row's variant and unit id in a group (added when new): its number, or `~number` for a
   * new unit whose id the group first found in another variant.
   *
   * @throws {@link DataError} for a bad cell (as {@link UnitIds.check}), found where its key is taken.
   */
  unitOf(group: UnitGroup, variant: number, row: number): number {
    const sameUnit = group === this.lastGroup && variant === this.lastVariant;
    const words = this.words;
    let unit: number;
    if (words !== undefined) {
      const low = words[2 * row]!;
      const high = words[2 * row + 1]!;
      if (sameUnit && low === this.lastLow && high === this.lastHigh) return this.lastUnit;
      this.lastLow = low;
      this.lastHigh = high;
      unit = group.unitOfWords(variant, low, high);
    } else {
      const cell = this.cells(row);
      if (cell === this.lastCell && sameUnit) return this.lastUnit;
      this.lastCell = cell;
      unit = this.find(group, variant, cell, row);
    }
    this.lastGroup = group;
    this.lastVariant = variant;
    this.lastUnit = unit < 0 ? ~unit : unit;
    return unit;
  }

  /** {@link UnitIds.unitOf} by the key of a cell: its words for a canonical safe integer, else its text. */
  private find(group: UnitGroup, variant: number, cell: unknown, row: number): number {
    if (typeof cell === 'string') {
      const integer = canonicalInteger(cell);
      return Number.isNaN(integer) ? group.unitOfText(variant, cell) : group.unitOfInteger(variant, integer);
    }
    if (typeof cell === 'number' && Number.isSafeInteger(cell)) return group.unitOfInteger(variant, cell);
    if (typeof cell === 'bigint' && cell <= MAX_SAFE && cell >= -MAX_SAFE) {
      return group.unitOfInteger(variant, Number(cell));
    }
    return group.unitOfText(variant, this.text(row));
  }
}

/** The integer a text writes in canonical form within `Number.MAX_SAFE_INTEGER`, else NaN. */
function canonicalInteger(text: string): number {
  const length = text.length;
  if (length === 0 || length > 17) return Number.NaN;
  const negative = text.charCodeAt(0) === 45; // '-'
  let i = negative ? 1 : 0;
  if (i === length) return Number.NaN;
  if (text.charCodeAt(i) === 48) return length === 1 ? 0 : Number.NaN; // '0' alone; not '-0' or '01'
  let value = 0;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  if (value > Number.MAX_SAFE_INTEGER) return Number.NaN;
  return negative ? -value : value;
}
