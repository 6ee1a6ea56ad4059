import type { Evaluation, MetricRow } from '../../src/index.js';
import { decodeNumber, mismatch, type Tolerance } from './fixtures.js';
import type { ReferenceCase } from './reference-cases.js';

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

/**
 * Every difference between an evaluation and a reference case's expected metrics, checks and exposures
 * (row identity, order and numbers at the reference outputs' tolerances); empty when they match.
 */
export function compareWithReference(evaluation: Evaluation, expected: ReferenceCase['expected']): string[] {
  if ('error' in expected) return [`the reference expects an error: ${expected.error.message}`];
  const problems: string[] = [];
  const identity = (parts: unknown[]) => JSON.stringify(parts);

  if (evaluation.metrics.length !== expected.metrics.length) {
    problems.push(`expected ${expected.metrics.length} metric rows, got ${evaluation.metrics.length}`);
  }
  expected.metrics.forEach((row, index) => {
    const actual = evaluation.metrics[index];
    const want = identity([row.metric_id, row.metric_name, row.exp_variant_id, row.exp_id]);
    const got = actual && identity([actual.metricId, actual.metricName, actual.expVariantId, actual.expId]);
    if (!actual || want !== got) {
      problems.push(`metric row ${index}: expected ${want}, got ${got}`);
      return;
    }
    for (const [field, column, tolerance] of METRIC_FIELDS) {
      const reference = decodeNumber(row[column]);
      const value = actual[field] as number;
      const problem =
        column === 'p_value' ? comparePValue(value, reference) : mismatch(value, reference, tolerance);
      if (problem)
        problems.push(`metric ${actual.metricId} variant ${actual.expVariantId} ${column}: ${problem}`);
    }
  });

  if (evaluation.checks.length !== expected.checks.length) {
    problems.push(`expected ${expected.checks.length} check rows, got ${evaluation.checks.length}`);
  }
  expected.checks.forEach((row, index) => {
    const actual = evaluation.checks[index];
    const want = identity([row.check_id, row.check_name, row.variable_id]);
    const got = actual && identity([actual.checkId, actual.checkName, actual.variableId]);
    if (!actual || want !== got) {
      problems.push(`check row ${index}: expected ${want}, got ${got}`);
      return;
    }
    const reference = decodeNumber(row.value);
    const problem =
      row.variable_id === 'p_value'
        ? comparePValue(actual.value, reference)
        : mismatch(actual.value, reference, DEFAULT);
    if (problem) problems.push(`check ${actual.checkId} ${actual.variableId}: ${problem}`);
  });

  const variants = evaluation.exposures.map((row) => row.expVariantId);
  const expectedVariants = expected.exposures.map((row) => row.exp_variant_id);
  if (identity(variants) !== identity(expectedVariants)) {
    problems.push(`exposure variants: expected ${identity(expectedVariants)}, got ${identity(variants)}`);
  }
  expected.exposures.forEach((row, index) => {
    const problem = mismatch(
      evaluation.exposures[index]?.exposures ?? Number.NaN,
      decodeNumber(row.exposures),
      DEFAULT,
    );
    if (problem) problems.push(`exposures ${row.exp_variant_id}: ${problem}`);
  });
  return problems;
}
