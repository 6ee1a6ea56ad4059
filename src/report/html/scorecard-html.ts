import { escapeMarkup } from '../../index.js';
import type { Scorecard } from '../scorecard/build-scorecard.js';
import { metricHeading, TABLE_COLUMNS } from '../scorecard/render-scorecard-text.js';
import { SCORECARD_HEADERS, type ScorecardCells, scorecardCells } from '../scorecard/scorecard-cells.js';
import { scorecardLegend } from '../scorecard/scorecard-legend.js';

type Column = keyof ScorecardCells;
/** The columns between the variant and the verdict. */
const NUMBER_COLUMNS: readonly Column[] = TABLE_COLUMNS.filter(
  (column) => column !== 'variant' && column !== 'verdict',
);

/**
 * The scorecard as HTML tables, one per metric (its heading as the caption), with the columns of the text
 * scorecard; each treatment row carries `data-verdict` and its verdict cell the class `verdict-<verdict>`.
 * @internal
 */
export function scorecardTablesHtml(scorecard: Scorecard): string {
  return scorecard.metrics
    .map((metric) => {
      const widened = metric.rows.some(
        (row) => !row.control && row.level !== undefined && row.level !== scorecard.evaluationLevel,
      );
      const numbers = NUMBER_COLUMNS.filter((column) => column !== 'level' || widened);
      const header = [
        '<th scope="col" class="text">Variant</th>',
        ...numbers.map((column) => `<th scope="col">${escapeMarkup(SCORECARD_HEADERS[column])}</th>`),
        '<th scope="col" class="text">Verdict</th>',
      ].join('');
      const rows = metric.rows.map((row) => {
        const cells = scorecardCells(metric, row);
        const verdict = row.verdict ?? 'control';
        return [
          `<tr class="${row.control ? 'control' : 'treatment'}" data-variant="${escapeMarkup(row.variant)}" data-verdict="${verdict}">`,
          `<th scope="row" class="text">${escapeMarkup(cells.variant)}</th>`,
          ...numbers.map((column) => `<td>${escapeMarkup(cells[column])}</td>`),
          `<td class="verdict verdict-${verdict}">${escapeMarkup(cells.verdict)}</td>`,
          '</tr>',
        ].join('');
      });
      return [
        `<table class="scorecard" data-metric-id="${escapeMarkup(String(metric.id))}">`,
        `<caption>${escapeMarkup(metricHeading(metric))}</caption>`,
        `<thead><tr>${header}</tr></thead>`,
        `<tbody>${rows.join('\n')}</tbody>`,
        '</table>',
        ...metric.warnings.map(
          (warning) =>
            `<p class="metric-warning" data-code="${escapeMarkup(warning.code)}"><strong>Warning <code>${escapeMarkup(warning.code)}</code>:</strong> ${escapeMarkup(warning.message)}</p>`,
        ),
      ].join('\n');
    })
    .join('\n');
}

/** The legend of the scorecard as a definition list. @internal */
export function legendHtml(scorecard: Scorecard): string {
  const entries = scorecardLegend(scorecard).map(
    (entry) => `<dt>${escapeMarkup(entry.term)}</dt><dd>${escapeMarkup(entry.meaning)}</dd>`,
  );
  return `<dl class="legend">\n${entries.join('\n')}\n</dl>`;
}
