import type { RowReader } from './row-reader.js';
import type { UnitGroup } from './unit-group.js';

const TWO_TO_32 = 2 ** 32;
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
 * @internal
 */
export class UnitIds {
  /** The text of a row's unit id (for messages; throws the {@link DataError} of a bad cell). */
  readonly text: (row: number) => string;
  private readonly cells: (row: number) => unknown;
  private readonly column: ArrayLike<unknown> | undefined;
  /** The 32-bit words of a 64-bit integer column, two per row. */
  private readonly words: Int32Array | undefined;
  private lastGroup: UnitGroup | undefined;
  private lastVariant = -1;
  private lastCell: unknown;
  private lastUnit = 0;
  // The key of the current cell: words when `text` is undefined.
  private low = 0;
  private high = 0;
  private keyText: string | undefined;

  constructor(reader: RowReader) {
    const column = reader.column('unit_id');
    this.column = column;
    this.text = reader.text('unit_id');
    this.cells = Array.isArray(column) ? (row) => column[row] : reader.cells('unit_id');
    this.words =
      column instanceof BigInt64Array || column instanceof BigUint64Array
        ? new Int32Array(column.buffer, column.byteOffset, column.length * 2)
        : undefined;
  }

  /** Whether every unit id cell is good (checked at once for column arrays; false for row objects). */
  allValid(): boolean {
    if (this.words !== undefined) return true;
    if (this.column === undefined) return false;
    for (let row = 0; row < this.column.length; row++) {
      const cell = this.column[row];
      if (typeof cell !== 'string' && typeof cell !== 'number' && typeof cell !== 'bigint') return false;
    }
    return true;
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
   */
  unitOf(group: UnitGroup, variant: number, row: number): number {
    const sameUnit = group === this.lastGroup && variant === this.lastVariant;
    let unit: number;
    if (this.words !== undefined) {
      const low = this.words[2 * row]!;
      const high = this.words[2 * row + 1]!;
      if (sameUnit && low === this.low && high === this.high) return this.lastUnit;
      this.low = low;
      this.high = high;
      unit = group.unitOfWords(variant, low, high);
    } else {
      const cell = this.cells(row);
      // Rows of one unit usually come together.
      if (sameUnit && cell === this.lastCell) return this.lastUnit;
      this.lastCell = cell;
      this.key(cell, row);
      unit =
        this.keyText === undefined
          ? group.unitOfWords(variant, this.low, this.high)
          : group.unitOfText(variant, this.keyText);
    }
    this.lastGroup = group;
    this.lastVariant = variant;
    this.lastUnit = unit < 0 ? ~unit : unit;
    return unit;
  }

  /** Sets the key of a cell: `low` and `high` for a canonical safe integer, else `keyText`. */
  private key(cell: unknown, row: number): void {
    let integer = Number.NaN;
    if (typeof cell === 'number') {
      if (Number.isSafeInteger(cell)) integer = cell;
    } else if (typeof cell === 'string') {
      integer = canonicalInteger(cell);
    } else if (typeof cell === 'bigint') {
      if (cell <= MAX_SAFE && cell >= -MAX_SAFE) integer = Number(cell);
    }
    if (Number.isNaN(integer)) {
      this.keyText = typeof cell === 'string' ? cell : this.text(row);
      return;
    }
    this.keyText = undefined;
    this.low = integer | 0; // the integer modulo 2^32
    this.high = Math.floor(integer / TWO_TO_32);
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
