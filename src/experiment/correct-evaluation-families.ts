import { ValidationError } from '../errors/validation-error.js';
import {
  adjustFamilyInto,
  type MultipleTestingCorrection,
  requireCorrection,
} from '../statistics/correct-for-multiple-testing.js';

/**
 * Which p-values of an evaluation form one family for the correction for multiple testing: `'metric'` (the
 * treatments of each metric, with more than two variants: the reference's) or `'report'` (every treatment
 * of every metric together).
 *
 * @example
 * ```ts
 * import { Experiment, type CorrectionScope } from 'ep-stats';
 * const correctionScope: CorrectionScope = 'report';
 * new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', correctionScope }).correctionScope; // => 'report'
 * ```
 * @public
 */
export type CorrectionScope = 'metric' | 'report';

/** Every {@link CorrectionScope}, in the order messages list them. @internal */
export const CORRECTION_SCOPES: readonly CorrectionScope[] = Object.freeze(['metric', 'report']);

/**
 * An experiment's `correction` (default `'holm'`) and `correctionScope` (default `'metric'`), validated.
 *
 * @throws {@link ValidationError} with path `['correction']` or `['correctionScope']` for a value that is
 *   not one of the known ones.
 * @internal
 */
export function validateCorrection(
  correction: unknown,
  correctionScope: unknown,
): [MultipleTestingCorrection, CorrectionScope] {
  const method = correction ?? 'holm';
  requireCorrection(method, ['correction']);
  const scope = correctionScope ?? 'metric';
  if (!(CORRECTION_SCOPES as readonly unknown[]).includes(scope)) {
    throw new ValidationError(
      `\`correctionScope\` must be 'metric' (each metric's treatments) or 'report' (every treatment of every ` +
        `metric together), received ${typeof scope === 'string' ? `'${scope}'` : String(scope)}`,
      ['correctionScope'],
    );
  }
  return [method, scope as CorrectionScope];
}

/**
 * The families of an evaluation's (metrics x variants) row-major cells, each a list of cell indices: per
 * metric its treatment cells when there are more than two variants (scope `'metric'`, the reference's
 * condition), or all treatment cells of all metrics in one family (scope `'report'`). Control cells are in
 * no family. A `controlIndex` of -1 (no control) makes every cell a treatment.
 * @internal
 */
export function evaluationFamilies(
  scope: CorrectionScope,
  metricCount: number,
  variantCount: number,
  controlIndex: number,
): Int32Array[] {
  const treatments: number[] = [];
  for (let v = 0; v < variantCount; v += 1) if (v !== controlIndex) treatments.push(v);
  const rowCells = (m: number) => treatments.map((v) => m * variantCount + v);
  if (scope === 'report') {
    return [Int32Array.from(Array.from({ length: metricCount }, (_, m) => rowCells(m)).flat())];
  }
  if (variantCount <= 2) return [];
  return Array.from({ length: metricCount }, (_, m) => Int32Array.from(rowCells(m)));
}

/** What {@link correctEvaluationFamilies} reads: cells flat over the evaluation's (metrics x variants). @internal */
export interface EvaluationCorrectionInput {
  readonly correction: MultipleTestingCorrection;
  /** Lists of cell indices ({@link evaluationFamilies}). */
  readonly families: readonly ArrayLike<number>[];
  readonly confidenceLevel: number;
  /** Final unadjusted p-values (Welch's, CUPED's or the confidence sequence's; one-sided ones included). */
  readonly pValue: Float64Array;
}

/**
 * The outcome of a correction for multiple testing of an evaluation's cells: the p-values and, per cell, the
 * level `alpha` its interval is read at (`NaN` for a cell whose nominal interval stays, e.g. a control cell).
 * @internal
 */
export interface CorrectedCells {
  readonly pValue: Float64Array;
  /** `undefined` when no cell is adjusted. */
  readonly cellAlpha: Float64Array | undefined;
}

