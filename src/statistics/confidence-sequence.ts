/**
 * Asymptotic confidence sequences: intervals and p-values that stay valid however often, and whenever, the
 * data are looked at.
 *
 * The construction is the Gaussian-mixture boundary of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas,
 * "Time-uniform central limit theory and asymptotic confidence sequences", Annals of Statistics 52(6), 2024
 * (arXiv:2103.06476v7: eq. 9 two-sided, eq. 134 one-sided, eq. 155 the e-value, eq. 161 the mixing
 * parameter), in the parametrisation GrowthBook's gbstats uses for its sequential tests
 * (growthbook/growthbook, packages/stats/gbstats/frequentist/tests.py lines 244-334 at commit 8f1db445;
 * docs/statistics/sequential.mdx).
 */

/**
 * The tuning sample size used when none is given: 5000, GrowthBook's default (the total sample size of the
 * two arms compared at which the sequence is tightest).
 *
 * @example
 * ```ts
 * import { DEFAULT_SEQUENTIAL_TUNING, confidenceSequenceRho } from 'ep-stats';
 * confidenceSequenceRho(0.05, DEFAULT_SEQUENTIAL_TUNING); // => ~0.03984006677137368
 * ```
 * @public
 */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/**
 * The mixing parameter `rho` of a confidence sequence that is tightest at the sample size
 * `tuningSampleSize`.
 *
 * @remarks
 * `rho = sqrt((-2 ln a + ln(1 - 2 ln a)) / N*)` with `a = alpha` for a two-sided sequence and `a = 2 alpha`
 * for a one-sided one (Waudby-Smith et al. 2024, eq. 161 of arXiv:2103.06476v7: the `rho` that minimises the
 * width at `N*`; gbstats `sequential_rho`, packages/stats/gbstats/frequentist/tests.py lines 244-250). The
 * sequence is valid for every `rho > 0`; `rho` only decides where it is narrowest. Keep `alpha` and `N*` fixed
 * for the life of an experiment: choosing them after looking at the data voids the guarantee.
 *
 * @param alpha - Significance level of the sequence, `1 - confidenceLevel`, in (0, 1) (below 0.5 one-sided).
 * @param tuningSampleSize - `N*`: the total sample size of the two arms compared at which decisions are
 *   expected (GrowthBook's default {@link DEFAULT_SEQUENTIAL_TUNING}).
 * @param alternative - `'two-sided'` (default), `'greater'` or `'less'` (both one-sided).
 * @returns `rho`; NaN for an `alpha` outside (0, 1) or (0, 0.5) one-sided.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { confidenceSequenceRho } from 'ep-stats';
 * confidenceSequenceRho(0.05, 5000); // => ~0.03984006677137368
 * confidenceSequenceRho(0.05, 5000, 'greater'); // => ~0.03557768852889753
 * ```
 * @public
 */
export function confidenceSequenceRho(
  alpha: number,
  tuningSampleSize: number,
  alternative: 'two-sided' | 'greater' | 'less' = 'two-sided',
): number {
  const level = alternative === 'two-sided' ? alpha : 2 * alpha;
  const logTerm = -2 * Math.log(level);
  return Math.sqrt((logTerm + Math.log1p(logTerm)) / tuningSampleSize);
}

/**
 * The half-width of the asymptotic confidence sequence of an estimate with standard error `standardError`
 * after `sampleSize` observations: the always-valid counterpart of `se * z_(1 - alpha/2)`.
 *
 * @remarks
 * With `s = N rho^2` (`N` = `sampleSize`, the units of both arms compared):
 *
 * ```
 * two-sided: r = se * sqrt((s + 1) / s * (ln(s + 1) - 2 ln alpha))
 *              = se * sqrt(N) * sqrt(2 (N rho^2 + 1) / (N^2 rho^2) * ln(sqrt(N rho^2 + 1) / alpha))
 * one-sided: r = se * sqrt(2 (s + 1) / s * ln(1 + sqrt(s + 1) / (2 alpha)))
 * ```
 *
 * The second line is the published form (Waudby-Smith et al. 2024, eq. 9 of arXiv:2103.06476v7, the
 * per-unit standard deviation `sigma` estimated by `se * sqrt(N)`; GrowthBook's docs/statistics/sequential.mdx
 * and gbstats `sequential_interval_halfwidth`, packages/stats/gbstats/frequentist/tests.py lines 253-265);
 * the one-sided form is eq. 134 (gbstats lines 268-277). The interval `diff -+ r` (one-sided `[diff - r, Inf)`
 * or `(-Inf, diff + r]`) covers the true difference at every sample size simultaneously with probability
 * `1 - alpha` asymptotically. It is wider than the fixed-horizon interval at every `N`, least so near the
 * tuning sample size that chose `rho`; it grows like `sqrt(ln N / N)` instead of `sqrt(1 / N)`.
 *
 * @param standardError - Standard error of the estimate (e.g. of the relative difference).
 * @param sampleSize - `N`: units of both arms compared (control plus treatment).
 * @param alpha - Significance level, `1 - confidenceLevel` (a Holm-adjusted level works too).
 * @param rho - Mixing parameter from {@link confidenceSequenceRho}, fixed for the experiment.
 * @param alternative - `'two-sided'` (default), `'greater'` or `'less'`.
 * @returns The half-width; Infinity for `sampleSize` 0 and a positive standard error, NaN where an input is.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { confidenceSequenceHalfWidth, confidenceSequenceRho } from 'ep-stats';
 * const rho = confidenceSequenceRho(0.05, 5000);
 * // 10 000 units in the two arms, standard error 1: about 3.06 instead of the fixed-horizon 1.96.
 * confidenceSequenceHalfWidth(1, 10_000, 0.05, rho); // => ~3.0614772188674166
 * confidenceSequenceHalfWidth(0.01, 10_000, 0.05, rho); // => ~0.030614772188674166
 * ```
 * @public
 */
