import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError } from '../index.js';
import { packageDataFolder } from './package-data-folder.js';

/** Text a spreadsheet writes for a value it does not give. */
const NOT_AVAILABLE = 'N/A';

/** Cells read as NaN: pandas' default missing-value markers. */
const MISSING = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

/**
 * Reads one CSV file of the bundled reference test data into rows keyed by the header (in header order).
 *
 * @remarks
 * Cells of the columns in `textColumns` stay text (an empty cell is `''`); every other cell becomes a
 * number, with `N/A`, `NA` and empty cells (pandas' missing-value markers) read as NaN and `inf` / `-inf` as infinities (as pandas reads them).
 *
 * @param file - File name inside the data folder, e.g. `goals_agg.csv`.
 * @param textColumns - Columns that hold text (ids, names, dimension values, dates).
 * @param expId - When given, only rows whose `exp_id` column (or else first column) equals it.
 * @returns Fresh row objects; changing them changes nothing else.
 * @throws `DataError` for a non-numeric cell in a numeric column.
 *
 * @internal
 */
export function readDataCsv(
  file: string,
  textColumns: ReadonlySet<string> | ((column: string, position: number) => boolean),
  expId?: string,
): Record<string, string | number>[] {
  const [header, ...body] = recordsOf(file);
  if (header === undefined) return [];
  const isText =
    typeof textColumns === 'function' ? textColumns : (column: string) => textColumns.has(column);
  const text = header.map((column, position) => isText(column, position));
  const idPosition = header.includes('exp_id') ? header.indexOf('exp_id') : 0;
  const rows: Record<string, string | number>[] = [];
  body.forEach((record, index) => {
    if (expId !== undefined && record[idPosition] !== expId) return;
    const row: Record<string, string | number> = {};
    header.forEach((column, position) => {
      const cell = record[position] ?? '';
      row[column] = text[position] ? cell : numberOf(cell, file, index, column);
    });
    rows.push(row);
  });
  return rows;
}

/** The cells of each bundled file, read and parsed once per process (the files are part of the package). */
const RECORDS = new Map<string, readonly string[][]>();

function recordsOf(file: string): readonly string[][] {
  let records = RECORDS.get(file);
  if (records === undefined) {
    const text = readFileSync(join(packageDataFolder(), file), 'utf8');
    records = parse(text, { skip_empty_lines: true }) as string[][];
    RECORDS.set(file, records);
  }
  return records;
}

function numberOf(cell: string, file: string, row: number, column: string): number {
  const trimmed = cell.trim();
  if (MISSING.has(trimmed)) return Number.NaN;
  if (trimmed === 'inf') return Number.POSITIVE_INFINITY;
  if (trimmed === '-inf') return Number.NEGATIVE_INFINITY;
  const value = Number(trimmed);
  if (Number.isNaN(value)) {
    throw new DataError(`${file}: expected a number or ${NOT_AVAILABLE}, found ${JSON.stringify(cell)}`, {
      row,
      column,
    });
  }
  return value;
}
