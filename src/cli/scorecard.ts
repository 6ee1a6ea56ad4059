import {
  type Evaluation,
  type Experiment,
  formatPython,
  formatWideTable,
  renderHtmlTable,
  toWideTable,
} from '../index.js';
import { buildScorecard, failedChecks, renderLegendText, renderScorecardText } from '../report/index.js';
import { methodSummary, withOpenBounds } from './scorecard-method.js';
import {
  escapeHtml,
  type ReportFormat,
  renderTextTable,
  type TextCell,
  type TextTable,
} from './text-table.js';

/** Options of {@link renderScorecard}. */
export interface ScorecardOptions {
  readonly format: ReportFormat;
  /** For the `table` format: colour p-values and check results with ANSI escapes. */
  readonly color: boolean;
  /** The heading, `Experiment <id>` by default (a segment's scorecard names its segment). */
  readonly heading?: string;
  /** For the `table` format: the widest line of the metrics' tables (default 120). */
  readonly width?: number;
}

interface Section {
  readonly title: string;
  /** The rendered table. */
  readonly body: string;
}

/**
 * Renders an evaluation as a scorecard: the metrics table (mean, impact, confidence interval and p-value
 * per metric and variant), sample sizes and power when the definition asks for them, the adjustment of CUPED
 * metrics, the checks and the exposures.
 *
 * @remarks
 * The metrics table is the library's wide table (`toWideTable`, `formatWideTable` with each metric's
 * `metric_format`, then `renderTerminalTable`, `renderMarkdownTable` or `renderHtmlTable`). A check with a
 * `p_value` and a `confidence_level` is marked failed when `p_value < 1 - confidence_level` (the SRM check's
 * default threshold is 0.001). The open bound of a one-sided interval is shown as `-inf` or `+inf`, and the
 * header names every method that is not the default (a confidence sequence, the correction for multiple
 * testing, one-sided metrics; see {@link methodSummary}).
 *
 * @param experiment - The experiment evaluated (for the metrics' display formats).
 * @param evaluation - Its evaluation.
 * @param options - Format and colour.
 * @returns The scorecard text, ending with a newline.
 */
export function renderScorecard(
  experiment: Experiment,
  evaluation: Evaluation,
  options: ScorecardOptions,
): string {
  const { format, color } = options;
  const heading = options.heading ?? `Experiment ${evaluation.expId}`;
  const sections: Section[] = [];
  if (evaluation.checks.length > 0) {
    sections.push({ title: 'Checks', body: renderTextTable(checksTable(evaluation), format, color) });
  }
  const scorecard = buildScorecard(experiment, evaluation);
  sections.push({ title: 'Metrics', body: renderMetrics(experiment, evaluation, options) });
  const variantLabel = (variant: string) => variant;
  const power = sampleSizeTable(experiment, evaluation, variantLabel);
  if (power !== undefined) {
    sections.push({ title: 'Sample size and power', body: renderTextTable(power, format, color) });
  }
  const cuped = cupedTable(evaluation, variantLabel);
  if (cuped !== undefined) {
    sections.push({ title: 'CUPED variance reduction', body: renderTextTable(cuped, format, color) });
  }
  sections.push({
    title: 'Exposures',
    body: renderTextTable(exposuresTable(evaluation, variantLabel), format, color),
  });
  if (format !== 'html') {
    const legendFormat = format === 'markdown' ? 'markdown' : 'terminal';
    const legend = renderLegendText(scorecard, {
      format: legendFormat,
      width: options.width ?? DEFAULT_WIDTH,
    });
    sections.push({ title: 'Legend', body: legend });
  }

  const level = formatPython('{:.4g}', evaluation.confidenceLevel * 100);
  const summary = [
    `control variant ${experiment.controlVariant}, confidence level ${level}%`,
    ...methodSummary(experiment, evaluation),
  ].join('; ');
  const banner = failedChecksBanner(evaluation);
  if (format === 'markdown') {
    const parts = [`## ${heading}`, '', `${capitalise(summary)}.`];
    if (banner !== undefined) parts.push('', `> **${banner}**`);
    for (const section of sections) parts.push('', `### ${section.title}`, '', section.body);
    return `${parts.join('\n')}\n`;
  }
  if (format === 'html') {
    const parts = [
      '<section class="ep-stats-scorecard">',
      `<h2>${escapeHtml(heading)}</h2>`,
      `<p>${escapeHtml(capitalise(summary))}.</p>`,
    ];
    if (banner !== undefined) parts.push(`<p role="alert"><strong>${escapeHtml(banner)}</strong></p>`);
    for (const section of sections) parts.push(`<h3>${escapeHtml(section.title)}</h3>`, section.body);
    parts.push('</section>');
    return `${parts.join('\n')}\n`;
  }
  const parts = [`${heading} (${summary})`];
  if (banner !== undefined) parts.push('', `!! ${banner}`);
  for (const section of sections)
    parts.push('', section.title === 'Metrics' ? section.body : `${section.title}\n${section.body}`);
  return `${parts.join('\n')}\n`;
}

