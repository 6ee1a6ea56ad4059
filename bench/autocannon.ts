import { createRequire } from 'node:module';

/** The part of autocannon's result that the benchmarks read. */
export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** autocannon's function (the package is CommonJS without types). */
export type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

/** Loads autocannon (a devDependency). */
export function loadAutocannon(): Autocannon {
  return createRequire(import.meta.url)('autocannon') as Autocannon;
}
