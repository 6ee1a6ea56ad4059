import type { DefinitionId } from '../checks/definition-id.js';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Expression, GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import { parseDefinition } from '../expression/parse-definition.js';
import { type Alternative, validateHypothesis } from '../statistics/alternative.js';

/**
 * Definition of a {@link Metric}.
 *
 * @example
 * ```ts
 * import type { MetricOptions } from 'ep-stats';
 * const ctr: MetricOptions = {
 *   id: 1, name: 'Click-through Rate',
 *   nominator: 'count(test_unit_type.unit.click)', denominator: 'count(test_unit_type.global.exposure)',
 * };
 * ctr.name; // => 'Click-through Rate'
 * ```
 * @public
 */
export interface MetricOptions {
  /** Unique id within the experiment. */
  readonly id: DefinitionId;
  /** Display name. */
  readonly name: string;
  /** Expression summed per variant into `sum_value` (and `sum_sqr_value`). */
  readonly nominator: string;
  /** Expression summed per variant into `count` (the number of units). */
  readonly denominator: string;
  /** Python-style format spec for displaying the mean, default `'{:.2%}'`. */
  readonly metricFormat?: string;
  /** Multiplier applied to the mean for display (e.g. 1000 for per-mille metrics), default 1. */
  readonly metricValueMultiplier?: number;
  /** Minimum relative effect to detect (e.g. 0.1 for 10 %), enabling required sample size and power. */
  readonly minimumEffect?: number | null;
  /** Percentile (in `[0, 50)`) above which per-unit nominator values are capped in by-unit evaluation. */
  readonly outlierUpperPercentile?: number | null;
  /** Percentile (in `[0, 50)`) below which per-unit nominator values are floored in by-unit evaluation. */
  readonly outlierLowerPercentile?: number | null;
  /**
   * How per-unit metric sums are estimated ({@link Experiment.evaluateMetricSums}): `'mean'` when every
   * exposed unit counts once in the denominator, `'ratio'` (the delta method) when the denominator varies per
   * unit. Derived from the denominator when omitted: `count(<unit type>.<aggregation>.exposure)` without
   * dimension conditions is a mean, anything else a ratio.
   */
  readonly kind?: MetricKind;
  /**
   * CUPED variance reduction with the metric's own values over the `preDays` days before the experiment
   * (`[dateFrom - preDays, dateFrom)`) as the covariate. Needs per-unit metric sums with the pre-period
   * columns ({@link Experiment.evaluateMetricSums}, `evaluateByUnit` with pre-period rows, or
   * `SqlDao.getMetricSums`); `evaluateAgg` rejects it. Omitted or `null`: no adjustment.
   */
  readonly cuped?: CupedOptions | null;
  /**
   * The alternative hypothesis of the treatments' tests: `'two-sided'` (default), `'greater'` (higher is
   * better: p-value `P[T > t]`, interval `[lower, +Infinity)`) or `'less'` (lower is better: `P[T < t]`,
   * `(-Infinity, upper]`), each at the experiment's confidence level. See docs/statistics.md, "One-sided and
   * non-inferiority tests".
   */
  readonly alternative?: Alternative;
  /**
   * A non-inferiority margin, relative, strictly between 0 and 1 (0.02: the treatment may be at most 2 %
   * worse). Needs a one-sided `alternative`: with `'greater'` the null hypothesis is `diff <= -margin`, with
   * `'less'` it is `diff >= +margin`; a significant row shows that the treatment is not worse by the margin.
   * Omitted or `null`: the null hypothesis is `diff = 0`.
   */
  readonly nonInferiorityMargin?: number | null;
  /**
   * Which way the metric should move: `'higher'` (conversions, revenue) or `'lower'` (refunds, load time),
   * for the verdict of a significant difference (better or worse) in scorecards and reports; the tests do
   * not change. A one-sided `alternative` implies it (`'greater'`: higher, `'less'`: lower) and may not
   * contradict it. Omitted or `null`: undeclared, and a significant difference is an increase or a decrease.
   */
  readonly preferredDirection?: PreferredDirection | null;
}

