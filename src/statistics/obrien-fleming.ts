import { normalQuantile, normalUpperTail } from './distributions.js';
import { roundHalfEven } from './round-half-even.js';

/**
 * Confidence level adjusted for sequential analysis by O'Brien-Fleming alpha spending.
 *
 * @remarks
 * With `alpha = 1 - confidenceLevel` and the information fraction `t = actualDay / totalLength`:
 *
 * ```
 * q         = Phi^-1(1 - alpha / 2)
 * alpha_adj = 2 - 2 Phi(q / sqrt(t))          computed as 2 P[Z > q / sqrt(t)]
 * result    = min(round4(1 - alpha_adj), 0.9999)
 * ```
 *
 * `round4` is {@link roundHalfEven} at 4 decimals. Early in the experiment the level is close to 1 (little
 * alpha spent); on the last day (`t = 1`) it equals `confidenceLevel` up to the rounding. `actualDay` is not
 * clamped here: an experiment evaluated after its end passes `min(day, totalLength)` itself. Lan, K. K. G.
 * and DeMets, D. L. (1983), "Discrete sequential boundaries for clinical trials", Biometrika 70(3).
 *
 * @param confidenceLevel - Confidence level of the whole experiment, e.g. 0.95.
 * @param totalLength - Planned length of the experiment in days (`date_to - date_from + 1`).
 * @param actualDay - Day of the evaluation, 1 on the first day.
 * @returns The confidence level to use on `actualDay`, at most 0.9999.
 * @throws Never; a non-positive day or length gives `NaN` or the capped 0.9999.
 *
 * @example
 * ```ts
 * import { obrienFlemingConfidenceLevel } from 'ep-stats';
 * obrienFlemingConfidenceLevel(0.95, 14, 10); // => 0.9796
 * obrienFlemingConfidenceLevel(0.95, 14, 1); // => 0.9999
 * obrienFlemingConfidenceLevel(0.95, 14, 14); // => 0.95
 * ```
 * @public
 */
export function obrienFlemingConfidenceLevel(
  confidenceLevel: number,
  totalLength: number,
  actualDay: number,
): number {
  const alpha = 1 - confidenceLevel;
  const quantile = normalQuantile(1 - alpha / 2);
  const informationFraction = actualDay / totalLength;
  const spentAlpha = 2 * normalUpperTail(quantile / Math.sqrt(informationFraction));
  return Math.min(roundHalfEven(1 - spentAlpha, 4), 0.9999);
}
