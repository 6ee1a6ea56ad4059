/**
 * How a non-finite number is named in strict JSON (see {@link toStrictJson}).
 *
 * @example
 * ```ts
 * import type { NonFiniteToken } from 'ep-stats/server';
 * const token: NonFiniteToken = 'Infinity';
 * token; // => 'Infinity'
 * ```
 * @public
 */
export type NonFiniteToken = 'NaN' | 'Infinity' | '-Infinity';

/**
 * Name of the member that {@link toStrictJson} adds to an object holding non-finite numbers.
 *
 * @example
 * ```ts
 * import { NON_FINITE_KEY } from 'ep-stats/server';
 * NON_FINITE_KEY; // => 'non_finite'
 * ```
 * @public
 */
export const NON_FINITE_KEY = 'non_finite';

/**
 * Rewrites a JSON-like value so that it contains no non-finite numbers while keeping their meaning: the
 * strict-JSON form of the REST responses.
 *
 * @remarks
 * Every member of an object whose value is `NaN`, `Infinity` or `-Infinity` becomes `null`, and the
 * object gets a `non_finite` member mapping each such member's name to `"NaN"`, `"Infinity"` or
 * `"-Infinity"` (only objects that held a non-finite number get one; an existing `non_finite` member is
 * replaced). Non-finite numbers directly inside arrays become `null` without a note (the REST responses
 * have none). `JSON.stringify` of the result is standard JSON that any parser reads; a client restores a
 * value with `row.non_finite?.[name] ?? row[name]` (and `Number(...)` of the token). Plain objects and
 * arrays are copied; other values are returned as they are.
 *
 * @param value - A JSON-like value (plain objects, arrays, strings, numbers, booleans, null).
 * @returns A copy without non-finite numbers.
 *
 * @example
 * ```ts
 * import { toStrictJson } from 'ep-stats/server';
 * toStrictJson({ exp_variant_id: 'a', mean: NaN, power: Infinity, diff: 0 }); // => { exp_variant_id: 'a', mean: null, power: null, diff: 0, non_finite: { mean: 'NaN', power: 'Infinity' } }
 * toStrictJson({ stats: [{ value: -Infinity }] }); // => { stats: [{ value: null, non_finite: { value: '-Infinity' } }] }
 * JSON.stringify(toStrictJson({ sample_size_per_variant: NaN })); // => '{"sample_size_per_variant":null,"non_finite":{"sample_size_per_variant":"NaN"}}'
 * ```
 * @public
 */
export function toStrictJson(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => (isNonFinite(item) ? null : toStrictJson(item)));
  }
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  const nonFinite: Record<string, NonFiniteToken> = {};
  let any = false;
  for (const [key, item] of Object.entries(value)) {
    if (key === NON_FINITE_KEY) continue;
    if (isNonFinite(item)) {
      result[key] = null;
      nonFinite[key] = tokenOf(item);
      any = true;
    } else {
      result[key] = toStrictJson(item);
    }
  }
  if (any) result[NON_FINITE_KEY] = nonFinite;
  return result;
}

function isNonFinite(value: unknown): value is number {
  return typeof value === 'number' && !Number.isFinite(value);
}

function tokenOf(value: number): NonFiniteToken {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
