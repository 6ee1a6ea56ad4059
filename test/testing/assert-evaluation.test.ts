import { describe, expect, it } from 'vitest';
import { type Evaluation, Experiment, Metric, SrmCheck, ValidationError } from '../../src/index.js';
import {
  assertChecks,
  assertEvaluation,
  assertExposures,
  assertMetrics,
  type ExpectedRow,
  TestDao,
  TestData,
} from '../../src/testing/index.js';
import { experimentOfRequest, loadReferenceCases } from '../support/reference-cases.js';
import { withFilters } from './reference-experiment.js';

const spreadsheet = TestData.loadEvaluations();
const spreadsheetIds = new Set([...spreadsheet.metrics, ...spreadsheet.checks].map((row) => row.exp_id));
const aggregatedCases = loadReferenceCases().filter(
  (c) => c.kind === 'agg' && c.source === 'fixture' && !('error' in c.expected),
);
const ALL_METRIC_COLUMNS = [
  'count',
  'mean',
  'std',
  'sum_value',
  'confidence_level',
  'diff',
  'test_stat',
  'p_value',
  'confidence_interval',
  'standard_error',
  'degrees_of_freedom',
  'minimum_effect',
  'sample_size',
  'required_sample_size',
  'power',
  'false_positive_risk',
];

describe('assertEvaluation passes on the reference test suite', () => {
  // Each aggregated reference test: TestDao rows for its request, evaluated, asserted against the spreadsheet
  // (what the reference's evaluate_experiment_agg does).
  const spreadsheetCases = aggregatedCases.filter((c) => spreadsheetIds.has(c.request.id));
  it('covers the spreadsheet experiments', () => {
    expect(spreadsheetCases.length).toBe(34);
  });
  for (const referenceCase of spreadsheetCases) {
    it(`${referenceCase.name}: TestDao rows, evaluateAgg, spreadsheet`, async () => {
      const experiment = withFilters(experimentOfRequest(referenceCase.request), referenceCase.request);
      const evaluation = experiment.evaluateAgg(await new TestDao().getAggGoals(experiment));
      assertEvaluation(evaluation, spreadsheet);
    });
  }

  // The full-precision outputs, every metric column, at a tight tolerance.
  for (const referenceCase of aggregatedCases) {
    it(`${referenceCase.name}: reference outputs, every column at 1e-6`, () => {
      const evaluation = experimentOfRequest(referenceCase.request).evaluateAgg(referenceCase.goals as never);
      assertEvaluation(evaluation, referenceCase.expected as never, {
        tolerance: 1e-6,
        columns: ALL_METRIC_COLUMNS,
      });
    });
  }
});

