import { ValidationError } from '../errors/validation-error.js';
import type { Alternative } from '../statistics/alternative.js';
import {
  correctFamilyInto,
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
  readonly variantCount: number;
  readonly confidenceLevel: number;
  /** Final unadjusted p-values (Welch's, or CUPED's where it replaced them). */
  readonly pValue: Float64Array;
  readonly standardError: Float64Array;
  readonly degreesOfFreedom: Float64Array;
  /** Half-widths at the nominal level. */
  readonly confidenceInterval: Float64Array;
  /** Per metric: the alternative of its treatments' tests; two-sided when omitted. */
  readonly alternative?: readonly Alternative[] | undefined;
}

/**
 * Applies the correction to every family and returns the p-values and interval half-widths of all cells:
 * adjusted inside the families, unchanged outside them (the control cells). A family of at most one cell is
 * left as it is (every correction is the identity there). Without a family to adjust, or with `'none'`,
 * the input arrays themselves are returned.
 * @internal
 */
export function correctEvaluationFamilies(input: EvaluationCorrectionInput): {
  readonly pValue: Float64Array;
  readonly confidenceInterval: Float64Array;
} {
  const { correction, variantCount, confidenceLevel } = input;
  const adjustable = input.families.filter((family) => family.length > 1);
  if (correction === 'none' || adjustable.length === 0) {
    return { pValue: input.pValue, confidenceInterval: input.confidenceInterval };
  }
  const pValue = Float64Array.from(input.pValue);
  const confidenceInterval = Float64Array.from(input.confidenceInterval);
  const size = adjustable.reduce((largest, family) => Math.max(largest, family.length), 0);
  const pValues = new Float64Array(size);
  const standardErrors = new Float64Array(size);
  const degreesOfFreedom = new Float64Array(size);
  const alternatives = input.alternative === undefined ? undefined : new Array<Alternative>(size);
  const output = { pValues: new Float64Array(size), confidenceIntervals: new Float64Array(size) };
  const order = new Int32Array(size);
  for (const family of adjustable) {
    const m = family.length;
    for (let k = 0; k < m; k += 1) {
      const cell = family[k]!;
      pValues[k] = input.pValue[cell]!;
      standardErrors[k] = input.standardError[cell]!;
      degreesOfFreedom[k] = input.degreesOfFreedom[cell]!;
      if (alternatives !== undefined) {
        alternatives[k] = input.alternative?.[Math.floor(cell / variantCount)] ?? 'two-sided';
      }
    }
    const cells = { pValues, standardErrors, degreesOfFreedom, m, confidenceLevel, alternatives };
    correctFamilyInto(correction, cells, order, output);
    for (let k = 0; k < m; k += 1) {
      const cell = family[k]!;
      pValue[cell] = output.pValues[k]!;
      confidenceInterval[cell] = output.confidenceIntervals[k]!;
    }
  }
  return { pValue, confidenceInterval };
}
