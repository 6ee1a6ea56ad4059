import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DataError } from '../index.js';
import { CliError, inputError } from './cli-error.js';
import { parseJsonFile, readInputFile } from './read-input-file.js';

/** Goal rows read from a file: row objects, or (JSON only) an object of equally long column arrays. */
export type GoalRecords = readonly Record<string, unknown>[] | Readonly<Record<string, readonly unknown[]>>;

/** A goals file read into memory. */
export interface GoalsFile {
  /** The path as given on the command line. */
  readonly path: string;
  readonly format: 'csv' | 'json';
  /** The rows; cells of CSV files are strings (the evaluations accept decimal strings). */
  readonly records: GoalRecords;
  /** For CSV files, the 1-based line of the file that ends data row `row` (0-based); else `undefined`. */
  readonly lineOfRow: (row: number) => number | undefined;
}

interface CsvRecord {
  readonly record: Record<string, string>;
  readonly info: { readonly lines: number };
}

/**
 * Reads a goals file: CSV with a header row, or JSON (an array of row objects or an object of columns).
 *
 * @remarks
 * The format is taken from the extension (`.csv`, `.json`); for other names, text starting with `[` or `{`
 * is JSON and anything else CSV. CSV cells stay strings: numeric columns are parsed by the evaluation,
 * which reports the row and column of a cell that is not a number.
 *
 * @param path - Path of the file.
 * @returns The file's rows.
 * @throws {@link CliError} with exit code 2 when the file cannot be read, 1 when its content is malformed.
 */
export function readGoalsFile(path: string): GoalsFile {
  const text = readInputFile(path, '--goals');
  const extension = extname(path).toLowerCase();
  const json = extension === '.json' || (extension !== '.csv' && /^\s*[[{]/.test(text));
  if (json) {
    const records = jsonRecords(parseJsonFile(text, path), path);
    return { path, format: 'json', records, lineOfRow: () => undefined };
  }
  const rows = csvRecords(text, path);
  return {
    path,
    format: 'csv',
    records: rows.map((row) => row.record),
    lineOfRow: (row) => rows[row]?.info.lines,
  };
}

/**
 * The goal rows as row objects (an object of columns is turned into rows), for inputs that take rows only.
 *
 * @param records - Rows or columns.
 * @returns Row objects, one per row.
 */
export function recordsAsRows(records: GoalRecords): readonly Record<string, unknown>[] {
  if (Array.isArray(records)) return records as readonly Record<string, unknown>[];
  const columns = Object.entries(records as Readonly<Record<string, readonly unknown[]>>);
  const length = Math.max(0, ...columns.map(([, cells]) => cells.length));
  return Array.from({ length }, (_, row) =>
    Object.fromEntries(columns.map(([name, cells]) => [name, cells[row]])),
  );
}

/**
 * Describes where a {@link DataError} raised by the evaluation of a goals file is: the file, its line (CSV)
 * or row index (JSON) and the column.
 *
 * @param error - The error of the evaluation.
 * @param file - The goals file evaluated.
 * @returns An input error (exit code 1) naming the place and the problem.
 */
export function dataErrorInFile(error: DataError, file: GoalsFile): CliError {
  const parts: string[] = [];
  if (error.row !== undefined) {
    const line = file.lineOfRow(error.row);
    parts.push(line === undefined ? `row index ${error.row}` : `line ${line}`);
  }
  if (error.column !== undefined) parts.push(`column \`${error.column}\``);
  const place = parts.length > 0 ? ` ${parts.join(', ')}` : '';
  return inputError(`${file.path}${place}: ${error.reason}`, { cause: error });
}

function csvRecords(text: string, path: string): CsvRecord[] {
  try {
    return parse(text, {
      columns: (header: string[]) => checkedHeader(header, path),
      skip_empty_lines: true,
      info: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    if (error instanceof CliError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw inputError(`${path} is not valid CSV: ${reason}`, { cause: error });
  }
}

function checkedHeader(header: readonly string[], path: string): string[] {
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') throw inputError(`${path} line 1: the header has an empty column name`);
    if (seen.has(name)) throw inputError(`${path} line 1: the header names column \`${name}\` twice`);
    seen.add(name);
  }
  return [...header];
}

function jsonRecords(value: unknown, path: string): GoalRecords {
  if (Array.isArray(value)) {
    const index = value.findIndex((row) => row === null || typeof row !== 'object' || Array.isArray(row));
    if (index !== -1) throw inputError(`${path} row index ${index}: expected an object of column values`);
    return value as Record<string, unknown>[];
  }
  if (value !== null && typeof value === 'object') {
    for (const [name, cells] of Object.entries(value)) {
      if (!Array.isArray(cells)) {
        throw inputError(`${path} column \`${name}\`: expected an array of cells (an object of columns)`);
      }
    }
    return value as Record<string, unknown[]>;
  }
  throw inputError(`${path} must hold an array of goal rows or an object of columns`);
}
