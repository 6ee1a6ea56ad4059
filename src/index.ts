/**
 * ep-stats: statistics for online controlled experiments (A/B tests).
 *
 * @packageDocumentation
 */

// Statistics
export { type ChiSquareTestResult, chiSquareGoodnessOfFit } from './statistics/chi-square-test.js';
export {
  chiSquareUpperTail,
  normalCdf,
  normalQuantile,
  normalUpperTail,
  studentTCdf,
  studentTQuantile,
  studentTUpperTail,
} from './statistics/distributions.js';
export { type FalsePositiveRiskInput, falsePositiveRisk } from './statistics/false-positive-risk.js';
export {
  adjustIntervalsForHolm,
  type HolmIntervalInput,
  holmBonferroni,
} from './statistics/holm-bonferroni.js';
export { obrienFlemingConfidenceLevel } from './statistics/obrien-fleming.js';
export { type PowerInput, powerFromSampleSizes } from './statistics/power.js';
export {
  type RequiredSampleSizeBernoulliInput,
  type RequiredSampleSizeInput,
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
} from './statistics/required-sample-size.js';
export { roundHalfEven } from './statistics/round-half-even.js';
export {
  type WelchMeansInput,
  type WelchTestInput,
  type WelchTestResult,
  welchTest,
  welchTestFromMeans,
} from './statistics/welch-test.js';
