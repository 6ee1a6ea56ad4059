import {
  type Check,
  Experiment,
  Filter,
  Metric,
  SrmCheck,
  SumRatioCheck,
  ValidationError,
} from '../index.js';
import type {
  CheckDefinition,
  EvaluateRequest,
  FilterDefinition,
  MetricDefinition,
} from './evaluate-request-schema.js';

/**
 * Builds the `Experiment` that a validated `POST /evaluate` body describes.
 *
 * @remarks
 * Metrics become `Metric`s (the wire's `cuped: { pre_days }` is the option `cuped: { preDays }`,
 * `alternative`, `non_inferiority_margin` and `preferred_direction` the options `alternative`,
 * `nonInferiorityMargin` and `preferredDirection`), `SRM`
 * checks `SrmCheck`s (`expected_weights` is `expectedWeights`), the request's `correction`,
 * `correction_scope`, `sequential`, `sequential_tuning`, `breakdowns` and `breakdown_top` the experiment's
 * options of those names in camelCase, `SumRatio` checks `SumRatioCheck`s and filters `Filter`s (the wire's
 * `value` is the filter's `values`); `null` stands for absent. `evaluate_from` and `timeline` are not part of the
 * experiment: they say which evaluation to run ({@link resolveEvaluateFrom}).
 * The constructors check the definition once more: a `ValidationError` they throw is re-thrown with
 * the path in the wire's snake_case names from the body's root (`['metrics', 0, 'outlier_upper_percentile']`).
 * A `date_from` after today without `date_for` is not an error: the evaluation warns
 * (`evaluated-before-start`).
 *
 * @param request - A body that passed {@link validateEvaluateRequest}.
 * @returns The experiment.
 * @throws `ValidationError` with a wire path when the library rejects the definition.
 *
 * @example
 * ```ts
 * import { toExperiment } from 'ep-stats/server';
 * const experiment = toExperiment({
 *   id: 'test-dimension', control_variant: 'a', variants: ['a', 'b'], unit_type: 'test_unit_type', query_parameters: {},
 *   metrics: [{ id: 1, name: 'Views', nominator: 'count(test_unit_type.unit.view)', denominator: 'count(test_unit_type.global.exposure)', minimum_effect: 0.05 }],
 *   checks: [{ id: 1, name: 'SRM', type: 'SRM', denominator: 'count(test_unit_type.global.exposure)' }],
 *   filters: [{ scope: 'goal', dimension: 'element', value: ['button-1'] }],
 * });
 * [experiment.controlVariant, experiment.metrics[0]?.minimumEffect, experiment.filters[0]?.values]; // => ['a', 0.05, ['button-1']]
 * const adjusted = toExperiment({
 *   id: 'checkout', control_variant: 'a', unit_type: 'user', query_parameters: {}, date_from: '2024-03-01', checks: [],
 *   metrics: [{ id: 1, name: 'Revenue per user', nominator: 'value(user.unit.order)', denominator: 'count(user.global.exposure)', cuped: { pre_days: 14 } }],
 * });
 * adjusted.metrics[0]?.cuped; // => { preDays: 14 }
 * ```
 * @public
 */
export function toExperiment(request: EvaluateRequest): Experiment {
  const metrics = request.metrics.map((metric, index) => atPath(['metrics', index], () => toMetric(metric)));
  const checks = request.checks.map((check, index) => atPath(['checks', index], () => toCheck(check)));
  const filters = (request.filters ?? []).map((filter, index) =>
    atPath(['filters', index], () => toFilter(filter)),
  );
  return atPath([], () => {
    return new Experiment({
      id: request.id,
      controlVariant: request.control_variant,
      unitType: request.unit_type,
      metrics,
      checks,
      filters,
      dateFrom: request.date_from ?? null,
      dateTo: request.date_to ?? null,
      dateFor: request.date_for ?? null,
      variants: request.variants ?? null,
      nullHypothesisRate: request.null_hypothesis_rate ?? null,
      queryParameters: request.query_parameters,
      ...testingOptionsOf(request),
    });
  });
}

function toMetric(metric: MetricDefinition): Metric {
  return new Metric({
    id: metric.id,
    name: metric.name,
    nominator: metric.nominator,
    denominator: metric.denominator,
    minimumEffect: metric.minimum_effect ?? null,
    outlierUpperPercentile: metric.outlier_upper_percentile ?? null,
    outlierLowerPercentile: metric.outlier_lower_percentile ?? null,
    ...(metric.kind === undefined || metric.kind === null ? {} : { kind: metric.kind }),
    ...(metric.cuped === undefined || metric.cuped === null
      ? {}
      : { cuped: { preDays: metric.cuped.pre_days } }),
    ...hypothesisOf(metric),
  });
}

function toCheck(check: CheckDefinition): Check {
  if (check.type === 'SumRatio') {
    return new SumRatioCheck({
      id: check.id,
      name: check.name,
      nominator: check.nominator ?? '',
      denominator: check.denominator,
    });
  }
  return new SrmCheck({
    id: check.id,
    name: check.name,
    denominator: check.denominator,
    ...(check.expected_weights === undefined || check.expected_weights === null
      ? {}
      : { expectedWeights: check.expected_weights }),
  });
}

function toFilter(filter: FilterDefinition): Filter {
  return new Filter({
    scope: filter.scope,
    dimension: filter.dimension ?? null,
    values: filter.value ?? null,
    goal: filter.goal ?? null,
  });
}

const WIRE_NAMES: Readonly<Record<string, string>> = { values: 'value' };

/** The experiment's testing options that the request sets (none: the library's defaults, as before). */
function testingOptionsOf(request: EvaluateRequest) {
  return {
    ...(request.correction == null ? {} : { correction: request.correction }),
    ...(request.correction_scope == null ? {} : { correctionScope: request.correction_scope }),
    ...(request.sequential == null ? {} : { sequential: request.sequential }),
    ...(request.sequential_tuning == null ? {} : { sequentialTuning: request.sequential_tuning }),
    ...(request.breakdowns == null ? {} : { breakdowns: request.breakdowns }),
    ...(request.breakdown_top == null ? {} : { breakdownTop: request.breakdown_top }),
  };
}

/** A metric's alternative and non-inferiority margin, when the request sets them. */
function hypothesisOf(metric: MetricDefinition) {
  return {
    ...(metric.alternative == null ? {} : { alternative: metric.alternative }),
    ...(metric.non_inferiority_margin == null ? {} : { nonInferiorityMargin: metric.non_inferiority_margin }),
    ...(metric.preferred_direction == null ? {} : { preferredDirection: metric.preferred_direction }),
  };
}

/** Runs `build`, re-throwing a ValidationError with its path in wire names under `prefix`. */
function atPath<T>(prefix: readonly (string | number)[], build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // A member of `expectedWeights` is a variant id, kept as it is.
    const path = error.path.map((part, index) =>
      typeof part === 'number' || error.path[index - 1] === 'expectedWeights'
        ? part
        : (WIRE_NAMES[part] ?? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
    );
    throw new ValidationError(error.message, [...prefix, ...path], { cause: error });
  }
}
