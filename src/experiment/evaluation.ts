import type { DefinitionId } from '../checks/definition-id.js';
import type { Matrix } from '../statistics/matrix.js';

/**
 * One metric for one variant: the reference's `metrics` columns in camelCase.
 *
 * @remarks
 * `diff` is the relative difference of the variant's mean to the control's, `confidenceInterval` the
 * half-width of the interval around `diff`, `pValue` the p-value of Welch's t-test corrected for multiple
 * testing (the experiment's `correction`: by default Holm-adjusted, with more than two variants).
 * NaN marks a value that cannot be computed from the data (e.g. a variant without units) or does not apply
 * (the control row's `requiredSampleSize`).
 *
 * @example
 * ```ts
 * import type { MetricRow } from 'ep-stats';
 * const pick = (row: MetricRow) => [row.expVariantId, row.pValue];
 * typeof pick; // => 'function'
 * ```
 * @public
 */
export interface MetricRow {
  readonly expId: string;
  readonly metricId: DefinitionId;
  readonly metricName: string;
  readonly expVariantId: string;
  /** Value of the denominator: the number of units (or the denominator's value). */
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly sumValue: number;
  /** Confidence level used (after the sequential adjustment). */
  readonly confidenceLevel: number;
  /**
   * The level of this row's interval: `confidenceLevel`, or the higher level at which the correction for
   * multiple testing widened it (Holm: `1 - alpha p / p_adj`, Bonferroni: `1 - alpha / m`,
   * Benjamini-Hochberg: `1 - R alpha / m`, with `alpha = 1 - confidenceLevel`).
   */
  readonly intervalConfidenceLevel: number;
  readonly diff: number;
  /** Lower bound of the confidence interval of `diff`, at the row's own (possibly Holm-adjusted) level. */
  readonly confidenceLower: number;
  /** Upper bound of the confidence interval of `diff`, at the row's own (possibly Holm-adjusted) level. */
  readonly confidenceUpper: number;
  /** Absolute difference of the means, `mean - control mean`. */
  readonly absoluteDiff: number;
  /** Lower bound of the confidence interval of `absoluteDiff` (same level as `confidenceLower`). */
  readonly absoluteDiffLower: number;
  /** Upper bound of the confidence interval of `absoluteDiff` (same level as `confidenceUpper`). */
  readonly absoluteDiffUpper: number;
  /**
   * Whether the interval of `diff` excludes 0, or for a non-inferiority metric its null value `-margin`
   * (`'greater'`) or `+margin` (`'less'`) (false for the control and where the bounds are NaN).
   */
  readonly significant: boolean;
  readonly testStat: number;
  readonly pValue: number;
  readonly confidenceInterval: number;
  readonly standardError: number;
  readonly degreesOfFreedom: number;
  readonly minimumEffect: number;
  readonly sampleSize: number;
  readonly requiredSampleSize: number;
  readonly power: number;
  readonly falsePositiveRisk: number;
  /** Evaluation time, unix seconds. */
  readonly timestamp: number;
  /**
   * Rows of a metric adjusted by CUPED only: the adjustment coefficient of the variant's pair with the control
   * (the control's row: of its pair with the last treatment). `mean` stays the unadjusted mean; `diff`,
   * `absoluteDiff`, their intervals, `pValue` and `std` are adjusted.
   */
  readonly cupedTheta?: number;
  /**
   * Rows of a metric adjusted by CUPED only: the share of the per-unit variance of the variant's estimate that
   * the adjustment removed, `1 - adjusted / unadjusted` (about `rho^2` for a covariate of correlation `rho`).
   */
  readonly varianceReduction?: number;
}

/**
 * One variable of one check, e.g. the SRM check's `p_value`.
 *
 * @example
 * ```ts
 * import type { CheckRow } from 'ep-stats';
 * const isPValue = (row: CheckRow) => row.variableId === 'p_value';
 * typeof isPValue; // => 'function'
 * ```
 * @public
 */
