import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { Metric, type MetricOptions } from './metric.js';

/**
 * Definition of a {@link SimpleMetric}: column names instead of expressions.
 *
 * @example
 * ```ts
 * import type { SimpleMetricOptions } from 'ep-stats';
 * const options: SimpleMetricOptions = { id: 1, name: 'Click-through Rate', numerator: 'clicks', denominator: 'views' };
 * options.numerator; // => 'clicks'
 * ```
 * @public
 */
export interface SimpleMetricOptions extends Omit<MetricOptions, 'nominator' | 'denominator' | 'cuped'> {
  /** Column (goal) name summed into the nominator. */
  readonly numerator: string;
  /** Column (goal) name summed into the denominator. */
  readonly denominator: string;
  /** Unit type of the generated goals, default `'test_unit_type'`. */
  readonly unitType?: string;
}

/** The keys of {@link SimpleMetricOptions}, in the order error messages list them. */
const SIMPLE_METRIC_OPTIONS = optionKeys<SimpleMetricOptions>({
  id: true,
  name: true,
  numerator: true,
  denominator: true,
  unitType: true,
  metricFormat: true,
  metricValueMultiplier: true,
  minimumEffect: true,
  outlierUpperPercentile: true,
  outlierLowerPercentile: true,
  kind: true,
  alternative: true,
  nonInferiorityMargin: true,
  preferredDirection: true,
});

/**
 * A metric over wide, one-row-per-variant data: `value(<unitType>.global.<numerator>)` over
 * `value(<unitType>.global.<denominator>)`.
 *
 * @remarks
 * Unlike a {@link Metric} with a `value(...)` denominator, its sample size is the denominator.
 *
 * @throws {@link ValidationError} for an unknown option (naming the closest known one, e.g. `numerator`
 *   for `nominator`), otherwise as {@link Metric}.
 *
 * @example
 * ```ts
 * import { SimpleMetric } from 'ep-stats';
 * const metric = new SimpleMetric({ id: 1, name: 'Click-through Rate', numerator: 'clicks', denominator: 'views' });
 * metric.nominator; // => 'value(test_unit_type.global.clicks)'
 * metric.denominator; // => 'value(test_unit_type.global.views)'
 * ```
 * @public
 */
export class SimpleMetric extends Metric {
  constructor(options: SimpleMetricOptions) {
    rejectUnknownKeys(options, SIMPLE_METRIC_OPTIONS, 'SimpleMetric');
    const unitType = options.unitType ?? 'test_unit_type';
    const { numerator, denominator, unitType: _unitType, ...rest } = options;
    super({
      ...rest,
      nominator: `value(${unitType}.global.${numerator})`,
      denominator: `value(${unitType}.global.${denominator})`,
    });
  }

  override get denominatorCountsUnits(): boolean {
    return true;
  }
}
