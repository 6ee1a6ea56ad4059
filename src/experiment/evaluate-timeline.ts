import { DataError } from '../errors/data-error.js';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import type { AggregatedGoalRow, AggregatedGoals, GoalCell } from '../goals/goal-rows.js';
import { parseCalendarDate } from './calendar-date.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { Evaluation, EvaluationWarning, MetricRow } from './evaluation.js';
import { experimentWith } from './experiment-with.js';

/**
 * One row of cumulative goal sums for one day of a timeline: an {@link AggregatedGoalRow} whose sums cover
 * the events up to and including `day` (as `compileTimelineGoalsQuery` of `ep-stats/sql` returns them).
 *
 * @example
 * ```ts
 * import type { TimelineGoalRow } from 'ep-stats';
 * const row: TimelineGoalRow = {
 *   day: '2024-01-02', exp_variant_id: 'a', unit_type: 'u', agg_type: 'global', goal: 'exposure',
 *   count: 10, sum_sqr_count: 10, sum_value: 0, sum_sqr_value: 0, count_unique: 10,
 * };
 * row.count; // => 10
 * ```
 * @public
 */
export interface TimelineGoalRow extends AggregatedGoalRow {
  /** The day, `YYYY-MM-DD`, up to and including which the row's sums run. */
  readonly day: GoalCell;
}

/**
 * One row of a timeline: a {@link MetricRow} of the evaluation for `day`.
 *
 * @example
 * ```ts
 * import type { TimelineRow } from 'ep-stats';
 * const byDay = (rows: readonly TimelineRow[]) => new Map(rows.map((row) => [`${row.day}/${row.expVariantId}`, row.diff]));
 * byDay([]).size; // => 0
 * ```
 * @public
 */
export type TimelineRow = MetricRow & {
  /** The day evaluated, `YYYY-MM-DD`. */
  readonly day: string;
};

/**
 * A warning of one day's evaluation of a timeline.
 *
 * @example
 * ```ts
 * import type { TimelineWarning } from 'ep-stats';
 * const days = (warnings: readonly TimelineWarning[]) => [...new Set(warnings.map((warning) => warning.day))];
 * days([]); // => []
 * ```
 * @public
 */
export type TimelineWarning = EvaluationWarning & {
  /** The day whose evaluation raised the warning. */
  readonly day: string;
};

/**
 * The evaluation of every day of an experiment: a long table of metric rows by day.
 *
 * @example
 * ```ts
 * import type { Timeline } from 'ep-stats';
 * const lastDay = (timeline: Timeline) => timeline.days.at(-1);
 * lastDay({ days: ['2024-01-01', '2024-01-02'], metrics: [], warnings: [], evaluations: [] }); // => '2024-01-02'
 * ```
 * @public
 */
export interface Timeline {
  /** The days evaluated, ascending. */
  readonly days: readonly string[];
  /** The metric rows of every day: day ascending, then as in {@link Evaluation.metrics}. */
  readonly metrics: readonly TimelineRow[];
  /** The warnings of every day's evaluation, tagged with the day. */
  readonly warnings: readonly TimelineWarning[];
  /** The evaluation of each day, in the order of `days`. */
  readonly evaluations: readonly Evaluation[];
}

/**
 * What a timeline reads of an experiment (an `Experiment`): its start and its aggregated evaluation. The
 * experiment is evaluated on each day through a copy of it (same prototype and fields) with `dateFor` set to
 * that day.
 *
 * @example
 * ```ts
 * import { Experiment, type TimelineExperiment } from 'ep-stats';
 * const experiment: TimelineExperiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', dateFrom: '2024-01-01' });
 * experiment.evaluateAgg([]).metrics.length; // => 0
 * ```
 * @public
 */
export interface TimelineExperiment {
  readonly dateFrom: string | undefined;
  evaluateAgg(goals: AggregatedGoals, options?: EvaluateOptions): Evaluation;
}

/** The keys of {@link EvaluateOptions}, in the order error messages list them. */
const TIMELINE_OPTIONS = optionKeys<EvaluateOptions>({ onWarning: true, timestamp: true });

