import { describe, expect, it } from 'vitest';
import type { DaoFactory } from '../../src/index.js';
import {
  createEvaluationService,
  type EvaluationLabels,
  type EvaluationMetricsRecorder,
  type ServiceLogger,
} from '../../src/server/index.js';
import { TestDaoFactory } from '../../src/testing/index.js';
import { CONVERSION_REQUEST as BODY } from './support/conversion-request.js';

const UNIT = 'test_unit_type';

/** Records every call of the recorder interface, in order. */
function recordingMetrics(): { calls: string[]; recorder: EvaluationMetricsRecorder } {
  const calls: string[] = [];
  const duration = (name: string) => (labels: EvaluationLabels, seconds: number) => {
    expect(seconds).toBeGreaterThanOrEqual(0);
    calls.push(`${name}(${labels.expId}, ${labels.isPerformanceTest})`);
  };
  return {
    calls,
    recorder: {
      evaluationRequested: () => calls.push('requested'),
      evaluationSucceeded: () => calls.push('succeeded'),
      evaluationFailed: () => calls.push('failed'),
      checkFailed: () => calls.push('checkFailed'),
      observeQueryDuration: duration('query'),
      observeStatisticsDuration: duration('statistics'),
      observeEvaluationDuration: duration('evaluation'),
    },
  };
}

describe('createEvaluationService', () => {
  it('reports a successful evaluation: request, query, statistics and total durations, success', async () => {
    const { calls, recorder } = recordingMetrics();
    const service = createEvaluationService({ daoFactory: new TestDaoFactory(), metrics: recorder });
    const outcome = await service.evaluate({ ...BODY, query_parameters: { is_performance_test: true } });
    expect(outcome.status).toBe(200);
    expect(calls).toEqual([
      'requested',
      'query(test-conversion, true)',
      'statistics(test-conversion, true)',
      'evaluation(test-conversion, true)',
      'succeeded',
    ]);
  });

  it('reports a failed data access without a statistics duration', async () => {
    const { calls, recorder } = recordingMetrics();
    const daoFactory: DaoFactory = {
      getDao: async () => ({
        getAggGoals: async () => {
          throw new Error('down');
        },
        getUnitGoals: async () => [],
        close: async () => {},
      }),
    };
    const errors: string[] = [];
    const logger: ServiceLogger = {
      debug() {},
      info() {},
      warn() {},
      error: (_details, message) => errors.push(message),
    };
    const outcome = await createEvaluationService({ daoFactory, metrics: recorder }).evaluate(BODY, {
      logger,
    });
    expect(outcome).toEqual({
      ok: false,
      kind: 'data-access-failed',
      status: 502,
      experimentId: 'test-conversion',
      message: 'Cannot load the goals of experiment [test-conversion] from the data source',
    });
    expect(calls).toEqual([
      'requested',
      'query(test-conversion, false)',
      'evaluation(test-conversion, false)',
      'failed',
    ]);
    expect(errors).toEqual(['Cannot load the goals of experiment [test-conversion]']);
  });

  it('does not count invalid requests', async () => {
    const { calls, recorder } = recordingMetrics();
    const service = createEvaluationService({ daoFactory: new TestDaoFactory(), metrics: recorder });
    const outcome = await service.evaluate({ ...BODY, unit_type: undefined });
    expect(outcome).toEqual({
      ok: false,
      kind: 'invalid-request',
      status: 422,
      problems: [{ path: ['unit_type'], message: 'Field required', type: 'missing' }],
    });
    expect(calls).toEqual([]);
  });

  it('logs the warnings of the evaluation', async () => {
    const warnings: unknown[] = [];
    const logger: ServiceLogger = {
      debug() {},
      info() {},
      error() {},
      warn: (details) => warnings.push(details.warning),
    };
    const rows = [
      {
        exp_id: 'test-conversion',
        exp_variant_id: 'a',
        unit_type: UNIT,
        agg_type: 'unit',
        goal: 'click',
        count: 5,
        sum_sqr_count: 1,
        sum_value: 5,
        sum_sqr_value: 1,
        count_unique: 5,
      },
      {
        exp_id: 'test-conversion',
        exp_variant_id: 'a',
        unit_type: UNIT,
        agg_type: 'global',
        goal: 'exposure',
        count: 21,
        sum_sqr_count: 21,
        sum_value: 21,
        sum_sqr_value: 21,
        count_unique: 21,
      },
    ];
    const daoFactory: DaoFactory = {
      getDao: async () => ({
        getAggGoals: async () => rows,
        getUnitGoals: async () => [],
        close: async () => {},
      }),
    };
    const outcome = await createEvaluationService({ daoFactory, logger }).evaluate(BODY);
    expect(outcome.status).toBe(200);
    expect(warnings).toContain('negative-variance');
  });

  it('maps sample-size errors of the library to 422 with wire paths', () => {
    const service = createEvaluationService({ daoFactory: new TestDaoFactory() });
    expect(service.sampleSize({ n_variants: 3, minimum_effect: 0.05, mean: 0.4 })).toEqual({
      ok: true,
      kind: 'calculated',
      status: 200,
      response: { sample_size_per_variant: 11492 },
    });
    const outcome = service.sampleSize({ n_variants: 2, minimum_effect: 0.1, mean: 2 });
    expect(outcome.ok ? [] : outcome.problems).toEqual([
      { path: ['mean'], message: 'mean must be between zero and one, received 2.0.', type: 'value_error' },
    ]);
  });

  it('rejects a concurrency that is not a positive integer', () => {
    expect(() => createEvaluationService({ daoFactory: new TestDaoFactory(), concurrency: 0 })).toThrow(
      RangeError,
    );
  });
});
