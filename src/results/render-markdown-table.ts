import type { FormattedWideTable } from './format-wide-table.js';

/**
 * Renders a formatted wide table as a GitHub-flavoured Markdown table.
 *
 * @remarks
 * One header row (`Experiment Id`, `Variant`, then `<metric name>: <label>` per column), a delimiter row
 * (identifying columns left-aligned, values right-aligned) and one row per variant; cells are padded so that
 * the source lines up. `|` in a cell is escaped as `\|` and line breaks become spaces. Markdown has no colour:
 * significance is not shown (use {@link renderHtmlTable} for coloured p-values). The text does not end with a
 * newline.
 *
 * @param table - The table from {@link formatWideTable}.
 * @returns The Markdown table.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { formatWideTable, renderMarkdownTable } from 'ep-stats';
 * const table = formatWideTable(
 *   {
 *     columns: [{ metricId: 1, metricName: 'CTR | all', statistic: 'pValue' }],
 *     rows: [{ expId: 'ctr', expVariantId: 'b', values: [0.8244735669] }],
 *   },
 *   [],
 * );
 * renderMarkdownTable(table).split('\n'); // => ['| Experiment Id | Variant | CTR \\| all: p-value |', '| :------------ | :------ | ------------------: |', '| ctr           | B       |               0.824 |']
 * ```
 * @public
 */
export function renderMarkdownTable(table: FormattedWideTable): string {
  const indexCount = table.indexLabels.length;
  const header = [
    ...table.indexLabels,
    ...table.columns.map((column) => `${column.metricName}: ${column.label}`),
  ].map(escapeMarkdown);
  const body = table.rows.map((row) =>
    [row.expId, row.variantLabel, ...row.cells.map((cell) => cell.text)].map(escapeMarkdown),
  );
  const widths = header.map((label, index) =>
    Math.max(3, width(label), ...body.map((cells) => width(cells[index] ?? ''))),
  );
  const left = (index: number) => index < indexCount;
  const line = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, index) => {
        const padding = ' '.repeat(Math.max(0, widths[index]! - width(cell)));
        return left(index) ? `${cell}${padding}` : `${padding}${cell}`;
      })
      .join(' | ')} |`;
  const delimiter = `| ${widths
    .map((columnWidth, index) =>
      left(index) ? `:${'-'.repeat(columnWidth - 1)}` : `${'-'.repeat(columnWidth - 1)}:`,
    )
    .join(' | ')} |`;
  return [line(header), delimiter, ...body.map(line)].join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replaceAll('|', '\\|');
}

function width(text: string): number {
  return [...text].length;
}
