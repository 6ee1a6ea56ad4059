import type {
  Alternative,
  DefinitionId,
  Evaluation,
  Experiment,
  MetricRow,
  MultipleTestingCorrection,
  PreferredDirection,
} from '../../index.js';
import { type Verdict, verdictOf } from './verdict.js';

/**
 * One variant of one metric in a {@link Scorecard}. The control's row has its units and mean only: its
 * comparison fields are `undefined` (a comparison with itself means nothing).
 *
 * @example
 * ```ts
 * import type { ScorecardRow } from 'ep-stats/report';
 * const control: ScorecardRow = { variant: 'a', control: true, units: 1000, mean: 0.1 };
 * control.diff; // => undefined
 * ```
 * @public
 */
export interface ScorecardRow {
  /** The variant id, verbatim. */
  readonly variant: string;
  readonly control: boolean;
  /** The denominator: units (or the denominator's value for a `value(...)` denominator). */
  readonly units: number;
  readonly mean: number;
  /** Relative difference to the control mean, `(mean - control) / |control|`, and its interval. */
  readonly diff?: number;
  readonly diffLower?: number;
  readonly diffUpper?: number;
  /** Absolute difference `mean - control` and its interval (same level). */
  readonly absoluteDiff?: number;
  readonly absoluteLower?: number;
  readonly absoluteUpper?: number;
  /** The p-value as the evaluation reports it (corrected for multiple testing where it was). */
  readonly pValue?: number;
  /** The level of this row's interval (`MetricRow.intervalConfidenceLevel`). */
  readonly level?: number;
  readonly verdict?: Verdict;
}

/**
 * One metric of a {@link Scorecard}: its display settings, its test and its rows in the experiment's variant
 * order (the control first when the experiment lists no variants).
 *
 * @example
 * ```ts
 * import type { ScorecardMetric } from 'ep-stats/report';
 * const rowsOf = (metric: ScorecardMetric) => metric.rows.map((row) => row.variant);
 * rowsOf({ id: 1, name: 'CTR', format: '{:.2%}', multiplier: 1, alternative: 'two-sided', rows: [], warnings: [] }); // => []
 * ```
 * @public
 */
export interface ScorecardMetric {
  readonly id: DefinitionId;
  readonly name: string;
  /** The metric's `metricFormat` (a Python format spec) and `metricValueMultiplier`, for the mean. */
  readonly format: string;
  readonly multiplier: number;
  readonly alternative: Alternative;
  readonly nonInferiorityMargin?: number;
  readonly preferredDirection?: PreferredDirection;
  readonly rows: readonly ScorecardRow[];
  /**
   * The evaluation's warnings about this metric (those whose `metricIds` name it: a goal without rows, a
   * negative variance, a small sample, ...), so that its numbers are never shown without them.
   */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
}

/**
 * An evaluation arranged for reading: per metric, one row per variant in the experiment's order, with the
 * verdict of each treatment and the method that produced the numbers.
 *
 * @example
 * ```ts
 * import type { Scorecard } from 'ep-stats/report';
 * const metricNames = (scorecard: Scorecard) => scorecard.metrics.map((metric) => metric.name);
 * metricNames.length; // => 1
 * ```
 * @public
 */
export interface Scorecard {
  readonly experimentId: string;
  readonly controlVariant: string;
  /** The variants in the order of the rows. */
  readonly variants: readonly string[];
  /** The experiment's confidence level, as configured. */
  readonly confidenceLevel: number;
  /** The level of this evaluation's intervals before any correction (lower early in a sequential test). */
  readonly evaluationLevel: number;
  readonly correction: MultipleTestingCorrection;
  readonly correctionScope: 'metric' | 'report';
  /** The tuning sample size of always-valid intervals, when the experiment uses confidence sequences. */
  readonly confidenceSequenceTuning?: number;
  readonly metrics: readonly ScorecardMetric[];
}

