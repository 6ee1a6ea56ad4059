import type { UnitArrays, UnitArrayType } from './unit-arrays.js';

/** Units a group has room for at least. */
const MIN_CAPACITY = 16;

const TWO_TO_32 = 2 ** 32;

/**
 * The units of one (unit type, aggregation type, dimension values) combination, numbered in the order first
 * found, with per-unit totals. A unit is a (variant, unit id) pair.
 *
 * @remarks
 * A unit id is keyed either by the two 32-bit words of a 64-bit integer (`unitOfWords`: an open-addressing
 * hash table of typed arrays, no object or string per unit) or by its text (`unitOfText`: a null-prototype
 * object); {@link UnitIds} decides which, so that one id always gets the same key. The index holds a unit id
 * once, for its first variant; the units of the same id in other variants are chained to it, so an id found
 * in one variant (the usual case) costs one look-up.
 *
 * While every id keyed by words comes with a larger integer than the one before (ids sorted ascending, as
 * data ordered by unit id gives them), each is a new unit and needs no look-up: the hash table is built only
 * when an id comes out of that order, from the units so far.
 *
 * Per-unit arrays have room for the expected units and grow by doubling beyond; until
 * {@link UnitGroup.trim}, `variantOf` and `totals` may be longer than `size`. They come from the
 * {@link UnitArrays} the group is given (fresh, or reused from an earlier evaluation).
 *
 * @internal
 */
export class UnitGroup {
  /** Number of units. */
  size = 0;
  /** Variant index of each unit. */
  variantOf: Int32Array;
  /**
   * Per-unit totals, `count` then `sum_value` for every member slot in order (see `slots`); undefined for
   * a column not kept.
   */
  readonly totals: (Float64Array | undefined)[];
  /** The id of each unit keyed by text (holes for units keyed by words). */
  private readonly texts: string[] = [];
  private textIndex: Record<string, number> = Object.create(null) as Record<string, number>;
  /** The low word of each unit keyed by words (allocated with the first such unit). */
  private lowWords = new Int32Array(0);
  /**
   * The high word of each unit keyed by words, allocated with the first that is not 0 (until then every high
   * word is 0: ids from 0 to 2^32 - 1 need no high words).
   */
  private highWords = new Int32Array(0);
  /** Whether every unit keyed by words came with a larger integer than the one before: no table yet. */
  private ascending = true;
  /** The words of the last unit keyed by words, while `ascending`. */
  private lastLow = 0;
  private lastHigh = 0;
  /** Hash table of unit + 1 (0: empty) by words, for units first found with their id (once not ascending). */
  private table = new Int32Array(0);
  /** Units first found with their words (in the table once it is built). */
  private tableUnits = 0;
  /** Unit to the next unit with the same id (in another variant). */
  private readonly sameId = new Map<number, number>();

  constructor(
    readonly unitType: string,
    /** Slot numbers of the goals of this group. */
    readonly slots: readonly number[],
    /** Whether each of `totals` is kept. */
    kept: readonly boolean[],
    /** Units to make room for (more may be added). */
    expectedUnits: number,
    private readonly arrays: UnitArrays,
  ) {
    const capacity = Math.max(MIN_CAPACITY, expectedUnits);
    this.variantOf = arrays.zeros(Int32Array, capacity);
    this.totals = kept.map((keep) => (keep ? arrays.zeros(Float64Array, capacity) : undefined));
  }

  /**
   * The unit of a variant and a unit id keyed by its text: its number, or `~number` (negative) for a new
   * unit whose id was first found in another variant.
   */
  unitOfText(variant: number, id: string): number {
    const first = this.textIndex[id];
    if (first !== undefined) return this.ofVariant(first, variant);
    const unit = this.add(variant);
    this.texts[unit] = id;
    this.textIndex[id] = unit;
    return unit;
  }

  /** {@link UnitGroup.unitOfText} for a unit id that is a safe integer, keyed by its words. */
  unitOfInteger(variant: number, integer: number): number {
    const low = integer | 0; // the integer modulo 2^32
    // Exact: the difference is a multiple of 2^32 within the safe integers.
    return this.unitOfWords(variant, low, ((integer - (low >>> 0)) / TWO_TO_32) | 0);
  }

  /** {@link UnitGroup.unitOfText} for a unit id keyed by the two 32-bit words `low` and `high`. */
  unitOfWords(variant: number, low: number, high: number): number {
    if (this.ascending) {
      if (
        this.tableUnits === 0 ||
        high > this.lastHigh ||
        (high === this.lastHigh && low >>> 0 > this.lastLow >>> 0)
      ) {
        // A larger integer than every id so far: a new unit.
        this.lastLow = low;
        this.lastHigh = high;
        const unit = this.size;
        if (unit < this.lowWords.length && high === 0) {
          // The usual case, without a call: room for it, and no high word to keep.
          this.variantOf[unit] = variant;
          this.lowWords[unit] = low;
          this.size = unit + 1;
          this.tableUnits++;
          return unit;
        }
        return this.addWords(variant, low, high);
      }
      this.ascending = false;
      this.rehash(2 ** Math.ceil(Math.log2(Math.max(this.variantOf.length, this.tableUnits) * 2)));
    }
    const mask = this.table.length - 1;
    let position = tablePosition(low, high) & mask;
    for (;;) {
      const entry = this.table[position]!;
      if (entry === 0) break;
      const unit = entry - 1;
      if (this.lowWords[unit] === low && this.highWord(unit) === high) return this.ofVariant(unit, variant);
      position = (position + 1) & mask;
    }
    const unit = this.addWords(variant, low, high);
    this.table[position] = unit + 1;
    if (this.tableUnits * 2 > this.table.length) this.rehash(this.table.length * 2);
    return unit;
  }

