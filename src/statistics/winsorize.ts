/**
 * The `q`-quantile of sorted values with linear interpolation between the closest ranks (numpy's default
 * method).
 *
 * @remarks
 * With `n` values sorted ascending and `h = (n - 1) q`, the quantile is
 * `x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)])`. NaN for an empty input.
 *
 * @param sorted - Values sorted ascending.
 * @param q - Probability in [0, 1].
 * @returns The interpolated quantile.
 *
 * @example
 * ```ts
 * import { linearQuantile } from 'ep-stats';
 * linearQuantile([1, 2, 3, 4], 0.5); // => 2.5
 * linearQuantile([0, 10], 0.25); // => 2.5
 * ```
 * @public
 */
export function linearQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, n - 1);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  const t = h - lower;
  // numpy's lerp: a + (b - a) t, or b - (b - a)(1 - t) from t >= 0.5 on, which is exact at t = 1.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/**
 * Caps values to pooled quantiles (winsorization), in place.
 *
 * @remarks
 * The thresholds are the `lowerQuantile` and `upperQuantile` quantiles ({@link linearQuantile}) of all the
 * values; values below the lower threshold are raised to it and values above the upper one lowered to it.
 * A `lowerQuantile` of 0 or an `upperQuantile` of 1 leaves that side alone. No value is removed.
 *
 * @param values - Values to cap (modified).
 * @param lowerQuantile - Lower quantile in [0, 1).
 * @param upperQuantile - Upper quantile in (0, 1].
 * @returns The thresholds applied (`undefined` for a side left alone).
 *
 * @example
 * ```ts
 * import { winsorize } from 'ep-stats';
 * const values = new Float64Array([1, 2, 3, 4, 100]);
 * winsorize(values, 0, 0.75); // => { lower: undefined, upper: 4 }
 * Array.from(values); // => [1, 2, 3, 4, 4]
 * ```
 * @public
 */
export function winsorize(
  values: Float64Array,
  lowerQuantile: number,
  upperQuantile: number,
): { lower: number | undefined; upper: number | undefined } {
  if (!(lowerQuantile > 0) && !(upperQuantile < 1)) return { lower: undefined, upper: undefined };
  const sorted = Float64Array.from(values).sort();
  const lower = lowerQuantile > 0 ? linearQuantile(sorted, lowerQuantile) : undefined;
  const upper = upperQuantile < 1 ? linearQuantile(sorted, upperQuantile) : undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (lower !== undefined && value < lower) values[i] = lower;
    else if (upper !== undefined && value > upper) values[i] = upper;
  }
  return { lower, upper };
}
