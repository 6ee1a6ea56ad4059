/**
 * The module each statistics worker thread loads (built as `dist/statistics-worker.js`): the pool calls its
 * `runStatisticsJob` export with one job at a time. See statistics-pool.ts.
 */
export { runStatisticsJob } from './statistics-job.js';