/**
 * Which way a metric should move: `'higher'` or `'lower'` is better (see {@link MetricOptions.preferredDirection}).
 *
 * @example
 * ```ts
 * import { Metric, type PreferredDirection } from 'ep-stats';
 * const lower: PreferredDirection = 'lower';
 * new Metric({ id: 1, name: 'Refunds', nominator: 'count(u.unit.refund)', denominator: 'count(u.global.exposure)', preferredDirection: lower })
 *   .preferredDirection; // => 'lower'
 * new Metric({ id: 2, name: 'Time', nominator: 'value(u.unit.t)', denominator: 'count(u.global.exposure)', alternative: 'less' })
 *   .preferredDirection; // => 'lower'
 * ```
 * @public
 */
export type PreferredDirection = 'higher' | 'lower';

/**
 * CUPED options of a metric: the length of the pre-period whose per-unit values adjust the metric.
 *
 * @example
 * ```ts
 * import { Metric, type CupedOptions } from 'ep-stats';
 * const cuped: CupedOptions = { preDays: 14 };
 * new Metric({
 *   id: 1, name: 'Revenue per user', nominator: 'value(u.unit.order)', denominator: 'count(u.global.exposure)', cuped,
 * }).cuped; // => { preDays: 14 }
 * ```
 * @public
 */
export interface CupedOptions {
  /** Days before `dateFrom` whose values are the covariate: a whole number from 1 to 3660. */
  readonly preDays: number;
}

/**
 * How per-unit metric sums estimate a metric: the mean over exposed units, or a ratio of two per-unit sums
 * with the delta-method variance.
 *
 * @example
 * ```ts
 * import { Metric, type MetricKind } from 'ep-stats';
 * const kind: MetricKind = new Metric({
 *   id: 1, name: 'Revenue per order', nominator: 'value(u.unit.order)', denominator: 'count(u.unit.order)',
 * }).kind;
 * kind; // => 'ratio'
 * ```
 * @public
 */
export type MetricKind = 'mean' | 'ratio';

/** The keys of {@link MetricOptions}, in the order error messages list them. */
const METRIC_OPTIONS = optionKeys<MetricOptions>({
  id: true,
  name: true,
  nominator: true,
  denominator: true,
  metricFormat: true,
  metricValueMultiplier: true,
  minimumEffect: true,
  outlierUpperPercentile: true,
  outlierLowerPercentile: true,
  kind: true,
  cuped: true,
  alternative: true,
  nonInferiorityMargin: true,
  preferredDirection: true,
});

/**
 * A metric: the ratio of a nominator to a denominator, both expressions over goals.
 *
 * @remarks
 * Per variant, `mean = sum_value / count` where `sum_value` is the nominator and `count` the denominator
 * summed over the variant's units. The expressions are parsed on construction.
 *
 * Whether the sample size of a row is the denominator (`count`) or unknown (`NaN`) is decided on the
 * parsed denominator, so whitespace and redundant parentheses never change a result: the leftmost goal or
 * number of the denominator decides, and a `value(...)` goal there means the denominator does not count
 * units (the reference tests whether the text starts with `value(`).
 *
 * @throws {@link ValidationError} for an unknown option (naming the closest known one), when an expression
 *   does not parse (its `cause` is the {@link ExpressionError} with the position), when `minimumEffect` is
 *   negative or not a number, when an outlier percentile is outside `[0, 50)`, when `alternative` is not
 *   one of {@link Alternative}, or when `nonInferiorityMargin` is outside `(0, 1)` or given with
 *   `'two-sided'` (path `['nonInferiorityMargin']`).
 *
 * @example
 * ```ts
 * import { Metric, ValidationError } from 'ep-stats';
 * const metric = new Metric({
 *   id: 1, name: 'Click-through Rate',
 *   nominator: 'count(test_unit_type.unit.click)', denominator: 'count(test_unit_type.global.exposure)',
 * });
 * metric.goals.length; // => 2
 * metric.metricFormat; // => '{:.2%}'
 * // A guardrail: checkout time (lower is better) must not get worse by more than 2 %.
 * const checkoutTime = new Metric({
 *   id: 2, name: 'Checkout time',
 *   nominator: 'value(test_unit_type.unit.checkout_seconds)', denominator: 'count(test_unit_type.global.exposure)',
 *   alternative: 'less', nonInferiorityMargin: 0.02,
 * });
 * checkoutTime.nonInferiorityMargin; // => 0.02
 * new Metric({
 *   id: 3, name: 'Checkout time',
 *   nominator: 'value(test_unit_type.unit.checkout_seconds)', denominator: 'count(test_unit_type.global.exposure)',
 *   nonInferiorityMargin: 0.02,
 * }); // throws ValidationError
 * ```
 * @public
 */
