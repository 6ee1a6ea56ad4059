/** Comparisons of evaluations and goal rows at 1e-12 relative, listing every difference with its delta. */
import type { DefinitionId, Evaluation, Experiment, MetricRow } from '../../../src/index.js';
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

/** Numeric columns of per-unit goal rows. */
export const UNIT_NUMBERS = ['count', 'sum_value'];
/** Numeric columns of aggregated goal rows. */
export const AGGREGATED_NUMBERS = ['count', 'sum_sqr_count', 'sum_value', 'sum_sqr_value', 'count_unique'];

/** A goal row without its sums of values (which may differ in the last bits between engines). */
function withoutValueSums(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { sum_value: _sum, sum_sqr_value: _squares, ...rest } = row;
  return rest;
}

/** The goal rows of two data access objects for one experiment. */
interface GoalRowSource {
  getAggGoals(experiment: Experiment): Promise<readonly Row[]>;
  getUnitGoals(experiment: Experiment): Promise<readonly Row[]>;
}

/**
 * Every difference between the goal rows of an engine and of the reference engine: the same rows in the
 * same order with the same text and integer cells, numbers as numbers, sums of values within 1e-12 (engines
 * add floating-point numbers in different orders). Empty when they agree.
 */
export async function goalRowDifferences(
  engine: GoalRowSource,
  reference: GoalRowSource,
  experiment: Experiment,
): Promise<string[]> {
  const problems: string[] = [];
  const aggregated = await engine.getAggGoals(experiment);
  const expected = await reference.getAggGoals(experiment);
  const identity = JSON.stringify(aggregated.map(withoutValueSums));
  if (identity !== JSON.stringify(expected.map(withoutValueSums))) {
    problems.push(`aggregated rows differ: ${identity}`);
  }
  problems.push(...compareGoalRows(aggregated, expected, AGGREGATED_NUMBERS));
  if (!AGGREGATED_NUMBERS.every((column) => aggregated.every((row) => typeof row[column] === 'number'))) {
    problems.push('aggregated numeric cells are not all numbers');
  }
  const units = await engine.getUnitGoals(experiment);
  problems.push(...compareGoalRows(units, await reference.getUnitGoals(experiment), UNIT_NUMBERS));
  return problems;
}
