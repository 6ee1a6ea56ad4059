import type { DaoFactory } from '../index.js';
import { TestDao } from './test-dao.js';
import { TestData } from './test-data.js';
import type { TestDataSource } from './test-data-source.js';

/**
 * A `DaoFactory` that hands out a new {@link TestDao} per request, for testing services that take a
 * factory.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { TestDaoFactory } from 'ep-stats/testing';
 * const dao = await new TestDaoFactory().getDao();
 * const experiment = new Experiment({ id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type' });
 * (await dao.getAggGoals(experiment)).length; // => 6
 * await dao.close();
 * ```
 * @public
 */
export class TestDaoFactory implements DaoFactory {
  readonly #source: TestDataSource;

  /**
   * @param source - Where the Daos read their goal rows; the bundled reference data ({@link TestData}) by
   *   default.
   */
  constructor(source: TestDataSource = TestData) {
    this.#source = source;
  }

  /**
   * A new {@link TestDao} over the factory's source.
   *
   * @example
   * ```ts
   * import { TestDaoFactory } from 'ep-stats/testing';
   * const factory = new TestDaoFactory({ loadGoalsAgg: () => [], loadGoalsByUnit: () => [] });
   * (await factory.getDao()) !== (await factory.getDao()); // => true
   * ```
   */
  async getDao(): Promise<TestDao> {
    return new TestDao(this.#source);
  }
}