export class Metric {
  readonly id: DefinitionId;
  readonly name: string;
  readonly nominator: string;
  readonly denominator: string;
  readonly metricFormat: string;
  readonly metricValueMultiplier: number;
  /** Minimum relative effect, or `undefined` when none was set. */
  readonly minimumEffect: number | undefined;
  readonly outlierUpperPercentile: number | undefined;
  readonly outlierLowerPercentile: number | undefined;
  /** Parsed nominator. */
  readonly nominatorExpression: Expression;
  /** Parsed denominator. */
  readonly denominatorExpression: Expression;
  /** The goals of both expressions, unique by goal key. */
  readonly goals: readonly GoalReference[];
  /** How metric sums estimate it (see {@link MetricOptions.kind}). */
  readonly kind: MetricKind;
  /** CUPED options, or `undefined` when the metric is not adjusted. */
  readonly cuped: CupedOptions | undefined;
  /** Alternative hypothesis of the treatments' tests (see {@link MetricOptions.alternative}). */
  readonly alternative: Alternative;
  /** Relative non-inferiority margin, or `undefined` when none was set. */
  readonly nonInferiorityMargin: number | undefined;
  /** Which way the metric should move, declared or implied by a one-sided `alternative`; else `undefined`. */
  readonly preferredDirection: PreferredDirection | undefined;

  constructor(options: MetricOptions) {
    rejectUnknownKeys(options, METRIC_OPTIONS, 'Metric');
    if (typeof options.id !== 'number' && typeof options.id !== 'string') {
      throw new ValidationError('`id` must be a number or a string', ['id']);
    }
    if (typeof options.name !== 'string') throw new ValidationError('`name` must be a string', ['name']);
    this.id = options.id;
    this.name = options.name;
    this.nominator = options.nominator;
    this.denominator = options.denominator;
    this.nominatorExpression = parseDefinition(options.nominator, ['nominator']);
    this.denominatorExpression = parseDefinition(options.denominator, ['denominator']);
    this.goals = Object.freeze(collectGoals(this.nominatorExpression, this.denominatorExpression));
    this.metricFormat = options.metricFormat ?? '{:.2%}';
    this.metricValueMultiplier = options.metricValueMultiplier ?? 1;
    if (!Number.isFinite(this.metricValueMultiplier)) {
      throw new ValidationError('`metricValueMultiplier` must be a finite number', ['metricValueMultiplier']);
    }
    this.minimumEffect = optionalNumber(options.minimumEffect, 'minimumEffect');
    if (this.minimumEffect !== undefined && this.minimumEffect < 0) {
      throw new ValidationError('minimum_effect must be greater than zero.', ['minimumEffect']);
    }
    this.outlierUpperPercentile = percentile(options.outlierUpperPercentile, 'outlier_upper_percentile', [
      'outlierUpperPercentile',
    ]);
    this.outlierLowerPercentile = percentile(options.outlierLowerPercentile, 'outlier_lower_percentile', [
      'outlierLowerPercentile',
    ]);
    if (options.kind !== undefined && options.kind !== 'mean' && options.kind !== 'ratio') {
      throw new ValidationError(`\`kind\` must be 'mean' or 'ratio', received ${String(options.kind)}`, [
        'kind',
      ]);
    }
    this.kind = options.kind ?? (countsExposures(this.denominatorExpression) ? 'mean' : 'ratio');
    this.cuped = cupedOptions(options.cuped);
    const hypothesis = validateHypothesis(options.alternative, options.nonInferiorityMargin);
    this.alternative = hypothesis.alternative;
    this.nonInferiorityMargin = hypothesis.nonInferiorityMargin;
    this.preferredDirection = preferredDirectionOf(options.preferredDirection, this.alternative);
  }

