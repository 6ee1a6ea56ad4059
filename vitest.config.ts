import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A throwaway PostgreSQL cluster for the ep-stats/sql tests (skipped, with a warning, without PostgreSQL).
    globalSetup: ['test/sql/postgres-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // test-report.json feeds the pass/fail summary printed by .ci/run.
    reporters: ['default', ['json', { outputFile: 'test-report.json' }]],
  },
});

// biome-ignore lint/style/noDefaultExport: required by vitest
export default config;
