/** Shared helpers of the benchmark modules. */

/** One measurement reported by a benchmark function. */
export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** Mean time of `run` in milliseconds after `warmUp` untimed calls. */
export function meanMilliseconds(run: () => void, warmUp: number, iterations: number): number {
  for (let index = 0; index < warmUp; index++) run();
  const start = performance.now();
  for (let index = 0; index < iterations; index++) run();
  return (performance.now() - start) / iterations;
}

/**
 * `name (goal <= limit unit: met)`, or `MISSED` when `value` exceeds `limit` or is not a number (what
 * `npm run bench -- <module> --check` fails on).
 */
export function withGoal(name: string, value: number, limit: number, unit: string): string {
  return `${name} (goal <= ${limit}${unit === '' ? '' : ` ${unit}`}: ${value <= limit ? 'met' : 'MISSED'})`;
}

/**
 * Milliseconds per evaluation in warm runs: the median of `rounds` rounds of `iterations` calls each, after a
 * round of warm-up (at least 3 calls, so that the code is compiled). Garbage collections fall where they do.
 */
export function medianMilliseconds(run: () => void, rounds: number, iterations: number): number {
  for (let index = 0; index < Math.max(3, iterations); index++) run();
  const times = Array.from({ length: rounds }, () => {
    const start = performance.now();
    for (let index = 0; index < iterations; index++) run();
    return (performance.now() - start) / iterations;
  }).sort((a, b) => a - b);
  return times[Math.floor(rounds / 2)]!;
}
