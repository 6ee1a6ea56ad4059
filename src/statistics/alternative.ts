import { ValidationError } from '../errors/validation-error.js';
import { studentTUpperTail } from './distributions.js';

/**
 * The alternative hypothesis of a test of the difference `diff` against its null value `delta0`:
 * `'two-sided'` (`diff != delta0`), `'greater'` (`diff > delta0`, for a metric where higher is better) or
 * `'less'` (`diff < delta0`, for a metric where lower is better).
 *
 * @remarks
 * With `t = (diff - delta0) / se` and `f` degrees of freedom: `'two-sided'` gives `p = 2 P[T_f > |t|]` and
 * the interval `diff -+ se t_f^-1((1 + cl) / 2)`; `'greater'` gives `p = P[T_f > t]` and the interval
 * `[diff - se t_f^-1(cl), +Infinity)`; `'less'` gives `p = P[T_f < t]` and the interval
 * `(-Infinity, diff + se t_f^-1(cl)]`. See docs/statistics.md, "One-sided and non-inferiority tests".
 *
 * @example
 * ```ts
 * import { Metric, type Alternative } from 'ep-stats';
 * const alternative: Alternative = new Metric({
 *   id: 1, name: 'Checkout time', nominator: 'value(u.unit.checkout_time)', denominator: 'count(u.global.exposure)',
 *   alternative: 'less', nonInferiorityMargin: 0.02,
 * }).alternative;
 * alternative; // => 'less'
 * ```
 * @public
 */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** The alternatives, in the order error messages list them. @internal */
export const ALTERNATIVES: readonly Alternative[] = Object.freeze(['two-sided', 'greater', 'less']);

/**
 * The p-value of the statistic `t = (diff - delta0) / se` with `degreesOfFreedom` under `alternative`:
 * `2 P[T > |t|]` (1 at `t = 0`, as the two-sided test always reported), `P[T > t]` or `P[T < t]`.
 * @internal
 */
export function alternativePValue(t: number, degreesOfFreedom: number, alternative: Alternative): number {
  if (alternative === 'greater') return studentTUpperTail(t, degreesOfFreedom);
  if (alternative === 'less') return studentTUpperTail(-t, degreesOfFreedom);
  // The upper tail at 0 is one half for every degrees of freedom above 0.
  return t === 0 && degreesOfFreedom > 0 ? 1 : 2 * studentTUpperTail(Math.abs(t), degreesOfFreedom);
}

/**
 * The probability whose t quantile times the standard error is the interval's half-width at
 * `confidenceLevel`: `cl + (1 - cl) / 2` two-sided, `cl` one-sided.
 * @internal
 */
export function confidenceQuantileProbability(confidenceLevel: number, alternative: Alternative): number {
  return alternative === 'two-sided' ? confidenceLevel + (1 - confidenceLevel) / 2 : confidenceLevel;
}

/**
 * The same probability from the significance level `alpha` (`1 - cl`, or a Holm-adjusted one):
 * `1 - alpha / 2` two-sided, `1 - alpha` one-sided.
 * @internal
 */
export function alphaQuantileProbability(alpha: number, alternative: Alternative): number {
  return alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha;
}

/** The lower bound of `estimate`'s interval of half-width `halfWidth`: `-Infinity` under `'less'`. @internal */
export function lowerBound(estimate: number, halfWidth: number, alternative: Alternative): number {
  return alternative === 'less' ? Number.NEGATIVE_INFINITY : estimate - halfWidth;
}

/** The upper bound of `estimate`'s interval of half-width `halfWidth`: `+Infinity` under `'greater'`. @internal */
export function upperBound(estimate: number, halfWidth: number, alternative: Alternative): number {
  return alternative === 'greater' ? Number.POSITIVE_INFINITY : estimate + halfWidth;
}

/**
 * The difference under the null hypothesis of a metric's test: `-margin` for `'greater'` (H0: the treatment
 * is worse by the margin or more), `+margin` for `'less'`, 0 without a margin.
 * @internal
 */
export function nullValueOf(alternative: Alternative, nonInferiorityMargin: number | undefined): number {
  if (nonInferiorityMargin === undefined) return 0;
  if (alternative === 'greater') return -nonInferiorityMargin;
  if (alternative === 'less') return nonInferiorityMargin;
  return 0;
}