describe('the assertions name every mismatching cell', () => {
  const experiment = new Experiment({
    id: 'test-conversion',
    controlVariant: 'a',
    unitType: 'test_unit_type',
    metrics: [
      new Metric({
        id: 1,
        name: 'Click-through Rate',
        nominator: 'count(test_unit_type.unit.click)',
        denominator: 'count(test_unit_type.global.exposure)',
      }),
    ],
    checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' })],
  });
  const evaluation: Evaluation = experiment.evaluateAgg(TestData.loadGoalsAgg('test-conversion'));
  const expected = TestData.loadEvaluations('test-conversion');
  const perturb = (rows: readonly ExpectedRow[], match: Partial<ExpectedRow>, change: Partial<ExpectedRow>) =>
    rows.map((row) =>
      Object.entries(match).every(([key, value]) => row[key] === value) ? { ...row, ...change } : row,
    ) as ExpectedRow[];
  const messageOf = (run: () => void): string => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      return (error as Error).message;
    }
    throw new Error('expected the assertion to throw');
  };

  it('passes on the spreadsheet rows themselves', () => {
    expect(() => assertEvaluation(evaluation, expected)).not.toThrow();
    expect(() => assertMetrics(evaluation, expected.metrics)).not.toThrow();
    expect(() => assertChecks(evaluation, expected.checks)).not.toThrow();
    expect(() =>
      assertExposures(evaluation, expected.exposures, { unitType: 'test_unit_type' }),
    ).not.toThrow();
  });

  it('reports metric, variant, column, expected, actual and delta beyond the tolerance', () => {
    // mean of b is 7/26 = 0.2692307692; 1e-3 off is beyond the default tolerance 1e-3 only just.
    const rows = perturb(expected.metrics, { exp_variant_id: 'b' }, { mean: 0.2682, diff: 0.2 });
    expect(messageOf(() => assertMetrics(evaluation, rows))).toBe(
      'Metrics of experiment test-conversion differ from the expected rows (2 mismatches):\n' +
        `  - metric 1, variant b, diff: expected 0.2, actual ${evaluation.metrics[1]?.diff}, delta 0.0692 > tolerance 0.001\n` +
        `  - metric 1, variant b, mean: expected 0.2682, actual ${evaluation.metrics[1]?.mean}, delta 0.00103 > tolerance 0.001`,
    );
  });

  it('gives p-values and confidence intervals ten times the tolerance', () => {
    const pValue = evaluation.metrics[2]?.pValue as number;
    expect(() =>
      assertMetrics(
        evaluation,
        perturb(expected.metrics, { exp_variant_id: 'c' }, { p_value: pValue + 0.009 }),
      ),
    ).not.toThrow();
    expect(
      messageOf(() =>
        assertMetrics(
          evaluation,
          perturb(expected.metrics, { exp_variant_id: 'c' }, { p_value: pValue + 0.011 }),
        ),
      ),
    ).toMatch(/metric 1, variant c, p_value: expected .*, delta 0\.0110 > tolerance 0\.01$/);
    expect(() =>
      assertMetrics(
        evaluation,
        perturb(expected.metrics, { exp_variant_id: 'c' }, { p_value: pValue + 0.011 }),
        {
          tolerance: 0.01,
        },
      ),
    ).not.toThrow();
  });

  it('matches NaN, N/A and null only with NaN', () => {
    expect(evaluation.metrics[0]?.requiredSampleSize).toBeNaN();
    for (const missing of ['N/A', 'NaN', null]) {
      expect(() =>
        assertMetrics(
          evaluation,
          perturb(expected.metrics, { exp_variant_id: 'a' }, { required_sample_size: missing }),
        ),
      ).not.toThrow();
    }
    expect(
      messageOf(() =>
        assertMetrics(
          evaluation,
          perturb(expected.metrics, { exp_variant_id: 'a' }, { required_sample_size: 21 }),
        ),
      ),
    ).toContain('metric 1, variant a, required_sample_size: expected 21, actual NaN');
    expect(
      messageOf(() =>
        assertMetrics(evaluation, perturb(expected.metrics, { exp_variant_id: 'a' }, { mean: 'N/A' })),
      ),
    ).toContain('metric 1, variant a, mean: expected NaN, actual 0.238095');
  });

  it('reports missing and extra variants and metrics without expected rows', () => {
    const withoutC = expected.metrics.filter((row) => row.exp_variant_id !== 'c');
    expect(messageOf(() => assertMetrics(evaluation, withoutC))).toContain(
      'metric 1, variant c: not in the expected rows',
    );
    const withD = [...expected.metrics, { ...expected.metrics[0], exp_variant_id: 'd' } as ExpectedRow];
    expect(messageOf(() => assertMetrics(evaluation, withD))).toContain(
      'metric 1, variant d: missing from the evaluation',
    );
    const otherMetric = expected.metrics.map((row) => ({ ...row, metric_id: 2 }));
    expect(messageOf(() => assertMetrics(evaluation, otherMetric))).toContain('metric 1: no expected rows');
  });

  it('compares only the rows of the evaluated experiment and fails when there are none', () => {
    expect(() => assertMetrics(evaluation, spreadsheet.metrics)).not.toThrow();
    expect(
      messageOf(() => assertExposures(evaluation, TestData.loadEvaluations('test-srm').exposures)),
    ).toContain('nothing compared: no expected Exposures rows of experiment test-conversion');
  });

  it('reports check variables and exposures', () => {
    const checks = perturb(expected.checks, { variable_id: 'test_stat' }, { value: 1.6 });
    expect(messageOf(() => assertChecks(evaluation, checks))).toMatch(
      /^Checks of experiment test-conversion differ from the expected rows \(1 mismatch\):\n {2}- check 1, test_stat: expected 1\.6, actual 1\.58441558\d*, delta 0\.0156 > tolerance 0\.001$/,
    );
    const exposures = perturb(expected.exposures, { exp_variant_id: 'b' }, { count: 25 });
    expect(messageOf(() => assertExposures(evaluation, exposures))).toContain(
      'variant b, exposures: expected 25, actual 26, delta 1.00 > tolerance 0.001',
    );
    expect(() => assertExposures(evaluation, [{ exp_variant_id: 'a', exposures: 21 }])).toThrow(
      /variant b: not in the expected rows/,
    );
  });

  it('assertEvaluation lists the mismatches of metrics, checks and exposures together', () => {
    const message = messageOf(() =>
      assertEvaluation(evaluation, {
        metrics: perturb(expected.metrics, { exp_variant_id: 'a' }, { sum_value: 6 }),
        checks: perturb(expected.checks, { variable_id: 'p_value' }, { value: 0.5 }),
        exposures: perturb(expected.exposures, { exp_variant_id: 'c' }, { count: 31 }),
      }),
    );
    expect(message.split('\n')).toEqual([
      'Results of experiment test-conversion differ from the expected rows (3 mismatches):',
      '  - metric 1, variant a, sum_value: expected 6, actual 5, delta 1.00 > tolerance 0.001',
      `  - check 1, p_value: expected 0.5, actual ${evaluation.checks[0]?.value}, delta 0.0472 > tolerance 0.01`,
      '  - variant c, exposures: expected 31, actual 30, delta 1.00 > tolerance 0.001',
    ]);
  });

  it('rejects invalid options', () => {
    expect(() => assertMetrics(evaluation, expected.metrics, { tolerance: -1 })).toThrow(ValidationError);
    expect(() => assertMetrics(evaluation, expected.metrics, { columns: ['p-value'] })).toThrow(
      /Unknown metric column\(s\) `p-value`/,
    );
  });
});
