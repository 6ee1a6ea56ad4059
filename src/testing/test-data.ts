import type { AggregatedGoalRow, UnitGoalRow, WideGoals } from '../index.js';
import type { ExpectedEvaluations, ExpectedRow } from './expected-row.js';
import { readDataCsv } from './read-data-csv.js';

const AGGREGATED_NUMBERS = new Set(['count', 'sum_sqr_count', 'sum_value', 'sum_sqr_value', 'count_unique']);
const UNIT_NUMBERS = new Set(['count', 'sum_value']);
const METRIC_TEXT = new Set(['exp_id', 'exp_variant_id', 'metric_name']);
const CHECK_TEXT = new Set(['exp_id', 'check_name', 'variable_id']);
const EXPOSURE_TEXT = new Set(['exp_id', 'exp_variant_id', 'unit_type', 'agg_type', 'goal']);

/**
 * The public test data of the reference ep-stats package, bundled with this package: goal tables of about
 * thirty test experiments and their expected evaluations.
 *
 * @remarks
 * Files (in the package's `fixtures/ep-stats/` folder; data of the Python package ep-stats, MIT licence,
 * Copyright (c) 2020 Avast Software):
 * - `goals_agg.csv`: goals aggregated per variant, with a `date` column (`YYYY-MM-DD`, empty for
 *   experiments without dates) and the dimension columns `element` and `product`;
 * - `goals_by_unit.csv`: goals per unit of `test-real-valued` and `test-trigger`, with the dimension of
 *   each row in the `dimension` / `dimension_value` columns (what filters read);
 * - `goals_simple_agg.csv`: wide rows of `test-simple-metric` (experiment id, variant, one column per goal);
 * - `evaluations_*.csv`: the expected metrics, checks and exposures, computed in a spreadsheet (about ten
 *   significant digits).
 *
 * Every load reads the file afresh and returns new row objects. Text cells are strings (an empty dimension
 * cell is `''`, unit ids are strings too); the goals' numeric columns and every column of the evaluations
 * except ids and names are numbers, with the spreadsheet's `N/A` read as NaN and `inf` as Infinity. Node.js only (reads files).
 *
 * @example
 * ```ts
 * import { TestData } from 'ep-stats/testing';
 * const goals = TestData.loadGoalsAgg('test-conversion');
 * goals.length; // => 6
 * goals.map((row) => row.count); // => [5, 7, 9, 21, 26, 30]
 * ```
 * @public
 */
// biome-ignore lint/complexity/noStaticOnlyClass: the class itself is the default TestDataSource of TestDao
export class TestData {
  /**
   * Goals aggregated per variant (`goals_agg.csv`), of one experiment when `expId` is given.
   *
   * @param expId - Experiment id, e.g. `test-conversion`; all experiments when omitted.
   * @returns Rows in file order: `exp_id`, `date`, `exp_variant_id`, `unit_type`, `agg_type`, `goal`,
   *   `element`, `product` (text), `count`, `sum_sqr_count`, `sum_value`, `sum_sqr_value`, `count_unique`.
   *
   * @example
   * ```ts
   * import { TestData } from 'ep-stats/testing';
   * const rows = TestData.loadGoalsAgg('test-dim-operators');
   * rows.map((row) => row.product); // => ['', '', '>1', '>1', '!=1', '!=1']
   * [rows[2]?.goal, rows[2]?.element, rows[2]?.date]; // => ['view', '^button-1', '']
   * TestData.loadGoalsAgg().length; // => 206
   * ```
   */
  static loadGoalsAgg(expId?: string): AggregatedGoalRow[] {
    return readDataCsv(
      'goals_agg.csv',
      (column) => !AGGREGATED_NUMBERS.has(column),
      expId,
    ) as AggregatedGoalRow[];
  }

