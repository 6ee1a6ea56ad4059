import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { ValidationError } from '../errors/validation-error.js';
import { ALTERNATIVES, type Alternative } from './alternative.js';
import { benjaminiHochbergAdjustInto } from './benjamini-hochberg.js';
import { bonferroniAdjustInto } from './bonferroni.js';
import { holmAdjustInto } from './holm-bonferroni.js';
import { tHalfWidthAt } from './t-half-width.js';

/**
 * A correction for multiple testing: `'holm'` ({@link holmBonferroni}), `'benjamini-hochberg'`
 * ({@link benjaminiHochberg}), `'bonferroni'` ({@link bonferroni}) or `'none'`.
 *
 * @example
 * ```ts
 * import { correctForMultipleTesting, type MultipleTestingCorrection } from 'ep-stats';
 * const correction: MultipleTestingCorrection = 'bonferroni';
 * const family = { pValues: [0.01, 0.02], standardErrors: [1, 1], degreesOfFreedom: [10, 10], confidenceLevel: 0.95 };
 * [...correctForMultipleTesting({ correction, ...family }).pValues]; // => ~[0.02, 0.04]
 * ```
 * @public
 */
export type MultipleTestingCorrection = 'holm' | 'benjamini-hochberg' | 'bonferroni' | 'none';

/**
 * Every {@link MultipleTestingCorrection}, in the order messages list them.
 *
 * @example
 * ```ts
 * import { MULTIPLE_TESTING_CORRECTIONS } from 'ep-stats';
 * MULTIPLE_TESTING_CORRECTIONS.includes('benjamini-hochberg'); // => true
 * ```
 * @public
 */
export const MULTIPLE_TESTING_CORRECTIONS: readonly MultipleTestingCorrection[] = Object.freeze([
  'holm',
  'benjamini-hochberg',
  'bonferroni',
  'none',
]);

/**
 * One family of tests for {@link correctForMultipleTesting}: parallel lists, one entry per cell.
 *
 * @example
 * ```ts
 * import { correctForMultipleTesting, type MultipleTestingInput } from 'ep-stats';
 * // Two treatments of one metric, each a Welch test with 30 degrees of freedom.
 * const input: MultipleTestingInput = {
 *   correction: 'none', pValues: [0.04, 0.5], standardErrors: [0.02, 0.03], degreesOfFreedom: [30, 30], confidenceLevel: 0.95,
 * };
 * // Without correction: the nominal half-width se * t_30^-1(0.975).
 * correctForMultipleTesting(input).confidenceIntervals[0]; // => ~0.04084545
 * ```
 * @public
 */
export interface MultipleTestingInput {
  /** The correction to apply. */
  readonly correction: MultipleTestingCorrection;
  /** Raw p-values of the cells (`NaN` for a cell that could not be tested: it counts in the family). */
  readonly pValues: ArrayLike<number>;
  /** Standard errors of the cells' estimates. */
  readonly standardErrors: ArrayLike<number>;
  /** Degrees of freedom of the cells' t distributions (`Infinity` for the normal). */
  readonly degreesOfFreedom: ArrayLike<number>;
  /** Confidence level before the correction, e.g. 0.95; `alpha = 1 - confidenceLevel`. */
  readonly confidenceLevel: number;
  /**
   * Alternative of the tests whose p-values these are, one for every cell or one per cell; `'two-sided'` by
   * default. A one-sided cell gets the one-sided quantile `t_f^-1(1 - alpha_i)` (the half-width is then the
   * distance to the interval's finite bound).
   */
  readonly alternative?: Alternative | readonly Alternative[];
}

/**
 * What {@link correctForMultipleTesting} returns: per cell, in input order.
 *
 * @example
 * ```ts
 * import { correctForMultipleTesting, type MultipleTestingResult } from 'ep-stats';
 * const result: MultipleTestingResult = correctForMultipleTesting({
 *   correction: 'holm', pValues: [0.01, 0.04], standardErrors: [1, 1],
 *   degreesOfFreedom: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], confidenceLevel: 0.95,
 * });
 * // Holm multiplied the smaller p-value by 2 and left the larger one: levels 1 - 0.05 / 2 and 0.95.
 * [...result.confidenceLevels]; // => ~[0.975, 0.95]
 * ```
 * @public
 */
export interface MultipleTestingResult {
  /** The correction applied. */
  readonly correction: MultipleTestingCorrection;
  /** Adjusted p-values (the raw ones with `'none'`). */
  readonly pValues: Float64Array;
  /** Half-widths of the cells' intervals, `se * t_f^-1(1 - alpha_i / 2)`. */
  readonly confidenceIntervals: Float64Array;
  /** The level `1 - alpha_i` of each cell's interval. */
  readonly confidenceLevels: Float64Array;
}

