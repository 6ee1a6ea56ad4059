import type { Check } from '../checks/check.js';
import { SimpleSrmCheck } from '../checks/simple-srm-check.js';
import { SrmCheck } from '../checks/srm-check.js';
import { SumRatioCheck } from '../checks/sum-ratio-check.js';
import type { Expression, GoalReference } from '../expression/ast.js';
import type { UnitTableOptions } from '../goals/build-unit-goal-table.js';
import type { UnitGoals } from '../goals/goal-rows.js';
import { variantsOfColumns } from '../goals/scan-goal-columns.js';
import { reusedArrays } from '../goals/unit-arrays.js';
import { unitGoalTable } from '../goals/unit-goal-table.js';
import { evaluateGoalTable } from './evaluate-goal-table.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { Evaluation } from './evaluation.js';
import { goalTableSetup } from './goal-table-setup.js';
import { unitExposureGoal } from './unit-exposure-goal.js';
import { unitMetricSums } from './unit-metric-sums.js';

/**
 * `Experiment.evaluateByUnit`: pivots the unit rows once, evaluates every metric's nominator per unit
 * (winsorized when the metric asks for it), sums it and its squares per variant, and runs the statistics.
 *
 * @internal
 */
export function evaluateUnitGoals(
  experiment: EvaluatedExperiment,
  goals: UnitGoals,
  options: EvaluateOptions,
): Evaluation {
  const setup = unitTableSetup(experiment, goals);
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
  ];
  // The table's arrays are reused from the last evaluation when no code but this library's sees the table:
  // a check of its own gets the table and might keep it.
  const { arrays, release } = perUnitReads.some(({ columns }) => columns === 'all')
    ? { arrays: undefined, release: () => {} }
    : reusedArrays();
  try {
    const table = unitGoalTable(goals, { ...setup, goals: [...setup.goals, exposure], perUnitReads, arrays });
    return evaluateGoalTable(
      experiment,
      table,
      'unit',
      (pivot) => unitMetricSums(experiment.metrics, pivot, pivot.variantCount),
      options,
    );
  } finally {
    release();
  }
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