/**
 * Applies the correction to every family ({@link adjustFamilyInto}): p-values adjusted inside the families,
 * unchanged outside them (the control cells). A family of at most one cell is left as it is (every
 * correction is the identity there). Without a family to adjust, or with `'none'`, the input p-values
 * themselves are returned.
 * @internal
 */
export function correctEvaluationFamilies(input: EvaluationCorrectionInput): CorrectedCells {
  const { correction, confidenceLevel } = input;
  const adjustable = input.families.filter((family) => family.length > 1);
  if (correction === 'none' || adjustable.length === 0) return { pValue: input.pValue, cellAlpha: undefined };
  const pValue = Float64Array.from(input.pValue);
  const cellAlpha = new Float64Array(pValue.length).fill(Number.NaN);
  const size = adjustable.reduce((largest, family) => Math.max(largest, family.length), 0);
  const pValues = new Float64Array(size);
  const adjusted = new Float64Array(size);
  const alphas = new Float64Array(size);
  const order = new Int32Array(size);
  for (const family of adjustable) {
    const m = family.length;
    for (let k = 0; k < m; k += 1) pValues[k] = input.pValue[family[k]!]!;
    adjustFamilyInto(correction, pValues, m, 1 - confidenceLevel, order, adjusted, alphas);
    for (let k = 0; k < m; k += 1) {
      pValue[family[k]!] = adjusted[k]!;
      cellAlpha[family[k]!] = alphas[k]!;
    }
  }
  return { pValue, cellAlpha };
}

/** The cells an evaluation hands to a {@link CorrectionHook}. @internal */
export interface CorrectionHookCells {
  /** Final unadjusted p-values of every cell, (metrics x variants) row-major. */
  readonly pValue: Float64Array;
  /** The treatment cells of every metric (the family of scope `'report'`). */
  readonly treatmentCells: Int32Array;
  /** The evaluation's confidence level. */
  readonly confidenceLevel: number;
}

/**
 * Takes the place of an evaluation's own correction for multiple testing, so that the cells of several
 * evaluations can be corrected as one family (a segmented evaluation with scope `'report'`): returns the
 * corrected cells, or `undefined` to let the evaluation correct its own families.
 * @internal
 */
export type CorrectionHook = (cells: CorrectionHookCells) => CorrectedCells | undefined;

/**
 * Corrects the treatment cells of several evaluations as one family (scope `'report'` across the blocks of a
 * segmented evaluation), at the level of the first evaluation that has cells: per evaluation, its cells with
 * the p-values adjusted and the level of each treatment cell's interval; `undefined` for an evaluation
 * without cells.
 * @internal
 */
export function correctAcrossEvaluations(
  correction: MultipleTestingCorrection,
  evaluations: readonly (CorrectionHookCells | undefined)[],
): (CorrectedCells | undefined)[] {
  const m = evaluations.reduce((total, cells) => total + (cells?.treatmentCells.length ?? 0), 0);
  const confidenceLevel = evaluations.find((cells) => cells !== undefined)?.confidenceLevel ?? 1;
  const pValues = new Float64Array(m);
  let k = 0;
  for (const cells of evaluations)
    for (const cell of cells?.treatmentCells ?? []) pValues[k++] = cells!.pValue[cell]!;
  const adjusted = new Float64Array(m);
  const alphas = new Float64Array(m);
  adjustFamilyInto(correction, pValues, m, 1 - confidenceLevel, new Int32Array(m), adjusted, alphas);
  k = 0;
  return evaluations.map((cells) => {
    if (cells === undefined) return undefined;
    const pValue = Float64Array.from(cells.pValue);
    const cellAlpha = new Float64Array(pValue.length).fill(Number.NaN);
    for (const cell of cells.treatmentCells) {
      pValue[cell] = adjusted[k]!;
      cellAlpha[cell] = alphas[k]!;
      k += 1;
    }
    return { pValue, cellAlpha };
  });
}
