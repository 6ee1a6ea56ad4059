import type { GoalSlotIndex } from './goal-match-key.js';
import { GoalNamesSeen } from './goal-names-seen.js';
import type { GoalCell } from './goal-rows.js';
import { RowReader } from './row-reader.js';
import type { GoalRowScan, GoalRowScanSummary } from './scan-goal-rows.js';

/** How many distinct cells of a column are found by identity (`===`) before its map is searched. */
const FEW_CELLS = 8;

/** The texts of one text column's cells, numbered in the order first found. */
class CellCodes {
  readonly texts: string[] = [];
  /**
   * The first distinct cells, whose numbers are their positions: a column of a few values (variants, goal
   * names) finds its cells by comparing them, which is faster than hashing them.
   */
  private readonly few: GoalCell[] = [];
  /** The numbers of the other cells. */
  private readonly codes = new Map<GoalCell, number>();
  /**
   * The last cell found and its number (-1 until a cell is found). It starts as the first cell, a cell like
   * the others (not a marker of another type), so that comparing cells stays as fast as the cells allow.
   */
  private lastCell: GoalCell;
  private lastCode = -1;

  constructor(
    readonly cells: ArrayLike<GoalCell>,
    private readonly read: (row: number) => string,
  ) {
    this.lastCell = cells[0];
  }

  /** The number of a row's cell, converted (and checked) by `read` the first time the cell is found. */
  code(row: number): number {
    const cell = this.cells[row];
    if (cell === this.lastCell && this.lastCode >= 0) return this.lastCode;
    const code = this.find(cell, row);
    this.lastCell = cell;
    this.lastCode = code;
    return code;
  }

  private find(cell: GoalCell, row: number): number {
    const few = this.few;
    for (let code = 0; code < few.length; code++) if (few[code] === cell) return code;
    let code = this.codes.get(cell);
    if (code === undefined) {
      const text = this.read(row);
      code = this.texts.length;
      this.texts.push(text);
      // A cell unequal to itself (NaN) is found by the map only; the few cells end at the first such cell.
      if (code === few.length && code < FEW_CELLS && !Number.isNaN(cell)) few.push(cell);
      else this.codes.set(cell, code);
    }
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
 * unit type, aggregation type, goal and dimension cells, through nested arrays of their numbers (the node of
 * the unit type and aggregation type, which rarely change, is kept from row to row).
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

  /** The entry of a combination of cells met for the first time (`dimensionCodes`: the dimensions' codes). */
  const newEntry = (
    unitType: string,
    aggType: string,
    goalName: string,
    dimensionCodes: readonly number[],
  ) => {
    let length = 0;
    dimensions.forEach(({ d, codes: dimension }, k) => {
      const value = dimension.texts[dimensionCodes[k]!]!;
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
  const dimensionCodes: number[] = [];
  // Variant index of each code of `variants` (-1 for a variant not read).
  const variantOfCode: number[] = [];
  // The node of the last row's unit type and aggregation type, which rarely change from row to row.
  let prefixUnitType = -1;
  let prefixAggType = -1;
  let prefix: CodeTrie = trie;

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
    const unitTypeCode = unitTypes.code(row);
    const aggTypeCode = aggTypes.code(row);
    const goalCode = goals.code(row);
    if (variant < 0) {
      otherVariant++;
      continue;
    }
    if (unitTypeCode !== prefixUnitType || aggTypeCode !== prefixAggType) {
      prefix = child(child(trie, unitTypeCode), aggTypeCode);
      prefixUnitType = unitTypeCode;
      prefixAggType = aggTypeCode;
    }
    let node = prefix;
    let code = goalCode;
    for (let k = 0; k < dimensions.length; k++) {
      node = child(node, code);
      code = dimensions[k]!.codes.code(row);
      dimensionCodes[k] = code;
    }
    let entry = node[code] as number | undefined;
    if (entry === undefined) {
      entry = newEntry(
        unitTypes.texts[unitTypeCode]!,
        aggTypes.texts[aggTypeCode]!,
        goals.texts[goalCode]!,
        dimensionCodes,
      );
      node[code] = entry;
    }
    const slot = entrySlot[entry];
    const isExposure = entryIsExposure[entry]!;
    if (slot === undefined && !entryNamed[entry]) {
      entryNamed[entry] = true;
      names.add(unitTypes.texts[unitTypeCode]!, aggTypes.texts[aggTypeCode]!, goals.texts[goalCode]!);
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

/** The node under `code` of a trie node, added when missing. */
function child(node: CodeTrie, code: number): CodeTrie {
  let next = node[code];
  if (next === undefined) {
    next = [];
    node[code] = next;
  }
  return next as CodeTrie;
}

/**
 * `variantsOfRows` for column arrays: the same variants (the sorted, unique variant ids of the rows of the
 * experiment, plus the control) and the same errors, faster.
 *
 * @remarks
 * The `exp_id` and `exp_variant_id` cells are converted and checked once per distinct cell, in the order
 * `variantsOfRows` reads them (a row of another experiment has its variant not read), so the first bad cell
 * gives the same error.
 *
 * @throws {@link DataError} as `variantsOfRows` does.
 * @internal
 */
export function variantsOfColumns(goals: unknown, expId: string, controlVariant: string): string[] {
  const reader = new RowReader(goals, ['exp_variant_id']);
  const expIdCells = reader.column('exp_id');
  const expIds =
    expIdCells === undefined ? undefined : new CellCodes(expIdCells, reader.optionalText('exp_id'));
  const variants = new CellCodes(reader.column('exp_variant_id') ?? [], reader.text('exp_variant_id'));
  // Whether each code of `expIds` is another experiment's.
  const foreign: boolean[] = [];
  for (let row = 0; row < reader.length; row++) {
    if (expIds !== undefined) {
      const code = expIds.code(row);
      let ofOther = foreign[code];
      if (ofOther === undefined) {
        const text = expIds.texts[code]!;
        ofOther = text !== '' && text !== expId;
        foreign[code] = ofOther;
      }
      if (ofOther) continue;
    }
    variants.code(row);
  }
  return [...new Set([controlVariant, ...variants.texts])].sort();
}
