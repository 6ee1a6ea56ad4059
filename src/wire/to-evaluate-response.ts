import type { CheckRow, Evaluation, EvaluationSegment, Experiment, MetricRow, Timeline } from '../index.js';
import type { EvaluateResponse, MetricStat } from './evaluate-response-schema.js';
import { toResponseWarning } from './to-response-warning.js';

/**
 * What a `POST /evaluate` response holds besides the evaluation: the segments of a drill-down
 * (`evaluateAggSegments(...).segments`) and the timeline (`evaluateTimeline`).
 *
 * @example
 * ```ts
 * import type { ResponseAnalysis } from 'ep-stats/server';
 * const none: ResponseAnalysis = {};
 * Object.keys(none).length; // => 0
 * ```
 * @public
 */
export interface ResponseAnalysis {
  readonly segments?: readonly EvaluationSegment[] | undefined;
  readonly timeline?: Timeline | undefined;
}

/**
 * Converts an `Evaluation` into the `POST /evaluate` response of the reference (its `Result`).
 *
 * @remarks
 * One entry per metric and check of the experiment, in definition order, each with its rows (variants
 * sorted; a check that could not be evaluated has no rows); `exposure` holds the unit type and the
 * exposures per variant. Metric rows keep the reference's twelve members in its order, followed by the added
 * `confidence_lower`, `confidence_upper`, `absolute_diff`, `absolute_diff_lower`, `absolute_diff_upper` and
 * `significant` ({@link metricStatSchema}), and on rows of a CUPED metric (rows that have `cupedTheta` and
 * `varianceReduction`) then `cuped_theta` and `variance_reduction`; non-finite numbers stay as they are (see
 * {@link encodeResponseBody}). The added top-level `warnings` holds the evaluation's warnings in snake_case
 * ({@link responseWarningSchema}). A metric with a one-sided `alternative` ends with `alternative`, and with
 * `non_inferiority_margin` when it has one; a two-sided metric has neither (the reference's layout).
 *
 * @param experiment - The evaluated experiment (its metrics and checks give the order, ids and names).
 * @param evaluation - Its evaluation (with breakdowns: the `overall` block of the segmented evaluation).
 * @param analysis - The segments of a drill-down and the timeline, when the request asked for them: they
 *   become `segments` and `timeline`, and their warnings join `warnings` tagged with `segment` or `day`.
 * @returns The response object.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { toEvaluateResponse } from 'ep-stats/server';
 * const experiment = new Experiment({
 *   id: 'e', controlVariant: 'a', unitType: 'u', variants: ['a', 'b'],
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 * });
 * const response = toEvaluateResponse(experiment, experiment.evaluateAgg([]));
 * response.exposure; // => { unit_type: 'u', stats: [{ exp_variant_id: 'a', count: 0 }, { exp_variant_id: 'b', count: 0 }] }
 * response.metrics[0]?.stats.map((stat) => stat.mean); // => [NaN, NaN]
 * response.warnings.map((warning) => warning.code).includes('empty-input'); // => true
 * ```
 * @public
 */
export function toEvaluateResponse(
  experiment: Experiment,
  evaluation: Evaluation,
  analysis: ResponseAnalysis = {},
): EvaluateResponse {
  const { segments, timeline } = analysis;
  const warnings = evaluation.warnings.map(toResponseWarning);
  for (const { breakdown, value, evaluation: block } of segments ?? []) {
    for (const warning of block.warnings)
      warnings.push(toResponseWarning({ ...warning, segment: { breakdown, value } }));
  }
  for (const warning of timeline?.warnings ?? []) warnings.push(toResponseWarning(warning));
  return {
    id: experiment.id,
    ...resultBlock(experiment, evaluation),
    warnings,
    ...(segments === undefined
      ? {}
      : {
          segments: segments.map((segment) => ({
            breakdown: segment.breakdown,
            value: segment.value,
            ...(segment.folded === undefined ? {} : { folded: [...segment.folded] }),
            exposures: segment.exposures,
            ...resultBlock(experiment, segment.evaluation),
          })),
        }),
    ...(timeline === undefined
      ? {}
      : {
          timeline: timeline.days.map((day, index) => ({
            day,
            ...resultBlock(experiment, timeline.evaluations[index]!),
          })),
        }),
  };
}

/** The metrics, checks and exposures of one evaluation, in the response's shape. */
function resultBlock(experiment: Experiment, evaluation: Evaluation) {
  const metricRows = groupBy(evaluation.metrics, (row) => row.metricId);
  const checkRows = groupBy(evaluation.checks, (row) => row.checkId);
  return {
    metrics: experiment.metrics.map((metric) => ({
      id: metric.id,
      name: metric.name,
      stats: (metricRows.get(metric.id) ?? []).map(toMetricStat),
      ...(metric.alternative === 'two-sided' ? {} : { alternative: metric.alternative }),
      ...(metric.nonInferiorityMargin === undefined
        ? {}
        : { non_inferiority_margin: metric.nonInferiorityMargin }),
    })),
    checks: experiment.checks.map((check) => ({
      id: check.id,
      name: check.name,
      stats: (checkRows.get(check.id) ?? []).map((row: CheckRow) => ({
        variable_id: row.variableId,
        value: row.value,
      })),
    })),
    exposure: {
      unit_type: experiment.unitType,
      stats: evaluation.exposures.map((row) => ({ exp_variant_id: row.expVariantId, count: row.exposures })),
    },
  };
}

function toMetricStat(row: MetricRow): MetricStat {
  return {
    exp_variant_id: row.expVariantId,
    diff: row.diff,
    mean: row.mean,
    std: row.std,
    sum_value: row.sumValue,
    p_value: row.pValue,
    confidence_interval: row.confidenceInterval,
    confidence_level: row.confidenceLevel,
    sample_size: row.sampleSize,
    required_sample_size: row.requiredSampleSize,
    power: row.power,
    false_positive_risk: row.falsePositiveRisk,
    confidence_lower: row.confidenceLower,
    confidence_upper: row.confidenceUpper,
    absolute_diff: row.absoluteDiff,
    absolute_diff_lower: row.absoluteDiffLower,
    absolute_diff_upper: row.absoluteDiffUpper,
    significant: row.significant,
    ...(row.cupedTheta === undefined ? {} : { cuped_theta: row.cupedTheta }),
    ...(row.varianceReduction === undefined ? {} : { variance_reduction: row.varianceReduction }),
  };
}

function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return groups;
}
