import {
  collectGoals,
  completeDimensions,
  type Experiment,
  type Expression,
  type GoalReference,
  goalMatchKey,
  ValidationError,
} from '../index.js';
import type { GoalQueryExperiment, GoalQueryOptions } from './goal-query.js';
import { type GoalColumns, perUnitExpressionSql, requireSafeDivisions } from './per-unit-expression-sql.js';
import { perUnitQuery, queryGoals, unitExposureGoal } from './per-unit-sql.js';
import { prePeriodGoalKey, prePeriodGoals, prePeriodSql, requirePrePeriodStart } from './pre-period-sql.js';
import type { SqlStatement } from './sql-client.js';
import { type OutputColumn, unionAllSql } from './union-all-sql.js';

/**
 * What the metric sums query reads of an experiment: what a goal query reads, and its metrics.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import type { MetricSumsQueryExperiment } from 'ep-stats/sql';
 * const experiment: MetricSumsQueryExperiment = new Experiment({
 *   id: 'e', controlVariant: 'a', unitType: 'user',
 *   metrics: [new Metric({ id: 1, name: 'Orders', nominator: 'count(user.unit.order)', denominator: 'count(user.unit.exposure)' })],
 * });
 * experiment.metrics.map((metric) => metric.kind); // => ['mean']
 * ```
 * @public
 */
export type MetricSumsQueryExperiment = GoalQueryExperiment & Pick<Experiment, 'metrics'>;

/** The sums of every metric: the name of each output column, and of the per-unit values it sums. */
const SUMS = [
  ['sum_x', 'x'],
  ['sum_x2', 'x', 'x'],
  ['sum_y', 'y'],
  ['sum_y2', 'y', 'y'],
  ['sum_xy', 'x', 'y'],
] as const;

/** The pre-period sums of a CUPED metric, as {@link SUMS}. */
const COVARIATE_SUMS = [
  ['sum_u', 'u'],
  ['sum_u2', 'u', 'u'],
  ['sum_v', 'v'],
  ['sum_v2', 'v', 'v'],
  ['sum_xu', 'x', 'u'],
  ['sum_xv', 'x', 'v'],
  ['sum_yu', 'y', 'u'],
  ['sum_yv', 'y', 'v'],
  ['sum_uv', 'u', 'v'],
] as const;

/** Throws before any SQL is written: a CUPED metric without `dateFrom`, or an unsafe per-unit division. */
function validateMetrics(experiment: MetricSumsQueryExperiment): void {
  if (experiment.metrics.length === 0) {
    throw new ValidationError(
      `Experiment '${experiment.id}' has no metrics, and metric sums have one row per metric and variant; add a metric`,
      ['metrics'],
    );
  }
  requirePrePeriodStart(experiment);
  experiment.metrics.forEach((metric, index) => {
    requireSafeDivisions(metric, index, experiment.unitType);
  });
}

