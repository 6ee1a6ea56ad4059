import { configDefaults, defineConfig } from 'vitest/config';
import { SLOW_TEST_FILES, sharedTestOptions } from './vitest.config.js';

/**
 * The fast inner loop (`npm run test:unit`): every test that needs no database server, no DuckDB and no
 * child process, in well under 30 seconds. `npm test` (vitest.config.ts) runs the full suite, these
 * included.
 *
 * No global setup starts PostgreSQL or ClickHouse, and no JSON report overwrites test-report.json (the full
 * suite's). Files whose database part is skipped without a server (e.g. test/sql/clickhouse-client.test.ts,
 * which also tests the client against an in-process stand-in) run here with that part skipped, saying so.
 */
export const unitConfig = defineConfig({
  test: {
    ...sharedTestOptions,
    exclude: [...configDefaults.exclude, ...SLOW_TEST_FILES],
    // The files share each worker's module cache instead of importing the library afresh: this halves the
    // run (imports took most of it). Tests that change globals (fake timers, stubbed globals, process.env)
    // restore them; the full suite keeps vitest's isolation and runs these files too.
    isolate: false,
    provide: {
      postgresUrl: '',
      postgresSkipReason: 'the unit tests (vitest.unit.config.ts) start no database; run `npm test`',
      clickhouseUrl: '',
      clickhouseSkipReason: 'the unit tests (vitest.unit.config.ts) start no database; run `npm test`',
    },
    reporters: ['default'],
  },
});

// biome-ignore lint/style/noDefaultExport: required by vitest
export default unitConfig;
