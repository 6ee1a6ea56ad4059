import { describe, expect, it } from 'vitest';
import { type EvaluationWarning, type MetricRow, ValidationError } from '../../src/index.js';
import { mismatch, decodeNumber as referenceNumber, type Tolerance } from '../support/fixtures.js';
import { experimentOfRequest, loadReferenceCases } from '../support/reference-cases.js';

// Tolerances of the reference outputs' README: 1e-9 relative with a 1e-12 absolute floor; confidence
// intervals 1e-8 because the reference's SciPy 1.10 Student-t quantile is off by up to ~4e-9 relative.
const DEFAULT: Tolerance = { relative: 1e-9, absolute: 1e-12 };
const INTERVAL: Tolerance = { relative: 1e-8, absolute: 1e-12 };

const METRIC_FIELDS: [keyof MetricRow, string, Tolerance][] = [
  ['count', 'count', DEFAULT],
  ['mean', 'mean', DEFAULT],
  ['std', 'std', DEFAULT],
  ['sumValue', 'sum_value', DEFAULT],
  ['confidenceLevel', 'confidence_level', DEFAULT],
  ['diff', 'diff', DEFAULT],
  ['testStat', 'test_stat', DEFAULT],
  ['pValue', 'p_value', DEFAULT],
  ['confidenceInterval', 'confidence_interval', INTERVAL],
  ['standardError', 'standard_error', DEFAULT],
  ['degreesOfFreedom', 'degrees_of_freedom', DEFAULT],
  ['minimumEffect', 'minimum_effect', DEFAULT],
  ['sampleSize', 'sample_size', DEFAULT],
  ['requiredSampleSize', 'required_sample_size', DEFAULT],
  ['power', 'power', DEFAULT],
  ['falsePositiveRisk', 'false_positive_risk', DEFAULT],
];

/** The reference reports p-values below ~2.2e-16 as 0 (`1 - cdf`); we report the upper tail (deviation). */
function comparePValue(actual: number, expected: number): string | undefined {
  if (expected === 0 && actual >= 0 && actual < 2.3e-16) return undefined;
  return mismatch(actual, expected, DEFAULT);
}

const cases = loadReferenceCases().filter((c) => c.kind === 'agg');

describe('evaluateAgg matches the reference outputs', () => {
  it('covers every aggregated reference case', () => {
    expect(cases.length).toBe(39);
  });

  for (const referenceCase of cases) {
    const { expected, request } = referenceCase;
    if ('error' in expected) {
      it(`${referenceCase.name} is rejected like the reference (${expected.error.type})`, () => {
        let caught: unknown;
        try {
          experimentOfRequest(request).evaluateAgg(referenceCase.goals as never);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ValidationError);
        if (expected.error.type === 'ValueError') {
          expect((caught as Error).message).toBe(expected.error.message);
        } else {
          // The reference's parser reports these as "Expected ~ term"; ours names the offending word.
          const offending = /^(sum|count)\(user\.(\w+)/.exec(request.metrics[0]!.nominator);
          expect((caught as Error).message).toMatch(/are supported but `(sum|session)` received/);
          expect(offending).not.toBeNull();
        }
      });
      continue;
    }

    it(`${referenceCase.name}`, () => {
      const warnings: EvaluationWarning[] = [];
      const evaluation = experimentOfRequest(request).evaluateAgg(referenceCase.goals as never, {
        onWarning: (warning) => warnings.push(warning),
      });
      const problems: string[] = [];

      expect(evaluation.metrics.length).toBe(expected.metrics.length);
      expected.metrics.forEach((row, index) => {
        const actual = evaluation.metrics[index]!;
        expect([actual.metricId, actual.metricName, actual.expVariantId, actual.expId]).toEqual([
          row.metric_id,
          row.metric_name,
          row.exp_variant_id,
          row.exp_id,
        ]);
        for (const [field, column, tolerance] of METRIC_FIELDS) {
          const want = referenceNumber(row[column]);
          const got = actual[field] as number;
          const problem = column === 'p_value' ? comparePValue(got, want) : mismatch(got, want, tolerance);
          if (problem)
            problems.push(`metric ${actual.metricId} variant ${actual.expVariantId} ${column}: ${problem}`);
        }
      });

      expect(evaluation.checks.length).toBe(expected.checks.length);
      expected.checks.forEach((row, index) => {
        const actual = evaluation.checks[index]!;
        expect([actual.checkId, actual.checkName, actual.variableId]).toEqual([
          row.check_id,
          row.check_name,
          row.variable_id,
        ]);
        const want = referenceNumber(row.value);
        const problem =
          row.variable_id === 'p_value'
            ? comparePValue(actual.value, want)
            : mismatch(actual.value, want, DEFAULT);
        if (problem) problems.push(`check ${actual.checkId} ${actual.variableId}: ${problem}`);
      });

      expect(evaluation.exposures.map((row) => row.expVariantId)).toEqual(
        expected.exposures.map((row) => row.exp_variant_id),
      );
      expected.exposures.forEach((row, index) => {
        const problem = mismatch(
          evaluation.exposures[index]!.exposures,
          referenceNumber(row.exposures),
          DEFAULT,
        );
        if (problem) problems.push(`exposures ${row.exp_variant_id}: ${problem}`);
      });

      expect(problems).toEqual([]);
      const negativeVariance = referenceCase.warnings.some((w) => w.includes('Negative variance'));
      expect(warnings.some((w) => w.code === 'negative-variance')).toBe(negativeVariance);
    });
  }
});
