/**
 * Rounds to a number of decimals with ties to even, exactly as numpy's `np.round(x, decimals)`.
 *
 * @remarks
 * `rint(x * 10^d) / 10^d` for `d >= 0` and `rint(x / 10^-d) * 10^-d` for `d < 0`, where `rint` rounds to the
 * nearest integer with ties to even. The tie is decided on the scaled double, as numpy does: `2.675 * 100`
 * is exactly `267.5` in floating point, so `2.675` rounds to `2.68` at two decimals, while
 * `1.005 * 100` is `100.49999999999999`, so `1.005` rounds to `1` (Python's `round` gives 2.67 and 1.0).
 * Degrees of freedom are rounded at 5 decimals and sequential confidence levels at 4.
 *
 * @param x - The number to round; `NaN` and infinities are returned unchanged.
 * @param decimals - Number of decimals, an integer (negative rounds to tens, hundreds, ...). Default 0.
 * @returns The rounded number.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { roundHalfEven } from 'ep-stats';
 * roundHalfEven(2.5); // => 2
 * roundHalfEven(3.5); // => 4
 * roundHalfEven(-0.125, 2); // => -0.12
 * roundHalfEven(2.675, 2); // => 2.68
 * roundHalfEven(0.97955, 4); // => 0.9796
 * roundHalfEven(1250, -2); // => 1200
 * ```
 * @public
 */
export function roundHalfEven(x: number, decimals = 0): number {
  if (decimals >= 0) {
    const factor = 10 ** decimals;
    return roundToIntegerHalfEven(x * factor) / factor;
  }
  const factor = 10 ** -decimals;
  return roundToIntegerHalfEven(x / factor) * factor;
}

/** `rint`: nearest integer, ties to even (`Math.round` breaks ties upwards). */
function roundToIntegerHalfEven(y: number): number {
  const rounded = Math.round(y);
  if (rounded - y === 0.5 && rounded % 2 !== 0) {
    return rounded - 1;
  }
  return rounded;
}
