/**
 * The types of an evaluation, pinned: `Evaluation`, its rows, its matrices (the library's own `Matrix`), the
 * warning codes and the `Experiment` methods that return it. `toEqualTypeOf` fails for `any` and for a
 * member added, removed or made mutable, so a change of the public result types is a deliberate edit here.
 *
 * Checked by `vitest --typecheck` against the sources, and against the packed package's declarations by
 * `test/package/types/type-tests.test.ts`.
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  type AggregatedGoals,
  type CheckRow,
  type DefinitionId,
  EVALUATION_WARNING_CODES,
  type EvaluateOptions,
  type Evaluation,
  type EvaluationWarning,
  type EvaluationWarningCode,
  Experiment,
  type ExposureRow,
  type Matrix,
  type MetricMatrices,
  type MetricRow,
  type UnitGoals,
  type WideGoals,
} from '../../src/index.js';

const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u' });

describe('Evaluation', () => {
  test('has exactly the documented members', () => {
    expectTypeOf<Evaluation>().toEqualTypeOf<{
      readonly expId: string;
      readonly metrics: readonly MetricRow[];
      readonly checks: readonly CheckRow[];
      readonly exposures: readonly ExposureRow[];
      readonly matrices: MetricMatrices;
      readonly warnings: readonly EvaluationWarning[];
      readonly method: 'welch-delta';
      readonly confidenceLevel: number;
      readonly confidenceSequenceTuning?: number;
      readonly timestamp: number;
    }>();
  });

  test('is what every evaluate method of Experiment returns', () => {
    expectTypeOf(experiment.evaluateAgg).returns.toEqualTypeOf<Evaluation>();
    expectTypeOf(experiment.evaluateByUnit).returns.toEqualTypeOf<Evaluation>();
    expectTypeOf(experiment.evaluateWideAgg).returns.toEqualTypeOf<Evaluation>();
    expectTypeOf(experiment.evaluateAgg([])).toEqualTypeOf<Evaluation>();
    expectTypeOf(experiment.evaluateByUnit([])).toEqualTypeOf<Evaluation>();
  });
});

describe('MetricRow', () => {
  type NumberField =
    | 'count'
    | 'mean'
    | 'std'
    | 'sumValue'
    | 'confidenceLevel'
    | 'intervalConfidenceLevel'
    | 'diff'
    | 'confidenceLower'
    | 'confidenceUpper'
    | 'absoluteDiff'
    | 'absoluteDiffLower'
    | 'absoluteDiffUpper'
    | 'testStat'
    | 'pValue'
    | 'confidenceInterval'
    | 'standardError'
    | 'degreesOfFreedom'
    | 'minimumEffect'
    | 'sampleSize'
    | 'requiredSampleSize'
    | 'power'
    | 'falsePositiveRisk'
    | 'timestamp';
  type TextField = 'expId' | 'metricName' | 'expVariantId';
  type CupedField = 'cupedTheta' | 'varianceReduction';

  test('has exactly the listed fields', () => {
    expectTypeOf<keyof MetricRow>().toEqualTypeOf<
      NumberField | TextField | CupedField | 'metricId' | 'significant'
    >();
  });

  test('CUPED fields are optional numbers (only rows of CUPED metrics have them)', () => {
    expectTypeOf<Pick<MetricRow, CupedField>>().toEqualTypeOf<{ readonly [K in CupedField]?: number }>();
  });

  test('statistics are numbers (not any), read-only', () => {
    expectTypeOf<Pick<MetricRow, NumberField>>().toEqualTypeOf<{ readonly [K in NumberField]: number }>();
    expectTypeOf<MetricRow['pValue']>().toBeNumber();
    expectTypeOf<MetricRow['pValue']>().not.toBeAny();
  });

  test('ids and names are text, significance a boolean', () => {
    expectTypeOf<Pick<MetricRow, TextField>>().toEqualTypeOf<{ readonly [K in TextField]: string }>();
    expectTypeOf<MetricRow['metricId']>().toEqualTypeOf<DefinitionId>();
    expectTypeOf<DefinitionId>().toEqualTypeOf<number | string>();
    expectTypeOf<MetricRow['significant']>().toEqualTypeOf<boolean>();
  });
});

describe('CheckRow and ExposureRow', () => {
  test('have exactly the documented members', () => {
    expectTypeOf<CheckRow>().toEqualTypeOf<{
      readonly expId: string;
      readonly checkId: DefinitionId;
      readonly checkName: string;
      readonly variableId: string;
      readonly value: number;
      readonly timestamp: number;
    }>();
    expectTypeOf<ExposureRow>().toEqualTypeOf<{
      readonly expId: string;
      readonly expVariantId: string;
      readonly exposures: number;
    }>();
  });
});

describe('MetricMatrices', () => {
  type Labels = 'metricIds' | 'variants';
  type MatrixField = Exclude<keyof MetricMatrices, Labels>;

  test('every statistic is a Matrix, the library own type', () => {
    expectTypeOf<Omit<MetricMatrices, Labels>>().toEqualTypeOf<{ readonly [K in MatrixField]: Matrix }>();
    expectTypeOf<MetricMatrices['pValue']>().toEqualTypeOf<Matrix>();
    expectTypeOf<MetricMatrices['metricIds']>().toEqualTypeOf<readonly DefinitionId[]>();
    expectTypeOf<MetricMatrices['variants']>().toEqualTypeOf<readonly string[]>();
  });

  test('holds the per-variant statistics of MetricRow and the sums of squares', () => {
    // The confidence level and the timestamp are one per evaluation: Evaluation.confidenceLevel, .timestamp.
    type PerEvaluation = 'confidenceLevel' | 'timestamp';
    type Labels = 'expId' | 'metricId' | 'metricName' | 'expVariantId' | 'significant';
    // CUPED's fields exist on the rows of CUPED metrics only.
    type RowsOnly = 'cupedTheta' | 'varianceReduction';
    expectTypeOf<MatrixField>().toEqualTypeOf<
      Exclude<keyof MetricRow, Labels | PerEvaluation | RowsOnly> | 'sumSqrValue'
    >();
  });
});

describe('Matrix', () => {
  test('reads numbers', () => {
    const matrix = experiment.evaluateAgg([]).matrices.pValue;
    expectTypeOf(matrix.get(0, 0)).toEqualTypeOf<number>();
    expectTypeOf(matrix.get).toEqualTypeOf<(...indices: number[]) => number>();
    expectTypeOf(matrix.set).toEqualTypeOf<(...indicesAndValue: number[]) => number>();
    expectTypeOf(matrix.index).toEqualTypeOf<(...indices: number[]) => number>();
  });

  test('is a float64 view with its layout', () => {
    expectTypeOf<Matrix['data']>().toEqualTypeOf<Float64Array>();
    expectTypeOf<Matrix['dtype']>().toEqualTypeOf<'float64'>();
    expectTypeOf<Pick<Matrix, 'shape' | 'stride' | 'order'>>().toEqualTypeOf<{
      shape: number[];
      stride: number[];
      order: number[];
    }>();
    expectTypeOf<Pick<Matrix, 'offset' | 'size' | 'dimension'>>().toEqualTypeOf<{
      offset: number;
      size: number;
      dimension: number;
    }>();
  });

  test('views are matrices', () => {
    expectTypeOf<Matrix['T']>().toEqualTypeOf<Matrix>();
    expectTypeOf<Matrix['pick']>().toEqualTypeOf<(...indices: Array<number | null>) => Matrix>();
    for (const view of ['lo', 'hi', 'step', 'transpose'] as const) {
      expectTypeOf<ReturnType<Matrix[typeof view]>>().toEqualTypeOf<Matrix>();
      expectTypeOf<Parameters<Matrix[typeof view]>>().toEqualTypeOf<number[]>();
    }
  });

  test('has exactly the listed members', () => {
    expectTypeOf<keyof Matrix>().toEqualTypeOf<
      | 'data'
      | 'shape'
      | 'stride'
      | 'offset'
      | 'dtype'
      | 'size'
      | 'order'
      | 'dimension'
      | 'get'
      | 'set'
      | 'index'
      | 'lo'
      | 'hi'
      | 'step'
      | 'transpose'
      | 'pick'
      | 'T'
    >();
  });
});

describe('EvaluationWarning', () => {
  test('codes are a closed union of the documented codes', () => {
    expectTypeOf<EvaluationWarningCode>().toEqualTypeOf<
      | 'empty-input'
      | 'goal-without-rows'
      | 'no-exposures'
      | 'variant-without-exposures'
      | 'foreign-experiment-rows'
      | 'inconsistent-sums'
      | 'unit-in-several-variants'
      | 'non-finite-sums'
      | 'negative-variance'
      | 'imprecise-variance'
      | 'small-sample'
      | 'evaluated-before-start'
      | 'check-failed'
      | 'metric-without-rows'
      | 'unknown-metric-rows'
      | 'ratio-without-unit-pairs'
      | 'cuped-without-pre-period'
    >();
    expectTypeOf<EvaluationWarningCode>().not.toEqualTypeOf<string>();
    expectTypeOf(EVALUATION_WARNING_CODES).toEqualTypeOf<
      readonly [
        'empty-input',
        'goal-without-rows',
        'no-exposures',
        'variant-without-exposures',
        'foreign-experiment-rows',
        'inconsistent-sums',
        'unit-in-several-variants',
        'non-finite-sums',
        'negative-variance',
        'imprecise-variance',
        'small-sample',
        'evaluated-before-start',
        'check-failed',
        'metric-without-rows',
        'unknown-metric-rows',
        'ratio-without-unit-pairs',
        'cuped-without-pre-period',
      ]
    >();
  });

  test('has exactly the documented members', () => {
    expectTypeOf<EvaluationWarning>().toEqualTypeOf<{
      readonly code: EvaluationWarningCode;
      readonly message: string;
      readonly metricIds?: readonly DefinitionId[];
      readonly checkId?: DefinitionId;
      readonly variants?: readonly string[];
      readonly goal?: string;
      readonly suggestion?: string;
      readonly count?: number;
    }>();
  });

  test('reach the onWarning callback', () => {
    expectTypeOf<EvaluateOptions>().toEqualTypeOf<{
      readonly onWarning?: (warning: EvaluationWarning) => void;
      readonly timestamp?: number;
    }>();
  });
});

describe('Experiment evaluate methods', () => {
  test('take goal rows or columns and options', () => {
    expectTypeOf(experiment.evaluateAgg).parameters.toEqualTypeOf<
      [goals: AggregatedGoals, options?: EvaluateOptions]
    >();
    expectTypeOf(experiment.evaluateByUnit).parameters.toEqualTypeOf<
      [goals: UnitGoals, options?: EvaluateOptions]
    >();
    expectTypeOf(experiment.evaluateWideAgg).parameters.toEqualTypeOf<
      [rows: WideGoals, options?: EvaluateOptions]
    >();
  });

  test('accept rows as a warehouse returns them, and reject rows without their columns', () => {
    const row = {
      exp_id: 'e',
      exp_variant_id: 'a',
      unit_type: 'u',
      agg_type: 'global',
      goal: 'exposure',
      count: 1,
      sum_sqr_count: 1,
      sum_value: 1,
      sum_sqr_value: 1,
      count_unique: 1,
    };
    expectTypeOf([row]).toExtend<AggregatedGoals>();
    expectTypeOf([{ ...row, unit_id: 'u1' }]).toExtend<UnitGoals>();
    expectTypeOf([{ goal: 'exposure' }]).not.toExtend<AggregatedGoals>();
    expectTypeOf([{ count: 'many' as unknown }]).not.toExtend<UnitGoals>();
  });
});
