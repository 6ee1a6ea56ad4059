import {
  type EvaluationSegment,
  type Experiment,
  formatPython,
  pythonFormatter,
  type Timeline,
  type TimelineRow,
} from '../index.js';
import type { ResponseAnalysis } from '../wire/index.js';
import { renderScorecard, type ScorecardOptions } from './scorecard.js';
import { OPEN_LOWER_BOUND, OPEN_UPPER_BOUND } from './scorecard-method.js';
import { escapeHtml, renderTextTable, type TextTable } from './text-table.js';

/**
 * The parts of the report after the experiment's scorecard: one scorecard per segment, headed
 * `Segment <breakdown> = <value>` with its exposed units (and the values folded into `(other)`), then the
 * timeline as one table of every treatment row of every day (day, metric, variant, the day's confidence
 * level, units, mean in the metric's format, relative difference with its interval, p-value).
 *
 * @param experiment - The experiment evaluated.
 * @param parts - Its segments and timeline, when it has them.
 * @param options - Format and colour, as for the scorecard.
 * @returns The text to append to the scorecard (empty without segments or timeline).
 */
export function renderAnalysis(
  experiment: Experiment,
  parts: ResponseAnalysis,
  options: Omit<ScorecardOptions, 'heading'>,
): string {
  const out: string[] = [];
  for (const segment of parts.segments ?? []) {
    out.push(
      renderScorecard(experiment, segment.evaluation, { ...options, heading: segmentHeading(segment) }),
    );
  }
  if (parts.timeline !== undefined) out.push(renderTimeline(experiment, parts.timeline, options));
  return out.map((text) => `\n${text}`).join('');
}

/** `Segment country = (other) (FR, SK): 167 exposed units`. */
export function segmentHeading(segment: EvaluationSegment): string {
  const folded = segment.folded === undefined ? '' : ` (${segment.folded.join(', ')})`;
  const units = formatPython(Number.isInteger(segment.exposures) ? '{:,.0f}' : '{:,}', segment.exposures);
  return `Segment ${segment.breakdown} = ${segment.value}${folded}: ${units} exposed units`;
}

const TIMELINE_TITLE = 'Timeline (cumulative, by day)';

function renderTimeline(
  experiment: Experiment,
  timeline: Timeline,
  options: Omit<ScorecardOptions, 'heading'>,
): string {
  const { format, color } = options;
  const table = timelineTable(experiment, timeline);
  const body =
    table.rows.length === 0
      ? 'No day with data.'
      : renderTextTable(table, format, color && format === 'table');
  if (format === 'markdown') return `## ${TIMELINE_TITLE}\n\n${body}\n`;
  if (format === 'html') {
    return `<section class="ep-stats-timeline">\n<h2>${escapeHtml(TIMELINE_TITLE)}</h2>\n${body}\n</section>\n`;
  }
  return `${TIMELINE_TITLE}\n${body}\n`;
}

/** Every treatment row of every day, day ascending, then metric and variant as in the evaluation. */
export function timelineTable(experiment: Experiment, timeline: Timeline): TextTable {
  const metrics = new Map(experiment.metrics.map((metric) => [metric.id, metric]));
  const rows = timeline.metrics
    .filter((row) => row.expVariantId !== experiment.controlVariant)
    .map((row) => {
      const metric = metrics.get(row.metricId);
      const mean = pythonFormatter(metric?.metricFormat ?? '{:.3g}')(
        row.mean * (metric?.metricValueMultiplier ?? 1),
      );
      return [
        { text: row.day },
        { text: row.metricName },
        { text: row.expVariantId },
        { text: formatPython('{:.4f}', row.confidenceLevel) },
        { text: formatPython(Number.isInteger(row.count) ? '{:,.0f}' : '{:,}', row.count) },
        { text: mean },
        { text: percent(row.diff) },
        { text: interval(row) },
        { text: Number.isNaN(row.pValue) ? '-' : formatPython('{:.4f}', row.pValue) },
      ];
    });
  return {
    headers: ['Day', 'Metric', 'Variant', 'Level', 'Units', 'Mean', 'Diff', 'Interval', 'p-value'],
    labelColumns: 3,
    rows,
  };
}

function percent(value: number): string {
  return Number.isNaN(value) ? '-' : formatPython('{:+.1%}', value);
}

function interval(row: TimelineRow): string {
  const bound = (value: number, open: string) => (Number.isFinite(value) ? percent(value) : open);
  if (Number.isNaN(row.confidenceLower) && Number.isNaN(row.confidenceUpper)) return '-';
  return `[${bound(row.confidenceLower, OPEN_LOWER_BOUND)}, ${bound(row.confidenceUpper, OPEN_UPPER_BOUND)}]`;
}
