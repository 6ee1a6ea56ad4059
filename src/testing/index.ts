/**
 * ep-stats/testing: the reference test data, a test data access over it, and assertions that compare
 * evaluations with expected results. For tests of code built on ep-stats; Node.js only (reads files).
 *
 * @packageDocumentation
 */

export { assertChecks } from './assert-checks.js';
export { assertEvaluation } from './assert-evaluation.js';
export { assertExposures } from './assert-exposures.js';
export { assertMetrics } from './assert-metrics.js';
export type { AssertEvaluationOptions, ExpectedEvaluations, ExpectedRow } from './expected-row.js';
export { packageFolder } from './package-data-folder.js';
export { TestDao } from './test-dao.js';
export { TestDaoFactory } from './test-dao-factory.js';
export { TestData } from './test-data.js';
export type { TestDataSource } from './test-data-source.js';
