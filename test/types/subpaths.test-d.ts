/**
 * The result types of the Node.js entries, pinned: the testing kit's data and data access, the server's
 * validation, response and service outcomes, and the SQL data access, all typed with the core's types.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expectTypeOf, test } from 'vitest';
import type {
  AggregatedGoalRow,
  Dao,
  DaoFactory,
  Evaluation,
  Experiment,
  UnitGoalRow,
  WideGoals,
} from '../../src/index.js';
import { buildScorecard, renderHtmlReport, type ScorecardRow, type Verdict } from '../../src/report/index.js';
import {
  buildServer,
  createEvaluationService,
  type EvaluateOutcome,
  type EvaluateRequest,
  type EvaluateResponse,
  type EvaluationService,
  type MetricStat,
  type RequestProblem,
  type RequestValidation,
  type ResponseAnalysis,
  type SampleSizeOutcome,
  type SampleSizeRequest,
  type SampleSizeResponse,
  toEvaluateResponse,
  validateEvaluateRequest,
  validateSampleSizeRequest,
} from '../../src/server/index.js';
import {
  type ClickHouseError,
  compileAggregatedGoalsQuery,
  generateEvents,
  type SqlClient,
  type SqlDao,
  type SqlParameter,
  type SqlRow,
  type SqlStatement,
  type SyntheticEvent,
} from '../../src/sql/index.js';
import {
  type ExpectedEvaluations,
  type ExpectedRow,
  type TestDao,
  type TestDaoFactory,
  TestData,
} from '../../src/testing/index.js';

describe('ep-stats/testing', () => {
  test('TestData loads typed goal rows and expected evaluations', () => {
    expectTypeOf(TestData.loadGoalsAgg).returns.toEqualTypeOf<AggregatedGoalRow[]>();
    expectTypeOf(TestData.loadGoalsByUnit).returns.toEqualTypeOf<UnitGoalRow[]>();
    expectTypeOf(TestData.loadGoalsSimpleAgg).returns.toEqualTypeOf<WideGoals>();
    expectTypeOf(TestData.loadEvaluations).returns.toEqualTypeOf<ExpectedEvaluations>();
    expectTypeOf<ExpectedEvaluations>().toEqualTypeOf<{
      readonly metrics: readonly ExpectedRow[];
      readonly checks: readonly ExpectedRow[];
      readonly exposures: readonly ExpectedRow[];
    }>();
    expectTypeOf<ExpectedRow>().toEqualTypeOf<Readonly<Record<string, string | number | null>>>();
  });

  test('TestDao and TestDaoFactory are the core Dao and DaoFactory', () => {
    expectTypeOf<TestDao>().toExtend<Dao>();
    expectTypeOf<TestDaoFactory>().toExtend<DaoFactory>();
    expectTypeOf<TestDaoFactory['getDao']>().returns.toEqualTypeOf<Promise<TestDao>>();
    expectTypeOf<TestDao['getAggGoals']>().returns.toEqualTypeOf<Promise<AggregatedGoalRow[]>>();
  });
});

describe('ep-stats/server', () => {
  test('validation returns a typed request or the problems', () => {
    expectTypeOf(validateEvaluateRequest).toEqualTypeOf<
      (body: unknown) => RequestValidation<EvaluateRequest>
    >();
    expectTypeOf(validateSampleSizeRequest).returns.toEqualTypeOf<RequestValidation<SampleSizeRequest>>();
    expectTypeOf<RequestValidation<EvaluateRequest>>().toEqualTypeOf<
      | { readonly ok: true; readonly value: EvaluateRequest }
      | { readonly ok: false; readonly problems: readonly RequestProblem[] }
    >();
    expectTypeOf<EvaluateRequest['id']>().toEqualTypeOf<string>();
    expectTypeOf<SampleSizeRequest['n_variants']>().toEqualTypeOf<number>();
  });

  test('responses carry numbers', () => {
    expectTypeOf(toEvaluateResponse).toEqualTypeOf<
      (experiment: Experiment, evaluation: Evaluation, analysis?: ResponseAnalysis) => EvaluateResponse
    >();
    expectTypeOf<EvaluateResponse['segments']>().toEqualTypeOf<
      | {
          breakdown: string;
          value: string;
          folded?: string[] | undefined;
          exposures: number;
          metrics: EvaluateResponse['metrics'];
          checks: EvaluateResponse['checks'];
          exposure: EvaluateResponse['exposure'];
        }[]
      | undefined
    >();
    expectTypeOf<EvaluateResponse['metrics'][number]['stats'][number]>().toEqualTypeOf<MetricStat>();
    expectTypeOf<MetricStat['p_value']>().toEqualTypeOf<number>();
    expectTypeOf<MetricStat['significant']>().toEqualTypeOf<boolean>();
    expectTypeOf<SampleSizeResponse>().toEqualTypeOf<{ sample_size_per_variant: number }>();
  });

  test('the service returns tagged outcomes', () => {
    expectTypeOf(createEvaluationService).returns.toEqualTypeOf<EvaluationService>();
    expectTypeOf<EvaluationService['evaluate']>().returns.toEqualTypeOf<Promise<EvaluateOutcome>>();
    expectTypeOf<EvaluationService['sampleSize']>().returns.toEqualTypeOf<SampleSizeOutcome>();
    expectTypeOf<Extract<EvaluateOutcome, { ok: true }>['evaluation']>().toEqualTypeOf<Evaluation>();
    expectTypeOf<EvaluateOutcome['status']>().toEqualTypeOf<200 | 422 | 502 | 501 | 504 | 500>();
    expectTypeOf<Extract<SampleSizeOutcome, { ok: true }>['response']>().toEqualTypeOf<SampleSizeResponse>();
  });

  test('buildServer returns a Fastify instance', () => {
    expectTypeOf(buildServer).returns.toEqualTypeOf<FastifyInstance>();
  });
});

describe('ep-stats/report', () => {
  test('builds scorecards and reports from the core evaluation', () => {
    expectTypeOf(buildScorecard).parameters.toEqualTypeOf<[Experiment, Evaluation]>();
    expectTypeOf(renderHtmlReport).returns.toEqualTypeOf<string>();
    expectTypeOf<ScorecardRow['verdict']>().toEqualTypeOf<Verdict | undefined>();
    expectTypeOf<Verdict>().toEqualTypeOf<
      'better' | 'worse' | 'increase' | 'decrease' | 'non-inferior' | 'inconclusive' | 'untested'
    >();
  });
});

describe('ep-stats/sql', () => {
  test('SqlDao returns the core goal rows', () => {
    expectTypeOf<SqlDao>().toExtend<Dao>();
    expectTypeOf<SqlDao['getAggGoals']>().returns.toEqualTypeOf<Promise<AggregatedGoalRow[]>>();
    expectTypeOf<SqlDao['getUnitGoals']>().returns.toEqualTypeOf<Promise<UnitGoalRow[]>>();
    expectTypeOf<SqlDao['aggregatedGoalsStatement']>().returns.toEqualTypeOf<SqlStatement>();
  });

  test('statements, rows and clients are typed', () => {
    expectTypeOf(compileAggregatedGoalsQuery).returns.toEqualTypeOf<SqlStatement>();
    expectTypeOf<SqlStatement>().toEqualTypeOf<{
      readonly sql: string;
      readonly parameters: readonly SqlParameter[];
    }>();
    expectTypeOf<SqlParameter>().toEqualTypeOf<string | number>();
    expectTypeOf<SqlRow>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
    expectTypeOf<SqlClient['query']>().returns.toEqualTypeOf<Promise<readonly SqlRow[]>>();
  });

  test('synthetic events are event records with numbers', () => {
    expectTypeOf(generateEvents).returns.toEqualTypeOf<SyntheticEvent[]>();
    expectTypeOf<SyntheticEvent['count']>().toEqualTypeOf<number>();
    expectTypeOf<SyntheticEvent['value']>().toEqualTypeOf<number>();
  });

  test('ClickHouseError is an Error with the server code', () => {
    expectTypeOf<ClickHouseError>().toExtend<Error>();
    expectTypeOf<ClickHouseError['code']>().toEqualTypeOf<number | undefined>();
  });
});
