import { escapeMarkup } from '../index.js';
/** Output formats of the evaluation's human-readable report. */
export type ReportFormat = 'table' | 'markdown' | 'html';

/** A cell of a {@link TextTable}; `tone` colours it (terminal with colour, HTML). */
export interface TextCell {
  readonly text: string;
  readonly tone?: 'good' | 'bad';
}

/** A small table of labels and numbers (checks, exposures, sample sizes). */
export interface TextTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly TextCell[])[];
  /** How many leading columns hold labels (left-aligned); the others hold numbers (right-aligned). */
  readonly labelColumns: number;
}

const GAP = '  ';
const TONES = { good: '\x1b[32m', bad: '\x1b[31m' } as const;
const RESET = '\x1b[0m';
const HTML_COLORS = { good: 'green', bad: 'red' } as const;

/**
 * Renders a {@link TextTable} as aligned terminal text, a Markdown table or an HTML `<table>`.
 *
 * @param table - The table.
 * @param format - Output format.
 * @param color - For `table`: colour toned cells with ANSI escapes.
 * @returns The rendered table, without a trailing newline.
 */
export function renderTextTable(table: TextTable, format: ReportFormat, color: boolean): string {
  if (format === 'markdown') return markdown(table);
  if (format === 'html') return html(table);
  return terminal(table, color);
}

function terminal(table: TextTable, color: boolean): string {
  const widths = table.headers.map((header, index) =>
    Math.max(width(header), ...table.rows.map((row) => width(row[index]?.text ?? ''))),
  );
  const align = (cell: TextCell, index: number) => {
    const padding = ' '.repeat(Math.max(0, (widths[index] ?? 0) - width(cell.text)));
    const text = color && cell.tone !== undefined ? `${TONES[cell.tone]}${cell.text}${RESET}` : cell.text;
    return index < table.labelColumns ? `${text}${padding}` : `${padding}${text}`;
  };
  const lines = [
    table.headers.map((header, index) => align({ text: header }, index)).join(GAP),
    widths.map((columnWidth) => '-'.repeat(columnWidth)).join(GAP),
    ...table.rows.map((row) => row.map(align).join(GAP)),
  ];
  return lines.map((line) => line.trimEnd()).join('\n');
}

function markdown(table: TextTable): string {
  const escapeCell = (text: string) => text.replace(/\r\n|\r|\n/g, ' ').replaceAll('|', '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const delimiter = table.headers.map((_, index) => (index < table.labelColumns ? ':---' : '---:'));
  return [
    line(table.headers),
    `| ${delimiter.join(' | ')} |`,
    ...table.rows.map((row) => line(row.map((cell) => cell.text))),
  ].join('\n');
}

function html(table: TextTable): string {
  const headers = table.headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const rows = table.rows.map((row) => {
    const cells = row.map((cell, index) => {
      const align = index < table.labelColumns ? '' : ' style="text-align: right"';
      const style =
        cell.tone === undefined
          ? align
          : ` style="${index < table.labelColumns ? '' : 'text-align: right; '}color: ${HTML_COLORS[cell.tone]}"`;
      return `<td${style}>${escapeHtml(cell.text)}</td>`;
    });
    return `    <tr>${cells.join('')}</tr>`;
  });
  return [
    '<table>',
    '  <thead>',
    `    <tr>${headers}</tr>`,
    '  </thead>',
    '  <tbody>',
    ...rows,
    '  </tbody>',
    '</table>',
  ].join('\n');
}

/** Escapes text for HTML (the core's `escapeMarkup`). */
export const escapeHtml = escapeMarkup;

/** Display width: the number of code points. */
function width(text: string): number {
  return [...text].length;
}
