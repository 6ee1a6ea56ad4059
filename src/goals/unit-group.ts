/** Units a group has room for at least. */
const MIN_CAPACITY = 16;

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
 * Per-unit arrays have room for the expected units and grow by doubling beyond; until
 * {@link UnitGroup.trim}, `variantOf` and `totals` may be longer than `size`.
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
  private lowWords = new Int32Array(0);
  private highWords = new Int32Array(0);
  /** Hash table of unit + 1 (0: empty) by words, for units first found with their id. */
  private table = new Int32Array(0);
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
  ) {
    const capacity = Math.max(MIN_CAPACITY, expectedUnits);
    this.variantOf = new Int32Array(capacity);
    this.totals = kept.map((keep) => (keep ? new Float64Array(capacity) : undefined));
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

  /** {@link UnitGroup.unitOfText} for a unit id keyed by the two 32-bit words `low` and `high`. */
  unitOfWords(variant: number, low: number, high: number): number {
    if (this.table.length === 0) this.allocateWords();
    const mask = this.table.length - 1;
    let position = tablePosition(low, high) & mask;
    for (;;) {
      const entry = this.table[position]!;
      if (entry === 0) break;
      const unit = entry - 1;
      if (this.lowWords[unit] === low && this.highWords[unit] === high) return this.ofVariant(unit, variant);
      position = (position + 1) & mask;
    }
    const unit = this.add(variant);
    this.lowWords[unit] = low;
    this.highWords[unit] = high;
    this.table[position] = unit + 1;
    this.tableUnits++;
    if (this.tableUnits * 2 > this.table.length) this.rehash();
    return unit;
  }

  /** A key of a unit's id, equal for two units of groups of one table exactly when their ids are. */
  idKey(unit: number): string {
    const text = this.texts[unit];
    return text === undefined ? `w${this.lowWords[unit]!},${this.highWords[unit]!}` : `t${text}`;
  }

  /** Cuts the per-unit arrays to the units and drops the indexes: no unit can be added afterwards. */
  trim(): void {
    this.variantOf = trimmed(this.variantOf, this.size);
    this.totals.forEach((totals, t) => {
      if (totals !== undefined) this.totals[t] = trimmed(totals, this.size);
    });
    this.table = new Int32Array(0);
    this.textIndex = Object.create(null) as Record<string, number>;
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
      this.lowWords[added] = this.lowWords[first]!;
      this.highWords[added] = this.highWords[first]!;
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
    this.variantOf = resized(this.variantOf, capacity);
    this.totals.forEach((totals, t) => {
      if (totals !== undefined) this.totals[t] = resized(totals, capacity);
    });
    if (this.table.length > 0) {
      this.lowWords = resized(this.lowWords, capacity);
      this.highWords = resized(this.highWords, capacity);
    }
  }

  /** The words of every unit and a hash table at most half full, for as many units as there is room for. */
  private allocateWords(): void {
    const capacity = this.variantOf.length;
    this.lowWords = new Int32Array(capacity);
    this.highWords = new Int32Array(capacity);
    this.table = new Int32Array(2 ** Math.ceil(Math.log2(capacity * 2)));
  }

  /** Doubles the hash table and inserts every unit first found with its words again. */
  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    let units = 0;
    for (let unit = 0; unit < this.size; unit++) {
      if (this.texts[unit] !== undefined) continue;
      const low = this.lowWords[unit]!;
      const high = this.highWords[unit]!;
      let position = tablePosition(low, high) & mask;
      let found = false;
      for (;;) {
        const entry = table[position]!;
        if (entry === 0) break;
        if (this.lowWords[entry - 1] === low && this.highWords[entry - 1] === high) {
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

/** A per-unit array cut to `size` units (a copy when much of it would be spare room). */
function trimmed<T extends Float64Array | Int32Array>(values: T, size: number): T {
  return (values.length > size + (size >> 2) ? values.slice(0, size) : values.subarray(0, size)) as T;
}

function resized<T extends Float64Array | Int32Array>(values: T, capacity: number): T {
  const copy = new (values.constructor as new (length: number) => T)(capacity);
  copy.set(values);
  return copy;
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
