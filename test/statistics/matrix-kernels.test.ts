/**
 * The (metrics x variants) matrix kernels against the per-cell formulas: every cell of a vectorised result
 * must be the very number (Object.is) that the scalar function, or the formula written out cell by cell,
 * gives for that cell, for contiguous, transposed and sliced `ndarray` views alike.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  adjustIntervalsForHolm,
  adjustIntervalsForHolmMatrix,
  falsePositiveRisk,
  falsePositiveRiskMatrix,
  holmBonferroni,
  holmBonferroniMatrix,
  type Matrix,
  powerFromSampleSizes,
  powerMatrix,
  requiredSampleSizeMatrix,
  requiredSampleSizePerVariant,
  roundHalfEven,
  studentTQuantile,
  studentTUpperTail,
  welchTest,
  welchTestMatrix,
} from '../../src/index.js';
import { thrownValidationError } from '../support/thrown.js';
import { uniform } from '../support/uniform.js';

/** A contiguous (rows x columns) matrix of `values(row, column)`. */
function matrixOf(rows: number, columns: number, values: (row: number, column: number) => number): Matrix {
  const data = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) data[r * columns + c] = values(r, c);
  return ndarray(data, [rows, columns]);
}

/** The same values behind a transposed view: the data is stored (columns x rows). */
function transposedOf(matrix: Matrix): Matrix {
  const [rows = 0, columns = 0] = matrix.shape;
  const stored = matrixOf(columns, rows, (c, r) => matrix.get(r, c));
  return stored.transpose(1, 0);
}

/** The same values as the interior of a larger matrix (offset and row stride differ). */
function slicedOf(matrix: Matrix): Matrix {
  const [rows = 0, columns = 0] = matrix.shape;
  const larger = matrixOf(rows + 2, columns + 3, (r, c) =>
    r >= 1 && r <= rows && c >= 2 && c < columns + 2 ? matrix.get(r - 1, c - 2) : Number.NaN,
  );
  return larger.lo(1, 2).hi(rows, columns);
}

function cells(matrix: Matrix): number[] {
  const [rows = 0, columns = 0] = matrix.shape;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out.push(matrix.get(r, c));
  return out;
}

/** Welch inputs with realistic and degenerate cells (zero variance, tiny counts, zero control mean). */
function welchInputs(seed: number, rows: number, columns: number) {
  const random = uniform(seed);
  const degenerate = () => random() < 0.05;
  const estimate = matrixOf(rows, columns, () => (degenerate() ? 0 : (random() - 0.2) * 10));
  const estimateVariance = matrixOf(rows, columns, () => (degenerate() ? 0 : random() * 0.5));
  const sampleSize = matrixOf(rows, columns, () => (degenerate() ? 1 : 2 + Math.floor(random() * 5000)));
  const sumValue = matrixOf(rows, columns, () => random() * 40);
  return { estimate, estimateVariance, sampleSize, sumValue };
}

/** The formulas of the Welch test documentation, one cell at a time. */
function welchCell(
  mt: number,
  vt: number,
  nt: number,
  st: number,
  mc: number,
  vc: number,
  nc: number,
  cl: number,
) {
  const pooled = vc + vt;
  const f = Math.trunc(roundHalfEven((pooled * pooled) / ((vc * vc) / (nc - 1) + (vt * vt) / (nt - 1)), 5));
  const diff = (mt - mc) / Math.abs(mc);
  const se = Math.sqrt((mt * mt * vc) / (mc * mc) + vt) / Math.abs(mc);
  let stat = diff / se;
  if (!Number.isFinite(stat) && !Number.isNaN(stat) && st <= 10) stat = 0;
  return {
    diff,
    standardError: se,
    testStat: stat,
    pValue: 2 * studentTUpperTail(Math.abs(stat), f),
    confidenceInterval: se * studentTQuantile(cl + (1 - cl) / 2, f),
    degreesOfFreedom: f,
  };
}

