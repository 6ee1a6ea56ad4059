/**
 * The result types of the statistics functions, pinned: sample size, power, false positive risk, Welch's
 * t-test, the chi-square test and the sequential confidence level (numbers and `Float64Array`s, not `any`).
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  type Alternative,
  adjustIntervalsForHolmMatrix,
  type ChiSquareTestResult,
  chiSquareGoodnessOfFit,
  type FalsePositiveRiskInput,
  type FalsePositiveRiskMatrixInput,
  falsePositiveRisk,
  falsePositiveRiskMatrix,
  type HolmIntervalMatrixInput,
  type HolmMatrixOptions,
  holmBonferroni,
  holmBonferroniMatrix,
  type Matrix,
  obrienFlemingConfidenceLevel,
  type PowerInput,
  type PowerMatrixInput,
  powerFromSampleSizes,
  powerMatrix,
  type RatioMoments,
  type RatioSumsInput,
  type RequiredSampleSizeBernoulliInput,
  type RequiredSampleSizeInput,
  type RequiredSampleSizeMatrixInput,
  ratioMomentsMatrix,
  requiredSampleSizeMatrix,
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
  sequentialConfidenceLevel,
  type WelchMatrixInput,
  type WelchMatrixResult,
  type WelchMeansInput,
  type WelchTestInput,
  type WelchTestResult,
  welchTest,
  welchTestFromMeans,
  welchTestMatrix,
} from '../../src/index.js';

describe('sample size', () => {
  test('requiredSampleSizePerVariant returns a number', () => {
    expectTypeOf(requiredSampleSizePerVariant).toEqualTypeOf<(input: RequiredSampleSizeInput) => number>();
    expectTypeOf(
      requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2 }),
    ).toEqualTypeOf<number>();
  });

  test('requiredSampleSizePerVariantBernoulli returns a number', () => {
    expectTypeOf(requiredSampleSizePerVariantBernoulli).toEqualTypeOf<
      (input: RequiredSampleSizeBernoulliInput) => number
    >();
    expectTypeOf(
      requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.1, mean: 0.2 }),
    ).toEqualTypeOf<number>();
  });

  test('inputs are exactly the documented options', () => {
    expectTypeOf<RequiredSampleSizeInput>().toEqualTypeOf<{
      readonly nVariants: number;
      readonly minimumEffect: number;
      readonly mean: number;
      readonly std: number;
      readonly std2?: number;
      readonly confidenceLevel?: number;
      readonly power?: number;
      readonly alternative?: Alternative;
      readonly nonInferiorityMargin?: number | null;
    }>();
    expectTypeOf<RequiredSampleSizeBernoulliInput>().toEqualTypeOf<{
      readonly nVariants: number;
      readonly minimumEffect: number;
      readonly mean: number;
      readonly confidenceLevel?: number;
      readonly power?: number;
      readonly alternative?: Alternative;
      readonly nonInferiorityMargin?: number | null;
    }>();
    // The Bernoulli variance comes from the mean: no std.
    expectTypeOf({ nVariants: 2, minimumEffect: 0.1, mean: 0.2 }).not.toExtend<RequiredSampleSizeInput>();
  });
});

describe('power and false positive risk', () => {
  test('return numbers', () => {
    expectTypeOf(powerFromSampleSizes).toEqualTypeOf<(input: PowerInput) => number>();
    expectTypeOf(falsePositiveRisk).toEqualTypeOf<(input: FalsePositiveRiskInput) => number>();
    expectTypeOf<FalsePositiveRiskInput['nullHypothesisRate']>().toEqualTypeOf<number | null | undefined>();
  });
});

describe("Welch's t-test", () => {
  test('returns Float64Array statistics with their shape', () => {
    expectTypeOf(welchTest).toEqualTypeOf<(input: WelchTestInput) => WelchTestResult>();
    expectTypeOf(welchTestFromMeans).toEqualTypeOf<(input: WelchMeansInput) => WelchTestResult>();
    expectTypeOf<WelchTestResult>().toEqualTypeOf<{
      readonly metricCount: number;
      readonly variantCount: number;
      readonly controlIndex: number;
      readonly confidenceLevel: number;
      readonly diff: Float64Array;
      readonly standardError: Float64Array;
      readonly testStat: Float64Array;
      readonly pValue: Float64Array;
      readonly confidenceInterval: Float64Array;
      readonly degreesOfFreedom: Float64Array;
    }>();
  });
});

describe('matrix kernels', () => {
  test('take and return Matrix views', () => {
    expectTypeOf(welchTestMatrix).toEqualTypeOf<(input: WelchMatrixInput) => WelchMatrixResult>();
    expectTypeOf<WelchMatrixResult>().toEqualTypeOf<{
      readonly controlIndex: number;
      readonly confidenceLevel: number;
      readonly diff: Matrix;
      readonly standardError: Matrix;
      readonly testStat: Matrix;
      readonly pValue: Matrix;
      readonly confidenceInterval: Matrix;
      readonly degreesOfFreedom: Matrix;
    }>();
    expectTypeOf(holmBonferroniMatrix).toEqualTypeOf<
      (pValues: Matrix, options?: HolmMatrixOptions) => Matrix
    >();
    expectTypeOf(adjustIntervalsForHolmMatrix).toEqualTypeOf<(input: HolmIntervalMatrixInput) => Matrix>();
    expectTypeOf(requiredSampleSizeMatrix).toEqualTypeOf<(input: RequiredSampleSizeMatrixInput) => Matrix>();
    expectTypeOf(powerMatrix).toEqualTypeOf<(input: PowerMatrixInput) => Matrix>();
    expectTypeOf(falsePositiveRiskMatrix).toEqualTypeOf<(input: FalsePositiveRiskMatrixInput) => Matrix>();
    expectTypeOf(ratioMomentsMatrix).toEqualTypeOf<(input: RatioSumsInput) => RatioMoments>();
    expectTypeOf<RatioMoments>().toEqualTypeOf<{
      readonly estimate: Matrix;
      readonly estimateVariance: Matrix;
      readonly std: Matrix;
    }>();
    expectTypeOf<WelchMatrixInput['fractionalDegreesOfFreedom']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Matrix['data']>().toEqualTypeOf<Float64Array>();
  });
});

describe('chi-square test, corrections and sequential level', () => {
  test('return numbers', () => {
    expectTypeOf(chiSquareGoodnessOfFit).toEqualTypeOf<
      (observed: ArrayLike<number>, expectedWeights?: ArrayLike<number>) => ChiSquareTestResult
    >();
    expectTypeOf<ChiSquareTestResult>().toEqualTypeOf<{
      readonly statistic: number;
      readonly pValue: number;
      readonly degreesOfFreedom: number;
    }>();
    expectTypeOf(holmBonferroni).returns.toEqualTypeOf<Float64Array>();
    expectTypeOf(sequentialConfidenceLevel).returns.toEqualTypeOf<number>();
    expectTypeOf(obrienFlemingConfidenceLevel).returns.toEqualTypeOf<number>();
  });
});
