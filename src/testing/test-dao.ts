import type { AggregatedGoalRow, Dao, Experiment, UnitGoalRow } from '../index.js';
import { filterAggregatedGoals } from './filter-aggregated-goals.js';
import { filterUnitGoals } from './filter-unit-goals.js';
import { TestData } from './test-data.js';
import type { TestDataSource } from './test-data-source.js';

/**
 * A `Dao` over the bundled reference test data (or any {@link TestDataSource}), applying an
 * experiment's dates and filters as the reference's test data access does.
 *
 * @remarks
 * Aggregated goals ({@link TestDao.getAggGoals}): the experiment's rows; with both `dateFrom` and `dateTo`
 * those dated within [dateFrom, min(dateTo, dateFor)] (with one of them, that bound alone), rows without a
 * date dropped once a bound is given; then each filter: `exposure` keeps non-exposure rows and exposure rows
 * whose dimension cell is one of the values, `goal` keeps exposure rows and rows whose dimension cell is one
 * of the values, `trigger` keeps exposure rows and the trigger goal's rows (those with one of the values
 * when the filter has a dimension and values).
 *
 * Goals per unit ({@link TestDao.getUnitGoals}): the experiment's rows, dates ignored; rows name their
 * dimension in `dimension` / `dimension_value`. Filters apply in order: `exposure` and `trigger` each
 * collect the units of the exposure rows / trigger-goal rows that match; `goal` keeps exposure rows and
 * matching rows right away (later filters see only those); at the end only units in every collected set
 * remain.
 *
 * Empty dimension cells match no value; filter values are compared as text. A filter on a dimension that
 * no row has, or a date range over rows without a `date` column, rejects with a `DataError`. Each
 * call reads the data afresh; {@link TestDao.close} does nothing.
 *
 * @example
 * ```ts
 * import { Experiment, Filter } from 'ep-stats';
 * import { TestDao } from 'ep-stats/testing';
 * const experiment = new Experiment({
 *   id: 'test-trigger', controlVariant: 'a', unitType: 'test_unit_type',
 *   filters: [
 *     new Filter({ scope: 'trigger', goal: 'click', dimension: 'product', values: ['1'] }),
 *     new Filter({ scope: 'exposure', dimension: 'country', values: ['FR'] }),
 *   ],
 * });
 * const rows = await new TestDao().getUnitGoals(experiment);
 * [...new Set(rows.map((row) => row.unit_id))]; // => ['1', '26', '29']
 * ```
 * @public
 */
export class TestDao implements Dao {
  readonly #source: TestDataSource;

  /**
   * @param source - Where the goal rows come from; the bundled reference data ({@link TestData}) by default.
   */
  constructor(source: TestDataSource = TestData) {
    this.#source = source;
  }

  /**
   * The experiment's goals aggregated per variant, dates and filters applied.
   *
   * @param experiment - Its `id`, `dateFrom`, `dateTo`, `dateFor` and `filters` are read.
   * @returns Rows in the source's order.
   * @throws `DataError` (as a rejection) for a filter dimension or a `date` column that the rows lack.
   *
   * @example
   * ```ts
   * import { Experiment } from 'ep-stats';
   * import { TestDao } from 'ep-stats/testing';
   * const experiment = new Experiment({
   *   id: 'test-sequential-v2', controlVariant: 'a', unitType: 'test_unit_type',
   *   dateFrom: '2020-01-01', dateTo: '2020-01-14', dateFor: '2020-01-10',
   * });
   * const rows = await new TestDao().getAggGoals(experiment);
   * [...new Set(rows.map((row) => row.date))]; // => ['2020-01-01', '2020-01-05', '2020-01-10']
   * ```
   */
  async getAggGoals(experiment: Experiment): Promise<AggregatedGoalRow[]> {
    return filterAggregatedGoals(this.#source.loadGoalsAgg(experiment.id), experiment);
  }

  /**
   * The experiment's goals aggregated per unit, filters applied.
   *
   * @param experiment - Its `id` and `filters` are read.
   * @returns Rows in the source's order.
   * @throws `DataError` (as a rejection) when a filter needs the `dimension` / `dimension_value`
   *   columns and the rows lack them.
   *
   * @example
   * ```ts
   * import { Experiment } from 'ep-stats';
   * import { TestDao } from 'ep-stats/testing';
   * const experiment = new Experiment({ id: 'test-real-valued', controlVariant: 'a', unitType: 'test_unit_type' });
   * (await new TestDao().getUnitGoals(experiment)).length; // => 75
   * ```
   */
  async getUnitGoals(experiment: Experiment): Promise<UnitGoalRow[]> {
    return filterUnitGoals(this.#source.loadGoalsByUnit(experiment.id), experiment);
  }

  /**
   * Does nothing: the data is read per call.
   *
   * @example
   * ```ts
   * import { TestDao } from 'ep-stats/testing';
   * await new TestDao().close(); // => undefined
   * ```
   */
  async close(): Promise<void> {}
}
