/**
 * `ep-stats/report`: what people read. Scorecards with a legend and verdicts, SVG plots (forest plot of the
 * lifts, exposures per variant, the cumulative lift of a timeline) and a self-contained HTML report. Pure
 * functions from evaluations to text; no Node built-ins, so they run in browsers too.
 *
 * @packageDocumentation
 */
export {
  buildScorecard,
  type Scorecard,
  type ScorecardMetric,
  type ScorecardRow,
} from './scorecard/build-scorecard.js';
export { renderScorecardText, type ScorecardTextOptions } from './scorecard/render-scorecard-text.js';
export { type LegendEntry, scorecardLegend } from './scorecard/scorecard-legend.js';
export { type Verdict, verdictOf } from './scorecard/verdict.js';
