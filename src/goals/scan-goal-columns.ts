import type { GoalSlotIndex } from './goal-match-key.js';
import { GoalNamesSeen } from './goal-names-seen.js';
import type { GoalCell } from './goal-rows.js';
import type { RowReader } from './row-reader.js';
import type { GoalRowScan, GoalRowScanSummary } from './scan-goal-rows.js';

/** A value no cell holds, so that the first row of a column is never taken for a repetition. */
const NO_CELL = Symbol('no cell');

/** The texts of one text column's cells, numbered in the order first found. */
class CellCodes {
  readonly texts: string[] = [];
  private readonly codes = new Map<GoalCell, number>();
  lastCell: unknown = NO_CELL;
  lastCode = 0;

  constructor(
    readonly cells: ArrayLike<GoalCell>,
    private readonly read: (row: number) => string,
  ) {}

  /** The number of a row's cell, converted (and checked) by `read` the first time the cell is found. */
  code(row: number): number {
    const cell = this.cells[row];
    if (cell === this.lastCell) return this.lastCode;
    let code = this.codes.get(cell);
    if (code === undefined) {
      const text = this.read(row);
      code = this.texts.length;
      this.texts.push(text);
      this.codes.set(cell, code);
    }
    this.lastCell = cell;
    this.lastCode = code;
    return code;
  }
}

/** Nested arrays indexed by the codes of a row's key cells; the leaves are entry numbers. */
type CodeTrie = (CodeTrie | number | undefined)[];

/**
 * {@link scanGoalRows} for column arrays: the same visits, summary and errors, faster.
 *
 * @remarks
 * Each text column's cells are converted and checked once per distinct cell rather than once per row (a cell
 * equal to one already read has the same text and cannot fail), in the order {@link scanGoalRows} reads them,
 * so the first bad cell gives the same error. A row's goal slot is found once per distinct combination of
 * unit type, aggregation type, goal and dimension cells, through nested arrays of their numbers.
 *
 * @throws {@link DataError} as {@link scanGoalRows} does.
 * @internal
 */
export function scanGoalColumns(
  reader: RowReader,
  slots: GoalSlotIndex,
  scan: GoalRowScan,
  visit: (row: number, variant: number, slot: number | undefined, isExposure: boolean) => void,
): GoalRowScanSummary {
  const variantIndex = new Map<string, number>();
  scan.variants.forEach((variant, index) => {
    if (!variantIndex.has(variant)) variantIndex.set(variant, index);
  });
  const codes = (name: string, read: (row: number) => string) =>
    new CellCodes(reader.column(name) ?? [], read);
  const expIds =
    scan.expId !== undefined && reader.column('exp_id') !== undefined
      ? codes('exp_id', reader.optionalText('exp_id'))
      : undefined;
  const variants = codes('exp_variant_id', reader.text('exp_variant_id'));
  const unitTypes = codes('unit_type', reader.text('unit_type'));
  const aggTypes = codes('agg_type', reader.text('agg_type'));
  const goals = codes('goal', reader.text('goal'));
  // The distinct dimensions that have a column (a missing column is empty in every row).
  const dimensions = scan.dimensions.flatMap((name, d) =>
    slots.dimensionNumber(name) === d && reader.column(name) !== undefined
      ? [{ d, codes: codes(name, reader.optionalText(name)) }]
      : [],
  );
  const trie: CodeTrie = [];
  const entrySlot: (number | undefined)[] = [];
  const entryIsExposure: boolean[] = [];
  const entryNamed: boolean[] = [];
  const indices: number[] = [];
  const dimensionValues: string[] = [];
  const names = new GoalNamesSeen();
  let foreign = 0;
  let otherVariant = 0;
  let exposureRows = 0;

  /** The entry of a combination of cells met for the first time. */
  const newEntry = (unitType: string, aggType: string, goalName: string, keyCodes: readonly number[]) => {
    let length = 0;
    dimensions.forEach(({ d, codes: dimension }, k) => {
      const value = dimension.texts[keyCodes[3 + k]!]!;
      if (value === '') return;
      indices[length] = d;
      dimensionValues[length] = value;
      length++;
    });
    entrySlot.push(slots.lookup(unitType, aggType, goalName, indices, dimensionValues, length));
    entryIsExposure.push(
      scan.exposureUnitType !== undefined &&
        unitType === scan.exposureUnitType &&
        aggType === scan.exposureAggType &&
        goalName === 'exposure',
    );
    entryNamed.push(false);
    return entrySlot.length - 1;
  };
  const keyCodes: number[] = [];
  // Variant index of each code of `variants` (-1 for a variant not read).
  const variantOfCode: number[] = [];

  for (let row = 0; row < reader.length; row++) {
    if (expIds !== undefined) {
      const expId = expIds.texts[expIds.code(row)]!;
      if (expId !== '' && expId !== scan.expId) {
        foreign++;
        continue;
      }
    }
    const variantCode = variants.code(row);
    let variant = variantOfCode[variantCode];
    if (variant === undefined) {
      variant = variantIndex.get(variants.texts[variantCode]!) ?? -1;
      variantOfCode[variantCode] = variant;
    }
    keyCodes[0] = unitTypes.code(row);
    keyCodes[1] = aggTypes.code(row);
    keyCodes[2] = goals.code(row);
    if (variant < 0) {
      otherVariant++;
      continue;
    }
    for (let k = 0; k < dimensions.length; k++) keyCodes[3 + k] = dimensions[k]!.codes.code(row);
    let node = trie;
    const last = keyCodes.length - 1;
    for (let k = 0; k < last; k++) {
      const code = keyCodes[k]!;
      let next = node[code];
      if (next === undefined) {
        next = [];
        node[code] = next;
      }
      node = next as CodeTrie;
    }
    let entry = node[keyCodes[last]!] as number | undefined;
    if (entry === undefined) {
      entry = newEntry(
        unitTypes.texts[keyCodes[0]!]!,
        aggTypes.texts[keyCodes[1]!]!,
        goals.texts[keyCodes[2]!]!,
        keyCodes,
      );
      node[keyCodes[last]!] = entry;
    }
    const slot = entrySlot[entry];
    const isExposure = entryIsExposure[entry]!;
    if (slot === undefined && !entryNamed[entry]) {
      entryNamed[entry] = true;
      names.add(unitTypes.texts[keyCodes[0]!]!, aggTypes.texts[keyCodes[1]!]!, goals.texts[keyCodes[2]!]!);
    }
    if (isExposure) exposureRows++;
    if (slot !== undefined || isExposure) visit(row, variant, slot, isExposure);
  }
  return {
    foreignRows: foreign,
    otherVariantRows: otherVariant,
    rows: reader.length - foreign - otherVariant,
    exposureRows,
    names,
  };
}