/** The keys of {@link MultipleTestingInput}, in the order error messages list them. */
const MULTIPLE_TESTING_INPUT = optionKeys<MultipleTestingInput>({
  correction: true,
  pValues: true,
  standardErrors: true,
  degreesOfFreedom: true,
  confidenceLevel: true,
  alternative: true,
});

/**
 * Adjusted p-values and matching confidence intervals of one family of tests.
 *
 * @remarks
 * With `m` cells (`NaN` p-values included) and `alpha = 1 - confidenceLevel`, each cell's interval is
 * `se * t_f^-1(1 - alpha_i / 2)` (`se * t_f^-1(1 - alpha_i)` for a one-sided cell), its level `1 - alpha_i`:
 *
 * - `'none'`: raw p-values, `alpha_i = alpha`.
 * - `'bonferroni'`: {@link bonferroni}; `alpha_i = alpha / m`, simultaneous intervals (all `m` cover together
 *   with probability at least `1 - alpha`).
 * - `'holm'`: {@link holmBonferroni}; `alpha_i = (p / p_adj) alpha` (1 where the ratio is `NaN`), the
 *   reference's intervals ({@link adjustIntervalsForHolm}): a cell whose p-value Holm multiplied by `k` gets
 *   level `1 - alpha / k`, so the interval excludes 0 exactly when `p_adj < alpha`.
 * - `'benjamini-hochberg'`: {@link benjaminiHochberg}; with `R` the number of cells where `p_adj <= alpha`,
 *   `alpha_i = R alpha / m` for every cell (`alpha / m` when `R = 0`): the false-coverage-rate adjusted
 *   intervals of Benjamini and Yekutieli (2005), whose expected share of non-covering intervals among the
 *   `R` selected cells is at most `alpha`. The false discovery rate has no exactly matching simultaneous
 *   interval, so this is a choice: it keeps "the interval excludes 0" equal to "rejected by the step-up
 *   procedure" for every cell, and the intervals of the cells not selected carry no coverage guarantee of
 *   their own. Benjamini, Y. and Yekutieli, D. (2005), "False discovery rate-adjusted multiple confidence
 *   intervals for selected parameters", Journal of the American Statistical Association 100(469).
 *
 * @param input - The correction, the family's raw p-values, standard errors and degrees of freedom, and the
 *   confidence level.
 * @returns Adjusted p-values, half-widths and levels, one per cell, in input order.
 * @throws {@link ValidationError} for an unknown option or correction, lists of different lengths, or an
 *   unknown alternative (the error's `path` names the field).
 *
 * @example
 * ```ts
 * import { correctForMultipleTesting } from 'ep-stats';
 * const family = {
 *   pValues: [0.001, 0.02, 0.3],
 *   standardErrors: [1, 1, 1],
 *   degreesOfFreedom: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
 *   confidenceLevel: 0.95,
 * };
 * const bh = correctForMultipleTesting({ correction: 'benjamini-hochberg', ...family });
 * [...bh.pValues]; // => ~[0.003, 0.03, 0.3]
 * // Two rejections of three: every interval at level 1 - 2 (0.05) / 3.
 * [...bh.confidenceLevels]; // => ~[0.9666666667, 0.9666666667, 0.9666666667]
 * bh.confidenceIntervals[0]; // => ~2.1280452
 * const bonferroni = correctForMultipleTesting({ correction: 'bonferroni', ...family });
 * bonferroni.confidenceLevels[0]; // => ~0.9833333333
 * bonferroni.confidenceIntervals[0]; // => ~2.3939797
 * ```
 * @public
 */
export function correctForMultipleTesting(input: MultipleTestingInput): MultipleTestingResult {
  rejectUnknownKeys(input, MULTIPLE_TESTING_INPUT, 'correctForMultipleTesting');
  const { correction, pValues, standardErrors, degreesOfFreedom, confidenceLevel } = input;
  requireCorrection(correction, ['correction']);
  const m = pValues.length;
  for (const [name, list] of [
    ['standardErrors', standardErrors],
    ['degreesOfFreedom', degreesOfFreedom],
  ] as const) {
    if (list?.length !== m) {
      throw new ValidationError(
        `\`${name}\` must have one entry per p-value (${m}), received ${String(list?.length)}.`,
        [name],
      );
    }
  }
  const alternatives = cellAlternatives(input.alternative, m);
  const result = {
    correction,
    pValues: new Float64Array(m),
    confidenceIntervals: new Float64Array(m),
    confidenceLevels: new Float64Array(m),
  };
  correctFamilyInto(
    correction,
    { pValues, standardErrors, degreesOfFreedom, m, confidenceLevel, alternatives },
    new Int32Array(m),
    result,
  );
  return Object.freeze(result);
}

