import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

/** The package's entry points; `cli` is the `ep-stats` command, ESM only and without declarations. */
const entries = {
  index: 'src/index.ts',
  testing: 'src/testing/index.ts',
  server: 'src/server/index.ts',
  sql: 'src/sql/index.ts',
  report: 'src/report/index.ts',
  cli: 'src/cli/main.ts',
  // The module each statistics worker thread of the server loads (src/server/statistics-pool.ts).
  'statistics-worker': 'src/server/statistics-worker.ts',
};
const { cli: _cli, 'statistics-worker': _worker, ...libraryEntries } = entries;

/** The `debug` package, which a bundled @stdlib function imports, replaced by a silent logger (see the file). */
const silentDebug = fileURLToPath(new URL('./build/debug-silent.cjs', import.meta.url));

export const config = defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: { entry: libraryEntries },
  sourcemap: false,
  clean: true,
  target: 'es2022',
  platform: 'node',
  treeshake: true,
  // Shared code in common chunks, so that ep-stats and ep-stats/testing share one copy of every class (also in CJS).
  splitting: true,
  // The few @stdlib distribution functions are bundled (their licences are in THIRD_PARTY_NOTICES.md): the
  // core then loads as a handful of files, with no Node built-in and no environment read at import.
  // d3-scale and d3-shape (scales and paths of ep-stats/report's plots, with their own d3 dependencies) are
  // bundled the same way into the report's chunks only; d3-format stays a dependency.
  noExternal: [
    /^@stdlib\//,
    /^d3-(scale|shape|array|interpolate|color|time|time-format|path)$/,
    /^internmap$/,
  ],
  esbuildPlugins: [
    {
      name: 'silent-debug',
      setup(build) {
        build.onResolve({ filter: /^debug$/ }, () => ({ path: silentDebug }));
      },
    },
  ],
  // The database drivers and the server and CLI libraries are optional peer dependencies, never bundled.
  external: ['@duckdb/node-api', 'pg'],
  // No shims: they would put a Node-only helper into the chunk that the core shares.
  shims: false,
  // Licence comments of bundled code once at the end of each file instead of before every function.
  esbuildOptions(options) {
    options.legalComments = 'eof';
  },
  metafile: true,
  // Read by build/prune-dist.ts (run after tsup by `npm run build`), which deletes the unused CommonJS files.
});

// tsup reads the default export of its config file.
// biome-ignore lint/style/noDefaultExport: required by tsup
export default config;
