/**
 * `ep-stats/report`: what people read. Scorecards with a legend and verdicts, SVG plots (forest plot of the
 * lifts, exposures per variant, the cumulative lift of a timeline) and a self-contained HTML report. Pure
 * functions from evaluations to text; no Node built-ins, so they run in browsers too.
 *
 * @packageDocumentation
 */

export {
  type HtmlReportInput,
  type HtmlReportOptions,
  type ReportWarning,
  renderHtmlReport,
} from './html/render-html-report.js';
export { PLOT_PALETTE, type PlotPalette } from './plots/plot-palette.js';
export { type ExposureChartOptions, renderExposureChart } from './plots/render-exposure-chart.js';
export { type ForestPlotOptions, renderForestPlot } from './plots/render-forest-plot.js';
export { renderTimelinePlot, type TimelinePlotOptions } from './plots/render-timeline-plot.js';
export {
  buildScorecard,
  type Scorecard,
  type ScorecardMetric,
  type ScorecardRow,
} from './scorecard/build-scorecard.js';
export { failedChecks } from './scorecard/failed-checks.js';
export {
  renderLegendText,
  renderScorecardText,
  type ScorecardTextOptions,
} from './scorecard/render-scorecard-text.js';
export { type LegendEntry, scorecardLegend } from './scorecard/scorecard-legend.js';
export { VERDICTS, type Verdict, verdictOf } from './scorecard/verdict.js';
