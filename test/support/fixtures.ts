import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Root of the committed fixtures. */
export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** Reads a committed JSON fixture, e.g. `readFixture('reference-outputs/fixture-test_srm.json')`. */
export function readFixture<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, relativePath), 'utf8')) as T;
}

/** A number as the fixtures write it: NaN and infinities as strings. */
export type FixtureNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export function decodeNumber(value: unknown): number {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'number') return value;
  throw new Error(`not a fixture number: ${JSON.stringify(value)}`);
}

export interface Tolerance {
  /** Allowed |actual - expected| / |expected|. */
  readonly relative: number;
  /** Allowed |actual - expected| when the expected value is tiny (the absolute floor). */
  readonly absolute: number;
}

/**
 * Describes how `actual` misses `expected` (`undefined` when within tolerance): NaN only matches NaN,
 * infinities only themselves, finite numbers within `max(relative * |expected|, absolute)`.
 */
export function mismatch(actual: number, expected: number, tolerance: Tolerance): string | undefined {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    return Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected))
      ? undefined
      : `got ${actual}, expected ${expected}`;
  }
  const delta = Math.abs(actual - expected);
  const allowed = Math.max(tolerance.relative * Math.abs(expected), tolerance.absolute);
  if (delta <= allowed) return undefined;
  const relative = delta / Math.abs(expected);
  return `got ${actual}, expected ${expected}: delta ${delta.toExponential(3)} (relative ${relative.toExponential(3)}) > allowed ${allowed.toExponential(3)}`;
}

/** Collects mismatches so that one assertion reports every failing case with its delta. */
export class MismatchLog {
  private readonly lines: string[] = [];

  check(label: string, actual: number, expected: number, tolerance: Tolerance): void {
    const problem = mismatch(actual, expected, tolerance);
    if (problem !== undefined) this.lines.push(`${label}: ${problem}`);
  }

  /** The collected mismatches (expect it to equal `[]`; a failure prints every delta). */
  get mismatches(): readonly string[] {
    return this.lines;
  }
}