  /**
   * Goals aggregated per unit (`goals_by_unit.csv`), of one experiment when `expId` is given.
   *
   * @param expId - Experiment id: `test-real-valued` or `test-trigger`; all experiments when omitted.
   * @returns Rows in file order: `exp_id`, `exp_variant_id`, `unit_type`, `agg_type`, `goal`, `dimension`,
   *   `dimension_value`, `unit_id` (text), `count`, `sum_value`.
   *
   * @example
   * ```ts
   * import { TestData } from 'ep-stats/testing';
   * const rows = TestData.loadGoalsByUnit('test-trigger');
   * rows.length; // => 88
   * rows[0]; // => { exp_id: 'test-trigger', exp_variant_id: 'a', unit_type: 'test_unit_type', agg_type: 'unit', goal: 'exposure', dimension: 'country', dimension_value: 'FR', unit_id: '1', count: 1, sum_value: 1 }
   * ```
   */
  static loadGoalsByUnit(expId?: string): UnitGoalRow[] {
    return readDataCsv('goals_by_unit.csv', (column) => !UNIT_NUMBERS.has(column), expId) as UnitGoalRow[];
  }

  /**
   * Goals in wide form (`goals_simple_agg.csv`), for `Experiment.evaluateWideAgg`.
   *
   * @remarks
   * The keys keep the file's column order, which the wide form relies on: experiment id (`exp_id`),
   * variant (`variant`), then one column per goal (`views`, `clicks`, `conversions`, `bookings`) and the
   * squares column `bookings_squared`.
   *
   * @param expId - Experiment id (the file holds `test-simple-metric` only); all rows when omitted.
   * @returns One row per variant.
   *
   * @example
   * ```ts
   * import { TestData } from 'ep-stats/testing';
   * const [a] = TestData.loadGoalsSimpleAgg('test-simple-metric');
   * Object.keys(a ?? {}); // => ['exp_id', 'variant', 'views', 'clicks', 'conversions', 'bookings', 'bookings_squared']
   * a?.views; // => 473661
   * ```
   */
  static loadGoalsSimpleAgg(expId?: string): WideGoals {
    return readDataCsv('goals_simple_agg.csv', (_column, position) => position < 2, expId);
  }

  /**
   * The expected evaluations (`evaluations_metrics.csv`, `evaluations_checks.csv`,
   * `evaluations_exposures.csv`), of one experiment when `expId` is given.
   *
   * @remarks
   * Metric rows have the reference's columns (`metric_id`, `exp_variant_id`, `sum_value`, `mean`, `diff`,
   * `p_value`, `confidence_interval`, ...) plus the spreadsheet's intermediate steps (`absolute_diff`,
   * `degrees of freedom`, `p_value (unadjusted)`, ...). A metric of an experiment appears once per
   * definition used by the reference's tests, so an experiment may list more metrics than one definition
   * has. Exposure rows hold the exposures in `count`. Pass them to {@link assertMetrics},
   * {@link assertChecks}, {@link assertExposures} or {@link assertEvaluation}.
   *
   * @param expId - Experiment id; all experiments when omitted.
   * @returns Expected metrics, checks and exposures.
   *
   * @example
   * ```ts
   * import { TestData } from 'ep-stats/testing';
   * const { metrics, checks, exposures } = TestData.loadEvaluations('test-conversion');
   * metrics.map((row) => [row.exp_variant_id, row.p_value]); // => [['a', 1], ['b', 1], ['c', 1]]
   * metrics[0]?.required_sample_size; // => NaN
   * exposures.map((row) => row.count); // => [21, 26, 30]
   * checks.length; // => 3
   * ```
   */
  static loadEvaluations(expId?: string): ExpectedEvaluations {
    const read = (file: string, text: ReadonlySet<string>): ExpectedRow[] => readDataCsv(file, text, expId);
    return {
      metrics: read('evaluations_metrics.csv', METRIC_TEXT),
      checks: read('evaluations_checks.csv', CHECK_TEXT),
      exposures: read('evaluations_exposures.csv', EXPOSURE_TEXT),
    };
  }
}
