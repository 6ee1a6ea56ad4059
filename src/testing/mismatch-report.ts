import { ValidationError } from '../index.js';
import type { AssertEvaluationOptions, ExpectedRow } from './expected-row.js';

/** Default absolute tolerance (the reference's tests: `atol = 10 ** -3`). */
export const DEFAULT_TOLERANCE = 1e-3;

/** Columns compared with ten times the tolerance (the reference's tests: p-values and intervals). */
const LOOSE_COLUMNS: ReadonlySet<string> = new Set(['p_value', 'confidence_interval']);

/**
 * Collects the differences between an evaluation and expected rows; {@link MismatchReport.throwIfAny}
 * throws one `Error` listing all of them.
 *
 * @internal
 */
export class MismatchReport {
  readonly lines: string[] = [];
  compared = 0;
  readonly #tolerance: number;

  constructor(options: AssertEvaluationOptions = {}) {
    const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
    if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
      throw new ValidationError(
        `\`tolerance\` must be a finite number >= 0, received ${String(options.tolerance)}`,
        ['tolerance'],
      );
    }
    this.#tolerance = tolerance;
  }

  /** Records a problem that is not a numeric difference (a missing row, a missing metric). */
  add(line: string): void {
    this.lines.push(line);
  }

  /**
   * Compares one cell: NaN (or `N/A`) only matches NaN, infinities only themselves, finite numbers within
   * the tolerance (ten times it for p-values and confidence intervals).
   */
  compare(label: string, column: string, actual: number, expectedCell: unknown): void {
    const expected = expectedNumber(expectedCell, `${label}, ${column}`);
    const tolerance = LOOSE_COLUMNS.has(column) ? this.#tolerance * 10 : this.#tolerance;
    this.compared++;
    if (Number.isNaN(expected) || !Number.isFinite(expected)) {
      if (Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected))) return;
      this.lines.push(`${label}, ${column}: expected ${expected}, actual ${actual}`);
      return;
    }
    const delta = Math.abs(actual - expected);
    if (delta <= tolerance) return;
    const shown = Number.isNaN(delta) ? 'NaN' : delta.toPrecision(3);
    this.lines.push(
      `${label}, ${column}: expected ${expected}, actual ${actual}, delta ${shown} > tolerance ${tolerance}`,
    );
  }

  /** Throws an `Error` listing every recorded problem (or saying that nothing was compared). */
  throwIfAny(what: string, expId: string): void {
    if (this.lines.length === 0 && this.compared === 0) {
      this.lines.push(`nothing compared: no expected ${what} rows of experiment ${expId}`);
    }
    if (this.lines.length === 0) return;
    const count = this.lines.length === 1 ? '1 mismatch' : `${this.lines.length} mismatches`;
    throw new Error(
      `${what} of experiment ${expId} differ from the expected rows (${count}):\n` +
        this.lines.map((line) => `  - ${line}`).join('\n'),
    );
  }
}

/**
 * A numeric cell of an expected row as a number: numbers as they are; `N/A`, `NaN`, empty text, `null` and
 * `undefined` as NaN; `Infinity` / `-Infinity` (also `inf`); other text parsed as a decimal number.
 *
 * @throws `Error` for text that is not a number.
 * @internal
 */
export function expectedNumber(cell: unknown, where: string): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'bigint') return Number(cell);
  if (cell === null || cell === undefined) return Number.NaN;
  const text = String(cell).trim();
  const lower = text.toLowerCase();
  if (lower === '' || lower === 'n/a' || lower === 'nan') return Number.NaN;
  if (lower === 'infinity' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-infinity' || lower === '-inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (Number.isNaN(value))
    throw new Error(`${where}: the expected value ${JSON.stringify(cell)} is not a number`);
  return value;
}

/**
 * An expected row with its column names normalised: lower case, runs of spaces as `_`
 * (`degrees of freedom` -> `degrees_of_freedom`).
 *
 * @internal
 */
export function normalizedRow(row: ExpectedRow): Map<string, unknown> {
  return new Map(
    Object.entries(row).map(([column, cell]) => [column.trim().toLowerCase().replace(/\s+/g, '_'), cell]),
  );
}

/**
 * The expected rows of one experiment: rows whose `exp_id` is `expId`, and rows without an `exp_id` (no
 * such column, or `null`).
 *
 * @internal
 */
export function rowsOfExperiment(rows: readonly ExpectedRow[], expId: string): Map<string, unknown>[] {
  return rows
    .map(normalizedRow)
    .filter((row) => !row.has('exp_id') || row.get('exp_id') === null || String(row.get('exp_id')) === expId);
}

/**
 * Text of an identifying cell (`metric_id`, `exp_variant_id`, ...).
 *
 * @throws `Error` when the expected row lacks the column.
 * @internal
 */
export function idOf(row: ReadonlyMap<string, unknown>, column: string, what: string): string {
  const cell = row.get(column);
  if (cell === undefined || cell === null || cell === '') {
    throw new Error(`every expected ${what} row needs a \`${column}\` column; found a row without it`);
  }
  return String(cell);
}
