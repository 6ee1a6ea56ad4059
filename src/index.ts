/**
 * ep-stats: statistics for online controlled experiments (A/B tests).
 *
 * @packageDocumentation
 */

// Experiment definition and evaluation
export type { Check, CheckVariable } from './checks/check.js';
export type { DefinitionId } from './checks/definition-id.js';
export { SimpleSrmCheck, type SimpleSrmCheckOptions } from './checks/simple-srm-check.js';
export { SrmCheck, type SrmCheckOptions } from './checks/srm-check.js';
export { SumRatioCheck, type SumRatioCheckOptions } from './checks/sum-ratio-check.js';
export type { Dao, DaoFactory } from './dao/dao.js';
// Errors
export { DataError, type DataErrorLocation } from './errors/data-error.js';
export { EpStatsError, type EpStatsErrorOptions, type ErrorCode } from './errors/ep-stats-error.js';
export { rejectUnknownKeys, type UnknownKeyVocabulary } from './errors/reject-unknown-keys.js';
export { ValidationError } from './errors/validation-error.js';
export type { CorrectionScope } from './experiment/correct-evaluation-families.js';
export type { EvaluateOptions } from './experiment/evaluate-options.js';
export {
  evaluateTimeline,
  type Timeline,
  type TimelineExperiment,
  type TimelineGoalRow,
  type TimelineRow,
  type TimelineWarning,
} from './experiment/evaluate-timeline.js';
export {
  type CheckRow,
  EVALUATION_WARNING_CODES,
  type Evaluation,
  type EvaluationWarning,
  type EvaluationWarningCode,
  type ExposureRow,
  type MetricMatrices,
  type MetricRow,
} from './experiment/evaluation.js';
export { Experiment, type ExperimentOptions } from './experiment/experiment.js';
export { FILTER_SCOPES, Filter, type FilterOptions, type FilterScope } from './experiment/filter.js';
export {
  type CupedOptions,
  Metric,
  type MetricKind,
  type MetricOptions,
  type PreferredDirection,
} from './experiment/metric.js';
export {
  DEFAULT_BREAKDOWN_TOP,
  type EvaluationSegment,
  OTHER_SEGMENT,
  type SegmentEvaluateOptions,
  type SegmentedEvaluation,
  type SegmentWarning,
} from './experiment/segments.js';
export { sequentialConfidenceLevel } from './experiment/sequential-confidence-level.js';
export { SimpleMetric, type SimpleMetricOptions } from './experiment/simple-metric.js';
// Expression language
export {
  AGGREGATION_TYPES,
  type AggregationType,
  BINARY_OPERATORS,
  type BinaryOperation,
  type BinaryOperator,
  DIMENSION_OPERATORS,
  type DimensionCondition,
  type DimensionOperator,
  type Expression,
  GOAL_FUNCTIONS,
  type GoalFunction,
  type GoalReference,
  type NumberLiteral,
  type Span,
} from './expression/ast.js';
export { collectGoals } from './expression/collect-goals.js';
export { completeDimensions, dimensionNames } from './expression/complete-dimensions.js';
export {
  AGGREGATED_COLUMNS,
  type AggregatedColumn,
  type AggregatedGoalSource,
  type AggregatedVectors,
  evaluateAggregated,
  FUNCTION_COLUMNS,
} from './expression/evaluate-aggregated.js';
export { evaluatePerUnit, type UnitGoalTotals } from './expression/evaluate-per-unit.js';
export { ExpressionError } from './expression/expression-error.js';
export { goalKey } from './expression/goal-key.js';
export { MAX_EXPRESSION_DEPTH, parseExpression } from './expression/parse-expression.js';
export { type MetricExpressions, parseMetricExpressions } from './expression/parse-metric-expressions.js';
export { printExpression } from './expression/print-expression.js';
// Goal data
export { AggregatedGoalTable, type AggregatedGoalTableOptions } from './goals/aggregated-goal-table.js';
export { goalMatchKey } from './goals/goal-match-key.js';
export type {
  AggregatedGoalColumns,
  AggregatedGoalRow,
  AggregatedGoals,
  GoalCell,
  UnitGoalRow,
  UnitGoals,
} from './goals/goal-rows.js';
export {
  METRIC_SUMS_PRE_PERIOD_COLUMNS,
  type MetricSumsColumns,
  type MetricSumsInput,
  type MetricSumsRow,
} from './goals/metric-sums-rows.js';
export { BREAKDOWN_COLUMN, NO_VALUE_SEGMENT } from './goals/split-goal-rows.js';
export { type PerUnitValues, UnitGoalTable, type UnitGoalTableOptions } from './goals/unit-goal-table.js';
export { type WideGoals, wideToLongGoals } from './goals/wide-to-long.js';
// Result tables
export { formatPython, pythonFormatter } from './results/format-python.js';
export {
  type FormattedCell,
  type FormattedColumn,
  type FormattedRow,
  type FormattedWideTable,
  type FormatWideTableOptions,
  formatWideTable,
  type MetricDisplay,
} from './results/format-wide-table.js';
export {
  toWideTable,
  WIDE_STATISTICS,
  type WideColumn,
  type WideRow,
  type WideStatistic,
  type WideTable,
} from './results/metric-wide-table.js';
export { renderHtmlTable } from './results/render-html-table.js';
export { renderMarkdownTable } from './results/render-markdown-table.js';
export { renderTerminalTable, type TerminalTableOptions } from './results/render-terminal-table.js';
// Statistics
export type { Alternative } from './statistics/alternative.js';
export { benjaminiHochberg } from './statistics/benjamini-hochberg.js';
export { bonferroni } from './statistics/bonferroni.js';
export { type ChiSquareTestResult, chiSquareGoodnessOfFit } from './statistics/chi-square-test.js';
export {
  confidenceSequenceHalfWidth,
  confidenceSequencePValue,
  confidenceSequenceRho,
  DEFAULT_SEQUENTIAL_TUNING,
} from './statistics/confidence-sequence.js';
export {
  correctForMultipleTesting,
  MULTIPLE_TESTING_CORRECTIONS,
  type MultipleTestingCorrection,
  type MultipleTestingInput,
  type MultipleTestingResult,
} from './statistics/correct-for-multiple-testing.js';
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
  type FalsePositiveRiskMatrixInput,
  falsePositiveRiskMatrix,
} from './statistics/false-positive-risk-matrix.js';
export {
  adjustIntervalsForHolm,
  type HolmIntervalInput,
  holmBonferroni,
} from './statistics/holm-bonferroni.js';
export {
  adjustIntervalsForHolmMatrix,
  type HolmIntervalMatrixInput,
  type HolmMatrixOptions,
  holmBonferroniMatrix,
} from './statistics/holm-bonferroni-matrix.js';
export type { Matrix } from './statistics/matrix.js';
export { obrienFlemingConfidenceLevel } from './statistics/obrien-fleming.js';
export { type PowerInput, powerFromSampleSizes } from './statistics/power.js';
export { type PowerMatrixInput, powerMatrix } from './statistics/power-matrix.js';
export {
  type RatioMoments,
  type RatioSumsInput,
  ratioMomentsMatrix,
} from './statistics/ratio-moments-matrix.js';
export {
  type RequiredSampleSizeBernoulliInput,
  type RequiredSampleSizeInput,
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
} from './statistics/required-sample-size.js';
export {
  type RequiredSampleSizeMatrixInput,
  requiredSampleSizeMatrix,
} from './statistics/required-sample-size-matrix.js';
export { roundHalfEven } from './statistics/round-half-even.js';
export {
  type WelchMeansInput,
  type WelchTestInput,
  type WelchTestResult,
  welchTest,
  welchTestFromMeans,
} from './statistics/welch-test.js';
export {
  type WelchMatrixInput,
  type WelchMatrixResult,
  welchTestMatrix,
} from './statistics/welch-test-matrix.js';
export { linearQuantile, winsorize } from './statistics/winsorize.js';
export { DOCUMENTATION_URL } from './text/documentation-url.js';
export { escapeMarkup } from './text/escape-markup.js';