/**
 * Compiles an experiment into ONE statement that returns its metric sums: per variant and metric, the
 * exposed units and the sums of the per-unit nominator `x` and denominator `y` values (and, for CUPED
 * metrics, of their pre-period values `u` and `v`), for `Experiment.evaluateMetricSums`.
 *
 * @remarks
 * Per unit (variant and unit id), every goal of the metrics is totalled over the unit's matching events of
 * the experiment, as {@link compileUnitGoalsQuery} does (`count_i`, `value_i`; the same events, dates and
 * filters). The units are the **exposed** ones: `count(<unitType>.unit.exposure)` above 0, as by-unit
 * evaluation counts them. For each exposed unit the metric's nominator and denominator are evaluated as
 * `evaluatePerUnit` does: `value` is the summed value, `count` the summed count, `unique` 1 when the count
 * is above 0, numbers are bound parameters, `~` subtracts like `-`, and a goal the unit lacks is 0 (so an
 * exposed unit without goals contributes zeros). Then per variant: `units` = exposed units, `sum_x` = Σx,
 * `sum_x2` = Σx², `sum_y` = Σy, `sum_y2` = Σy², `sum_xy` = Σxy. One row per variant with exposed units and
 * metric, with `exp_id` and `metric_id` (as text).
 *
 * A per-unit division whose divisor can be 0 for a unit (a goal total: a unit without the goal has 0)
 * would make the sums infinite or NaN, which metric sums cannot hold: such a metric is rejected with a
 * `ValidationError` before any SQL is written. A divisor is accepted when it is a number other than 0 or
 * the unit exposures (`count` or `unique` of the unit type's `exposure`, which every exposed unit has),
 * and products and quotients of those. Divide at the metric level (nominator / denominator) instead.
 *
 * **CUPED.** When a metric has `cuped: { preDays }`, the statement also totals its goals per unit id over
 * the pre-period `[dateFrom - preDays days, dateFrom)` (the start computed here, from `dateFrom`, and bound
 * like the other dates, for text and `DATE` columns alike): every event of the table with that unit id,
 * dated in the window, **whatever its `exp_id` and `exp_variant_id`** (before the experiment the unit has
 * usually not been assigned: NULL, or another experiment's id), matching the goal's unit type, name and
 * dimension conditions. The experiment's `goal` filters apply to these events too; its `exposure` and
 * `trigger` filters select the units in the experiment period only. The unit keeps its experiment-period
 * variant, and a unit without pre-period events has u = v = 0. `u` and `v` are the metric's nominator and
 * denominator over those totals, and the rows get `sum_u`, `sum_u2`, `sum_v`, `sum_v2`, `sum_xu`,
 * `sum_xv`, `sum_yu`, `sum_yv` and `sum_uv` (0 in the rows of metrics without CUPED); without a CUPED
 * metric the statement has none of these columns. A table that repeats an event once per experiment it is
 * attributed to would count every copy in the pre-period: read it through a view with one row per event.
 *
 * The sums are cast to the dialect's double type and `units` is a `COUNT(*)`. The statement is a `WITH`
 * list (`ep_events` ... `ep_per_unit`, then `ep_pre_events` ... `ep_pre_per_unit` for CUPED, then
 * `ep_metric_units` with one `LEFT JOIN ... USING (unit_id)`, and `ep_metric_sums`) and one `SELECT` per
 * metric joined by `UNION ALL`, shaped by the dialect as {@link compileAggregatedGoalsQuery} is.
 *
 * @param experiment - The experiment (its `metrics`, `dimensions`, `unitType`, `id`, dates and `filters`).
 * @param options - Events schema and dialect.
 * @returns The SQL and its parameters.
 * @throws `ValidationError` (path `['dateFrom']`) for a CUPED metric in an experiment without `dateFrom`;
 *   (path `['metrics', i, 'nominator' | 'denominator']`) for a per-unit division by something that can be
 *   0; and as {@link compileAggregatedGoalsQuery}.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { compileMetricSumsQuery, duckdbDialect } from 'ep-stats/sql';
 * const experiment = new Experiment({
 *   id: 'e1', controlVariant: 'a', unitType: 'user', dateFrom: '2024-01-15',
 *   metrics: [new Metric({ id: 7, name: 'Revenue', nominator: 'value(user.unit.order)', denominator: 'count(user.unit.exposure)', cuped: { preDays: 14 } })],
 * });
 * const { sql, parameters } = compileMetricSumsQuery(experiment, { schema: { table: 'events' }, dialect: duckdbDialect });
 * sql.includes('LEFT JOIN "ep_pre_per_unit" USING ("unit_id")'); // => true
 * parameters.includes('2024-01-01'); // => true
 * parameters.slice(-2); // => ['e1', '7']
 * ```
 * @public
 */
