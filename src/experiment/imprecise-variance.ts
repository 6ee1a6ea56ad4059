/**
 * Relative precision below which a variance computed from sums of squares is flagged: about 6
 * significant digits.
 *
 * @internal
 */
export const VARIANCE_PRECISION = 1e-6;

/**
 * The cells whose variance `(sum_sqr_value - sum_value^2 / count) / (count - 1)` keeps fewer than about
 * 6 significant digits after cancellation.
 *
 * @remarks
 * The centred sum of squares `ss = sum_sqr_value - sum_value * mean` is the difference of two numbers of
 * the size of `sum_sqr_value`; each carries a rounding error of about `eps * sum_sqr_value` (eps =
 * 2^-52), so the relative error of `ss` is about `eps * sum_sqr_value / |ss|` — more when the sums were
 * themselves accumulated in floating point. A cell is flagged when that bound exceeds
 * {@link VARIANCE_PRECISION}, i.e. `sum_sqr_value / |ss| > 1e-6 / eps`, about 4.5e9: for example a mean of
 * 1e6 with a standard deviation of 1 (ratio 1e12). A negative `ss` within that rounding noise is flagged
 * too (it is also reported as `negative-variance`); an `ss` of exactly 0 (a constant metric whose sums
 * cancel exactly, such as a conversion rate of 100 %) is not.
 *
 * @param sumSqrValue - Sums of squares, (metrics x variants) row-major.
 * @param centered - The centred sums `sum_sqr_value - sum_value * mean` of the same cells.
 * @returns 1 for each flagged cell, 0 elsewhere.
 * @internal
 */
export function impreciseVarianceCells(sumSqrValue: Float64Array, centered: Float64Array): Uint8Array {
  const limit = VARIANCE_PRECISION / Number.EPSILON;
  const flagged = new Uint8Array(centered.length);
  for (let cell = 0; cell < centered.length; cell++) {
    const ss = centered[cell]!;
    if (ss !== 0 && Math.abs(sumSqrValue[cell]! / ss) > limit) flagged[cell] = 1;
  }
  return flagged;
}
