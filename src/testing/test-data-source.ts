import type { AggregatedGoalRow, UnitGoalRow } from '../index.js';

/**
 * Where a {@link TestDao} reads its goal rows: {@link TestData} (the bundled reference data) or your own.
 *
 * @remarks
 * Aggregated rows carry the dimension columns the filters name and, for date ranges, a `date` column
 * (`YYYY-MM-DD`); by-unit rows carry `dimension` and `dimension_value` columns for the filters. A source
 * may ignore `expId`: the Dao keeps only the experiment's rows anyway.
 *
 * @example
 * ```ts
 * import type { TestDataSource } from 'ep-stats/testing';
 * const source: TestDataSource = { loadGoalsAgg: () => [], loadGoalsByUnit: () => [] };
 * source.loadGoalsAgg('test-conversion').length; // => 0
 * ```
 * @public
 */
export interface TestDataSource {
  /** Goals aggregated per variant, of one experiment when `expId` is given. */
  loadGoalsAgg(expId?: string): readonly AggregatedGoalRow[];
  /** Goals aggregated per unit, of one experiment when `expId` is given. */
  loadGoalsByUnit(expId?: string): readonly UnitGoalRow[];
}
