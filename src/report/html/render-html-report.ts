import {
  type Evaluation,
  type EvaluationSegment,
  type EvaluationWarning,
  type Experiment,
  escapeMarkup,
  formatPython,
  SrmCheck,
  type Timeline,
} from '../../index.js';
import { renderExposureChart } from '../plots/render-exposure-chart.js';
import { renderForestPlot } from '../plots/render-forest-plot.js';
import { renderTimelinePlot } from '../plots/render-timeline-plot.js';
import { buildScorecard } from '../scorecard/build-scorecard.js';
import { failedChecks } from '../scorecard/failed-checks.js';
import { definitionHtml } from './definition-html.js';
import { REPORT_STYLES } from './report-styles.js';
import { legendHtml, scorecardTablesHtml } from './scorecard-html.js';

/**
 * A warning listed by {@link renderHtmlReport}: an evaluation's, or a front end's own with a code of its own;
 * those of a segment or a timeline day name it.
 *
 * @example
 * ```ts
 * import type { ReportWarning } from 'ep-stats/report';
 * const warning: ReportWarning = { code: 'small-sample', message: 'few units', day: '2024-01-02' };
 * warning.day; // => '2024-01-02'
 * ```
 * @public
 */
export type ReportWarning = Omit<EvaluationWarning, 'code'> & {
  readonly code: string;
  readonly segment?: { readonly breakdown: string; readonly value: string };
  readonly day?: string;
};

/**
 * What {@link renderHtmlReport} shows: the experiment and its evaluation, with the segments of a drill-down
 * and the timeline when there are some.
 *
 * @example
 * ```ts
 * import type { HtmlReportInput } from 'ep-stats/report';
 * const segmentsOf = (input: HtmlReportInput) => input.segments?.length ?? 0;
 * segmentsOf.length; // => 1
 * ```
 * @public
 */
export interface HtmlReportInput {
  readonly experiment: Experiment;
  /** The evaluation (with breakdowns: the overall block). */
  readonly evaluation: Evaluation;
  readonly segments?: readonly EvaluationSegment[] | undefined;
  readonly timeline?: Timeline | undefined;
  /** The warnings to list; default the evaluation's own (give every block's, tagged, to list them all). */
  readonly warnings?: readonly ReportWarning[] | undefined;
}

/**
 * Options of {@link renderHtmlReport}.
 *
 * @example
 * ```ts
 * import type { HtmlReportOptions } from 'ep-stats/report';
 * const options: HtmlReportOptions = { generator: 'ep-stats 0.1.0 on Node.js 20.19.0' };
 * options.generator; // => 'ep-stats 0.1.0 on Node.js 20.19.0'
 * ```
 * @public
 */