/**
 * Arranges an evaluation as a {@link Scorecard}.
 *
 * @remarks
 * Variants keep their ids verbatim. Their order is the experiment's `variants` when it lists them, otherwise
 * the control first and then the evaluation's order. A metric without a row for some variant (a variant
 * absent from its data) lists only the rows it has.
 *
 * @param experiment - The evaluated experiment.
 * @param evaluation - Its evaluation (or a segment's, or a timeline day's).
 * @returns The scorecard.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { buildScorecard } from 'ep-stats/report';
 * const experiment = new Experiment({
 *   id: 'e', controlVariant: 'control', unitType: 'u', variants: ['control', 'iOS variant'],
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 * });
 * const row = (variant: string, goal: string, count: number) => ({
 *   exp_id: 'e', exp_variant_id: variant, unit_type: 'u', agg_type: goal === 'exposure' ? 'global' : 'unit', goal,
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * });
 * const scorecard = buildScorecard(experiment, experiment.evaluateAgg([
 *   row('control', 'exposure', 1000), row('iOS variant', 'exposure', 1000),
 *   row('control', 'click', 100), row('iOS variant', 'click', 150),
 * ]));
 * scorecard.metrics[0]?.rows.map((r) => [r.variant, r.mean, r.verdict]); // => [['control', 0.1, undefined], ['iOS variant', 0.15, 'increase']]
 * ```
 * @public
 */
export function buildScorecard(experiment: Experiment, evaluation: Evaluation): Scorecard {
  const control = experiment.controlVariant;
  const seen = [...new Set(evaluation.metrics.map((row) => row.expVariantId))];
  const variants = experiment.variants ?? [
    control,
    ...[...new Set([...evaluation.exposures.map((row) => row.expVariantId), ...seen])].filter(
      (variant) => variant !== control,
    ),
  ];
  const rowsByMetric = new Map<DefinitionId, Map<string, MetricRow>>();
  for (const row of evaluation.metrics) {
    const byVariant = rowsByMetric.get(row.metricId) ?? new Map<string, MetricRow>();
    byVariant.set(row.expVariantId, row);
    rowsByMetric.set(row.metricId, byVariant);
  }
  const metrics = experiment.metrics.map((metric): ScorecardMetric => {
    const byVariant = rowsByMetric.get(metric.id) ?? new Map<string, MetricRow>();
    const rows = variants.flatMap((variant): ScorecardRow[] => {
      const row = byVariant.get(variant);
      if (row === undefined) return [];
      if (variant === control) return [{ variant, control: true, units: row.count, mean: row.mean }];
      return [
        {
          variant,
          control: false,
          units: row.count,
          mean: row.mean,
          diff: row.diff,
          diffLower: row.confidenceLower,
          diffUpper: row.confidenceUpper,
          absoluteDiff: row.absoluteDiff,
          absoluteLower: row.absoluteDiffLower,
          absoluteUpper: row.absoluteDiffUpper,
          pValue: row.pValue,
          level: row.intervalConfidenceLevel,
          verdict: verdictOf(row, metric),
        },
      ];
    });
    return {
      id: metric.id,
      name: metric.name,
      format: metric.metricFormat,
      multiplier: metric.metricValueMultiplier,
      alternative: metric.alternative,
      ...(metric.nonInferiorityMargin === undefined
        ? {}
        : { nonInferiorityMargin: metric.nonInferiorityMargin }),
      ...(metric.preferredDirection === undefined ? {} : { preferredDirection: metric.preferredDirection }),
      rows,
      warnings: evaluation.warnings
        .filter((warning) => warning.metricIds?.includes(metric.id) === true)
        .map(({ code, message }) => ({ code, message })),
    };
  });
  return {
    experimentId: experiment.id,
    controlVariant: control,
    variants,
    confidenceLevel: experiment.confidenceLevel,
    evaluationLevel: evaluation.confidenceLevel,
    correction: experiment.correction,
    correctionScope: experiment.correctionScope,
    ...(evaluation.confidenceSequenceTuning === undefined
      ? {}
      : { confidenceSequenceTuning: evaluation.confidenceSequenceTuning }),
    metrics,
  };
}
