/** Comparisons of evaluations and goal rows at 1e-12 relative, listing every difference with its delta. */
import type { DefinitionId, Evaluation, MetricRow } from '../../../src/index.js';
import { mismatch, type Tolerance } from '../../support/fixtures.js';

export const TIGHT: Tolerance = { relative: 1e-12, absolute: 1e-12 };

const SUMS: (keyof MetricRow)[] = ['count', 'sumValue', 'mean'];
const STATISTICS: (keyof MetricRow)[] = [
  ...SUMS,
  'std',
  'diff',
  'testStat',
  'pValue',
  'confidenceInterval',
  'standardError',
  'degreesOfFreedom',
  'sampleSize',
  'requiredSampleSize',
  'power',
  'confidenceLevel',
];

/**
 * Differences between two evaluations of the same experiment: metric rows (every statistic for metrics
 * where `full(metricId)`, else the sums `count`, `sumValue`, `mean`), checks and exposures.
 */
export function compareEvaluations(
  actual: Evaluation,
  expected: Evaluation,
  full: (metricId: DefinitionId) => boolean = () => true,
): string[] {
  const problems: string[] = [];
  const same = (label: string, a: number, b: number) => {
    const problem = mismatch(a, b, TIGHT);
    if (problem) problems.push(`${label}: ${problem}`);
  };
  if (actual.metrics.length !== expected.metrics.length) {
    problems.push(`${actual.metrics.length} metric rows, expected ${expected.metrics.length}`);
  }
  expected.metrics.forEach((row, index) => {
    const other = actual.metrics[index];
    if (other?.metricId !== row.metricId || other.expVariantId !== row.expVariantId) {
      problems.push(
        `metric row ${index}: ${other?.metricId}/${other?.expVariantId}, expected ${row.metricId}/${row.expVariantId}`,
      );
      return;
    }
    for (const field of full(row.metricId) ? STATISTICS : SUMS) {
      same(
        `metric ${row.metricId} (${row.metricName}) ${row.expVariantId} ${field}`,
        other[field] as number,
        row[field] as number,
      );
    }
  });
  expected.checks.forEach((row, index) => {
    const other = actual.checks[index];
    if (other?.checkId !== row.checkId || other.variableId !== row.variableId) {
      problems.push(
        `check row ${index}: ${other?.checkId}/${other?.variableId}, expected ${row.checkId}/${row.variableId}`,
      );
      return;
    }
    same(`check ${row.checkId} ${row.variableId}`, other.value, row.value);
  });
  if (actual.checks.length !== expected.checks.length) problems.push('check row counts differ');
  if (
    JSON.stringify(actual.exposures.map((row) => row.expVariantId)) !==
    JSON.stringify(expected.exposures.map((row) => row.expVariantId))
  ) {
    problems.push('exposure variants differ');
  }
  expected.exposures.forEach((row, index) => {
    same(`exposures ${row.expVariantId}`, actual.exposures[index]?.exposures ?? Number.NaN, row.exposures);
  });
  return problems;
}

type Row = Readonly<Record<string, unknown>>;

/**
 * Differences between two multisets of goal rows: text columns must be equal, numeric columns within
 * {@link TIGHT}. Rows are matched by their text columns (which identify a row).
 */
export function compareGoalRows(
  actual: readonly Row[],
  expected: readonly Row[],
  numeric: readonly string[],
): string[] {
  const key = (row: Row) =>
    JSON.stringify(
      Object.keys(row)
        .filter((column) => !numeric.includes(column))
        .sort()
        .map((column) => [
          column,
          row[column] === null || row[column] === undefined ? '' : String(row[column]),
        ]),
    );
  const byKey = (rows: readonly Row[]) => {
    const map = new Map<string, Row>();
    for (const row of rows) {
      if (map.has(key(row))) throw new Error(`duplicate goal row ${key(row)}`);
      map.set(key(row), row);
    }
    return map;
  };
  const left = byKey(actual);
  const right = byKey(expected);
  const problems: string[] = [];
  for (const [rowKey, row] of right) {
    const other = left.get(rowKey);
    if (other === undefined) {
      problems.push(`missing row ${rowKey}`);
      continue;
    }
    for (const column of numeric) {
      const problem = mismatch(Number(other[column]), Number(row[column]), TIGHT);
      if (problem) problems.push(`${rowKey} ${column}: ${problem}`);
    }
  }
  for (const rowKey of left.keys()) if (!right.has(rowKey)) problems.push(`unexpected row ${rowKey}`);
  return problems;
}
