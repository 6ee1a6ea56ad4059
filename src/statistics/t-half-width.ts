import { type Alternative, alphaQuantileProbability } from './alternative.js';
import { studentTQuantile } from './distributions.js';

/**
 * The half-width of a t interval of standard error `standardError` read at level `alpha`: two-sided
 * `se * t_df^-1(1 - alpha / 2)`, one-sided `se * t_df^-1(1 - alpha)`.
 * @internal
 */
export function tHalfWidthAt(
  standardError: number,
  degreesOfFreedom: number,
  alpha: number,
  alternative: Alternative = 'two-sided',
): number {
  return standardError * studentTQuantile(alphaQuantileProbability(alpha, alternative), degreesOfFreedom);
}