export interface CheckRow {
  readonly expId: string;
  readonly checkId: DefinitionId;
  readonly checkName: string;
  readonly variableId: string;
  readonly value: number;
  readonly timestamp: number;
}

/**
 * Exposures (units) of one variant.
 *
 * @example
 * ```ts
 * import type { ExposureRow } from 'ep-stats';
 * const row: ExposureRow = { expId: 'test-conversion', expVariantId: 'a', exposures: 21 };
 * row.exposures; // => 21
 * ```
 * @public
 */
export interface ExposureRow {
  readonly expId: string;
  readonly expVariantId: string;
  readonly exposures: number;
}

/**
 * Every {@link EvaluationWarningCode}, in documentation order.
 *
 * @remarks
 * - `empty-input`: the input has no rows for the experiment at all.
 * - `goal-without-rows`: a goal the experiment needs (with its dimension conditions) has no row; it counts
 *   as zero. `suggestion` names a goal of the data with a close name.
 * - `no-exposures`: the experiment's unit type has no exposure rows; `suggestion` names a close unit type.
 * - `variant-without-exposures`: a variant (e.g. the control, or an explicit variant) has no exposures.
 * - `foreign-experiment-rows`: rows of other experiments were ignored.
 * - `inconsistent-sums`: a sum of squares below `sum^2 / count_unique`, impossible for real per-unit values.
 * - `unit-in-several-variants`: by unit, unit ids found in more than one variant.
 * - `non-finite-sums`: a sum or sum of squares overflowed to Infinity; its statistics are not finite.
 * - `negative-variance`: a negative variance estimate; the metric's statistics are NaN.
 * - `imprecise-variance`: the variance was computed from sums of squares with too few significant digits
 *   left after cancellation.
 * - `small-sample`: a comparison outside the regime where the test is calibrated (see the statistics docs).
 * - `evaluated-before-start`: the day of the evaluation (today, UTC, without `dateFor`) is before `dateFrom`.
 * - `check-failed`: a check could not be evaluated and was skipped.
 * - `metric-without-rows`: metric sums without a row of a metric in some variants; those cells are NaN.
 * - `unknown-metric-rows`: metric sums rows whose `metric_id` is no metric of the experiment were ignored.
 * - `ratio-without-unit-pairs`: by unit, a ratio metric whose nominator and denominator goals are of different
 *   unit groups keeps the per-denominator variance instead of the delta method.
 * - `cuped-without-pre-period`: a CUPED metric evaluated by unit has no pre-period rows (`pre_days`) of its
 *   goals; its adjustment coefficient is 0 and its results are unadjusted.
 *
 * @example
 * ```ts
 * import { EVALUATION_WARNING_CODES } from 'ep-stats';
 * EVALUATION_WARNING_CODES.includes('goal-without-rows'); // => true
 * ```
 * @public
 */
export const EVALUATION_WARNING_CODES = Object.freeze([
  'empty-input',
  'goal-without-rows',
  'no-exposures',
  'variant-without-exposures',
  'foreign-experiment-rows',
  'inconsistent-sums',
  'unit-in-several-variants',
  'non-finite-sums',
  'negative-variance',
  'imprecise-variance',
  'small-sample',
  'evaluated-before-start',
  'check-failed',
  'metric-without-rows',
  'unknown-metric-rows',
  'ratio-without-unit-pairs',
  'cuped-without-pre-period',
] as const);

/**
 * Kind of an {@link EvaluationWarning}: a stable code (see {@link EVALUATION_WARNING_CODES}).
 *
 * @example
 * ```ts
 * import type { EvaluationWarningCode } from 'ep-stats';
 * const code: EvaluationWarningCode = 'negative-variance';
 * code; // => 'negative-variance'
 * ```
 * @public
 */
export type EvaluationWarningCode = (typeof EVALUATION_WARNING_CODES)[number];

