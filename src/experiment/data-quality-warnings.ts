import type { GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import { goalKey } from '../expression/goal-key.js';
import { printExpression } from '../expression/print-expression.js';
import {
  type GoalTableDiagnostics,
  IMPOSSIBLE_SUM_SQR_COUNT,
  IMPOSSIBLE_SUM_SQR_VALUE,
} from '../goals/goal-table-diagnostics.js';
import type { MetricSums } from './compute-metric-statistics.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { WarningCollector } from './warning-collector.js';

/**
 * Warns about goal rows that cannot be real data, although they evaluate: `inconsistent-sums` (aggregated
 * rows whose sums of squares are impossible for their sums), `unit-in-several-variants` (by unit) and
 * `non-finite-sums` (goal sums that overflow), one warning per goal or unit type.
 *
 * @remarks
 * Nothing is changed: the rows are evaluated as they are, with the reference's numbers. The reference's own
 * test data has impossible sums of squares (e.g. `test-unique`), so they are a warning, not an error.
 *
 * @param warnings - Where the warnings go.
 * @param diagnostics - What the goal table learnt while reading the rows.
 * @param variants - The table's variants (the diagnostics hold indexes into them).
 * @internal
 */
export function warnAboutDataQuality(
  warnings: WarningCollector,
  diagnostics: GoalTableDiagnostics,
  variants: readonly string[],
): void {
  for (const { goal, variants: flagged, flags } of diagnostics.inconsistentSums) {
    const names = flagged.map((v) => variants[v]!);
    const columns: string[] = [];
    if (flags & IMPOSSIBLE_SUM_SQR_VALUE) columns.push('`sum_sqr_value` below `sum_value^2 / count_unique`');
    if (flags & IMPOSSIBLE_SUM_SQR_COUNT) columns.push('`sum_sqr_count` below `count^2 / count_unique`');
    warnings.add({
      code: 'inconsistent-sums',
      message:
        `Goal \`${printExpression(goal)}\` has rows whose sums of squares are impossible for their sums ` +
        `(${columns.join(', and ')}) in ${variantList(names)}; they are evaluated as they are, but their ` +
        'variances are not those of real per-unit values.',
      goal: printExpression(goal),
      variants: names,
    });
  }
  for (const { unitType, count, example } of diagnostics.sharedUnits) {
    warnings.add({
      code: 'unit-in-several-variants',
      message:
        `${count} unit${count === 1 ? '' : 's'} of unit type \`${unitType}\` appear${count === 1 ? 's' : ''} in ` +
        `more than one variant (e.g. unit \`${example}\`); each variant counts ${count === 1 ? 'it' : 'them'} ` +
        'as a unit of its own. Check the assignment of units to variants.',
      count,
    });
  }
  for (const { goal, variants: flagged } of diagnostics.nonFiniteSums) {
    const names = flagged.map((v) => variants[v]!);
    warnings.add({
      code: 'non-finite-sums',
      message:
        `The sums of goal \`${printExpression(goal)}\` (or of their squares) overflow to Infinity in ` +
        `${variantList(names)}; statistics that read the goal are not finite there. Rescale the values ` +
        '(e.g. to thousands).',
      goal: printExpression(goal),
      variants: names,
    });
  }
}

/**
 * Warns (`non-finite-sums`) about each metric whose per-variant sums are not finite while no goal it reads
 * was reported by {@link warnAboutDataQuality}: an overflow in the metric's own arithmetic (a compound
 * expression, squares of per-unit values, a sum over many units), never a silent NaN.
 *
 * @param warnings - Where the warnings go.
 * @param experiment - The evaluated experiment.
 * @param sums - The metrics' (metrics x variants) sums, row-major.
 * @param variants - The variants, the columns of the sums.
 * @param reportedGoals - The goals already reported as non-finite.
 * @internal
 */
export function warnAboutNonFiniteMetricSums(
  warnings: WarningCollector,
  experiment: EvaluatedExperiment,
  sums: MetricSums,
  variants: readonly string[],
  reportedGoals: readonly GoalReference[],
): void {
  const reported = new Set(reportedGoals.map(goalKey));
  const variantCount = variants.length;
  experiment.metrics.forEach((metric, m) => {
    const flagged: string[] = [];
    for (let v = 0; v < variantCount; v++) {
      const cell = m * variantCount + v;
      const finite =
        Number.isFinite(sums.count[cell]!) &&
        Number.isFinite(sums.sumValue[cell]!) &&
        Number.isFinite(sums.sumSqrValue[cell]!);
      if (!finite) flagged.push(variants[v]!);
    }
    if (flagged.length === 0) return;
    const goals = collectGoals(metric.nominatorExpression, metric.denominatorExpression);
    if (goals.some((goal) => reported.has(goalKey(goal)))) return;
    warnings.add({
      code: 'non-finite-sums',
      message:
        `The sums of metric '${metric.name}' (its nominator, the squares of its nominator or its denominator) ` +
        `are not finite in ${variantList(flagged)}; its statistics there are NaN or infinite.`,
      metricIds: [metric.id],
      variants: flagged,
    });
  });
}

function variantList(names: readonly string[]): string {
  return `variant${names.length === 1 ? '' : 's'} ${names.map((name) => `\`${name}\``).join(', ')}`;
}
