import type { Check } from '../checks/check.js';
import { SimpleSrmCheck } from '../checks/simple-srm-check.js';
import { SrmCheck } from '../checks/srm-check.js';
import { SumRatioCheck } from '../checks/sum-ratio-check.js';
import type { Expression, GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import { completeDimensions } from '../expression/complete-dimensions.js';
import { goalKey } from '../expression/goal-key.js';
import type { UnitTableOptions } from '../goals/build-unit-goal-table.js';
import type { UnitGoals } from '../goals/goal-rows.js';
import { separatePrePeriod } from '../goals/pre-period-rows.js';
import { variantsOfColumns } from '../goals/scan-goal-columns.js';
import { reusedArrays } from '../goals/unit-arrays.js';
import { unitGoalTable } from '../goals/unit-goal-table.js';
import { evaluateGoalTable } from './evaluate-goal-table.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { Evaluation, EvaluationWarning } from './evaluation.js';
import { goalTableSetup } from './goal-table-setup.js';
import { prePeriodExpression } from './pre-period-expression.js';
import { unitExposureGoal } from './unit-exposure-goal.js';
import { type PrePeriodExpressions, unitMetricSums } from './unit-metric-sums.js';

/**
 * `Experiment.evaluateByUnit`: pivots the unit rows once, evaluates every metric's nominator per unit
 * (winsorized when the metric asks for it), sums it and its squares per variant, and runs the statistics.
 * Rows of the pre-period (`pre_days` > 0) are read as goals of their own, so that a CUPED metric's
 * pre-period values sit beside its experiment-period values unit by unit.
 *
 * @internal
 */
export function evaluateUnitGoals(
  experiment: EvaluatedExperiment,
  input: UnitGoals,
  options: EvaluateOptions,
): Evaluation {
  const { goals, preGoals: preGoalNames } = separatePrePeriod(input);
  const setup = unitTableSetup(experiment, goals);
  const prePeriod: (PrePeriodExpressions | undefined)[] = experiment.metrics.map((metric) =>
    metric.cuped === undefined
      ? undefined
      : {
          nominator: prePeriodExpression(metric.nominatorExpression, metric.cuped.preDays),
          denominator: prePeriodExpression(metric.denominatorExpression, metric.cuped.preDays),
        },
  );
  const preExpressions = prePeriod.flatMap((pre) =>
    pre === undefined ? [] : [pre.nominator, pre.denominator],
  );
  const preGoals = collectGoals(...preExpressions).map((goal) =>
    completeDimensions(goal, experiment.dimensions),
  );
  // The exposure goal of the unit type is always needed: a unit with only its exposure row is a pivot row
  // (a zero of every nominator without dimension conditions, in winsorization pools too). Its per-unit totals
  // are read only where a metric or a check reads the goal.
  const exposure = unitExposureGoal(experiment);
  // Metrics, and the checks of this library, read the column of each goal's function; other checks may read
  // any column of their goals.
  const perUnitReads: PerUnitRead[] = [
    ...experiment.metrics.flatMap((metric) =>
      functionReads(goalNodes(metric.nominatorExpression, metric.denominatorExpression)),
    ),
    ...experiment.checks.flatMap((check): PerUnitRead[] => {
      const expressions = libraryCheckExpressions(check);
      return expressions === undefined
        ? check.goals.map((goal) => ({ goal, columns: 'all' as const }))
        : functionReads(goalNodes(...expressions));
    }),
    ...functionReads(goalNodes(...preExpressions)),
  ];
  // The table's arrays are reused from the last evaluation when no code but this library's sees the table:
  // a check of its own gets the table and might keep it.
  const { arrays, release } = perUnitReads.some(({ columns }) => columns === 'all')
    ? { arrays: undefined, release: () => {} }
    : reusedArrays();
  try {
    const table = unitGoalTable(goals, {
      ...setup,
      goals: [...setup.goals, exposure, ...preGoals],
      perUnitReads,
      arrays,
    });
    return evaluateGoalTable(
      experiment,
      table,
      'unit',
      (pivot) => unitMetricSums(experiment.metrics, pivot, pivot.variantCount, prePeriod),
      options,
      prePeriodWarnings(experiment, prePeriod, table.goalsWithoutRows, preGoalNames),
    );
  } finally {
    release();
  }
}

/** `cuped-without-pre-period` per CUPED metric none of whose pre-period goals has a row. */
function prePeriodWarnings(
  experiment: EvaluatedExperiment,
  prePeriod: readonly (PrePeriodExpressions | undefined)[],
  goalsWithoutRows: readonly GoalReference[],
  preGoalNames: ReadonlyMap<number, ReadonlySet<string>>,
): EvaluationWarning[] {
  const missing = new Set(goalsWithoutRows.map(goalKey));
  return experiment.metrics.flatMap((metric, m) => {
    const pre = prePeriod[m];
    if (pre === undefined || metric.cuped === undefined) return [];
    const goals = collectGoals(pre.nominator).map((goal) => completeDimensions(goal, experiment.dimensions));
    if (goals.length > 0 && !goals.every((goal) => missing.has(goalKey(goal)))) return [];
    const { preDays } = metric.cuped;
    const seen = [...(preGoalNames.get(preDays) ?? [])].sort();
    const found =
      seen.length > 0
        ? ` (pre_days ${preDays} rows have the goals ${seen.slice(0, 10).join(', ')}${seen.length > 10 ? ', ...' : ''})`
        : preGoalNames.size > 0
          ? ` (pre-period rows have pre_days ${[...preGoalNames.keys()].sort((a, b) => a - b).join(', ')})`
          : ' (no row has a pre_days column)';
    return [
      {
        code: 'cuped-without-pre-period' as const,
        message: `Metric '${metric.name}' (id ${String(metric.id)}) asks for CUPED over ${preDays} pre-period days, but no unit row has pre_days ${preDays} for its nominator's goals${found}; it is not adjusted (theta 0).`,
        metricIds: [metric.id],
      },
    ];
  });
}

/**
 * {@link goalTableSetup}, the variants of column arrays found by `variantsOfColumns` (those `variantsOfRows`
 * finds, with the same errors, faster): the experiment is seen with them as its explicit variants.
 */
function unitTableSetup(
  experiment: EvaluatedExperiment,
  goals: UnitGoals,
): ReturnType<typeof goalTableSetup> {
  if (experiment.variants !== undefined || Array.isArray(goals)) return goalTableSetup(experiment, goals);
  const variants = variantsOfColumns(goals, experiment.id, experiment.controlVariant);
  const withVariants = Object.create(experiment, { variants: { value: variants } }) as EvaluatedExperiment;
  return goalTableSetup(withVariants, goals);
}

/** Every goal leaf of the expressions, with its function (goals of one key but other functions included). */
function goalNodes(...expressions: Expression[]): GoalReference[] {
  const goals: GoalReference[] = [];
  const stack = [...expressions];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.kind === 'binary') stack.push(node.left, node.right);
    else if (node.kind === 'goal') goals.push(node);
  }
  return goals;
}

type PerUnitRead = NonNullable<UnitTableOptions['perUnitReads']>[number];

/** Reads of the column of each goal's function. */
function functionReads(goals: readonly GoalReference[]): PerUnitRead[] {
  return goals.map((goal) => ({ goal, columns: 'function' }));
}

/**
 * The expressions of a check of this library ({@link SrmCheck}, {@link SimpleSrmCheck}, {@link SumRatioCheck},
 * not a subclass nor with an `evaluateAgg` of its own), whose `evaluateAgg` reads them through
 * `evaluateAggregated`, i.e. only the column of each goal's function; undefined for any other check.
 */
function libraryCheckExpressions(check: Check): Expression[] | undefined {
  if (Object.hasOwn(check, 'evaluateAgg')) return undefined;
  const prototype: unknown = Object.getPrototypeOf(check);
  if (check instanceof SumRatioCheck && prototype === SumRatioCheck.prototype) {
    return [check.nominatorExpression, check.denominatorExpression];
  }
  if (
    check instanceof SrmCheck &&
    (prototype === SrmCheck.prototype || prototype === SimpleSrmCheck.prototype)
  ) {
    return [check.denominatorExpression];
  }
  return undefined;
}
