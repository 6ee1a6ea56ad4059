import { describe, expect, it } from 'vitest';
import { TestDao, TestData } from '../../src/testing/index.js';
import { mismatch } from '../support/fixtures.js';
import { experimentOfRequest, loadReferenceCases } from '../support/reference-cases.js';

// The reference's public test data: goals in goals_agg.csv, expected results made in a spreadsheet
// (about 10 significant digits). Tolerances are the reference test suite's own: absolute 1e-3, and 1e-2
// for p-values and confidence intervals.
const {
  metrics: expectedMetrics,
  checks: expectedChecks,
  exposures: expectedExposures,
} = TestData.loadEvaluations();
const dao = new TestDao();

const TOLERANCE = { relative: 0, absolute: 1e-3 };
const LOOSE = { relative: 0, absolute: 1e-2 };
const METRIC_COLUMNS: [string, string, typeof TOLERANCE][] = [
  ['count', 'count', TOLERANCE],
  ['sum_value', 'sumValue', TOLERANCE],
  ['mean', 'mean', TOLERANCE],
  ['diff', 'diff', TOLERANCE],
  ['std', 'std', TOLERANCE],
  ['test_stat', 'testStat', TOLERANCE],
  ['p_value', 'pValue', LOOSE],
  ['confidence_interval', 'confidenceInterval', LOOSE],
  ['confidence_level', 'confidenceLevel', TOLERANCE],
  ['sample_size', 'sampleSize', TOLERANCE],
  ['required_sample_size', 'requiredSampleSize', TOLERANCE],
  ['power', 'power', TOLERANCE],
  ['false_positive_risk', 'falsePositiveRisk', TOLERANCE],
];

const spreadsheetNumber = (cell: unknown) => (typeof cell === 'number' ? cell : Number.NaN);
const text = (cell: unknown) => String(cell ?? '');

// The definitions of each spreadsheet experiment are those of the reference's test suite (the requests of
// the reference outputs); where several tests share an experiment, the one with the most metrics is used.
const definitions = new Map<string, ReturnType<typeof loadReferenceCases>[number]>();
for (const referenceCase of loadReferenceCases()) {
  if (referenceCase.kind !== 'agg' || referenceCase.source !== 'fixture' || 'error' in referenceCase.expected)
    continue;
  if (referenceCase.request.filters?.length) continue; // filters are applied by a data access layer
  if (!expectedMetrics.concat(expectedChecks).some((row) => row.exp_id === referenceCase.request.id))
    continue;
  const known = definitions.get(referenceCase.request.id);
  if (
    !known ||
    known.request.metrics.length + known.request.checks.length <
      referenceCase.request.metrics.length + referenceCase.request.checks.length
  ) {
    definitions.set(referenceCase.request.id, referenceCase);
  }
}

describe('evaluateAgg matches the spreadsheet evaluations of goals_agg.csv', () => {
  it('covers the spreadsheet experiments', () => {
    expect(definitions.size).toBeGreaterThanOrEqual(28);
  });

  for (const [expId, referenceCase] of definitions) {
    it(expId, async () => {
      const { request } = referenceCase;
      const experiment = experimentOfRequest(request);
      // The reference's test data access: the experiment's rows within its date range.
      const rows = await dao.getAggGoals(experiment);
      const evaluation = experiment.evaluateAgg(rows);
      const problems: string[] = [];
      let compared = 0;

      for (const expected of expectedMetrics.filter((row) => row.exp_id === expId)) {
        const actual = evaluation.metrics.find(
          (row) =>
            String(row.metricId) === String(expected.metric_id) &&
            row.expVariantId === text(expected.exp_variant_id),
        );
        if (!actual) continue; // a metric of the spreadsheet that this test's definition does not have
        for (const [column, field, tolerance] of METRIC_COLUMNS) {
          if (!(column in expected)) continue;
          const want = spreadsheetNumber(expected[column]);
          const got = actual[field as keyof typeof actual] as number;
          // The spreadsheet writes N/A or inf where a value is not finite or not computed there (e.g. the
          // std of a compound metric, where it even disagrees with the reference's NaN); the full-precision
          // reference outputs pin those cells.
          if (!Number.isFinite(want)) continue;
          const problem = mismatch(got, want, tolerance);
          if (problem)
            problems.push(`metric ${expected.metric_id} ${expected.exp_variant_id} ${column}: ${problem}`);
          compared++;
        }
      }
      for (const expected of expectedChecks.filter((row) => row.exp_id === expId)) {
        const actual = evaluation.checks.find(
          (row) =>
            String(row.checkId) === String(expected.check_id) &&
            row.variableId === text(expected.variable_id),
        );
        if (!actual) continue;
        const tolerance = expected.variable_id === 'p_value' ? LOOSE : TOLERANCE;
        const problem = mismatch(actual.value, spreadsheetNumber(expected.value), tolerance);
        if (problem) problems.push(`check ${expected.check_id} ${expected.variable_id}: ${problem}`);
        compared++;
      }
      for (const expected of expectedExposures.filter((row) => row.exp_id === expId)) {
        const actual = evaluation.exposures.find((row) => row.expVariantId === text(expected.exp_variant_id));
        const problem = mismatch(
          actual?.exposures ?? Number.NaN,
          spreadsheetNumber(expected.count),
          TOLERANCE,
        );
        if (problem) problems.push(`exposures ${expected.exp_variant_id}: ${problem}`);
        compared++;
      }
      expect(problems).toEqual([]);
      expect(compared).toBeGreaterThan(0);
    });
  }
});