  /** A key of a unit's id, equal for two units of groups of one table exactly when their ids are. */
  idKey(unit: number): string {
    const text = this.texts[unit];
    return text === undefined ? `w${this.lowWords[unit]!},${this.highWord(unit)}` : `t${text}`;
  }

  /** Cuts the per-unit arrays to the units and drops the indexes: no unit can be added afterwards. */
  trim(): void {
    this.variantOf = this.trimmed(this.variantOf);
    this.totals.forEach((totals, t) => {
      if (totals !== undefined) this.totals[t] = this.trimmed(totals);
    });
    this.table = new Int32Array(0);
    this.textIndex = Object.create(null) as Record<string, number>;
  }

  /** A new unit first found with its words. */
  private addWords(variant: number, low: number, high: number): number {
    const unit = this.add(variant);
    this.setWords(unit, low, high);
    this.tableUnits++;
    return unit;
  }

  /** Sets the words of a new unit. */
  private setWords(unit: number, low: number, high: number): void {
    if (this.lowWords.length === 0) this.lowWords = this.arrays.zeros(Int32Array, this.variantOf.length);
    this.lowWords[unit] = low;
    if (high === 0) return;
    if (this.highWords.length === 0) this.highWords = this.arrays.zeros(Int32Array, this.variantOf.length);
    this.highWords[unit] = high;
  }

  /** The high word of a unit keyed by words. */
  private highWord(unit: number): number {
    return this.highWords.length === 0 ? 0 : this.highWords[unit]!;
  }

  /** The unit of `variant` among the units of the id of unit `first`, added when there is none. */
  private ofVariant(first: number, variant: number): number {
    let unit = first;
    for (;;) {
      if (this.variantOf[unit] === variant) return unit;
      const next = this.sameId.get(unit);
      if (next === undefined) break;
      unit = next;
    }
    const added = this.add(variant);
    const text = this.texts[first];
    if (text === undefined) {
      this.setWords(added, this.lowWords[first]!, this.highWord(first));
    } else {
      this.texts[added] = text;
    }
    this.sameId.set(unit, added);
    return ~added;
  }

  private add(variant: number): number {
    const unit = this.size;
    if (unit === this.variantOf.length) this.grow(unit * 2);
    this.variantOf[unit] = variant;
    this.size = unit + 1;
    return unit;
  }

  private grow(capacity: number): void {
    this.variantOf = this.resized(this.variantOf, Int32Array, capacity);
    this.totals.forEach((totals, t) => {
      if (totals !== undefined) this.totals[t] = this.resized(totals, Float64Array, capacity);
    });
    if (this.lowWords.length > 0) this.lowWords = this.resized(this.lowWords, Int32Array, capacity);
    if (this.highWords.length > 0) this.highWords = this.resized(this.highWords, Int32Array, capacity);
  }

  /** A copy of a per-unit array with room for `capacity` units. */
  private resized<T extends Float64Array | Int32Array>(
    values: T,
    type: UnitArrayType<T>,
    capacity: number,
  ): T {
    const copy = this.arrays.zeros(type, capacity);
    copy.set(values);
    return copy;
  }

  /**
   * A per-unit array cut to the units: a copy when much of it would be spare room, unless the arrays are
   * reused (their room is not lost).
   */
  private trimmed<T extends Float64Array | Int32Array>(values: T): T {
    const size = this.size;
    const copy = !this.arrays.reused && values.length > size + (size >> 2);
    return (copy ? values.slice(0, size) : values.subarray(0, size)) as T;
  }

  /** A hash table of `length` positions (a power of 2) holding every unit first found with its words. */
  private rehash(length: number): void {
    const table = this.arrays.zeros(Int32Array, length);
    const mask = table.length - 1;
    let units = 0;
    for (let unit = 0; unit < this.size; unit++) {
      if (this.texts[unit] !== undefined) continue;
      const low = this.lowWords[unit]!;
      const high = this.highWord(unit);
      let position = tablePosition(low, high) & mask;
      let found = false;
      for (;;) {
        const entry = table[position]!;
        if (entry === 0) break;
        if (this.lowWords[entry - 1] === low && this.highWord(entry - 1) === high) {
          found = true; // a later unit of an id already in the table (chained to its first unit)
          break;
        }
        position = (position + 1) & mask;
      }
      if (found) continue;
      table[position] = unit + 1;
      units++;
    }
    this.table = table;
    this.tableUnits = units;
  }
}

/**
 * The hash table position of two words: ids that differ only in the last 4 bits of `low` get neighbouring
 * positions (consecutive ids share cache lines), the rest a hash (the finalizer of MurmurHash3).
 */
function tablePosition(low: number, high: number): number {
  let hash = Math.imul(low >>> 4, 0x9e3779b1) ^ high;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) << 4) | (low & 15);
}
