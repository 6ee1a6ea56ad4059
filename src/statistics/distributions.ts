import erfcinv from '@stdlib/math-base-special-erfcinv';
import gammainc from '@stdlib/math-base-special-gammainc';
import stdlibNormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import stdlibTCdf from '@stdlib/stats-base-dists-t-cdf';
import stdlibTQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * Degrees of freedom above which the Student t functions use the standard normal distribution.
 *
 * @remarks
 * The relative difference between the t and the normal tail at `x` is about `x^4 / (4 df)`; for every `x`
 * whose tail probability is a normal double (`|x| < 38.5`) it is below the double precision unit from
 * `df = 5e21` on. stdlib's t CDF is accurate up to about `1e303` degrees of freedom and returns 0.5 beyond;
 * `df = Infinity` is the normal distribution by definition. See `docs/numerics.md`.
 */
const NORMAL_LIMIT_DEGREES_OF_FREEDOM = 1e25;

/** Newton steps used to polish a t quantile; two or three suffice from stdlib's starting value. */
const MAX_QUANTILE_STEPS = 12;

/**
 * stdlib's `gammainc(z, a)` switches to an expansion for large `z` above this, which is accurate only for
 * `a` much smaller than `z` (relative error about 1e-3 at `a = 100`, 1e-2 at `a = z = 5000`).
 */
const LARGE_GAMMA_ARGUMENT = 1000;

/** Iteration limit of the incomplete gamma series and continued fraction (about `sqrt(a)` are needed). */
const MAX_GAMMA_TERMS = 1e7;

/**
 * Cumulative distribution function of Student's t distribution, `P[T <= x]`.
 *
 * @remarks
 * stdlib's regularized incomplete beta function: `P[T <= x] = I_z(df/2, 1/2) / 2` with `z = df / (df + x^2)`
 * for `x < 0`. One degree of freedom uses the closed form `1/2 + atan(x) / pi`, and more than `1e25` degrees
 * of freedom (and `df = Infinity`) the standard normal CDF. Relative error below `2e-13` against exact
 * values (`docs/numerics.md`).
 *
 * @param x - The point at which to evaluate.
 * @param degreesOfFreedom - Degrees of freedom, `> 0`; `Infinity` gives the normal distribution.
 * @returns The probability, or `NaN` when `x` or `degreesOfFreedom` is `NaN` or `degreesOfFreedom <= 0`.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { studentTCdf } from 'ep-stats';
 * studentTCdf(0, 5); // => 0.5
 * studentTCdf(-2, 10); // => ~0.03669401738537018
 * studentTCdf(1, 0); // => NaN
 * ```
 * @public
 */
export function studentTCdf(x: number, degreesOfFreedom: number): number {
  if (Number.isNaN(x) || Number.isNaN(degreesOfFreedom) || degreesOfFreedom <= 0) {
    return Number.NaN;
  }
  if (degreesOfFreedom > NORMAL_LIMIT_DEGREES_OF_FREEDOM) {
    return normalCdf(x);
  }
  if (degreesOfFreedom === 1) {
    return cauchyCdf(x);
  }
  return stdlibTCdf(x, degreesOfFreedom);
}

/**
 * Student t with one degree of freedom: `1/2 + atan(x) / pi`, written as `atan(1 / |x|) / pi` for the
 * lower tail. stdlib's incomplete beta function returns exactly 0.5 for `|x| < 1e-9` here.
 */
function cauchyCdf(x: number): number {
  const lowerTail = Math.atan(1 / Math.abs(x)) / Math.PI;
  return x < 0 ? lowerTail : 1 - lowerTail;
}

/**
 * Upper tail of Student's t distribution, `P[T > x]`.
 *
 * @remarks
 * Computed as `P[T <= -x]` (the distribution is symmetric), never as `1 - P[T <= x]`, so that tiny tail
 * probabilities keep their relative accuracy instead of rounding to 0 below about `1e-16`.
 *
 * @param x - The point at which to evaluate.
 * @param degreesOfFreedom - Degrees of freedom, `> 0`; `Infinity` gives the normal distribution.
 * @returns The probability, or `NaN` when `x` or `degreesOfFreedom` is `NaN` or `degreesOfFreedom <= 0`.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { studentTUpperTail } from 'ep-stats';
 * studentTUpperTail(2, 10); // => ~0.03669401738537018
 * // Two-sided p-value of a t statistic of -12.3176 (where 1 - cdf would give 0):
 * 2 * studentTUpperTail(12.317623754976218, 11914); // => ~1.1828780125055723e-34
 * studentTUpperTail(1, Number.NaN); // => NaN
 * ```
 * @public
 */
