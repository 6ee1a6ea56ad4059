import type { DefinitionId } from '../checks/definition-id.js';
import type { WideColumn } from './metric-wide-table.js';

/** A run of adjacent columns of one metric: the span of the metric's header cell. */
export interface MetricColumnGroup {
  readonly metricId: DefinitionId;
  readonly metricName: string;
  /** Index of the group's first column. */
  readonly start: number;
  /** Number of columns in the group. */
  readonly count: number;
}

/**
 * Splits table columns into runs of the same metric, for a header row that spans each metric's columns.
 *
 * @internal
 */
export function metricColumnGroups(columns: readonly WideColumn[]): MetricColumnGroup[] {
  const groups: MetricColumnGroup[] = [];
  columns.forEach((column, index) => {
    const last = groups[groups.length - 1];
    if (last !== undefined && Object.is(last.metricId, column.metricId)) {
      groups[groups.length - 1] = { ...last, count: last.count + 1 };
    } else {
      groups.push({ metricId: column.metricId, metricName: column.metricName, start: index, count: 1 });
    }
  });
  return groups;
}