/**
 * A line that says which checks failed ({@link failedChecks}) and that the results are not to be trusted, or
 * `undefined` when every check passed.
 */
export function failedChecksBanner(evaluation: Evaluation): string | undefined {
  const failed = failedChecks(evaluation);
  if (failed.length === 0) return undefined;
  const names = failed
    .map((check) => `${check.checkName} (p = ${formatPython('{:.3g}', check.value)})`)
    .join(', ');
  return `Check failed: ${names}. The data does not match the plan (for SRM: the split of exposures), so the metric results below are not trustworthy; find the cause before reading them.`;
}

function renderMetrics(experiment: Experiment, evaluation: Evaluation, options: ScorecardOptions): string {
  const { format, color } = options;
  if (format === 'html') {
    // The HTML fragment keeps the library's wide table.
    const wideTable = toWideTable(evaluation);
    return renderHtmlTable(withOpenBounds(wideTable, formatWideTable(wideTable, experiment.metrics)));
  }
  return renderScorecardText(buildScorecard(experiment, evaluation), {
    format: format === 'markdown' ? 'markdown' : 'terminal',
    width: options.width ?? DEFAULT_WIDTH,
    color,
    legend: false,
  }).trimEnd();
}

/** The widest line of the terminal scorecard when the terminal's width is not known. */
const DEFAULT_WIDTH = 120;

/** Sample size, required sample size, power and false positive risk of the treatment rows, when any is set. */
function sampleSizeTable(
  experiment: Experiment,
  evaluation: Evaluation,
  variantLabel: (variant: string) => string,
): TextTable | undefined {
  const rows = evaluation.metrics.filter((row) => row.expVariantId !== experiment.controlVariant);
  const columns = [
    {
      header: 'Required sample size',
      format: '{:,.0f}',
      value: (row: (typeof rows)[number]) => row.requiredSampleSize,
    },
    { header: 'Power', format: '{:.1%}', value: (row: (typeof rows)[number]) => row.power },
    {
      header: 'False positive risk',
      format: '{:.1%}',
      value: (row: (typeof rows)[number]) => row.falsePositiveRisk,
    },
  ].filter((column) => rows.some((row) => Number.isFinite(column.value(row))));
  if (columns.length === 0) return undefined;
  return {
    headers: ['Metric', 'Variant', 'Sample size', ...columns.map((column) => column.header)],
    labelColumns: 2,
    rows: rows.map((row) => [
      { text: row.metricName },
      { text: variantLabel(row.expVariantId) },
      { text: formatPython('{:,.0f}', row.sampleSize) },
      ...columns.map((column) => ({ text: orDash(column.format, column.value(row)) })),
    ]),
  };
}

/**
 * Per row of a CUPED metric: its adjustment coefficient and the share of the variance of its estimate that
 * the pre-period removed; undefined without CUPED metrics.
 */
function cupedTable(
  evaluation: Evaluation,
  variantLabel: (variant: string) => string,
): TextTable | undefined {
  const rows = evaluation.metrics.filter((row) => row.cupedTheta !== undefined);
  if (rows.length === 0) return undefined;
  return {
    headers: ['Metric', 'Variant', 'Theta', 'Variance reduction'],
    labelColumns: 2,
    rows: rows.map((row) => [
      { text: row.metricName },
      { text: variantLabel(row.expVariantId) },
      { text: orDash('{:.4g}', row.cupedTheta ?? Number.NaN) },
      { text: orDash('{:.1%}', row.varianceReduction ?? Number.NaN) },
    ]),
  };
}

/** A value formatted for the scorecard, or `-` where it does not apply (NaN: e.g. no significant result). */
function orDash(format: string, value: number): string {
  return Number.isNaN(value) ? '-' : formatPython(format, value);
}

function checksTable(evaluation: Evaluation): TextTable {
  const rows = evaluation.checks.map((check): TextCell[] => {
    const value = { text: formatPython('{:.4g}', check.value) };
    const level = evaluation.checks.find(
      (row) => row.checkId === check.checkId && row.variableId === 'confidence_level',
    )?.value;
    if (check.variableId !== 'p_value' || level === undefined || !Number.isFinite(check.value)) {
      return [{ text: check.checkName }, { text: check.variableId }, value, { text: '' }];
    }
    const passed = check.value >= 1 - level;
    const tone = passed ? 'good' : 'bad';
    return [
      { text: check.checkName },
      { text: check.variableId },
      { ...value, tone },
      { text: passed ? 'passed' : `failed (p < ${formatPython('{:.4g}', 1 - level)})`, tone },
    ];
  });
  return { headers: ['Check', 'Variable', 'Value', 'Result'], labelColumns: 2, rows };
}

function exposuresTable(evaluation: Evaluation, variantLabel: (variant: string) => string): TextTable {
  return {
    headers: ['Variant', 'Exposures'],
    labelColumns: 1,
    rows: evaluation.exposures.map((row) => [
      { text: variantLabel(row.expVariantId) },
      { text: formatPython(Number.isInteger(row.exposures) ? '{:,.0f}' : '{:,}', row.exposures) },
    ]),
  };
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
