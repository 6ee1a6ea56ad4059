// The statistics worker when the server runs from its TypeScript sources (the repository's tests and
// benchmarks, `node --import tsx`): a worker thread does not inherit the TypeScript loader of the main
// thread, so this entry registers tsx (a development dependency) in the worker before loading the module.
// The full test suite bundles the worker from the same sources at its start (test/cli/command-setup.ts) and
// names the bundle in EP_STATS_DEV_STATISTICS_WORKER: loading it takes a fraction of tsx's half second.
// The published package uses dist/statistics-worker.js instead and never loads this file.
const bundled = process.env.EP_STATS_DEV_STATISTICS_WORKER;
let worker;
if (bundled) {
  worker = await import(new URL(`file://${bundled}`).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  worker = await import('./statistics-worker.ts');
}
export const { runStatisticsJob } = worker;
