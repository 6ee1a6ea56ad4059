import type { TimelineGoalRow } from '../experiment/evaluate-timeline.js';
import type { Experiment } from '../experiment/experiment.js';
import type { AggregatedGoals, UnitGoals } from '../goals/goal-rows.js';
import type { MetricSumsInput } from '../goals/metric-sums-rows.js';

/**
 * Data access: turns an abstract {@link Experiment} into goal rows from the adopter's storage.
 *
 * @remarks
 * An implementation translates the experiment's goals (`experiment.goals`, with their dimension conditions),
 * its filters, date range and query parameters into queries (SQL, Spark, ...) that return goals aggregated
 * per variant ({@link AggregatedGoalRow}) or per unit ({@link UnitGoalRow}). A dimension cell of a returned
 * row must hold the goal's stored dimension value (e.g. `^button-1`, `>1`) so that the engine can match it.
 * One Dao serves one request and is closed afterwards.
 *
 * @example
 * ```ts
 * import { Experiment, type Dao } from 'ep-stats';
 * const dao: Dao = {
 *   getAggGoals: async () => [],
 *   getUnitGoals: async () => [],
 *   close: async () => {},
 * };
 * typeof dao.getAggGoals; // => 'function'
 * ```
 * @public
 */
export interface Dao {
  /** Goals aggregated per variant for the experiment. */
  getAggGoals(experiment: Experiment): Promise<AggregatedGoals>;
  /** Goals aggregated per unit for the experiment. */
  getUnitGoals(experiment: Experiment): Promise<UnitGoals>;
  /**
   * Per-unit metric sums of the experiment's metrics ({@link MetricSumsRow}), with the pre-period columns
   * for metrics that ask for CUPED. Optional: services that need them report a Dao without it.
   */
  getMetricSums?(experiment: Experiment): Promise<MetricSumsInput>;
  /**
   * Goals aggregated per variant and per segment of each of the experiment's `breakdowns`, with the totals
   * (flat or grouped rows, see `Experiment.evaluateAggSegments`). Optional: services that need it (a request
   * with `breakdowns`) report a Dao without it.
   */
  getAggGoalSegments?(experiment: Experiment): Promise<AggregatedGoals>;
  /**
   * Cumulative goals aggregated per variant for every day of the experiment ({@link TimelineGoalRow}).
   * Optional: services that need it (a request with `timeline`) report a Dao without it.
   */
  getTimelineGoals?(experiment: Experiment): Promise<readonly TimelineGoalRow[]>;
  /** Releases the Dao's resources (connections, cursors). */
  close(): Promise<void>;
}

/**
 * Creates one {@link Dao} per request; injected into services that evaluate experiments.
 *
 * @example
 * ```ts
 * import type { Dao, DaoFactory } from 'ep-stats';
 * const factory: DaoFactory = {
 *   getDao: async (): Promise<Dao> => ({ getAggGoals: async () => [], getUnitGoals: async () => [], close: async () => {} }),
 * };
 * typeof factory.getDao; // => 'function'
 * ```
 * @public
 */
export interface DaoFactory {
  getDao(): Promise<Dao>;
}