export function studentTUpperTail(x: number, degreesOfFreedom: number): number {
  return studentTCdf(-x, degreesOfFreedom);
}

/**
 * Quantile function (inverse CDF) of Student's t distribution.
 *
 * @remarks
 * Starts from stdlib's inverse incomplete beta function on the smaller tail `min(p, 1 - p)` (both exact in
 * floating point) and polishes with Newton steps on `log P[T <= x] = log tail`, whose fixed point depends
 * only on the accurate CDF. The polishing matters near `p = 0.5` and for large degrees of freedom, where
 * stdlib's starting value can be far off (it returns 0 for `p = 0.6` at `1e17` degrees of freedom).
 * With more than `1e25` degrees of freedom (and `df = Infinity`) the standard normal quantile.
 *
 * @param p - Probability in `[0, 1]`.
 * @param degreesOfFreedom - Degrees of freedom, `> 0`; `Infinity` gives the normal distribution.
 * @returns `x` with `P[T <= x] = p`; `-Infinity` for `p = 0`, `Infinity` for `p = 1`; `NaN` when an argument
 *   is `NaN`, `p` is outside `[0, 1]` or `degreesOfFreedom <= 0`.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { studentTQuantile } from 'ep-stats';
 * studentTQuantile(0.975, 40); // => ~2.021075390306273
 * studentTQuantile(0.5, 3); // => 0
 * studentTQuantile(0.975, Number.POSITIVE_INFINITY); // => ~1.959963984540054
 * ```
 * @public
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (Number.isNaN(p) || Number.isNaN(degreesOfFreedom) || degreesOfFreedom <= 0 || p < 0 || p > 1) {
    return Number.NaN;
  }
  if (degreesOfFreedom > NORMAL_LIMIT_DEGREES_OF_FREEDOM) {
    return normalQuantile(p);
  }
  if (p === 0.5) {
    return 0;
  }
  const tail = p < 0.5 ? p : 1 - p;
  const lower = cachedLowerTailQuantile(tail, degreesOfFreedom);
  return p < 0.5 ? lower : -lower;
}

/**
 * Quantiles already computed, by tail probability and then degrees of freedom: an evaluation asks for the
 * same confidence level at the same (integer) degrees of freedom in many cells. Cleared when it holds
 * `MAX_CACHED_QUANTILES` values.
 */
const quantileCache = new Map<number, Map<number, number>>();
let cachedQuantiles = 0;
const MAX_CACHED_QUANTILES = 65_536;

function cachedLowerTailQuantile(tail: number, degreesOfFreedom: number): number {
  let byDegrees = quantileCache.get(tail);
  const cached = byDegrees?.get(degreesOfFreedom);
  if (cached !== undefined) return cached;
  const value = lowerTailQuantile(tail, degreesOfFreedom);
  if (cachedQuantiles >= MAX_CACHED_QUANTILES) {
    quantileCache.clear();
    cachedQuantiles = 0;
    byDegrees = undefined;
  }
  if (byDegrees === undefined) {
    byDegrees = new Map();
    quantileCache.set(tail, byDegrees);
  }
  byDegrees.set(degreesOfFreedom, value);
  cachedQuantiles += 1;
  return value;
}

/**
 * Below this relative Newton correction the step that applied it leaves an error of the order of its square
 * (about 1e-18 relative): the iteration stops without evaluating the CDF once more to confirm.
 */
const CONVERGED_CORRECTION = 1e-9;

function lowerTailQuantile(tail: number, degreesOfFreedom: number): number {
  let x = startingQuantile(tail, degreesOfFreedom);
  if (x === Number.NEGATIVE_INFINITY) {
    return x;
  }
  if (!(x < 0 && Number.isFinite(x))) {
    x = normalQuantile(tail);
  }
  for (let step = 0; step < MAX_QUANTILE_STEPS; step += 1) {
    const probability = studentTCdf(x, degreesOfFreedom);
    const correction = (Math.log(probability / tail) * probability) / studentTDensity(x, degreesOfFreedom);
    if (!Number.isFinite(correction)) {
      break;
    }
    const next = x - correction;
    if (next >= 0) {
      // The root is negative; a step past zero is halved back towards it.
      x /= 2;
      continue;
    }
    x = next;
    if (Math.abs(correction) <= CONVERGED_CORRECTION * Math.abs(x)) {
      break;
    }
  }
  return x;
}

