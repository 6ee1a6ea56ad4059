import type { DefinitionId } from '../checks/definition-id.js';
import type { Evaluation, MetricRow } from '../experiment/evaluation.js';

/**
 * A statistic shown per metric in a {@link WideTable}.
 *
 * @remarks
 * `mean` is the variant's metric value, `diff` the relative difference to the control (the impact),
 * `confLower` and `confUpper` the bounds of its confidence interval (the rows' `confidenceLower` and
 * `confidenceUpper`), `pValue` the p-value of the difference.
 *
 * @example
 * ```ts
 * import type { WideStatistic } from 'ep-stats';
 * const statistic: WideStatistic = 'confLower';
 * statistic; // => 'confLower'
 * ```
 * @public
 */
export type WideStatistic = 'mean' | 'diff' | 'confLower' | 'confUpper' | 'pValue';

/**
 * The statistics of each metric in a {@link WideTable}, in column order.
 *
 * @example
 * ```ts
 * import { WIDE_STATISTICS } from 'ep-stats';
 * WIDE_STATISTICS; // => ['mean', 'diff', 'confLower', 'confUpper', 'pValue']
 * ```
 * @public
 */
export const WIDE_STATISTICS: readonly WideStatistic[] = Object.freeze([
  'mean',
  'diff',
  'confLower',
  'confUpper',
  'pValue',
]);

/**
 * One column of a {@link WideTable}: one statistic of one metric.
 *
 * @example
 * ```ts
 * import type { WideColumn } from 'ep-stats';
 * const column: WideColumn = { metricId: 1, metricName: 'Click-through Rate', statistic: 'diff' };
 * column.statistic; // => 'diff'
 * ```
 * @public
 */
export interface WideColumn {
  readonly metricId: DefinitionId;
  readonly metricName: string;
  readonly statistic: WideStatistic;
}

/**
 * One row of a {@link WideTable}: one variant of one experiment.
 *
 * @example
 * ```ts
 * import type { WideRow } from 'ep-stats';
 * const row: WideRow = { expId: 'test-conversion', expVariantId: 'b', values: [0.27, 0.13, -1.05, 1.31, 0.82] };
 * row.values.length; // => 5
 * ```
 * @public
 */
export interface WideRow {
  readonly expId: string;
  readonly expVariantId: string;
  /** One value per column of the table, in the same order; NaN where the evaluation has no row. */
  readonly values: readonly number[];
}

/**
 * Metric results in wide form: one row per (experiment, variant), one column per (metric, statistic).
 *
 * @example
 * ```ts
 * import type { WideTable } from 'ep-stats';
 * const table: WideTable = { columns: [], rows: [] };
 * table.rows.length; // => 0
 * ```
 * @public
 */
export interface WideTable {
  /** Metrics in id order, each with the statistics of {@link WIDE_STATISTICS}. */
  readonly columns: readonly WideColumn[];
  /** Rows sorted by experiment id, then variant id. */
  readonly rows: readonly WideRow[];
}

/**
 * Reshapes the metric rows of an evaluation from long form (one row per metric and variant) to wide form
 * (one row per variant, the statistics of every metric side by side).
 *
 * @remarks
 * Each metric contributes the five columns of {@link WIDE_STATISTICS}: `mean`, `diff`, `confLower` and
 * `confUpper` (the row's `confidenceLower` and `confidenceUpper`, the reference's
 * `diff -+ confidence_interval`, so `confLower <= confUpper` also for a negative control mean) and `pValue`. Metrics are
 * ordered by id (numbers ascending, then strings in code-unit order), rows by experiment id and then variant
 * id. A (metric, variant) pair without a row gets NaN values; NaN values are kept, not dropped. Format the
 * table for display with {@link formatWideTable}.
 *
 * @param evaluation - An {@link Evaluation}, or anything with its `metrics` rows.
 * @returns The wide table, frozen.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { Experiment, Metric, toWideTable } from 'ep-stats';
 * const experiment = new Experiment({
 *   id: 'ctr', controlVariant: 'a', unitType: 'u',
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 * });
 * const goal = (variant: string, aggType: string, name: string, count: number) => ({
 *   exp_id: 'ctr', exp_variant_id: variant, unit_type: 'u', agg_type: aggType, goal: name,
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * });
 * const evaluation = experiment.evaluateAgg([
 *   goal('a', 'unit', 'click', 5), goal('b', 'unit', 'click', 7),
 *   goal('a', 'global', 'exposure', 21), goal('b', 'global', 'exposure', 26),
 * ]);
 * const table = toWideTable(evaluation);
 * table.columns.map((column) => column.statistic); // => ['mean', 'diff', 'confLower', 'confUpper', 'pValue']
 * table.rows.map((row) => row.expVariantId); // => ['a', 'b']
 * table.rows[1]!.values; // => ~[0.2692307692, 0.1307692308, -1.0510294626, 1.3125679241, 0.8244735669]
 * ```
 * @public
 */
export function toWideTable(evaluation: Pick<Evaluation, 'metrics'>): WideTable {
  const metrics = new Map<string, { id: DefinitionId; name: string }>();
  const variants = new Map<string, { expId: string; expVariantId: string }>();
  const byCell = new Map<string, MetricRow>();
  for (const row of evaluation.metrics) {
    const metric = metricKey(row.metricId);
    const variant = JSON.stringify([row.expId, row.expVariantId]);
    if (!metrics.has(metric)) metrics.set(metric, { id: row.metricId, name: row.metricName });
    if (!variants.has(variant)) variants.set(variant, { expId: row.expId, expVariantId: row.expVariantId });
    byCell.set(`${variant}\n${metric}`, row);
  }
  const orderedMetrics = [...metrics.values()].sort((a, b) => compareIds(a.id, b.id));
  const columns = orderedMetrics.flatMap((metric) =>
    WIDE_STATISTICS.map((statistic) =>
      Object.freeze({ metricId: metric.id, metricName: metric.name, statistic }),
    ),
  );
  const orderedVariants = [...variants.entries()].sort(
    ([, a], [, b]) => compareText(a.expId, b.expId) || compareText(a.expVariantId, b.expVariantId),
  );
  const rows = orderedVariants.map(([variant, { expId, expVariantId }]) => {
    const values = orderedMetrics.flatMap((metric) => {
      const row = byCell.get(`${variant}\n${metricKey(metric.id)}`);
      return WIDE_STATISTICS.map((statistic) =>
        row === undefined ? Number.NaN : statisticOf(row, statistic),
      );
    });
    return Object.freeze({ expId, expVariantId, values: Object.freeze(values) });
  });
  return Object.freeze({ columns: Object.freeze(columns), rows: Object.freeze(rows) });
}

function statisticOf(row: MetricRow, statistic: WideStatistic): number {
  switch (statistic) {
    case 'mean':
      return row.mean;
    case 'diff':
      return row.diff;
    case 'confLower':
      return row.confidenceLower;
    case 'confUpper':
      return row.confidenceUpper;
    default:
      return row.pValue;
  }
}

/** Distinguishes the number `1` from the string `'1'`. */
function metricKey(id: DefinitionId): string {
  return `${typeof id}:${id}`;
}

/** Numbers ascending, then strings in code-unit order. */
function compareIds(a: DefinitionId, b: DefinitionId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
