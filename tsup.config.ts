import { defineConfig } from 'tsup';

export const config = defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    server: 'src/server/index.ts',
    cli: 'src/cli/main.ts',
    sql: 'src/sql/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  treeshake: true,
  // Shared code in common chunks, so that ep-stats and ep-stats/testing share one copy of every class (also in CJS).
  splitting: true,
  // Optional database drivers are loaded on demand by ep-stats/sql and never bundled.
  external: ['@duckdb/node-api', 'pg'],
  // import.meta.url in the CommonJS build (ep-stats/testing locates its bundled data files from it).
  shims: true,
});

// tsup reads the default export of its config file.
// biome-ignore lint/style/noDefaultExport: required by tsup
export default config;