/**
 * The distance from the null value to the effect a test should detect: `minimumEffect` in the tested
 * direction (`+` for `'greater'`, `-` for `'less'`, either for `'two-sided'`) minus `nullValue`, 0 when the
 * effect does not lie beyond the null value (nothing can then be detected).
 * @internal
 */
export function effectToDetect(minimumEffect: number, nullValue: number, alternative: Alternative): number {
  if (alternative === 'greater') return Math.max(minimumEffect - nullValue, 0);
  if (alternative === 'less') return Math.max(minimumEffect + nullValue, 0);
  return minimumEffect;
}

/** A validated alternative and non-inferiority margin. @internal */
export interface Hypothesis {
  readonly alternative: Alternative;
  readonly nonInferiorityMargin: number | undefined;
}

/**
 * Checks an `alternative` (default `'two-sided'`) and a `nonInferiorityMargin` (`undefined` or `null` for
 * none; else a relative margin strictly between 0 and 1, which needs a one-sided alternative).
 *
 * @throws {@link ValidationError} whose `path` is `[...path, 'alternative']` or
 *   `[...path, 'nonInferiorityMargin']`.
 * @internal
 */
export function validateHypothesis(
  alternative: unknown,
  nonInferiorityMargin: unknown,
  path: readonly (string | number)[] = [],
): Hypothesis {
  if (alternative !== undefined && !ALTERNATIVES.includes(alternative as Alternative)) {
    throw new ValidationError(
      `\`alternative\` must be 'two-sided', 'greater' (higher is better) or 'less' (lower is better), ` +
        `received ${describe(alternative)}.`,
      [...path, 'alternative'],
    );
  }
  const tested = (alternative as Alternative | undefined) ?? 'two-sided';
  if (nonInferiorityMargin === undefined || nonInferiorityMargin === null) {
    return { alternative: tested, nonInferiorityMargin: undefined };
  }
  if (typeof nonInferiorityMargin !== 'number' || !(nonInferiorityMargin > 0 && nonInferiorityMargin < 1)) {
    throw new ValidationError(
      '`nonInferiorityMargin` must be a relative margin strictly between 0 and 1 (0.02 is 2 %), ' +
        `received ${describe(nonInferiorityMargin)}.`,
      [...path, 'nonInferiorityMargin'],
    );
  }
  if (tested === 'two-sided') {
    throw new ValidationError(
      '`nonInferiorityMargin` needs a one-sided `alternative`: `greater` when higher values are better ' +
        "(H0: diff <= -margin), `less` when lower values are better (H0: diff >= +margin); 'two-sided' was given.",
      [...path, 'nonInferiorityMargin'],
    );
  }
  return { alternative: tested, nonInferiorityMargin };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/**
 * Checks the per-row `alternative` and `nullValue` inputs of a kernel: one entry per row of the matrices,
 * each alternative one of {@link ALTERNATIVES}, each null value a finite number.
 *
 * @throws {@link ValidationError} with the path `['alternative']` or `['nullValue']` for a length that is not
 *   the number of rows, `['alternative', row]` or `['nullValue', row]` for an entry.
 * @internal
 */
export function validateRowHypotheses(
  alternative: readonly Alternative[] | undefined,
  nullValue: ArrayLike<number> | undefined,
  rows: number,
): void {
  if (alternative !== undefined) {
    requireRowCount(alternative.length, rows, 'alternative');
    alternative.forEach((value, row) => {
      if (!ALTERNATIVES.includes(value)) {
        throw new ValidationError(
          `\`alternative[${row}]\` must be 'two-sided', 'greater' or 'less', received ${describe(value)}.`,
          ['alternative', row],
        );
      }
    });
  }
  if (nullValue !== undefined) {
    requireRowCount(nullValue.length, rows, 'nullValue');
    for (let row = 0; row < rows; row += 1) {
      if (!Number.isFinite(nullValue[row])) {
        throw new ValidationError(
          `\`nullValue[${row}]\` must be a finite number, received ${describe(nullValue[row])}.`,
          ['nullValue', row],
        );
      }
    }
  }
}

function requireRowCount(length: number, rows: number, name: string): void {
  if (length !== rows) {
    throw new ValidationError(
      `\`${name}\` must hold one entry per row (metric), ${rows}, received ${length}.`,
      [name],
    );
  }
}
