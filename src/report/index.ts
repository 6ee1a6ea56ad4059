/**
 * `ep-stats/report`: what people read. Scorecards with a legend and verdicts, SVG plots (forest plot of the
 * lifts, exposures per variant, the cumulative lift of a timeline) and a self-contained HTML report. Pure
 * functions from evaluations to text; no Node built-ins, so they run in browsers too.
 *
 * @packageDocumentation
 */
