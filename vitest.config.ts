import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Throwaway PostgreSQL and ClickHouse servers for the ep-stats/sql tests (each skipped, with a warning,
    // without its binaries).
    globalSetup: ['test/sql/postgres-setup.ts', 'test/sql/clickhouse-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // test-report.json feeds the pass/fail summary printed by .ci/run.
    reporters: ['default', ['json', { outputFile: 'test-report.json' }]],
  },
});

// biome-ignore lint/style/noDefaultExport: required by vitest
export default config;