describe('welchTestMatrix', () => {
  it('gives, in every cell, exactly the per-cell formulas (contiguous, transposed and sliced views)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(0.8, 0.9, 0.95, 0.99),
        (seed, rows, columns, confidenceLevel) => {
          const inputs = welchInputs(seed, rows, columns);
          const controlIndex = seed % columns;
          const expected = cells(inputs.estimate).map((_, index) => {
            const r = Math.floor(index / columns);
            const c = index % columns;
            return welchCell(
              inputs.estimate.get(r, c),
              inputs.estimateVariance.get(r, c),
              inputs.sampleSize.get(r, c),
              inputs.sumValue.get(r, c),
              inputs.estimate.get(r, controlIndex),
              inputs.estimateVariance.get(r, controlIndex),
              inputs.sampleSize.get(r, controlIndex),
              confidenceLevel,
            );
          });
          for (const view of [(m: Matrix) => m, transposedOf, slicedOf]) {
            const result = welchTestMatrix({
              estimate: view(inputs.estimate),
              estimateVariance: view(inputs.estimateVariance),
              sampleSize: view(inputs.sampleSize),
              sumValue: view(inputs.sumValue),
              controlIndex,
              confidenceLevel,
            });
            for (const key of [
              'diff',
              'standardError',
              'testStat',
              'pValue',
              'confidenceInterval',
              'degreesOfFreedom',
            ] as const) {
              const actual = cells(result[key]);
              expected.forEach((cell, index) => {
                if (!Object.is(actual[index], cell[key])) {
                  throw new Error(`${key}[${index}]: ${actual[index]} != ${cell[key]}`);
                }
              });
            }
            expect(result.pValue.shape).toEqual([rows, columns]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is what welchTest returns for the same row-major arrays', () => {
    const inputs = welchInputs(7, 4, 3);
    const flat = welchTest({
      metricCount: 4,
      variantCount: 3,
      controlIndex: 2,
      estimate: inputs.estimate.data,
      estimateVariance: inputs.estimateVariance.data,
      sampleSize: inputs.sampleSize.data,
      sumValue: inputs.sumValue.data,
      confidenceLevel: 0.9,
    });
    const matrix = welchTestMatrix({ ...inputs, controlIndex: 2, confidenceLevel: 0.9 });
    expect([...flat.pValue]).toEqual(cells(matrix.pValue));
    expect([...flat.confidenceInterval]).toEqual(cells(matrix.confidenceInterval));
    // Control column: difference 0 and p-value 1 where its own statistics are defined.
    const defined = [0, 1, 2, 3].filter(
      (r) =>
        inputs.estimate.get(r, 2) !== 0 &&
        inputs.estimateVariance.get(r, 2) > 0 &&
        inputs.sampleSize.get(r, 2) > 1,
    );
    expect(defined.length).toBeGreaterThan(0);
    for (const r of defined) {
      expect(matrix.diff.get(r, 2)).toBe(0);
      expect(matrix.pValue.get(r, 2)).toBe(1);
    }
  });

  it('names the matrix whose shape differs, a value that is not a matrix, and a control outside', () => {
    const inputs = welchInputs(3, 2, 3);
    const wrongShape = thrownValidationError(() =>
      welchTestMatrix({
        ...inputs,
        sumValue: matrixOf(3, 2, () => 1),
        controlIndex: 0,
        confidenceLevel: 0.95,
      }),
    );
    expect(wrongShape.path).toEqual(['sumValue']);
    expect(wrongShape.message).toBe('`sumValue` has the shape [3, 2]; expected [2, 3] like `estimate`.');
    const notMatrix = thrownValidationError(() =>
      welchTestMatrix({
        ...inputs,
        estimate: Float64Array.of(1, 2) as unknown as Matrix,
        controlIndex: 0,
        confidenceLevel: 0.95,
      }),
    );
    expect(notMatrix.path).toEqual(['estimate']);
    const oneDimensional = thrownValidationError(() =>
      welchTestMatrix({
        ...inputs,
        sampleSize: ndarray(new Float64Array(6)),
        controlIndex: 0,
        confidenceLevel: 0.95,
      }),
    );
    expect(oneDimensional.path).toEqual(['sampleSize']);
    const control = thrownValidationError(() =>
      welchTestMatrix({ ...inputs, controlIndex: 3, confidenceLevel: 0.95 }),
    );
    expect(control.message).toBe('controlIndex must be a column between 0 and 2, received 3.');
    const unknown = thrownValidationError(() =>
      welchTestMatrix({ ...inputs, controlIndex: 0, confidenceLevel: 0.95, confidence: 0.9 } as never),
    );
    expect(unknown.message).toContain('confidenceLevel');
  });
});

describe('holmBonferroniMatrix and adjustIntervalsForHolmMatrix', () => {
  it('adjust each row over the treatment columns exactly as the scalar functions do', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 6 }),
        // past 33 columns the families take the comparison-sort path
        fc.constantFrom(1, 2, 3, 5, 12, 40),
        (seed, rows, columns) => {
          const random = uniform(seed);
          const pick = () => {
            const u = random();
            if (u < 0.05) return Number.NaN;
            if (u < 0.15) return 0.04; // ties
            return random() ** 3;
          };
          const pValues = matrixOf(rows, columns, pick);
          const standardErrors = matrixOf(rows, columns, () => random());
          const degreesOfFreedom = matrixOf(rows, columns, () => 1 + Math.floor(random() * 3000));
          const controlIndex = seed % columns;
          const adjusted = holmBonferroniMatrix(transposedOf(pValues), { controlIndex });
          const intervals = adjustIntervalsForHolmMatrix({
            pValues: slicedOf(pValues),
            adjustedPValues: adjusted,
            standardErrors,
            degreesOfFreedom,
            confidenceLevel: 0.95,
          });
          for (let r = 0; r < rows; r++) {
            const treatments = [...Array(columns).keys()].filter((c) => c !== controlIndex);
            const raw = treatments.map((c) => pValues.get(r, c));
            const expected = holmBonferroni(raw);
            const expectedIntervals = adjustIntervalsForHolm({
              pValues: raw,
              adjustedPValues: expected,
              standardErrors: treatments.map((c) => standardErrors.get(r, c)),
              degreesOfFreedom: treatments.map((c) => degreesOfFreedom.get(r, c)),
              confidenceLevel: 0.95,
            });
            treatments.forEach((c, k) => {
              expect(Object.is(adjusted.get(r, c), expected[k])).toBe(true);
              expect(Object.is(intervals.get(r, c), expectedIntervals[k])).toBe(true);
            });
            expect(Object.is(adjusted.get(r, controlIndex), pValues.get(r, controlIndex))).toBe(true);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('treats every column as one family when no control is named', () => {
    const pValues = matrixOf(1, 3, (_, c) => [0.01, 0.04, 0.03][c]!);
    expect(cells(holmBonferroniMatrix(pValues))).toEqual([0.03, 0.06, 0.06]);
    expect(thrownValidationError(() => holmBonferroniMatrix(pValues, { controlIndex: 3 })).path).toEqual([
      'controlIndex',
    ]);
  });
});

describe('requiredSampleSizeMatrix, powerMatrix and falsePositiveRiskMatrix', () => {
  it('give every cell what the scalar functions give for it', () => {
    const random = uniform(99);
    const rows = 6;
    const columns = 4;
    const controlIndex = 1;
    const mean = matrixOf(rows, columns, () => (random() < 0.1 ? 0 : random() * 3));
    const std = matrixOf(rows, columns, () => (random() < 0.1 ? 0 : random() * 2));
    const minimumEffect = matrixOf(rows, columns, (r) => (r % 3 === 2 ? Number.NaN : 0.01 + 0.1 * random()));
    for (const [confidenceLevel, power] of [
      [0.95, 0.8],
      [0.9, 0.9],
    ] as const) {
      const sizes = requiredSampleSizeMatrix({
        mean,
        std,
        minimumEffect,
        controlIndex,
        confidenceLevel,
        power,
      });
      const sampleSize = matrixOf(rows, columns, () => Math.floor(random() * 50_000));
      const powers = powerMatrix({ sampleSize, requiredSampleSize: sizes, confidenceLevel, power });
      const pValue = matrixOf(rows, columns, () => random() * 0.1);
      const risks = falsePositiveRiskMatrix({
        pValue,
        power: powers,
        nullHypothesisRate: 0.3,
        confidenceLevel,
      });
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < columns; c++) {
          const effect = minimumEffect.get(r, c);
          const expectedSize =
            c === controlIndex || Number.isNaN(effect)
              ? Number.NaN
              : requiredSampleSizePerVariant({
                  nVariants: columns,
                  minimumEffect: effect,
                  mean: mean.get(r, controlIndex),
                  std: std.get(r, controlIndex),
                  std2: std.get(r, c),
                  confidenceLevel,
                  power,
                });
          expect(sizes.get(r, c)).toBe(expectedSize);
          const expectedPower = powerFromSampleSizes({
            nVariants: columns,
            sampleSize: sampleSize.get(r, c),
            requiredSampleSize: expectedSize,
            confidenceLevel,
            power,
          });
          expect(powers.get(r, c)).toBe(expectedPower);
          expect(risks.get(r, c)).toBe(
            falsePositiveRisk({
              pValue: pValue.get(r, c),
              power: expectedPower,
              nullHypothesisRate: 0.3,
              confidenceLevel,
            }),
          );
        }
      }
    }
  });

  it('keep the degenerate answers: no variants to compare, no rate, a zero required size', () => {
    const one = matrixOf(2, 1, () => 100);
    expect(cells(powerMatrix({ sampleSize: one, requiredSampleSize: one, confidenceLevel: 0.95 }))).toEqual([
      Number.NaN,
      Number.NaN,
    ]);
    const zero = matrixOf(1, 2, () => 0);
    expect(
      cells(
        powerMatrix({
          sampleSize: matrixOf(1, 2, () => 10),
          requiredSampleSize: zero,
          confidenceLevel: 0.95,
        }),
      ),
    ).toEqual([Number.NaN, Number.NaN]);
    const risk = falsePositiveRiskMatrix({
      pValue: zero,
      power: zero,
      nullHypothesisRate: undefined,
      confidenceLevel: 0.95,
    });
    expect(cells(risk)).toEqual([Number.NaN, Number.NaN]);
    const single = requiredSampleSizeMatrix({ mean: one, std: one, minimumEffect: one, controlIndex: 0 });
    expect(cells(single)).toEqual([Number.NaN, Number.NaN]);
  });

  it('reject a negative minimum effect or standard deviation by cell, and settings outside (0, 1)', () => {
    const row = (...values: number[]) => ndarray(Float64Array.from(values), [1, values.length]);
    const effect = thrownValidationError(() =>
      requiredSampleSizeMatrix({
        mean: row(1, 1),
        std: row(1, 1),
        minimumEffect: row(Number.NaN, -0.1),
        controlIndex: 0,
      }),
    );
    expect(effect.path).toEqual(['minimumEffect', 0, 1]);
    expect(effect.message).toBe('`minimumEffect` must be zero or greater, received -0.1 at [0, 1].');
    const std = thrownValidationError(() =>
      requiredSampleSizeMatrix({
        mean: row(1, 1),
        std: row(-1, 1),
        minimumEffect: row(Number.NaN, 0.1),
        controlIndex: 0,
      }),
    );
    expect(std.path).toEqual(['std', 0, 0]);
    const level = thrownValidationError(() =>
      powerMatrix({ sampleSize: row(1), requiredSampleSize: row(1), confidenceLevel: 1.5 }),
    );
    expect(level.path).toEqual(['confidenceLevel']);
    const shape = thrownValidationError(() =>
      falsePositiveRiskMatrix({
        pValue: row(1, 2),
        power: row(1),
        nullHypothesisRate: 0.5,
        confidenceLevel: 0.95,
      }),
    );
    expect(shape.path).toEqual(['power']);
  });
});