/** Degrees of freedom from which the Cornish-Fisher expansion starts the Newton steps. */
const EXPANSION_MIN_DEGREES_OF_FREEDOM = 50;

/**
 * Where the Newton steps start: for many degrees of freedom and a tail that is not extreme for them, the
 * Cornish-Fisher expansion of the t quantile around the normal one in powers of `1 / df` (Abramowitz and
 * Stegun 26.7.5, four terms; relative error about `z^11 / df^5`), otherwise stdlib's inverse incomplete beta.
 */
function startingQuantile(tail: number, degreesOfFreedom: number): number {
  if (degreesOfFreedom >= EXPANSION_MIN_DEGREES_OF_FREEDOM) {
    const z = normalQuantile(tail);
    const z2 = z * z;
    if (z2 * 4 < degreesOfFreedom) {
      const v = 1 / degreesOfFreedom;
      const g1 = (z * (z2 + 1)) / 4;
      const g2 = (z * (3 + z2 * (16 + 5 * z2))) / 96;
      const g3 = (z * (-15 + z2 * (17 + z2 * (19 + 3 * z2)))) / 384;
      const g4 = (z * (-945 + z2 * (-1920 + z2 * (1482 + z2 * (776 + 79 * z2))))) / 92_160;
      return z + v * (g1 + v * (g2 + v * (g3 + v * g4)));
    }
  }
  return stdlibTQuantile(tail, degreesOfFreedom);
}

function studentTDensity(x: number, degreesOfFreedom: number): number {
  const scale = gammaHalfRatio(degreesOfFreedom / 2) / Math.sqrt(degreesOfFreedom * Math.PI);
  return scale * Math.exp((-(degreesOfFreedom + 1) / 2) * Math.log1p((x * x) / degreesOfFreedom));
}

/** `Gamma(a + 1/2) / Gamma(a)` for `a > 0`: recurrence up to `a >= 20`, then the asymptotic series. */
function gammaHalfRatio(a: number): number {
  let factor = 1;
  let shifted = a;
  while (shifted < 20) {
    factor *= shifted / (shifted + 0.5);
    shifted += 1;
  }
  const inverse = 1 / shifted;
  const series =
    1 + inverse * (-1 / 8 + inverse * (1 / 128 + inverse * (5 / 1024 + inverse * (-21 / 32768))));
  return factor * Math.sqrt(shifted) * series;
}

/**
 * Cumulative distribution function of the standard normal distribution, `Phi(x)`.
 *
 * @remarks
 * stdlib's `erfc(-x / sqrt(2)) / 2`: accurate in the lower tail down to the smallest doubles (relative
 * error about `1e-13` near `1e-300`, where rounding `x / sqrt(2)` dominates).
 *
 * @param x - The point at which to evaluate.
 * @returns The probability; `NaN` for `NaN`.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { normalCdf } from 'ep-stats';
 * normalCdf(0); // => 0.5
 * normalCdf(-1.959963984540054); // => ~0.025
 * normalCdf(-37); // => ~5.725571222524577e-300
 * ```
 * @public
 */
export function normalCdf(x: number): number {
  return stdlibNormalCdf(x, 0, 1);
}

/**
 * Upper tail of the standard normal distribution, `P[Z > x] = 1 - Phi(x)`.
 *
 * @remarks
 * Computed as `Phi(-x)`, never as `1 - Phi(x)`, so it stays accurate where `Phi(x)` rounds to 1.
 *
 * @param x - The point at which to evaluate.
 * @returns The probability; `NaN` for `NaN`.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { normalUpperTail } from 'ep-stats';
 * normalUpperTail(1.959963984540054); // => ~0.025
 * normalUpperTail(10); // => ~7.619853024160527e-24
 * ```
 * @public
 */
export function normalUpperTail(x: number): number {
  return normalCdf(-x);
}

