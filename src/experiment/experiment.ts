import type { Check } from '../checks/check.js';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { ValidationError } from '../errors/validation-error.js';
import type { GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import { completeDimensions, dimensionNames } from '../expression/complete-dimensions.js';
import type { AggregatedGoals, UnitGoals } from '../goals/goal-rows.js';
import type { MetricSumsInput } from '../goals/metric-sums-rows.js';
import { type WideGoals, wideToLongGoals } from '../goals/wide-to-long.js';
import type { MultipleTestingCorrection } from '../statistics/correct-for-multiple-testing.js';
import { parseCalendarDate, todayUtc } from './calendar-date.js';
import { validateSequential } from './confidence-sequence-statistics.js';
import { type CorrectionScope, validateCorrection } from './correct-evaluation-families.js';
import { evaluateAggregatedGoals, evaluateWideGoals } from './evaluate-aggregated-goals.js';
import { evaluateMetricSums } from './evaluate-metric-sums.js';
import type { EvaluateOptions } from './evaluate-options.js';
import { evaluateTimeline, type Timeline, type TimelineGoalRow } from './evaluate-timeline.js';
import { evaluateUnitGoals } from './evaluate-unit-goals.js';
import type { Evaluation } from './evaluation.js';
import type { Filter } from './filter.js';
import type { Metric } from './metric.js';
import {
  evaluateSegments,
  type SegmentEvaluateOptions,
  type SegmentedEvaluation,
  validateBreakdowns,
} from './segments.js';
import { sequentialConfidenceLevel } from './sequential-confidence-level.js';

/**
 * Definition of an {@link Experiment}.
 *
 * @example
 * ```ts
 * import { Metric, type ExperimentOptions } from 'ep-stats';
 * const options: ExperimentOptions = {
 *   id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type',
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(test_unit_type.unit.click)', denominator: 'count(test_unit_type.global.exposure)' })],
 * };
 * options.controlVariant; // => 'a'
 * ```
 * @public
 */
export interface ExperimentOptions {
  /** Experiment id; goal rows of other experiments are ignored. */
  readonly id: string;
  /** Variant every other variant is compared with. */
  readonly controlVariant: string;
  /** Unit type of the exposure goal, e.g. `user`. */
  readonly unitType: string;
  readonly metrics?: readonly Metric[];
  readonly checks?: readonly Check[];
  /** First day of the experiment, `YYYY-MM-DD`. With `dateTo`, enables the sequential adjustment. */
  readonly dateFrom?: string | null;
  /** Last planned day of the experiment, `YYYY-MM-DD`. */
  readonly dateTo?: string | null;
  /**
   * Day of the evaluation, `YYYY-MM-DD`; by default the day each evaluation runs (today, UTC, read when
   * the evaluation starts, never by the constructor).
   */
  readonly dateFor?: string | null;
  /** Confidence level in (0, 1), default 0.95. */
  readonly confidenceLevel?: number;
  /**
   * Sequential adjustment: `'obrien-fleming'` (default, the reference's: with `dateFrom` and `dateTo` the
   * level of each day is raised by O'Brien-Fleming alpha spending) or `'confidence-sequence'` (always-valid
   * intervals and p-values of an asymptotic confidence sequence at `confidenceLevel`, with or without dates,
   * valid however often the results are read; see {@link confidenceSequenceHalfWidth}).
   */
  readonly sequential?: 'obrien-fleming' | 'confidence-sequence' | null;
  /**
   * With `sequential: 'confidence-sequence'`: the total sample size of the two arms compared (control plus
   * one treatment) at which the sequence is tightest, a positive number fixed for the experiment; default
   * 5000 ({@link DEFAULT_SEQUENTIAL_TUNING}, GrowthBook's).
   */
  readonly sequentialTuning?: number | null;
  /** Explicit variant ids; by default the variants found in the data plus the control. */
  readonly variants?: readonly string[] | null;
  /** Filters for the data access layer. */
  readonly filters?: readonly Filter[];
  /** Prior probability in [0, 1] that a change has no effect; enables the false positive risk. */
  readonly nullHypothesisRate?: number | null;
  /**
   * Correction for multiple testing: `'holm'` (default, Holm-Bonferroni, the reference's),
   * `'benjamini-hochberg'` (false discovery rate), `'bonferroni'` or `'none'`; p-values and intervals of the
   * treatments are adjusted together ({@link correctForMultipleTesting}), the control's never.
   */
  readonly correction?: MultipleTestingCorrection | null;
  /**
   * Which p-values are corrected together: `'metric'` (default, the reference's: the treatments of each
   * metric, only with more than two variants) or `'report'` (every treatment of every metric of the
   * evaluation in one family, whatever the number of variants).
   */
  readonly correctionScope?: CorrectionScope | null;
  /** Free-form parameters for the data access layer. */
  readonly queryParameters?: Readonly<Record<string, unknown>>;
  /**
   * Dimension columns to drill down by, e.g. `['country', 'platform']` (distinct names, none a dimension a
   * goal constrains); see {@link Experiment.evaluateAggSegments}.
   */
  readonly breakdowns?: readonly string[] | null;
  /**
   * Segments kept per breakdown, ranked by exposed units; the rest are folded into `'(other)'`. A whole
   * number of at least 1, default 20 ({@link DEFAULT_BREAKDOWN_TOP}).
   */
  readonly breakdownTop?: number | null;
}

/** The keys of {@link ExperimentOptions}, in the order error messages list them. */
const EXPERIMENT_OPTIONS = optionKeys<ExperimentOptions>({
  id: true,
  controlVariant: true,
  unitType: true,
  metrics: true,
  checks: true,
  dateFrom: true,
  dateTo: true,
  dateFor: true,
  confidenceLevel: true,
  sequential: true,
  sequentialTuning: true,
  variants: true,
  filters: true,
  nullHypothesisRate: true,
  correction: true,
  correctionScope: true,
  queryParameters: true,
  breakdowns: true,
  breakdownTop: true,
});

/** The keys of {@link EvaluateOptions}, in the order error messages list them. */
const EVALUATE_OPTIONS = optionKeys<EvaluateOptions>({ onWarning: true, timestamp: true });

/**
 * An experiment: metrics and checks evaluated for every variant against the control.
 *
 * @remarks
 * The definition is validated on construction. {@link Experiment.goals} lists every goal the evaluation
 * needs (the exposure goal `count(<unitType>.global.exposure)` included), each with every dimension used in
 * the experiment (`''` where it has none): a data access layer returns rows for exactly these.
 *
 * Constructing an experiment never reads the clock, so an experiment that starts in the future can be
 * defined. Without `dateFor`, each evaluation runs for the day it is made (today, UTC; see
 * {@link Experiment.evaluationDay}); evaluating before `dateFrom` is not an error but an
 * `evaluated-before-start` warning, and with `dateFrom` and `dateTo` the sequential confidence level of such
 * a day is 0.9999 (no alpha spent yet). An explicit `dateFor` before `dateFrom`, on the other hand,
 * contradicts the definition and is rejected.
 *
 * @throws {@link ValidationError} for an unknown option (naming the closest known one), duplicate metric ids
 *   ("Metric ids must be unique. Id=1 found more than once."), a confidence level outside (0, 1), malformed
 *   dates, `dateFrom` after `dateTo`, an explicit `dateFor` before `dateFrom`, an unknown `sequential`, a
 *   `sequentialTuning` that is not a positive number or is given without `'confidence-sequence'`, a null
 *   hypothesis rate outside [0, 1], an unknown `correction` or `correctionScope`, explicit variants that omit the
 *   control, or `breakdowns` that are not distinct dimension names free of the goals' conditions (path
 *   `['breakdowns', i]`) or a `breakdownTop` that is not a whole number of at least 1.
 *
 * @example
 * ```ts
 * import { Experiment, Metric, SrmCheck } from 'ep-stats';
 * const experiment = new Experiment({
 *   id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type',
 *   metrics: [new Metric({ id: 1, name: 'Click-through Rate', nominator: 'count(test_unit_type.unit.click)', denominator: 'count(test_unit_type.global.exposure)' })],
 *   checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' })],
 * });
 * const row = (variant: string, goal: string, aggType: string, count: number) => ({
 *   exp_id: 'test-conversion', exp_variant_id: variant, unit_type: 'test_unit_type', agg_type: aggType, goal,
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * });
 * const evaluation = experiment.evaluateAgg([
 *   row('a', 'click', 'unit', 5), row('b', 'click', 'unit', 7),
 *   row('a', 'exposure', 'global', 21), row('b', 'exposure', 'global', 26),
 * ]);
 * evaluation.metrics[1]?.diff; // => ~0.1307692308
 * evaluation.metrics[1]?.pValue; // => ~0.8244735669
 * evaluation.metrics[1]?.degreesOfFreedom; // => 43
 * evaluation.checks[0]?.value; // => ~0.465803
 * ```
 * @public
 */
export class Experiment {
  readonly id: string;
  readonly controlVariant: string;
  readonly unitType: string;
  readonly metrics: readonly Metric[];
  readonly checks: readonly Check[];
  readonly dateFrom: string | undefined;
  readonly dateTo: string | undefined;
  /** Day of the evaluation (`YYYY-MM-DD`) as given, or `undefined`: the day each evaluation runs. */
  readonly dateFor: string | undefined;
  readonly confidenceLevel: number;
  /** The sequential adjustment (`'obrien-fleming'` unless asked otherwise). */
  readonly sequential: 'obrien-fleming' | 'confidence-sequence';
  /** The tuning sample size of the confidence sequence; `undefined` with `'obrien-fleming'`. */
  readonly sequentialTuning: number | undefined;
  readonly variants: readonly string[] | undefined;
  readonly filters: readonly Filter[];
  readonly nullHypothesisRate: number | undefined;
  /** The correction for multiple testing (`'holm'` unless asked otherwise). */
  readonly correction: MultipleTestingCorrection;
  /** Which p-values are corrected together (`'metric'` unless asked otherwise). */
  readonly correctionScope: CorrectionScope;
  readonly queryParameters: Readonly<Record<string, unknown>>;
  /** Dimension columns of the segmented evaluations (none unless asked). */
  readonly breakdowns: readonly string[];
  /** Segments kept per breakdown before folding into `'(other)'` (20 unless asked otherwise). */
  readonly breakdownTop: number;
  /** Every dimension used by a goal of the experiment, in first-seen order. */
  readonly dimensions: readonly string[];
  /** Every goal the evaluation needs, completed with all {@link Experiment.dimensions}. */
  readonly goals: readonly GoalReference[];
  /** The exposure goal `count(<unitType>.global.exposure)`, completed. */
  readonly exposureGoal: GoalReference;

  constructor(options: ExperimentOptions) {
    rejectUnknownKeys(options, EXPERIMENT_OPTIONS, 'Experiment');
    if (typeof options.id !== 'string' || options.id === '') {
      throw new ValidationError('`id` must be a non-empty string', ['id']);
    }
    if (typeof options.controlVariant !== 'string' || options.controlVariant === '') {
      throw new ValidationError('`controlVariant` must be a non-empty string', ['controlVariant']);
    }
    if (typeof options.unitType !== 'string' || options.unitType === '') {
      throw new ValidationError('`unitType` must be a non-empty string', ['unitType']);
    }
    this.id = options.id;
    this.controlVariant = options.controlVariant;
    this.unitType = options.unitType;
    this.metrics = Object.freeze([...(options.metrics ?? [])]);
    this.checks = Object.freeze([...(options.checks ?? [])]);
    rejectDuplicateIds(this.metrics);

    this.confidenceLevel = options.confidenceLevel ?? 0.95;
    if (typeof this.confidenceLevel !== 'number' || !(this.confidenceLevel > 0 && this.confidenceLevel < 1)) {
      throw new ValidationError(
        `\`confidenceLevel\` must be a number strictly between 0 and 1, received ${String(options.confidenceLevel)}`,
        ['confidenceLevel'],
      );
    }
    this.dateFrom = options.dateFrom ?? undefined;
    this.dateTo = options.dateTo ?? undefined;
    this.dateFor = options.dateFor ?? undefined;
    const from = this.dateFrom === undefined ? undefined : parseCalendarDate(this.dateFrom, 'dateFrom');
    const to = this.dateTo === undefined ? undefined : parseCalendarDate(this.dateTo, 'dateTo');
    const evaluationDay = this.dateFor === undefined ? undefined : parseCalendarDate(this.dateFor, 'dateFor');
    if (from !== undefined && to !== undefined && from > to) {
      throw new ValidationError(
        `\`dateFrom\` (${this.dateFrom}) must not be after \`dateTo\` (${this.dateTo})`,
        ['dateFrom'],
      );
    }
    if (from !== undefined && evaluationDay !== undefined && evaluationDay < from) {
      throw new ValidationError(
        `\`dateFor\` (${this.dateFor}) must not be before \`dateFrom\` (${this.dateFrom}); leave \`dateFor\` out to evaluate on the day the evaluation runs`,
        ['dateFor'],
      );
    }
    [this.sequential, this.sequentialTuning] = validateSequential(
      options.sequential,
      options.sequentialTuning,
    );
    this.variants = options.variants == null ? undefined : Object.freeze([...options.variants]);
    if (this.variants !== undefined && !this.variants.includes(this.controlVariant)) {
      throw new ValidationError(
        `Unknown control variant \`${this.controlVariant}\`: it is not among the variants ${JSON.stringify(this.variants)}`,
        ['controlVariant'],
      );
    }
    this.filters = Object.freeze([...(options.filters ?? [])]);
    this.nullHypothesisRate = options.nullHypothesisRate ?? undefined;
    if (
      this.nullHypothesisRate !== undefined &&
      (typeof this.nullHypothesisRate !== 'number' ||
        !(this.nullHypothesisRate >= 0 && this.nullHypothesisRate <= 1))
    ) {
      throw new ValidationError(
        `\`nullHypothesisRate\` must be a number between 0 and 1, received ${String(options.nullHypothesisRate)}`,
        ['nullHypothesisRate'],
      );
    }
    [this.correction, this.correctionScope] = validateCorrection(options.correction, options.correctionScope);
    this.queryParameters = Object.freeze({ ...(options.queryParameters ?? {}) });

    const exposure: GoalReference = Object.freeze({
      kind: 'goal',
      fn: 'count',
      unitType: this.unitType,
      aggType: 'global',
      goal: 'exposure',
      dimensions: Object.freeze([]),
      span: Object.freeze({ start: 0, end: 0 }),
    });
    const definitionGoals = [
      ...this.metrics.flatMap((m) => m.goals),
      ...this.checks.flatMap((c) => c.goals),
      exposure,
    ];
    this.dimensions = Object.freeze(dimensionNames(definitionGoals));
    const goals = collectGoals(...definitionGoals).map((goal) => completeDimensions(goal, this.dimensions));
    this.goals = Object.freeze(goals);
    this.exposureGoal = completeDimensions(exposure, this.dimensions);
    [this.breakdowns, this.breakdownTop] = validateBreakdowns(
      options.breakdowns,
      options.breakdownTop,
      this.dimensions,
    );
  }

  /**
   * The day an evaluation is for: `dateFor` when given, otherwise today (UTC) at the time of the call.
   *
   * @returns The day, `YYYY-MM-DD`.
   *
   * @example
   * ```ts
   * import { Experiment } from 'ep-stats';
   * new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', dateFor: '2024-05-02' }).evaluationDay(); // => '2024-05-02'
   * new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u' }).evaluationDay() === new Date().toISOString().slice(0, 10); // => true
   * ```
   */
  evaluationDay(): string {
    return this.dateFor ?? todayUtc();
  }

  /**
   * Confidence level of an evaluation on a day: the experiment's, or with `dateFrom` and `dateTo` set the
   * O'Brien-Fleming adjusted level for that day ({@link sequentialConfidenceLevel}: a day after `dateTo`
   * counts as the last day, a day before `dateFrom` as day 0, whose level is 0.9999). With
   * `sequential: 'confidence-sequence'` it is always the experiment's: the sequence, not the level, makes the
   * intervals valid under repeated looks.
   *
   * @param day - Day of the evaluation, `YYYY-MM-DD`; {@link Experiment.evaluationDay} by default.
   * @returns The confidence level.
   * @throws {@link ValidationError} for a malformed day.
   *
   * @example
   * ```ts
   * import { Experiment } from 'ep-stats';
   * const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', dateFrom: '2024-01-01', dateTo: '2024-01-10' });
   * experiment.evaluationConfidenceLevel('2024-01-10'); // => 0.95
   * experiment.evaluationConfidenceLevel('2024-01-05'); // => 0.9944
   * experiment.evaluationConfidenceLevel('2023-12-01'); // => 0.9999
   * const sequence = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', dateFrom: '2024-01-01', dateTo: '2024-01-10', sequential: 'confidence-sequence' });
   * sequence.evaluationConfidenceLevel('2024-01-05'); // => 0.95
   * ```
   */
  evaluationConfidenceLevel(day: string = this.evaluationDay()): number {
    if (this.sequential === 'confidence-sequence') return this.confidenceLevel;
    if (this.dateFrom === undefined || this.dateTo === undefined) return this.confidenceLevel;
    return sequentialConfidenceLevel(this.confidenceLevel, this.dateFrom, this.dateTo, day);
  }

  /**
   * Evaluates the experiment from goals aggregated per variant.
   *
   * @remarks
   * Variants are {@link ExperimentOptions.variants} or the sorted variant ids of the rows plus the control;
   * rows of other variants or other experiments are ignored. Every (variant, goal) without rows counts as
   * zero. Per metric and variant: `mean = sum_value / count`, `std` from the sums of squares, Welch's t-test
   * of the relative difference to the control with the delta method, O'Brien-Fleming sequential confidence
   * level, the correction for multiple testing (`correction`, by default Holm-Bonferroni over each metric's
   * treatments with more than two variants), required sample size, power and false positive risk. See the documentation's statistics page for every formula.
   *
   * Degenerate data is not an error: a variant without units gets NaN or Infinity where the formulas divide
   * by zero, and inconsistent sums of squares (negative variance) give NaN with a `negative-variance`
   * warning. A check that fails is skipped with a `check-failed` warning.
   *
   * Missing data is not an error either, but it is never silent: input without rows of the experiment
   * (`empty-input`), a unit type without exposure rows (`no-exposures`), a variant without exposures
   * (`variant-without-exposures`) and a goal of a metric or check without rows (`goal-without-rows`, with a
   * close goal name of the data as `suggestion`) are warnings, and so are rows whose sums of squares are
   * impossible for their sums (`inconsistent-sums`) and sums that overflow (`non-finite-sums`).
   *
   * @param goals - Goal rows as returned by SQL ({@link AggregatedGoalRow}) or their columns.
   * @param options - Warning callback and timestamp.
   * @throws {@link DataError} naming the row and column of a missing or malformed cell, a negative count or
   *   sum of squares, or a row without `exp_id` while other rows have it; {@link ValidationError} for an
   *   unknown option, or for a metric that asks for CUPED (path `['metrics', i, 'cuped']`: goal sums carry no
   *   pre-period).
   */
  evaluateAgg(goals: AggregatedGoals, options: EvaluateOptions = {}): Evaluation {
    rejectUnknownKeys(options, EVALUATE_OPTIONS, 'Experiment.evaluateAgg');
    rejectCuped(this.metrics, 'evaluateAgg');
    return evaluateAggregatedGoals(this, goals, options);
  }

  /**
   * Evaluates the experiment from goals aggregated per unit.
   *
   * @remarks
   * The rows are pivoted once: per unit (variant and unit id) and per combination of unit type,
   * aggregation type and dimension values, the totals of every needed goal (rows split over several lines
   * summed, goals a unit lacks zero). Each metric's nominator is evaluated per unit with its goals'
   * functions honoured (`value` the summed value, `count` the count, `unique` 1 for a unit with the goal),
   * so compound nominators such as `value(u.unit.conversion) - value(u.unit.refund)` get the variance of
   * the per-unit net values. With `outlierUpperPercentile` / `outlierLowerPercentile`, per-unit nominator
   * values are capped to the pooled quantiles (linear interpolation) of all units of all variants, the same
   * thresholds for every variant, keeping every unit. Then `sum_value`, `sum_sqr_value` (squares of
   * per-unit values) and `count` (the denominator summed over its units) go through the statistics of
   * {@link Experiment.evaluateAgg}. Checks read per-variant sums of the per-unit totals; exposures are the
   * `count` of `exposure` rows of the unit type with aggregation type `unit`. Missing variants and goals are
   * zero-filled as in aggregated evaluation, with the warnings of {@link Experiment.evaluateAgg}; a unit id
   * found in several variants counts as a unit of each, with one `unit-in-several-variants` warning.
   *
   * A metric of kind `'ratio'` whose nominator and denominator goals are of one unit type and aggregation type
   * is estimated by the delta method over the per-unit values (otherwise it warns `ratio-without-unit-pairs`).
   * A CUPED metric reads its pre-period values from rows with a `pre_days` column equal to its `preDays`
   * (rows with `pre_days` empty or 0 are of the experiment period; pre-period rows of units without an
   * experiment-period row are dropped; without any, it warns `cuped-without-pre-period`).
   *
   * Column arrays (typed arrays for numbers and numeric unit ids, as DuckDB or Arrow give them) are the
   * fastest input and are read without building row objects; see {@link UnitGoals}.
   *
   * @param goals - Rows of {@link UnitGoalRow} or their columns (plain or typed arrays).
   * @param options - Warning callback and timestamp.
   * @throws {@link DataError} naming the row and column of a missing or malformed cell (also a `pre_days` that is
   *   not a whole number of days); {@link ValidationError} for an unknown option, or for a CUPED metric whose
   *   goals are of different unit groups.
   *
   * @example
   * ```ts
   * import { Experiment, Metric } from 'ep-stats';
   * const experiment = new Experiment({
   *   id: 'e', controlVariant: 'a', unitType: 'u',
   *   metrics: [new Metric({ id: 1, name: 'Revenue', nominator: 'value(u.unit.conversion)', denominator: 'count(u.unit.exposure)' })],
   * });
   * const row = (variant: string, unit: string, goal: string, value: number) => ({
   *   exp_id: 'e', exp_variant_id: variant, unit_type: 'u', agg_type: 'unit', goal, unit_id: unit, count: 1, sum_value: value,
   * });
   * const evaluation = experiment.evaluateByUnit([
   *   row('a', '1', 'exposure', 1), row('a', '2', 'exposure', 1), row('a', '1', 'conversion', 4), row('a', '1', 'conversion', 1), row('a', '2', 'conversion', 1),
   *   row('b', '3', 'exposure', 1), row('b', '4', 'exposure', 1), row('b', '3', 'conversion', 4), row('b', '4', 'conversion', 2),
   * ]);
   * evaluation.metrics.map((r) => r.mean); // => [3, 3]
   * evaluation.metrics.map((r) => r.std); // => ~[2.8284271247, 1.4142135624]
   * ```
   */
  evaluateByUnit(goals: UnitGoals, options: EvaluateOptions = {}): Evaluation {
    rejectUnknownKeys(options, EVALUATE_OPTIONS, 'Experiment.evaluateByUnit');
    return evaluateUnitGoals(this, goals, options);
  }

  /**
   * Evaluates the experiment from wide rows, one per variant (see {@link wideToLongGoals}); use it with
   * {@link SimpleMetric} and {@link SimpleSrmCheck}.
   *
   * @param rows - Wide rows: experiment id, variant id, then one column per goal (and `*_squared` columns).
   * @param options - Warning callback and timestamp.
   * @throws {@link DataError} for malformed rows; {@link ValidationError} for an unknown option or a CUPED
   *   metric.
   *
   * @example
   * ```ts
   * import { Experiment, SimpleMetric } from 'ep-stats';
   * const experiment = new Experiment({
   *   id: 'test-simple-metric', controlVariant: 'a', unitType: 'test_unit_type',
   *   metrics: [new SimpleMetric({ id: 1, name: 'Click-through Rate', numerator: 'clicks', denominator: 'views' })],
   * });
   * const evaluation = experiment.evaluateWideAgg([
   *   { exp_id: 'test-simple-metric', variant: 'a', views: 473661, clicks: 48194 },
   *   { exp_id: 'test-simple-metric', variant: 'b', views: 471485, clicks: 47184 },
   * ]);
   * evaluation.metrics[1]?.mean; // => ~0.1000753
   * ```
   */
  evaluateWideAgg(rows: WideGoals, options: EvaluateOptions = {}): Evaluation {
    rejectUnknownKeys(options, EVALUATE_OPTIONS, 'Experiment.evaluateWideAgg');
    rejectCuped(this.metrics, 'evaluateWideAgg');
    return evaluateWideGoals(this, rows, options);
  }

  /**
   * Evaluates the experiment on every day of cumulative goal rows (a `day` column, sums up to that day):
   * each day as {@link Experiment.evaluateAgg} with `dateFor` set to the day; see {@link evaluateTimeline}.
   *
   * @param rows - Cumulative goal rows with a `day` column, e.g. of `compileTimelineGoalsQuery`.
   * @param options - Warning callback (warnings tagged with their day) and timestamp.
   * @returns The long table of metric rows by day, the tagged warnings and each day's evaluation.
   * @throws As {@link evaluateTimeline}.
   *
   * @example
   * ```ts
   * import { Experiment } from 'ep-stats';
   * const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', dateFrom: '2024-01-01', dateTo: '2024-01-05' });
   * experiment.evaluateTimeline([]).days; // => []
   * ```
   */
  evaluateTimeline(rows: readonly TimelineGoalRow[], options: EvaluateOptions = {}): Timeline {
    return evaluateTimeline(this, rows, options);
  }

  /**
   * Evaluates the experiment from per-unit metric sums: one row per metric and variant with the exposed
   * units and the sums of the per-unit nominator `x` and denominator `y`, their squares and cross-product
   * ({@link MetricSumsRow}).
   *
   * @remarks
   * A metric of kind `'mean'` ({@link Metric.kind}) is the mean of `x` over the exposed units, with the
   * statistics of {@link Experiment.evaluateAgg} for `count = units`, `sum_value = sum_x` and
   * `sum_sqr_value = sum_x2`. A metric of kind `'ratio'` is `R = sum_x / sum_y` with its delta-method variance
   * ({@link ratioMomentsMatrix}); its row reports `count = sum_y`, `mean = R`, `std` the linearised standard
   * deviation `sqrt(units Var(R))` and `sampleSize = units`, and its test, Holm, sample size and power use
   * that variance. Checks read the exposed units per variant as the experiment's exposure goal (an SRM
   * check works; a check on other goals is skipped with `check-failed`). Exposures are the exposed units.
   * A metric without a row in some variant (`metric-without-rows`) is NaN there; rows of unknown metric ids
   * are ignored (`unknown-metric-rows`); input without rows of the experiment warns `empty-input`.
   *
   * @param sums - Rows of {@link MetricSumsRow} or their columns ({@link MetricSumsColumns}).
   * @param options - Warning callback and timestamp.
   * @throws {@link DataError} naming the row and column of a missing or malformed cell, a negative `units`,
   *   `sum_x2` or `sum_y2`, or a second row of the same metric and variant; {@link ValidationError} for an
   *   unknown option.
   *
   * @example
   * ```ts
   * import { Experiment, Metric } from 'ep-stats';
   * const experiment = new Experiment({
   *   id: 'checkout', controlVariant: 'a', unitType: 'user',
   *   metrics: [new Metric({ id: 1, name: 'Revenue per order', nominator: 'value(user.unit.order)', denominator: 'count(user.unit.order)' })],
   * });
   * const evaluation = experiment.evaluateMetricSums([
   *   { exp_variant_id: 'a', metric_id: 1, units: 4, sum_x: 150, sum_x2: 10_100, sum_y: 6, sum_y2: 14, sum_xy: 370 },
   *   { exp_variant_id: 'b', metric_id: 1, units: 5, sum_x: 200, sum_x2: 12_000, sum_y: 7, sum_y2: 15, sum_xy: 420 },
   * ]);
   * evaluation.metrics[0]?.mean; // => 25
   * evaluation.metrics[0]?.sampleSize; // => 4
   * ```
   */
  evaluateMetricSums(sums: MetricSumsInput, options: EvaluateOptions = {}): Evaluation {
    rejectUnknownKeys(options, EVALUATE_OPTIONS, 'Experiment.evaluateMetricSums');
    return evaluateMetricSums(this, sums, options);
  }

  /**
   * Evaluates the experiment from goals aggregated per variant, overall and per segment of each of
   * {@link ExperimentOptions.breakdowns}.
   *
   * @remarks
   * Each segment's evaluation is exactly {@link Experiment.evaluateAgg} of that segment's rows alone (every
   * metric, check, exposure and warning, SRM per segment included). With the default
   * `correctionScope: 'metric'` the multiple-testing correction applies within each block as in a report of
   * its own; with `correctionScope: 'report'` the treatments of every metric in every block (overall,
   * segments, `'(other)'`) form one family, so only their p-values and intervals differ from the block's
   * own evaluation (each block is evaluated twice for it). The rows come in one of two shapes
   * (see the segments section of `docs/statistics.md`):
   *
   * - flat: every row carries its segment value in each breakdown column (an empty or `null` cell is the
   *   segment `'(none)'`); the overall block is all rows;
   * - grouped, as a GROUPING SETS statement returns it: a `breakdown` column names the breakdown of each
   *   segment row and is empty on the rows of the totals, which alone make the overall block.
   *
   * Per breakdown, segments are ranked by exposed units (the sum over variants of their evaluation's
   * exposures; ties by value); the top {@link Experiment.breakdownTop} are kept and the rest are evaluated
   * together as `'(other)'`.
   *
   * @param goals - Goal rows ({@link AggregatedGoalRow}) or their columns, with a column per breakdown.
   * @param options - Warning callback (warnings tagged with their segment) and timestamp.
   * @throws {@link DataError} as {@link Experiment.evaluateAgg}, and for a `breakdown` cell that names no
   *   breakdown; {@link ValidationError} as {@link Experiment.evaluateAgg}.
   *
   * @example
   * ```ts
   * import { Experiment, Metric } from 'ep-stats';
   * const experiment = new Experiment({
   *   id: 'e', controlVariant: 'a', unitType: 'u', breakdowns: ['country'],
   *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
   * });
   * const row = (country: string, variant: string, goal: string, aggType: string, count: number) => ({
   *   exp_id: 'e', exp_variant_id: variant, unit_type: 'u', agg_type: aggType, goal, country,
   *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
   * });
   * const result = experiment.evaluateAggSegments([
   *   row('CZ', 'a', 'exposure', 'global', 100), row('CZ', 'b', 'exposure', 'global', 100),
   *   row('CZ', 'a', 'click', 'unit', 10), row('CZ', 'b', 'click', 'unit', 20),
   *   row('SK', 'a', 'exposure', 'global', 50), row('SK', 'b', 'exposure', 'global', 50),
   *   row('SK', 'a', 'click', 'unit', 10), row('SK', 'b', 'click', 'unit', 5),
   * ]);
   * result.overall.metrics.map((r) => r.mean); // => ~[0.1333333333, 0.1666666667]
   * result.segments.map((s) => `${s.value} ${s.exposures}`); // => ['CZ 200', 'SK 100']
   * result.segments[1]?.evaluation.metrics.map((r) => r.mean); // => [0.2, 0.1]
   * ```
   */
  evaluateAggSegments(goals: AggregatedGoals, options: SegmentEvaluateOptions = {}): SegmentedEvaluation {
    rejectUnknownKeys(options, EVALUATE_OPTIONS, 'Experiment.evaluateAggSegments');
    rejectCuped(this.metrics, 'evaluateAggSegments');
    return evaluateSegments(
      this,
      goals,
      (experiment, rows, rowOptions) => experiment.evaluateAgg(rows, rowOptions),
      options,
    );
  }

  /**
   * Evaluates the experiment from goals aggregated per unit, overall and per segment of each of
   * {@link ExperimentOptions.breakdowns}: {@link Experiment.evaluateAggSegments} with
   * {@link Experiment.evaluateByUnit} for each block.
   *
   * @remarks
   * A unit belongs to the segment its rows carry; a unit whose rows carry several values of one breakdown
   * (say an exposure in `CZ` and a click in `SK`) is split between those segments, so a goal query should
   * attribute each unit to one value (the value on its exposure). Percentile capping
   * (`outlierUpperPercentile`) uses each block's own quantiles, as evaluating that block alone does.
   *
   * @param goals - Rows of {@link UnitGoalRow} or their columns, with a column per breakdown.
   * @param options - Warning callback (warnings tagged with their segment) and timestamp.
   * @throws As {@link Experiment.evaluateByUnit}, and {@link DataError} for a `breakdown` cell that names no
   *   breakdown.
   *
   * @example
   * ```ts
   * import { Experiment, Metric } from 'ep-stats';
   * const experiment = new Experiment({
   *   id: 'e', controlVariant: 'a', unitType: 'u', breakdowns: ['platform'],
   *   metrics: [new Metric({ id: 1, name: 'Revenue', nominator: 'value(u.unit.conversion)', denominator: 'count(u.unit.exposure)' })],
   * });
   * const row = (platform: string, variant: string, unit: string, goal: string, value: number) => ({
   *   exp_id: 'e', exp_variant_id: variant, unit_type: 'u', agg_type: 'unit', goal, unit_id: unit, platform, count: 1, sum_value: value,
   * });
   * const result = experiment.evaluateByUnitSegments([
   *   row('ios', 'a', '1', 'exposure', 1), row('ios', 'a', '1', 'conversion', 4),
   *   row('web', 'a', '2', 'exposure', 1), row('web', 'a', '2', 'conversion', 2),
   *   row('web', 'b', '3', 'exposure', 1), row('web', 'b', '3', 'conversion', 6),
   * ]);
   * result.overall.metrics.map((r) => r.mean); // => [3, 6]
   * result.segments.map((s) => [s.value, s.evaluation.metrics.map((r) => r.mean)]); // => [['web', [2, 6]], ['ios', [4]]]
   * ```
   */
  evaluateByUnitSegments(goals: UnitGoals, options: SegmentEvaluateOptions = {}): SegmentedEvaluation {
    rejectUnknownKeys(options, EVALUATE_OPTIONS, 'Experiment.evaluateByUnitSegments');
    return evaluateSegments(
      this,
      goals,
      (experiment, rows, rowOptions) => experiment.evaluateByUnit(rows, rowOptions),
      options,
    );
  }
}

function rejectDuplicateIds(metrics: readonly Metric[]): void {
  const seen = new Set<unknown>();
  metrics.forEach((metric, index) => {
    if (seen.has(metric.id)) {
      throw new ValidationError(`Metric ids must be unique. Id=${String(metric.id)} found more than once.`, [
        'metrics',
        index,
        'id',
      ]);
    }
    seen.add(metric.id);
  });
}

/**
 * Goal sums per variant carry no pre-period values: a CUPED metric is an error there, not a silently
 * unadjusted result.
 */
function rejectCuped(metrics: readonly Metric[], method: string): void {
  const index = metrics.findIndex((metric) => metric.cuped !== undefined);
  if (index === -1) return;
  const metric = metrics[index]!;
  throw new ValidationError(
    `metric '${metric.name}' (id ${String(metric.id)}) asks for CUPED, which needs per-unit values with their pre-period: evaluate with evaluateMetricSums or evaluateByUnit instead of ${method}`,
    ['metrics', index, 'cuped'],
  );
}