  /**
   * Whether the sample size is the denominator: false when the leftmost goal or number of the parsed
   * denominator is a `value(...)` goal. @internal
   */
  get denominatorCountsUnits(): boolean {
    return !startsWithValueGoal(this.denominatorExpression);
  }
}

/** Whether an expression is `count(<unit type>.<aggregation>.exposure)` alone, without dimension conditions. */
function countsExposures(expression: Expression): boolean {
  return (
    expression.kind === 'goal' &&
    expression.fn === 'count' &&
    expression.goal === 'exposure' &&
    expression.dimensions.length === 0
  );
}

/**
 * Whether the leftmost leaf of an expression (the term written first, parentheses aside) is a
 * `value(...)` goal: the parsed form of the reference's `denominator.startswith('value(')`.
 */
function startsWithValueGoal(expression: Expression): boolean {
  let node = expression;
  while (node.kind === 'binary') node = node.left;
  return node.kind === 'goal' && node.fn === 'value';
}

function cupedOptions(value: unknown): CupedOptions | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`\`cuped\` must be an object like { preDays: 14 }, received ${String(value)}`, [
      'cuped',
    ]);
  }
  rejectUnknownKeys(value, CUPED_OPTIONS, 'cuped', { path: ['cuped'] });
  const { preDays } = value as { preDays?: unknown };
  if (typeof preDays !== 'number' || !Number.isInteger(preDays) || preDays < 1 || preDays > 3660) {
    throw new ValidationError(
      `\`cuped.preDays\` must be a whole number of days from 1 to 3660, received ${String(preDays)}`,
      ['cuped', 'preDays'],
    );
  }
  return Object.freeze({ preDays });
}

/** The keys of {@link CupedOptions}. */
const CUPED_OPTIONS = optionKeys<CupedOptions>({ preDays: true });

function optionalNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ValidationError(`\`${field}\` must be a number, received ${String(value)}`, [field]);
  }
  return value;
}

function percentile(value: unknown, wireName: string, path: readonly string[]): number | undefined {
  const parsed = optionalNumber(value, path[0] ?? wireName);
  if (parsed === undefined) return undefined;
  if (!(parsed >= 0 && parsed < 50)) {
    throw new ValidationError(
      `\`${wireName}\` must be in \`[0, 50)\` but \`${String(parsed)}\` received.`,
      path,
    );
  }
  return parsed;
}

/** The declared direction, checked against the alternative, or the one the alternative implies. */
function preferredDirectionOf(declared: unknown, alternative: Alternative): PreferredDirection | undefined {
  const implied = alternative === 'greater' ? 'higher' : alternative === 'less' ? 'lower' : undefined;
  if (declared === undefined || declared === null) return implied;
  if (declared !== 'higher' && declared !== 'lower') {
    throw new ValidationError(
      `\`preferredDirection\` must be 'higher' or 'lower', received ${typeof declared === 'string' ? `'${declared}'` : String(declared)}`,
      ['preferredDirection'],
    );
  }
  if (implied !== undefined && declared !== implied) {
    throw new ValidationError(
      `\`preferredDirection\` '${declared}' contradicts \`alternative\` '${alternative}', which tests that ${implied} values are better; give one of them, or make them agree`,
      ['preferredDirection'],
    );
  }
  return declared;
}
