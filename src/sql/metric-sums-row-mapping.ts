import { type DefinitionId, METRIC_SUMS_PRE_PERIOD_COLUMNS, type MetricSumsRow } from '../index.js';
import type { SqlRow } from './sql-client.js';

/** A text cell: `''` for null. */
function text(cell: unknown): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/**
 * A numeric cell as a number (drivers return bigints or decimal strings for some types). A null sum, which
 * the statement does not produce, is NaN, so that `evaluateMetricSums` reports it rather than reading 0.
 */
function number(cell: unknown): number {
  if (typeof cell === 'number') return cell;
  if (cell === null || cell === undefined) return Number.NaN;
  return Number(cell);
}

const NUMBERS = ['units', 'sum_x', 'sum_x2', 'sum_y', 'sum_y2', 'sum_xy'] as const;
const COVARIATES = METRIC_SUMS_PRE_PERIOD_COLUMNS;

/**
 * Result rows of the metric sums query as {@link MetricSumsRow}s: `exp_id` and `exp_variant_id` as strings,
 * `metric_id` as the id of the experiment's metric it names (a number stays a number; other text is kept),
 * numbers as numbers, and the pre-period columns only when `withCovariates`; sorted by metric (in the
 * experiment's order), then variant (code point order).
 *
 * @internal
 */
export function toMetricSumsRows(
  rows: readonly SqlRow[],
  metricIds: readonly DefinitionId[],
  withCovariates: boolean,
): MetricSumsRow[] {
  const position = new Map(metricIds.map((id, index) => [String(id), index]));
  const mapped = rows.map((row) => {
    const metricText = text(row.metric_id);
    const index = position.get(metricText);
    const out: Record<string, string | number | DefinitionId> = {
      exp_id: text(row.exp_id),
      exp_variant_id: text(row.exp_variant_id),
      metric_id: index === undefined ? metricText : metricIds[index]!,
    };
    for (const column of NUMBERS) out[column] = number(row[column]);
    if (withCovariates) for (const column of COVARIATES) out[column] = number(row[column]);
    return { row: out as unknown as MetricSumsRow, order: index ?? metricIds.length };
  });
  mapped.sort((a, b) => {
    if (a.order !== b.order) return a.order - b.order;
    const left = a.row.exp_variant_id;
    const right = b.row.exp_variant_id;
    return left < right ? -1 : left > right ? 1 : 0;
  });
  return mapped.map(({ row }) => row);
}
