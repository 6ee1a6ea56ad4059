import { ValidationError } from '../errors/validation-error.js';
import {
  confidenceSequenceHalfWidth,
  confidenceSequencePValue,
  confidenceSequenceRho,
  DEFAULT_SEQUENTIAL_TUNING,
} from '../statistics/confidence-sequence.js';

/** The sequential adjustments an experiment can ask for. @internal */
export type SequentialMethod = 'obrien-fleming' | 'confidence-sequence';

/** The sequential adjustments, in the order error messages list them. @internal */
export const SEQUENTIAL_METHODS: readonly SequentialMethod[] = Object.freeze([
  'obrien-fleming',
  'confidence-sequence',
]);

/** How an evaluation builds always-valid intervals: the tuning sample size `N*`. @internal */
export interface ConfidenceSequenceSettings {
  readonly tuning: number;
}

/**
 * The confidence-sequence settings of an experiment, or `undefined` when it keeps fixed-horizon intervals
 * (with or without the O'Brien-Fleming level).
 *
 * @internal
 */
export function confidenceSequenceSettings(experiment: {
  readonly sequential?: SequentialMethod | undefined;
  readonly sequentialTuning?: number | undefined;
}): ConfidenceSequenceSettings | undefined {
  if (experiment.sequential !== 'confidence-sequence') return undefined;
  return { tuning: experiment.sequentialTuning ?? DEFAULT_SEQUENTIAL_TUNING };
}

/** The cells {@link applyConfidenceSequence} reads and overwrites, (metrics x variants) row-major. @internal */
export interface ConfidenceSequenceCells {
  readonly variantCount: number;
  readonly controlIndex: number;
  /** The experiment's confidence level (no O'Brien-Fleming adjustment with a confidence sequence). */
  readonly confidenceLevel: number;
  /** Per cell: the sample size of the cell's estimate (units, or the denominator's value), as the t-test's. */
  readonly sampleSize: ArrayLike<number>;
  /** CUPED rows: their treatment cells (`adjusted` 1) count the exposed units of the pair instead. */
  readonly cuped?: { readonly adjusted: Uint8Array; readonly units: ArrayLike<number> } | undefined;
  /** Per metric: the alternative of its tests; two-sided when omitted. */
  readonly alternative?: readonly ('two-sided' | 'greater' | 'less')[] | undefined;
  readonly standardError: ArrayLike<number>;
  /** `(diff - delta0) / se`, as the t-test computed it (0 where it set an infinite statistic to 0). */
  readonly testStat: ArrayLike<number>;
  /** Overwritten with the always-valid p-values. */
  readonly pValue: Float64Array;
  /** Overwritten with the half-widths of the confidence sequence. */
  readonly confidenceInterval: Float64Array;
}

/** What the correction for multiple testing needs to widen the sequences as it widens t intervals. @internal */
export interface ConfidenceSequenceOutcome {
  /**
   * The sequence's half-width of `cell` read at level `alpha` (the level the correction gives the cell, see
   * `adjustFamilyInto`: Holm `(p / p_adj) alpha`, Bonferroni `alpha / m`, Benjamini-Hochberg `R alpha / m`,
   * from the always-valid p-values), with the experiment's `rho`.
   */
  halfWidthAt(cell: number, alpha: number): number;
}

/**
 * With confidence-sequence settings, replaces every cell's p-value and interval half-width with those of the
 * asymptotic confidence sequence ({@link confidenceSequencePValue}, {@link confidenceSequenceHalfWidth}), in
 * place, before the correction for multiple testing reads the p-values; without, does nothing.
 *
 * @remarks
 * `N` of a cell is its sample size plus the control's (gbstats' `n = n_a + n_b`,
 * packages/stats/gbstats/models/tests.py lines 289-291): the units of the two arms compared, the control row
 * counting its own twice as it is compared with itself. `rho` is fixed by the experiment's `alpha = 1 - cl` and
 * the tuning sample size; the test statistic and standard error are the t-test's (CUPED rows: the adjusted
 * ones), so `diff`, `se`, `testStat` and `degreesOfFreedom` stay as they are and only the p-value and the
 * half-width change. The control row keeps p 1 (statistic 0). The sequence is normal-theory: the degrees of
 * freedom no longer enter.
 *
 * @internal
 */