/**
 * Something worth knowing about an evaluation that did not stop it.
 *
 * @remarks
 * Warnings are collected in {@link Evaluation.warnings} and, when an `onWarning` callback is passed to the
 * evaluation, reported to it as they occur. ep-stats never writes to the console.
 *
 * @example
 * ```ts
 * import type { EvaluationWarning } from 'ep-stats';
 * const warning: EvaluationWarning = { code: 'check-failed', message: 'Cannot evaluate check 1' };
 * warning.code; // => 'check-failed'
 * ```
 * @public
 */
export interface EvaluationWarning {
  readonly code: EvaluationWarningCode;
  readonly message: string;
  /** Metrics concerned, for metric warnings. */
  readonly metricIds?: readonly DefinitionId[];
  /** Check concerned, for check warnings. */
  readonly checkId?: DefinitionId;
  /** Variants concerned, for warnings about some variants only. */
  readonly variants?: readonly string[];
  /** Goal concerned (its goal key, e.g. `count(u.unit.purchse)`), for goal warnings. */
  readonly goal?: string;
  /** A close name found in the data (a goal or a unit type), for a probably misspelled one. */
  readonly suggestion?: string;
  /** How many rows or units are concerned, where the warning counts them. */
  readonly count?: number;
}

/**
 * The (metrics x variants) matrices behind {@link Evaluation.metrics}, row-major, for callers who compute
 * on them.
 *
 * @example
 * ```ts
 * import type { MetricMatrices } from 'ep-stats';
 * const shape = (m: MetricMatrices) => m.pValue.shape;
 * typeof shape; // => 'function'
 * ```
 * @public
 */
export interface MetricMatrices {
  /** Metric ids, the rows. */
  readonly metricIds: readonly DefinitionId[];
  /** Variant ids, the columns. */
  readonly variants: readonly string[];
  readonly count: Matrix;
  readonly sumValue: Matrix;
  readonly sumSqrValue: Matrix;
  readonly mean: Matrix;
  readonly std: Matrix;
  readonly diff: Matrix;
  readonly standardError: Matrix;
  readonly testStat: Matrix;
  readonly pValue: Matrix;
  readonly confidenceInterval: Matrix;
  /** The level of each interval (see {@link MetricRow.intervalConfidenceLevel}). */
  readonly intervalConfidenceLevel: Matrix;
  readonly confidenceLower: Matrix;
  readonly confidenceUpper: Matrix;
  readonly absoluteDiff: Matrix;
  readonly absoluteDiffLower: Matrix;
  readonly absoluteDiffUpper: Matrix;
  readonly degreesOfFreedom: Matrix;
  readonly minimumEffect: Matrix;
  readonly sampleSize: Matrix;
  readonly requiredSampleSize: Matrix;
  readonly power: Matrix;
  readonly falsePositiveRisk: Matrix;
}

/**
 * The result of evaluating an experiment: metrics, checks and exposures, immutable and self-describing.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * const experiment = new Experiment({
 *   id: 'ctr', controlVariant: 'a', unitType: 'u',
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 * });
 * const evaluation = experiment.evaluateAgg([]);
 * [evaluation.method, evaluation.confidenceLevel]; // => ['welch-delta', 0.95]
 * ```
 * @public
 */
export interface Evaluation {
  readonly expId: string;
  /** One row per metric (definition order) and variant (sorted). */
  readonly metrics: readonly MetricRow[];
  /** One row per check (definition order) and variable. */
  readonly checks: readonly CheckRow[];
  /** One row per variant (sorted). */
  readonly exposures: readonly ExposureRow[];
  /** The statistics as (metrics x variants) matrices. */
  readonly matrices: MetricMatrices;
  /** Warnings raised while evaluating. */
  readonly warnings: readonly EvaluationWarning[];
  /** The test: Welch's t-test of the relative difference with the delta method. */
  readonly method: 'welch-delta';
  /** The confidence level used, after the sequential adjustment. */
  readonly confidenceLevel: number;
  /**
   * Present with `sequential: 'confidence-sequence'`: the tuning sample size of the confidence sequences that
   * gave the intervals and p-values (always-valid, at `confidenceLevel`).
   */
  readonly confidenceSequenceTuning?: number;
  /** Evaluation time, unix seconds. */
  readonly timestamp: number;
}