export function confidenceSequenceHalfWidth(
  standardError: number,
  sampleSize: number,
  alpha: number,
  rho: number,
  alternative: 'two-sided' | 'greater' | 'less' = 'two-sided',
): number {
  const scaled = sampleSize * rho * rho;
  const logTerm =
    alternative === 'two-sided'
      ? Math.log1p(scaled) - 2 * Math.log(alpha)
      : 2 * Math.log1p(Math.sqrt(scaled + 1) / (2 * alpha));
  return standardError * Math.sqrt(((scaled + 1) / scaled) * logTerm);
}

/**
 * The always-valid p-value of a test statistic `t = (diff - delta0) / se` after `sampleSize` observations:
 * the smallest significance level at which the confidence sequence (with this `rho`) excludes `delta0`.
 *
 * @remarks
 * Solving `|diff - delta0| = r(alpha)` of {@link confidenceSequenceHalfWidth} for `alpha` gives, with
 * `s = N rho^2` and `c = s / (2 (s + 1))`:
 *
 * ```
 * two-sided: p = min(1, sqrt(s + 1) * exp(-c t^2))
 * greater:   p = min(1, sqrt(s + 1) / (2 (exp(c t^2) - 1)))   for t > 0, else 1
 * less:      the same with -t
 * ```
 *
 * The two-sided value is the reciprocal of the mixture e-value `exp(c t^2) / sqrt(s + 1)` (Waudby-Smith et al.
 * 2024, eq. 155 of arXiv:2103.06476v7; gbstats `SequentialTwoSidedTTest.p_value`,
 * packages/stats/gbstats/frequentist/tests.py lines 323-334). gbstats finds the one-sided value by bisection
 * over `[1e-5, 0.4999]` (lines 363-455) and reports 0.4999 above that range; this closed form is the root the
 * bisection approaches. `p < alpha` exactly when the sequence at level `1 - alpha` excludes `delta0`, and
 * `P[p_N <= alpha for some N] <= alpha` under the null (asymptotically), so it may be read after every batch.
 * The distribution is normal, not Student's t: the sequence is a large-sample construction.
 *
 * @param testStat - `(diff - delta0) / se`; NaN gives NaN.
 * @param sampleSize - `N`: units of both arms compared.
 * @param rho - Mixing parameter from {@link confidenceSequenceRho}.
 * @param alternative - `'two-sided'` (default), `'greater'` or `'less'`.
 * @returns The p-value in [0, 1].
 * @throws Never.
 *
 * @example
 * ```ts
 * import { confidenceSequencePValue, confidenceSequenceRho } from 'ep-stats';
 * const rho = confidenceSequenceRho(0.05, 5000);
 * // t = 1.96 is "significant" at a fixed horizon, not for a sequence read at any time:
 * confidenceSequencePValue(1.96, 10_000, rho); // => ~0.6742732888017671
 * confidenceSequencePValue(4, 10_000, rho); // => ~0.0022138693974221974
 * confidenceSequencePValue(-4, 10_000, rho, 'greater'); // => 1
 * ```
 * @public
 */
export function confidenceSequencePValue(
  testStat: number,
  sampleSize: number,
  rho: number,
  alternative: 'two-sided' | 'greater' | 'less' = 'two-sided',
): number {
  if (Number.isNaN(testStat)) return Number.NaN;
  const scaled = sampleSize * rho * rho;
  const exponent = (testStat * testStat * scaled) / (2 * (scaled + 1));
  if (alternative === 'two-sided') return Math.min(1, Math.exp(0.5 * Math.log1p(scaled) - exponent));
  const directed = alternative === 'greater' ? testStat : -testStat;
  if (!(directed > 0)) return 1;
  return Math.min(1, Math.sqrt(scaled + 1) / (2 * Math.expm1(exponent)));
}
