import { escapeMarkup } from '../text/escape-markup.js';
import type { FormattedCell, FormattedWideTable } from './format-wide-table.js';
import { metricColumnGroups } from './metric-column-groups.js';
import type { WideStatistic } from './metric-wide-table.js';

const CELL_CLASSES: Readonly<Record<WideStatistic, string>> = {
  mean: 'mean',
  diff: 'diff',
  confLower: 'conf-lower',
  confUpper: 'conf-upper',
  pValue: 'p-value',
};

/**
 * Renders a formatted wide table as an HTML `<table>`, with coloured p-values.
 *
 * @remarks
 * The header has two rows: the metric names spanning their columns, then the column labels (the
 * `Experiment Id` and `Variant` headers span both rows). Classes identify the parts: the table has
 * `ep-stats-results`; header cells `index`, `metric` or `statistic`; body cells `exp-id`, `variant`, `mean`,
 * `diff`, `conf-lower`, `conf-upper` or `p-value`, and p-value cells also `significant` or `not-significant`
 * with an inline `style="color: green"` or `style="color: red"`. All text is HTML-escaped. The text does not
 * end with a newline.
 *
 * @param table - The table from {@link formatWideTable}.
 * @returns The HTML fragment.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { formatWideTable, renderHtmlTable } from 'ep-stats';
 * const table = formatWideTable(
 *   {
 *     columns: [{ metricId: 1, metricName: 'Clicks <all>', statistic: 'pValue' }],
 *     rows: [{ expId: 'ctr', expVariantId: 'b', values: [0.01] }],
 *   },
 *   [],
 * );
 * const lines = renderHtmlTable(table).split('\n');
 * lines[2]; // => '    <tr><th class="index" rowspan="2">Experiment Id</th><th class="index" rowspan="2">Variant</th><th class="metric" colspan="1">Clicks &lt;all&gt;</th></tr>'
 * lines[6]; // => '    <tr><td class="exp-id">ctr</td><td class="variant">B</td><td class="p-value significant" style="color: green">0.010</td></tr>'
 * ```
 * @public
 */
export function renderHtmlTable(table: FormattedWideTable): string {
  const rowSpan = table.columns.length > 0 ? ' rowspan="2"' : '';
  const indexHeaders = table.indexLabels.map(
    (label) => `<th class="index"${rowSpan}>${escapeMarkup(label)}</th>`,
  );
  const metricHeaders = metricColumnGroups(table.columns).map(
    (group) => `<th class="metric" colspan="${group.count}">${escapeMarkup(group.metricName)}</th>`,
  );
  const statisticHeaders = table.columns.map(
    (column) => `<th class="statistic">${escapeMarkup(column.label)}</th>`,
  );
  const lines = ['<table class="ep-stats-results">', '  <thead>'];
  lines.push(`    <tr>${[...indexHeaders, ...metricHeaders].join('')}</tr>`);
  if (statisticHeaders.length > 0) lines.push(`    <tr>${statisticHeaders.join('')}</tr>`);
  lines.push('  </thead>', '  <tbody>');
  for (const row of table.rows) {
    const cells = row.cells.map((cell, index) => {
      const statistic = table.columns[index]?.statistic ?? 'mean';
      return `<td${attributes(CELL_CLASSES[statistic], cell)}>${escapeMarkup(cell.text)}</td>`;
    });
    const identifiers = [
      `<td class="exp-id">${escapeMarkup(row.expId)}</td>`,
      `<td class="variant">${escapeMarkup(row.variantLabel)}</td>`,
    ];
    lines.push(`    <tr>${[...identifiers, ...cells].join('')}</tr>`);
  }
  lines.push('  </tbody>', '</table>');
  return lines.join('\n');
}

function attributes(className: string, cell: FormattedCell): string {
  if (cell.significant === undefined) return ` class="${className}"`;
  return cell.significant
    ? ` class="${className} significant" style="color: green"`
    : ` class="${className} not-significant" style="color: red"`;
}
