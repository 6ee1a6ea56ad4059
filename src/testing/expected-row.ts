/**
 * One row of expected results, with the reference's snake_case column names.
 *
 * @remarks
 * Rows of {@link TestData.loadEvaluations} (the spreadsheet evaluations, `N/A` read as NaN) and rows of the
 * reference's own result tables both fit: numeric cells may be numbers or text (`'0.95'`, `'N/A'`,
 * `'NaN'`, `'Infinity'`); `null` stands for a value that is not available.
 *
 * @example
 * ```ts
 * import type { ExpectedRow } from 'ep-stats/testing';
 * const row: ExpectedRow = { exp_id: 'test-conversion', metric_id: 1, exp_variant_id: 'b', p_value: 0.8244735669 };
 * row.exp_variant_id; // => 'b'
 * ```
 * @public
 */
export type ExpectedRow = Readonly<Record<string, string | number | null>>;

/**
 * Expected metrics, checks and exposures of the reference test data (see {@link TestData.loadEvaluations}).
 *
 * @example
 * ```ts
 * import { TestData, type ExpectedEvaluations } from 'ep-stats/testing';
 * const expected: ExpectedEvaluations = TestData.loadEvaluations('test-srm');
 * expected.checks.map((row) => row.variable_id); // => ['p_value', 'test_stat', 'confidence_level']
 * ```
 * @public
 */
export interface ExpectedEvaluations {
  /** One row per experiment, metric and variant. */
  readonly metrics: readonly ExpectedRow[];
  /** One row per experiment, check and check variable. */
  readonly checks: readonly ExpectedRow[];
  /** One row per experiment, variant, unit type, aggregation type and goal (`count` = exposures). */
  readonly exposures: readonly ExpectedRow[];
}

/**
 * Options of {@link assertMetrics}, {@link assertChecks}, {@link assertExposures} and
 * {@link assertEvaluation}.
 *
 * @example
 * ```ts
 * import type { AssertEvaluationOptions } from 'ep-stats/testing';
 * const strict: AssertEvaluationOptions = { tolerance: 1e-9, columns: ['mean', 'std', 'p_value'] };
 * strict.tolerance; // => 1e-9
 * ```
 * @public
 */
export interface AssertEvaluationOptions {
  /**
   * Largest accepted absolute difference; p-values and confidence intervals accept ten times as much.
   * Default 1e-3 (so 1e-2 for p-values and intervals), the tolerances of the reference's own tests.
   */
  readonly tolerance?: number;
  /**
   * Metric columns to compare (snake_case, e.g. `std`, `degrees_of_freedom`). Default: those the
   * reference's tests compare: `sum_value`, `diff`, `mean`, `p_value`, `confidence_interval`,
   * `confidence_level`, `sample_size`, `required_sample_size`, `power`, `false_positive_risk`,
   * `minimum_effect`. A column missing from an expected row is not compared.
   */
  readonly columns?: readonly string[];
  /** Only expected exposure rows of this unit type count (rows with a `unit_type` column). Default: all. */
  readonly unitType?: string;
}