/**
 * Quantile function (inverse CDF) of the standard normal distribution, `Phi^-1(p)`.
 *
 * @remarks
 * `-sqrt(2) erfcinv(2p)` for `p < 0.5` and `sqrt(2) erfcinv(2(1 - p))` otherwise (`1 - p` is exact there),
 * so probabilities down to `1e-300` keep full relative accuracy; `erfinv(2p - 1)` would lose them.
 *
 * @param p - Probability in `[0, 1]`.
 * @returns `x` with `Phi(x) = p`; `-Infinity` for 0, `Infinity` for 1, `NaN` outside `[0, 1]` or for `NaN`.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { normalQuantile } from 'ep-stats';
 * normalQuantile(0.975); // => ~1.959963984540054
 * normalQuantile(1e-300); // => ~-37.04709629936378
 * normalQuantile(0.5); // => 0
 * ```
 * @public
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) {
    return Number.NaN;
  }
  if (p < 0.5) {
    return -Math.SQRT2 * erfcinv(2 * p);
  }
  return Math.SQRT2 * erfcinv(2 * (1 - p));
}

/**
 * Upper tail of the chi-square distribution, `P[X > x]`.
 *
 * @remarks
 * The regularized upper incomplete gamma function `Q(df/2, x/2)` (stdlib), never `1 - P`, so p-values far
 * below `1e-16` are reported instead of 0.
 *
 * @param x - The point at which to evaluate; `x <= 0` gives 1.
 * @param degreesOfFreedom - Degrees of freedom, finite and `> 0`.
 * @returns The probability; `NaN` when an argument is `NaN` or the degrees of freedom are not finite and
 *   positive.
 * @throws Never.
 *
 * @example
 * ```ts
 * import { chiSquareUpperTail } from 'ep-stats';
 * chiSquareUpperTail(3.841458820694124, 1); // => ~0.05
 * chiSquareUpperTail(326.0869565217391, 1); // => ~6.840197664885593e-73
 * chiSquareUpperTail(0, 2); // => 1
 * ```
 * @public
 */
export function chiSquareUpperTail(x: number, degreesOfFreedom: number): number {
  if (Number.isNaN(x) || !(degreesOfFreedom > 0 && Number.isFinite(degreesOfFreedom))) {
    return Number.NaN;
  }
  if (x <= 0) {
    return 1;
  }
  if (x === Number.POSITIVE_INFINITY) {
    return 0;
  }
  const shape = degreesOfFreedom / 2;
  const z = x / 2;
  if (z > LARGE_GAMMA_ARGUMENT && shape > 50) {
    return upperIncompleteGammaLarge(shape, z);
  }
  return gammainc(z, shape, true, true);
}

/**
 * Regularized upper incomplete gamma function `Q(a, z)` for `a > 50`: the continued fraction of
 * `Gamma(a, z)` where `z > a + 1`, else `1 - P(a, z)` from the power series of `P`; the prefactor
 * `z^a e^-z / Gamma(a)` is `exp(a log1pmx((z - a) / a)) sqrt(a / 2 pi) / exp(S(a))` with Stirling's series
 * `S`, free of the cancellation between `a log z` and `log Gamma(a)`.
 */
function upperIncompleteGammaLarge(a: number, z: number): number {
  const sigma = (z - a) / a;
  const stirling = 1 / (12 * a) - 1 / (360 * a ** 3) + 1 / (1260 * a ** 5) - 1 / (1680 * a ** 7);
  const prefactor = Math.exp(a * (Math.log1p(sigma) - sigma) - stirling) * Math.sqrt(a / (2 * Math.PI));
  if (z > a + 1) {
    return prefactor * upperGammaContinuedFraction(a, z);
  }
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_GAMMA_TERMS && term > sum * Number.EPSILON; n += 1) {
    term *= z / (a + n);
    sum += term;
  }
  return 1 - prefactor * sum;
}

/**
 * `Gamma(a, z) / (z^a e^-z)` as the continued fraction `1 / (z + 1 - a - 1 (1 - a) / (z + 3 - a - 2 (2 - a) /
 * ...))`, evaluated by the modified Lentz method; it converges quickly for `z > a + 1`.
 */
function upperGammaContinuedFraction(a: number, z: number): number {
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_GAMMA_TERMS; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= Number.EPSILON) break;
  }
  return h;
}