/** One alternative per cell from a single one or a list, validated; `undefined` when all are two-sided. */
function cellAlternatives(
  alternative: Alternative | readonly Alternative[] | undefined,
  m: number,
): readonly Alternative[] | undefined {
  if (alternative === undefined) return undefined;
  const list: readonly unknown[] = typeof alternative === 'string' ? Array(m).fill(alternative) : alternative;
  if (!Array.isArray(list) || list.length !== m) {
    throw new ValidationError(
      `\`alternative\` must be one alternative or a list of one per p-value (${m}), received ${String(alternative)}.`,
      ['alternative'],
    );
  }
  list.forEach((entry, cell) => {
    if (!ALTERNATIVES.includes(entry as Alternative)) {
      throw new ValidationError(
        `\`alternative\` must be 'two-sided', 'greater' or 'less', received ${String(entry)}.`,
        typeof alternative === 'string' ? ['alternative'] : ['alternative', cell],
      );
    }
  });
  return list as readonly Alternative[];
}

/**
 * Throws a {@link ValidationError} at `path` unless `value` is a {@link MultipleTestingCorrection}.
 * @internal
 */
export function requireCorrection(
  value: unknown,
  path: readonly (string | number)[],
): asserts value is MultipleTestingCorrection {
  if (!(MULTIPLE_TESTING_CORRECTIONS as readonly unknown[]).includes(value)) {
    const known = MULTIPLE_TESTING_CORRECTIONS.map((name) => `'${name}'`).join(', ');
    throw new ValidationError(
      `\`${path.join('.')}\` must be one of ${known}, received ${typeof value === 'string' ? `'${value}'` : String(value)}`,
      path,
    );
  }
}

/** The first `m` cells of a family, as {@link correctFamilyInto} reads them. @internal */
export interface FamilyCells {
  readonly pValues: ArrayLike<number>;
  readonly standardErrors: ArrayLike<number>;
  readonly degreesOfFreedom: ArrayLike<number>;
  readonly m: number;
  readonly confidenceLevel: number;
  /** Per cell; all two-sided when omitted. */
  readonly alternatives?: ArrayLike<Alternative> | undefined;
}

/** Where {@link correctFamilyInto} writes, cells `0..m-1`; `confidenceLevels` is optional. @internal */
export interface FamilyOutput {
  readonly pValues: Float64Array;
  readonly confidenceIntervals: Float64Array;
  readonly confidenceLevels?: Float64Array;
}

/**
 * The adjusted p-values of the first `m` cells of a family and the level `alpha` at which each cell's
 * interval is to be read (`1 - ` its confidence level): Holm's `alpha * p / p_adjusted` (`alpha` when that
 * ratio is NaN), Bonferroni's `alpha / m`, Benjamini-Yekutieli's `R * alpha / m` (`R` rejections, at least
 * 1), or `alpha` without correction. `order`: scratch space of at least `m` cells.
 * @internal
 */
export function adjustFamilyInto(
  correction: MultipleTestingCorrection,
  pValues: ArrayLike<number>,
  m: number,
  alpha: number,
  order: Int32Array,
  adjusted: Float64Array,
  cellAlphas: Float64Array,
): void {
  if (correction === 'holm') {
    holmAdjustInto(pValues, m, order, adjusted);
    for (let cell = 0; cell < m; cell += 1) {
      const ratio = pValues[cell]! / adjusted[cell]!;
      cellAlphas[cell] = (Number.isNaN(ratio) ? 1 : ratio) * alpha;
    }
    return;
  }
  let cellAlpha = alpha;
  if (correction === 'none') {
    for (let cell = 0; cell < m; cell += 1) adjusted[cell] = pValues[cell]!;
  } else if (correction === 'bonferroni') {
    bonferroniAdjustInto(pValues, m, adjusted);
    cellAlpha = alpha / m;
  } else {
    benjaminiHochbergAdjustInto(pValues, m, order, adjusted);
    let rejections = 0;
    for (let cell = 0; cell < m; cell += 1) if (adjusted[cell]! <= alpha) rejections += 1;
    cellAlpha = (Math.max(rejections, 1) * alpha) / m;
  }
  cellAlphas.fill(cellAlpha, 0, m);
}

/**
 * {@link correctForMultipleTesting} over the first `m` cells, without allocations (`order`: scratch space of
 * at least `m` cells), for families taken one after another.
 * @internal
 */
export function correctFamilyInto(
  correction: MultipleTestingCorrection,
  family: FamilyCells,
  order: Int32Array,
  output: FamilyOutput,
): void {
  const { pValues, standardErrors, degreesOfFreedom, m, confidenceLevel, alternatives } = family;
  const cellAlphas = output.confidenceLevels ?? new Float64Array(m);
  adjustFamilyInto(correction, pValues, m, 1 - confidenceLevel, order, output.pValues, cellAlphas);
  for (let cell = 0; cell < m; cell += 1) {
    const cellAlpha = cellAlphas[cell]!;
    output.confidenceIntervals[cell] = tHalfWidthAt(
      standardErrors[cell]!,
      degreesOfFreedom[cell]!,
      cellAlpha,
      alternatives?.[cell],
    );
    cellAlphas[cell] = 1 - cellAlpha;
  }
}
