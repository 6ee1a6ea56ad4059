import { ValidationError } from '../errors/validation-error.js';
import type { Expression, GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import { parseDefinition } from './parse-definition.js';

/**
 * Identifier of a metric or a check, unique within an experiment.
 *
 * @example
 * ```ts
 * import type { DefinitionId } from 'ep-stats';
 * const ids: DefinitionId[] = [1, 'ctr'];
 * ids.length; // => 2
 * ```
 * @public
 */
export type DefinitionId = number | string;

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
}

/**
 * A metric: the ratio of a nominator to a denominator, both expressions over goals.
 *
 * @remarks
 * Per variant, `mean = sum_value / count` where `sum_value` is the nominator and `count` the denominator
 * summed over the variant's units. The expressions are parsed on construction.
 *
 * @throws {@link ValidationError} when an expression does not parse (its `cause` is the
 *   {@link ExpressionError} with the position), when `minimumEffect` is negative or not a number, or when an
 *   outlier percentile is outside `[0, 50)`.
 *
 * @example
 * ```ts
 * import { Metric } from 'ep-stats';
 * const metric = new Metric({
 *   id: 1, name: 'Click-through Rate',
 *   nominator: 'count(test_unit_type.unit.click)', denominator: 'count(test_unit_type.global.exposure)',
 * });
 * metric.goals.length; // => 2
 * metric.metricFormat; // => '{:.2%}'
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

  constructor(options: MetricOptions) {
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
  }

  /** Whether the sample size is the denominator (false for a `value(...)` denominator). @internal */
  get denominatorCountsUnits(): boolean {
    return !this.denominator.startsWith('value(');
  }
}

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