export interface HtmlReportOptions {
  /** The page title; default `Experiment <id>`. */
  readonly title?: string;
  /** What made the report (versions), shown in the footer. */
  readonly generator?: string;
  /** Further settings to record in the footer, e.g. the command line or the data source. */
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * A self-contained HTML report of an evaluation: one file with its style sheet and plots inline (SVG), no
 * script and no external request, readable offline and attachable to a ticket.
 *
 * @remarks
 * In order: the title and a one-line summary; the checks, a failed one (a p-value below
 * `1 - confidence_level`) as a banner that says the results are not trustworthy (an `role="alert"` element
 * of class `banner`); the scorecard, one table per metric ({@link buildScorecard}: verdicts in the
 * `data-verdict` of each row); the forest plot of the relative differences ({@link renderForestPlot}, with
 * the segments under a drill-down), the exposures per variant ({@link renderExposureChart}, with the SRM
 * check's planned split) and, with a timeline, the cumulative difference of every metric and treatment per
 * day ({@link renderTimelinePlot}); the segments' scorecards; the legend; the warnings; the experiment's
 * definition; and a footer with the evaluation time, the generator and the settings. Every text from the
 * definition or the data is escaped.
 *
 * @param input - The experiment, its evaluation, segments, timeline and warnings.
 * @param options - Title, generator and settings for the footer.
 * @returns The HTML document.
 *
 * @example
 * ```ts
 * import { Experiment, Metric, SrmCheck } from 'ep-stats';
 * import { renderHtmlReport } from 'ep-stats/report';
 * const experiment = new Experiment({
 *   id: 'checkout', controlVariant: 'a', unitType: 'u', variants: ['a', 'b'],
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 *   checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' })],
 * });
 * const row = (variant: string, goal: string, count: number) => ({
 *   exp_id: 'checkout', exp_variant_id: variant, unit_type: 'u', agg_type: goal === 'exposure' ? 'global' : 'unit', goal,
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * });
 * const evaluation = experiment.evaluateAgg([
 *   row('a', 'exposure', 1000), row('b', 'exposure', 1200), row('a', 'click', 100), row('b', 'click', 150),
 * ]);
 * const html = renderHtmlReport({ experiment, evaluation });
 * html.startsWith('<!doctype html>'); // => true
 * html.includes('class="banner"'); // => true
 * ```
 * @public
 */
export function renderHtmlReport(input: HtmlReportInput, options: HtmlReportOptions = {}): string {
  const { experiment, evaluation } = input;
  const title = options.title ?? `Experiment ${experiment.id}`;
  const scorecard = buildScorecard(experiment, evaluation);
  const srm = experiment.checks.find((check): check is SrmCheck => check instanceof SrmCheck);
  const sections: string[] = [];

  sections.push(
    `<section aria-labelledby="checks"><h2 id="checks">Checks</h2>\n${checksHtml(evaluation)}</section>`,
  );
  sections.push(
    `<section aria-labelledby="scorecard"><h2 id="scorecard">Scorecard</h2>\n${scorecardTablesHtml(scorecard)}</section>`,
  );
  const plots = [
    figure(
      renderForestPlot(
        input.segments === undefined
          ? evaluation
          : { overall: evaluation, segments: input.segments, warnings: [] },
        { controlVariant: experiment.controlVariant, metrics: experiment.metrics, id: 'forest-plot' },
      ),
      'Relative difference of each treatment to the control, with its interval; the zero line is no difference.',
    ),
    figure(
      renderExposureChart(evaluation, {
        id: 'exposure-chart',
        ...(srm?.expectedWeights === undefined ? {} : { expectedWeights: srm.expectedWeights }),
      }),
      srm?.expectedWeights === undefined
        ? 'Exposed units per variant.'
        : 'Exposed units per variant; the marks show the planned split.',
    ),
  ];
  if (input.timeline !== undefined) {
    const timeline = input.timeline;
    const pairs = [
      ...new Map(
        timeline.metrics
          .filter((row) => row.expVariantId !== experiment.controlVariant)
          .map((row) => [`${String(row.metricId)}\u0000${row.expVariantId}`, row] as const),
      ).values(),
    ];
    pairs.forEach((row, index) => {
      plots.push(
        figure(
          renderTimelinePlot(timeline, {
            metricId: row.metricId,
            variant: row.expVariantId,
            id: `timeline-${index + 1}`,
            title: `${row.metricName}, ${row.expVariantId} vs ${experiment.controlVariant}: cumulative difference by day`,
          }),
          `${row.metricName}, ${row.expVariantId}: the relative difference of the data up to each day, with its interval at that day's level.`,
        ),
      );
    });
  }
  sections.push(`<section aria-labelledby="plots"><h2 id="plots">Plots</h2>\n${plots.join('\n')}</section>`);
  if (input.segments !== undefined && input.segments.length > 0) {
    const blocks = input.segments.map((segment) => {
      const heading = `${segment.breakdown} = ${segment.value}${segment.folded === undefined ? '' : ` (${segment.folded.join(', ')})`}`;
      const units = formatPython(Number.isInteger(segment.exposures) ? '{:,.0f}' : '{:,}', segment.exposures);
      return [
        `<details><summary>${escapeMarkup(heading)}: ${escapeMarkup(units)} exposed units</summary>`,
        checksHtml(segment.evaluation),
        scorecardTablesHtml(buildScorecard(experiment, segment.evaluation)),
        '</details>',
      ].join('\n');
    });
    sections.push(
      `<section aria-labelledby="segments"><h2 id="segments">Segments</h2>\n${blocks.join('\n')}</section>`,
    );
  }
  sections.push(
    `<section aria-labelledby="legend"><h2 id="legend">Legend</h2>\n${legendHtml(scorecard)}</section>`,
  );
  sections.push(
    `<section aria-labelledby="warnings"><h2 id="warnings">Warnings</h2>\n${warningsHtml(input.warnings ?? evaluation.warnings)}</section>`,
  );
  sections.push(
    `<section aria-labelledby="definition"><h2 id="definition">Definition</h2>\n${definitionHtml(experiment)}</section>`,
  );

  const banner = failedCheckNames(evaluation);
  const warningCount = (input.warnings ?? evaluation.warnings).length;
  const level = formatPython('{:.4g}', evaluation.confidenceLevel * 100);
  const footer = [
    `Evaluated ${new Date(evaluation.timestamp * 1000).toISOString().replace('.000Z', 'Z')}`,
    ...(options.generator === undefined ? [] : [`by ${options.generator}`]),
  ].join(' ');
  const settings = Object.entries(options.settings ?? {}).map(
    ([name, value]) => `<li>${escapeMarkup(name)}: <code>${escapeMarkup(value)}</code></li>`,
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeMarkup(title)}</title>`,
    `<style>${REPORT_STYLES}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeMarkup(title)}</h1>`,
    `<p class="lead">Control ${escapeMarkup(experiment.controlVariant)}, ${escapeMarkup(scorecard.variants.length.toString())} variants, confidence level ${escapeMarkup(level)}%.</p>`,
    banner === undefined
      ? ''
      : `<div class="banner" role="alert"><strong>Check failed: ${escapeMarkup(banner)}</strong>The data does not match the plan (for the SRM check: the split of exposures between the variants), so the results below are not trustworthy. Find the cause (assignment, logging, filtering) before reading them.</div>`,
    warningCount === 0
      ? ''
      : `<p class="notice">The evaluation raised ${warningCount} warning${warningCount === 1 ? '' : 's'}: <a href="#warnings">read ${warningCount === 1 ? 'it' : 'them'}</a> before the results.</p>`,
    ...sections,
    `<footer><p>${escapeMarkup(footer)}</p>${settings.length === 0 ? '' : `<ul>${settings.join('')}</ul>`}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The names and p-values of the failed checks, or undefined when none failed. */
function failedCheckNames(evaluation: Evaluation): string | undefined {
  const failed = failedChecks(evaluation);
  if (failed.length === 0) return undefined;
  return failed.map((check) => `${check.checkName} (p = ${formatPython('{:.3g}', check.value)})`).join(', ');
}

/** A table of every check variable with the result of each p-value. */
function checksHtml(evaluation: Evaluation): string {
  if (evaluation.checks.length === 0) return '<p>No checks were defined.</p>';
  const rows = evaluation.checks.map((check) => {
    const level = evaluation.checks.find(
      (row) => row.checkId === check.checkId && row.variableId === 'confidence_level',
    )?.value;
    let result = '';
    if (check.variableId === 'p_value' && level !== undefined && Number.isFinite(check.value)) {
      result = check.value >= 1 - level ? 'passed' : `failed (p < ${formatPython('{:.4g}', 1 - level)})`;
    }
    const verdict = result === '' ? '' : result === 'passed' ? 'better' : 'worse';
    return `<tr data-check="${escapeMarkup(check.checkName)}" data-variable="${escapeMarkup(check.variableId)}"><th scope="row" class="text">${escapeMarkup(check.checkName)}</th><td class="text">${escapeMarkup(check.variableId)}</td><td>${escapeMarkup(formatPython('{:.4g}', check.value))}</td><td class="verdict${verdict === '' ? '' : ` verdict-${verdict}`}">${escapeMarkup(result)}</td></tr>`;
  });
  return `<table class="checks"><thead><tr><th scope="col" class="text">Check</th><th scope="col" class="text">Variable</th><th scope="col">Value</th><th scope="col" class="text">Result</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/** The warnings as a list, each with its code (and segment or day). */
function warningsHtml(warnings: readonly ReportWarning[]): string {
  if (warnings.length === 0) return '<p>The evaluation raised no warning.</p>';
  const items = warnings.map((warning) => {
    const where =
      warning.segment !== undefined
        ? ` (segment ${warning.segment.breakdown} = ${warning.segment.value})`
        : warning.day !== undefined
          ? ` (day ${warning.day})`
          : '';
    return `<li data-code="${escapeMarkup(warning.code)}"><code>${escapeMarkup(warning.code)}</code>${escapeMarkup(where)}: ${escapeMarkup(warning.message)}</li>`;
  });
  return `<ul class="warnings">\n${items.join('\n')}\n</ul>`;
}

function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${escapeMarkup(caption)}</figcaption></figure>`;
}
