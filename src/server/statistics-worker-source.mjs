// The statistics worker when the server runs from its TypeScript sources (the repository's tests and
// benchmarks, `node --import tsx`): a worker thread does not inherit the TypeScript loader of the main
// thread, so this entry registers tsx (a development dependency) in the worker before loading the module.
// The published package uses dist/statistics-worker.js instead and never loads this file.
import { register } from 'tsx/esm/api';

register();
export const { runStatisticsJob } = await import('./statistics-worker.ts');