export function applyConfidenceSequence(
  settings: ConfidenceSequenceSettings | undefined,
  cells: ConfidenceSequenceCells,
): ConfidenceSequenceOutcome | undefined {
  if (settings === undefined) return undefined;
  const { variantCount, controlIndex, confidenceLevel } = cells;
  const alpha = 1 - confidenceLevel;
  const alternativeOf = (cell: number) => cells.alternative?.[Math.floor(cell / variantCount)] ?? 'two-sided';
  // One rho for two-sided rows, one for one-sided rows (gbstats doubles alpha in rho for the latter).
  const rhoTwoSided = confidenceSequenceRho(alpha, settings.tuning);
  const rhoOneSided = confidenceSequenceRho(alpha, settings.tuning, 'greater');
  const size = cells.pValue.length;
  const pairSampleSize = new Float64Array(size);
  const rhos = new Float64Array(size);
  for (let cell = 0; cell < size; cell++) {
    const control = cell - (cell % variantCount) + controlIndex;
    const sizes = cells.cuped?.adjusted[cell] === 1 ? cells.cuped.units : cells.sampleSize;
    pairSampleSize[cell] = sizes[cell]! + sizes[control]!;
    const alternative = cell % variantCount === controlIndex ? 'two-sided' : alternativeOf(cell);
    rhos[cell] = alternative === 'two-sided' ? rhoTwoSided : rhoOneSided;
    cells.pValue[cell] = confidenceSequencePValue(
      cells.testStat[cell]!,
      pairSampleSize[cell]!,
      rhos[cell]!,
      alternative,
    );
    cells.confidenceInterval[cell] = confidenceSequenceHalfWidth(
      cells.standardError[cell]!,
      pairSampleSize[cell]!,
      alpha,
      rhos[cell]!,
      alternative,
    );
  }
  return {
    halfWidthAt: (cell, cellAlpha) =>
      confidenceSequenceHalfWidth(
        cells.standardError[cell]!,
        pairSampleSize[cell]!,
        cellAlpha,
        rhos[cell]!,
        alternativeOf(cell),
      ),
  };
}

/**
 * Validates `sequential` and `sequentialTuning` of an experiment's options.
 *
 * @returns The method (`'obrien-fleming'` by default) and the tuning sample size (5000 by default with
 *   `'confidence-sequence'`, `undefined` otherwise).
 * @throws {@link ValidationError} (path `['sequential']` or `['sequentialTuning']`) for an unknown method, a
 *   tuning sample size that is not a finite positive number, or a tuning sample size without
 *   `sequential: 'confidence-sequence'`.
 * @internal
 */
export function validateSequential(
  sequential: unknown,
  sequentialTuning: unknown,
): [SequentialMethod, number | undefined] {
  const method = (sequential ?? 'obrien-fleming') as SequentialMethod;
  if (!SEQUENTIAL_METHODS.includes(method)) {
    throw new ValidationError(
      `\`sequential\` must be one of ${SEQUENTIAL_METHODS.map((m) => `'${m}'`).join(', ')}, received ${JSON.stringify(sequential)}`,
      ['sequential'],
    );
  }
  if (sequentialTuning == null) {
    return [method, method === 'confidence-sequence' ? DEFAULT_SEQUENTIAL_TUNING : undefined];
  }
  if (typeof sequentialTuning !== 'number' || !Number.isFinite(sequentialTuning) || !(sequentialTuning > 0)) {
    throw new ValidationError(
      `\`sequentialTuning\` must be a finite number greater than 0 (the total sample size of the two arms compared at which the confidence sequence is tightest), received ${String(sequentialTuning)}`,
      ['sequentialTuning'],
    );
  }
  if (method !== 'confidence-sequence') {
    throw new ValidationError(
      "`sequentialTuning` applies only to confidence sequences: set `sequential: 'confidence-sequence'` or leave `sequentialTuning` out",
      ['sequentialTuning'],
    );
  }
  return [method, sequentialTuning];
}
