import type { FormattedWideTable } from './format-wide-table.js';
import { metricColumnGroups } from './metric-column-groups.js';

/**
 * Options of {@link renderTerminalTable}.
 *
 * @example
 * ```ts
 * import type { TerminalTableOptions } from 'ep-stats';
 * const options: TerminalTableOptions = { color: process.stdout.isTTY === true };
 * typeof options.color; // => 'boolean'
 * ```
 * @public
 */
export interface TerminalTableOptions {
  /** Colour p-values with ANSI escapes: green when significant, red otherwise. Default false. */
  readonly color?: boolean;
}

const GAP = '  ';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

/**
 * Renders a formatted wide table as plain text with aligned columns, for a terminal or a log.
 *
 * @remarks
 * The first line holds the metric names above their columns, the second the column labels, the third a rule;
 * then one line per variant. Identifying columns are left-aligned, values right-aligned, columns separated by
 * two spaces; widths count code points. With `color: true` each p-value is wrapped in ANSI colour escapes,
 * green (`\x1b[32m`) when significant and red (`\x1b[31m`) otherwise. Lines carry no trailing spaces and the
 * text does not end with a newline.
 *
 * @param table - The table from {@link formatWideTable}.
 * @param options - `color`, default false.
 * @returns The table as text.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { WIDE_STATISTICS, formatWideTable, renderTerminalTable } from 'ep-stats';
 * const table = formatWideTable(
 *   {
 *     columns: WIDE_STATISTICS.map((statistic) => ({ metricId: 1, metricName: 'CTR', statistic })),
 *     rows: [{ expId: 'ctr', expVariantId: 'b', values: [0.2692, 0.1308, -1.051, 1.3126, 0.8244735669] }],
 *   },
 *   [{ id: 1, metricFormat: '{:.2%}', metricValueMultiplier: 1 }],
 * );
 * const lines = renderTerminalTable(table).split('\n');
 * lines[0]; // => '                        CTR'
 * lines[1]; // => 'Experiment Id  Variant    Mean  Impact  Conf. interval lower bound  Conf. interval upper bound  p-value'
 * lines[3]; // => 'ctr            B        26.92%  +13.1%                     -105.1%                     +131.3%    0.824'
 * renderTerminalTable(table, { color: true }).endsWith('\x1b[31m0.824\x1b[0m'); // => true
 * ```
 * @public
 */
export function renderTerminalTable(table: FormattedWideTable, options: TerminalTableOptions = {}): string {
  const indexCount = table.indexLabels.length;
  const header = [...table.indexLabels, ...table.columns.map((column) => column.label)];
  const body = table.rows.map((row) => [row.expId, row.variantLabel, ...row.cells.map((cell) => cell.text)]);
  const widths = header.map((label, index) =>
    Math.max(width(label), ...body.map((cells) => width(cells[index] ?? ''))),
  );
  const groups = metricColumnGroups(table.columns).map((group) => ({
    ...group,
    start: group.start + indexCount,
  }));
  for (const group of groups) {
    const span = spanWidth(widths, group.start, group.count);
    const last = group.start + group.count - 1;
    widths[last] = (widths[last] ?? 0) + Math.max(0, width(group.metricName) - span);
  }

  const lines: string[] = [];
  const indexSpan = spanWidth(widths, 0, indexCount);
  lines.push(
    [
      ' '.repeat(indexSpan),
      ...groups.map((group) => padEnd(group.metricName, spanWidth(widths, group.start, group.count))),
    ].join(GAP),
  );
  const align = (text: string, index: number) =>
    index < indexCount ? padEnd(text, widths[index]!) : padStart(text, widths[index]!);
  lines.push(header.map(align).join(GAP));
  lines.push(widths.map((columnWidth) => '-'.repeat(columnWidth)).join(GAP));
  for (const row of table.rows) {
    const identifiers = [row.expId, row.variantLabel].map(align);
    const values = row.cells.map((cell, offset) => {
      const index = offset + indexCount;
      if (!options.color || cell.significant === undefined) return align(cell.text, index);
      const padding = ' '.repeat(Math.max(0, widths[index]! - width(cell.text)));
      return `${padding}${cell.significant ? GREEN : RED}${cell.text}${RESET}`;
    });
    lines.push([...identifiers, ...values].join(GAP));
  }
  return lines.map((line) => line.trimEnd()).join('\n');
}

/** Display width: the number of code points. */
function width(text: string): number {
  return [...text].length;
}

function spanWidth(widths: readonly number[], start: number, count: number): number {
  let total = GAP.length * Math.max(0, count - 1);
  for (let index = start; index < start + count; index += 1) total += widths[index] ?? 0;
  return total;
}

function padEnd(text: string, columnWidth: number): string {
  return `${text}${' '.repeat(Math.max(0, columnWidth - width(text)))}`;
}

function padStart(text: string, columnWidth: number): string {
  return `${' '.repeat(Math.max(0, columnWidth - width(text)))}${text}`;
}