export function compileMetricSumsQuery(
  experiment: MetricSumsQueryExperiment,
  options: GoalQueryOptions,
): SqlStatement {
  validateMetrics(experiment);
  const { metrics, dimensions } = experiment;
  const complete = (goal: GoalReference) => completeDimensions(goal, dimensions);
  const key = (goal: GoalReference) => goalMatchKey(complete(goal), dimensions);
  const metricGoals = collectGoals(
    ...metrics.flatMap((metric) => [metric.nominatorExpression, metric.denominatorExpression]),
  ).map(complete);
  const goals = queryGoals(experiment, true, metricGoals);
  const context = perUnitQuery(experiment, options, goals, ['exp_variant_id', 'unit_id']);
  const { dialect, schema, parameters, q, queries } = context;
  const goalIndex = new Map(goals.map(({ goal, index }) => [key(goal), index]));
  const exposure = goalIndex.get(key(unitExposureGoal(experiment)));

  const preGoals = prePeriodGoals(metrics, complete, key, (goal) => goalIndex.get(key(goal)) ?? 0);
  const anyCuped = preGoals.size > 0;
  if (anyCuped && experiment.dateFrom !== undefined) {
    const prePeriod = { dateFrom: experiment.dateFrom, filters: experiment.filters, dimensions };
    prePeriodSql(prePeriod, [...preGoals.values()], schema, { dialect, parameters, queries });
  }

  const experimentColumns = (goal: GoalReference): GoalColumns => {
    const index = goalIndex.get(key(goal));
    if (index === undefined) throw new Error(`No per-unit totals for goal ${key(goal)}`);
    return { count: q(`count_${index}`), value: q(`value_${index}`) };
  };
  const preColumns =
    (preDays: number) =>
    (goal: GoalReference): GoalColumns => {
      const found = preGoals.get(prePeriodGoalKey(preDays, key(goal)));
      if (found === undefined) throw new Error(`No pre-period totals for goal ${key(goal)}`);
      return { count: q(`pre_count_${found.index}`), value: q(`pre_value_${found.index}`) };
    };
  const perUnit = (expression: Expression, read: (goal: GoalReference) => GoalColumns) =>
    perUnitExpressionSql(expression, read, parameters, dialect.doubleType);
  const values = metrics.flatMap((metric, m) => {
    const cuped = metric.cuped;
    return [
      `${perUnit(metric.nominatorExpression, experimentColumns)} AS ${q(`x_${m}`)}`,
      `${perUnit(metric.denominatorExpression, experimentColumns)} AS ${q(`y_${m}`)}`,
      ...(cuped === undefined
        ? []
        : [
            `${perUnit(metric.nominatorExpression, preColumns(cuped.preDays))} AS ${q(`u_${m}`)}`,
            `${perUnit(metric.denominatorExpression, preColumns(cuped.preDays))} AS ${q(`v_${m}`)}`,
          ]),
    ];
  });
  const join = anyCuped ? ` LEFT JOIN ${queries.read('ep_pre_per_unit')} USING (${q('unit_id')})` : '';
  queries.define(
    'ep_metric_units',
    `SELECT ${q('exp_variant_id')}, ${q('unit_id')}, ${values.join(', ')} ` +
      `FROM ${queries.read('ep_per_unit')}${join} WHERE ${q(`count_${exposure}`)} > 0`,
  );

  const sums = metrics.flatMap((metric, m) => {
    const list = metric.cuped === undefined ? SUMS : [...SUMS, ...COVARIATE_SUMS];
    return list.map(([name, first, second]) => {
      const value = q(`${first}_${m}`);
      const summed = second === undefined ? value : `${value} * ${q(`${second}_${m}`)}`;
      return `CAST(SUM(${summed}) AS ${dialect.doubleType}) AS ${q(`${name}_${m}`)}`;
    });
  });
  queries.define(
    'ep_metric_sums',
    `SELECT ${q('exp_variant_id')}, COUNT(*) AS ${q('units')}, ${sums.join(', ')} ` +
      `FROM ${queries.read('ep_metric_units')} GROUP BY ${q('exp_variant_id')}`,
  );

  const zero = `CAST(0 AS ${dialect.doubleType})`;
  const selects = metrics.map((metric, m) => {
    const column = (name: string, value: string): OutputColumn => ({ value, name: q(name) });
    const covariates = !anyCuped
      ? []
      : COVARIATE_SUMS.map(([name]) => column(name, metric.cuped !== undefined ? q(`${name}_${m}`) : zero));
    return {
      columns: [
        column('exp_id', parameters.text(experiment.id, ['id'])),
        column('exp_variant_id', q('exp_variant_id')),
        column('metric_id', parameters.text(String(metric.id), ['metrics', m, 'id'])),
        column('units', q('units')),
        ...SUMS.map(([name]) => column(name, q(`${name}_${m}`))),
        ...covariates,
      ],
      where: `${q('units')} > 0`,
    };
  });
  const sql = queries.statement(unionAllSql(dialect, queries.read('ep_metric_sums'), selects));
  return { sql, parameters: parameters.values };
}
