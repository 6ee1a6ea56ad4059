import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that need a database server, DuckDB, or a child process (the CLI, tsup, tsc, npm, python3).
 * The full suite (`vitest run`, this config) runs them; the unit subset (vitest.unit.config.ts) leaves them
 * out. Files that merely skip their database part when no server runs are not listed.
 */
export const SLOW_TEST_FILES: readonly string[] = [
  // PostgreSQL, ClickHouse and DuckDB (the servers started by the global setups below).
  'test/sql/equivalence.test.ts',
  'test/sql/clickhouse-same-rows.test.ts',
  'test/sql/clickhouse-distributed.test.ts',
  'test/sql/dimension-conditions.test.ts',
  'test/sql/injection.test.ts',
  'test/sql/reference-outputs.test.ts',
  'test/sql/string-literal.test.ts',
  'test/sql/sql-dao.test.ts',
  'test/sql/generate-events.test.ts',
  'test/sql/metric-sums.test.ts',
  'test/sql/breakdown-goals.test.ts',
  'test/sql/timeline-goals.test.ts',
  'test/sql/story-events.test.ts',
  'test/server/drill-down-timeline-wire.test.ts',
  // The ep-stats program (tsx), tsup builds and the packed package (npm pack, tsc).
  'test/cli/atomic-output.test.ts',
  'test/cli/build.test.ts',
  'test/cli/events-paths.test.ts',
  'test/cli/evaluate.test.ts',
  'test/cli/evaluate-events.test.ts',
  'test/cli/evaluate-drill-down.test.ts',
  'test/cli/demo.test.ts',
  // Headless Chromium (test/report/support/browser-page.ts).
  'test/report/browser-harness.test.ts',
  'test/report/html-report-browser.test.ts',
  'test/cli/evaluate-metric-sums.test.ts',
  'test/cli/generate-events.test.ts',
  'test/cli/help-examples.test.ts',
  'test/cli/sample-size.test.ts',
  'test/cli/serve.test.ts',
  'test/cli/serve-data.test.ts',
  'test/package/**',
  'test/results/notebook-example.test.ts',
  'test/results/ratio-cuped-guide.test.ts',
  'test/results/drill-down-and-timeline-guide.test.ts',
  // The documentation site's programs and commands (DuckDB, the database servers, the ep-stats program).
  'test/docs/check-*.test.ts',
  'test/docs/bigquery-stand-in.test.ts',
  // python3 reading the wire format.
  'test/server/python-clients.test.ts',
  // A client process and worker threads, timed.
  'test/server/statistics-threads.test.ts',
];

/**
 * Test options shared with vitest.unit.config.ts.
 *
 * At least three test files run at once, also on a two-core machine, where vitest's default (one worker
 * less than the cores) runs them one by one: much of the suite waits for child processes and database
 * servers rather than for the CPU, so three workers more than halve the full run on two cores, with the
 * slowest file (test/sql/equivalence.test.ts) running alongside the rest.
 */
export const sharedTestOptions = {
  include: ['test/**/*.test.ts'],
  testTimeout: 120_000,
  hookTimeout: 120_000,
  maxWorkers: Math.max(3, availableParallelism() - 1),
  // Type tests (expectTypeOf) that pin the public result types, checked by tsc.
  typecheck: {
    enabled: true,
    include: ['test/types/**/*.test-d.ts'],
    tsconfig: 'test/types/tsconfig.json',
  },
};

/**
 * Test files that assert wall-clock bounds (e.g. `GET /health` answering within 100 ms while large
 * evaluations run). They run after every other file has finished, one at a time, so that the other test
 * files' processes and database servers do not compete with them for the CPU.
 */
export const TIMED_TEST_FILES: readonly string[] = ['test/server/statistics-threads.test.ts'];

// The projects below choose their files: an `include` here would be added to each project's.
const { include: allTestFiles, ...rootTestOptions } = sharedTestOptions;

export const config = defineConfig({
  test: {
    ...rootTestOptions,
    // Throwaway PostgreSQL and ClickHouse servers for the ep-stats/sql tests (one ClickHouse server and a
    // cluster of two shards; each skipped, with a warning, without its binaries), and the command bundled
    // once for the command tests.
    globalSetup: [
      'test/sql/postgres-setup.ts',
      'test/sql/clickhouse-setup.ts',
      'test/sql/clickhouse-cluster-setup.ts',
      'test/cli/command-setup.ts',
    ],
    // test-report.json feeds the pass/fail summary printed by .ci/run.
    // EP_STATS_TEST_REPORT names another file (.ci/run's runs on other Node versions).
    reporters: ['default', ['json', { outputFile: process.env.EP_STATS_TEST_REPORT ?? 'test-report.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: allTestFiles,
          exclude: [...configDefaults.exclude, ...TIMED_TEST_FILES],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'timed',
          include: [...TIMED_TEST_FILES],
          typecheck: { enabled: false },
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

// biome-ignore lint/style/noDefaultExport: required by vitest
export default config;
