import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AggregatedGoalRow } from '../../src/index.js';
import { FIXTURES, mismatch } from '../support/fixtures.js';
import { experimentOfRequest, loadReferenceCases } from '../support/reference-cases.js';

// The reference's public test data: goals in goals_agg.csv, expected results made in a spreadsheet
// (about 10 significant digits). Tolerances are the reference test suite's own: absolute 1e-3, and 1e-2
// for p-values and confidence intervals.
const read = (file: string) =>
  parse(readFileSync(join(FIXTURES, 'ep-stats', file)), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
const goals = read('goals_agg.csv') as unknown as (AggregatedGoalRow & { date: string })[];
const expectedMetrics = read('evaluations_metrics.csv');
const expectedChecks = read('evaluations_checks.csv');
const expectedExposures = read('evaluations_exposures.csv');

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

const spreadsheetNumber = (text: string | undefined) =>
  text === undefined || text === 'N/A' ? Number.NaN : Number(text);

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
    it(expId, () => {
      const { request } = referenceCase;
      const last = [request.date_to, request.date_for].filter(Boolean).sort()[0];
      const rows = goals.filter(
        (row) =>
          row.exp_id === expId &&
          (!row.date ||
            ((!request.date_from || row.date >= request.date_from) && (!last || row.date <= last))),
      );
      const evaluation = experimentOfRequest(request).evaluateAgg(rows);
      const problems: string[] = [];
      let compared = 0;

      for (const expected of expectedMetrics.filter((row) => row.exp_id === expId)) {
        const actual = evaluation.metrics.find(
          (row) =>
            String(row.metricId) === expected.metric_id && row.expVariantId === expected.exp_variant_id,
        );
        if (!actual) continue; // a metric of the spreadsheet that this test's definition does not have
        for (const [column, field, tolerance] of METRIC_COLUMNS) {
          if (!(column in expected)) continue;
          const want = spreadsheetNumber(expected[column]);
          const got = actual[field as keyof typeof actual] as number;
          // N/A marks a cell the spreadsheet leaves open: a non-finite value, or one it does not compute
          // (e.g. std of a compound metric); the full-precision reference outputs pin those cells.
          if (Number.isNaN(want)) continue;
          const problem = mismatch(got, want, tolerance);
          if (problem)
            problems.push(`metric ${expected.metric_id} ${expected.exp_variant_id} ${column}: ${problem}`);
          compared++;
        }
      }
      for (const expected of expectedChecks.filter((row) => row.exp_id === expId)) {
        const actual = evaluation.checks.find(
          (row) => String(row.checkId) === expected.check_id && row.variableId === expected.variable_id,
        );
        if (!actual) continue;
        const tolerance = expected.variable_id === 'p_value' ? LOOSE : TOLERANCE;
        const problem = mismatch(actual.value, spreadsheetNumber(expected.value), tolerance);
        if (problem) problems.push(`check ${expected.check_id} ${expected.variable_id}: ${problem}`);
        compared++;
      }
      for (const expected of expectedExposures.filter((row) => row.exp_id === expId)) {
        const actual = evaluation.exposures.find((row) => row.expVariantId === expected.exp_variant_id);
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