/**
 * Evaluates an experiment on every day of cumulative goal rows: the rows of each day (see
 * {@link TimelineGoalRow}) are evaluated by `Experiment.evaluateAgg` of the experiment with `dateFor` set to
 * that day.
 *
 * @remarks
 * Day N of the timeline is thus exactly the evaluation on day N of the data up to day N: with `dateFrom` and
 * `dateTo` its confidence level is the O'Brien-Fleming level of day N ({@link sequentialConfidenceLevel}),
 * and its p-values and intervals are those of `evaluateAgg`. The days are those present in the rows (a day
 * without rows is not evaluated), ascending. The `day` column is removed before the rows are evaluated.
 *
 * @param experiment - The experiment.
 * @param rows - Cumulative goal rows with a `day` column.
 * @param options - Warning callback (called with each warning tagged with its day) and timestamp.
 * @returns The days, the long table of metric rows, the tagged warnings and the evaluation of each day.
 * @throws {@link DataError} for a `day` that is not a `YYYY-MM-DD` date or is before `dateFrom`;
 *   {@link ValidationError} for an unknown option; and as `Experiment.evaluateAgg`.
 *
 * @example
 * ```ts
 * import { Experiment, Metric, evaluateTimeline } from 'ep-stats';
 * const experiment = new Experiment({
 *   id: 'e', controlVariant: 'a', unitType: 'u', dateFrom: '2024-01-01', dateTo: '2024-01-10',
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 * });
 * const row = (day: string, variant: string, goal: string, count: number) => ({
 *   day, exp_variant_id: variant, unit_type: 'u', agg_type: goal === 'exposure' ? 'global' : 'unit', goal,
 *   count, sum_sqr_count: count, sum_value: 0, sum_sqr_value: 0, count_unique: count,
 * });
 * const timeline = evaluateTimeline(experiment, [
 *   row('2024-01-01', 'a', 'exposure', 100), row('2024-01-01', 'b', 'exposure', 100),
 *   row('2024-01-01', 'a', 'click', 10), row('2024-01-01', 'b', 'click', 12),
 *   row('2024-01-10', 'a', 'exposure', 1000), row('2024-01-10', 'b', 'exposure', 1000),
 *   row('2024-01-10', 'a', 'click', 100), row('2024-01-10', 'b', 'click', 120),
 * ]);
 * timeline.days; // => ['2024-01-01', '2024-01-10']
 * timeline.metrics.map((metric) => metric.confidenceLevel); // => [0.9999, 0.9999, 0.95, 0.95]
 * timeline.metrics[3]?.mean; // => 0.12
 * ```
 * @public
 */
export function evaluateTimeline(
  experiment: TimelineExperiment,
  rows: readonly TimelineGoalRow[],
  options: EvaluateOptions = {},
): Timeline {
  rejectUnknownKeys(options, TIMELINE_OPTIONS, 'Experiment.evaluateTimeline');
  const byDay = new Map<string, AggregatedGoalRow[]>();
  rows.forEach((row, index) => {
    const { day, ...goals } = row;
    let number: number;
    try {
      number = parseCalendarDate(day, 'day');
    } catch (error) {
      throw new DataError(
        `\`day\` must be a date YYYY-MM-DD, received ${JSON.stringify(day) ?? String(day)}`,
        {
          row: index,
          column: 'day',
        },
        { cause: error },
      );
    }
    if (experiment.dateFrom !== undefined && number < parseCalendarDate(experiment.dateFrom, 'dateFrom')) {
      throw new DataError(
        `\`day\` ${String(day)} is before the experiment's \`dateFrom\` (${experiment.dateFrom})`,
        {
          row: index,
          column: 'day',
        },
      );
    }
    const list = byDay.get(day as string) ?? [];
    list.push(goals);
    byDay.set(day as string, list);
  });
  const days = [...byDay.keys()].sort();
  const metrics: TimelineRow[] = [];
  const warnings: TimelineWarning[] = [];
  const evaluations = days.map((day) => {
    const onWarning = (warning: EvaluationWarning) => options.onWarning?.(Object.freeze({ ...warning, day }));
    const evaluation = experimentWith(experiment, { dateFor: day }).evaluateAgg(byDay.get(day) ?? [], {
      onWarning,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    });
    for (const row of evaluation.metrics) metrics.push(Object.freeze({ day, ...row }));
    for (const warning of evaluation.warnings) warnings.push(Object.freeze({ ...warning, day }));
    return evaluation;
  });
  return Object.freeze({
    days: Object.freeze(days),
    metrics: Object.freeze(metrics),
    warnings: Object.freeze(warnings),
    evaluations: Object.freeze(evaluations),
  });
}
