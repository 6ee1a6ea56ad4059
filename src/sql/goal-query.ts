import {
  completeDimensions,
  type Experiment,
  type GoalReference,
  goalMatchKey,
  ValidationError,
} from '../index.js';
import type { EventsSchema, EventsSchemaOptions } from './events-schema.js';
import { goalIdentityColumns } from './goal-identity-columns.js';
import { perUnitQuery, queryGoals, unitExposureGoal } from './per-unit-sql.js';
import { prePeriodGoals, prePeriodSql, requirePrePeriodStart } from './pre-period-sql.js';
import type { SqlStatement } from './sql-client.js';
import type { SqlDialect } from './sql-dialect.js';
import { unionAllSql } from './union-all-sql.js';
import { variantSumsSql } from './variant-sums-sql.js';

/**
 * Where and how a goal query runs: the events table and the SQL dialect.
 *
 * @example
 * ```ts
 * import { duckdbDialect, type GoalQueryOptions } from 'ep-stats/sql';
 * const options: GoalQueryOptions = { schema: { table: 'events', dimensions: ['element'] }, dialect: duckdbDialect };
 * options.dialect.name; // => 'duckdb'
 * ```
 * @public
 */
export interface GoalQueryOptions {
  readonly schema: EventsSchema | EventsSchemaOptions;
  readonly dialect: SqlDialect;
}

/**
 * What a goal query reads of an experiment.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import type { GoalQueryExperiment } from 'ep-stats/sql';
 * const experiment: GoalQueryExperiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'user' });
 * experiment.goals.length; // => 1
 * ```
 * @public
 */
export type GoalQueryExperiment = Pick<
  Experiment,
  'id' | 'dateFrom' | 'dateTo' | 'dateFor' | 'evaluationDay' | 'filters' | 'goals' | 'dimensions' | 'unitType'
>;

/**
 * What the unit goals query reads of an experiment: what a goal query reads and, optionally, its metrics,
 * whose CUPED options ask for pre-period rows.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import type { UnitGoalsQueryExperiment } from 'ep-stats/sql';
 * const experiment: UnitGoalsQueryExperiment = new Experiment({
 *   id: 'e', controlVariant: 'a', unitType: 'user', dateFrom: '2024-01-15',
 *   metrics: [new Metric({ id: 1, name: 'Revenue', nominator: 'value(user.unit.order)', denominator: 'count(user.unit.exposure)', cuped: { preDays: 14 } })],
 * });
 * experiment.metrics?.map((metric) => metric.cuped?.preDays); // => [14]
 * ```
 * @public
 */
export type UnitGoalsQueryExperiment = GoalQueryExperiment & Partial<Pick<Experiment, 'metrics'>>;

/**
 * Compiles an experiment into ONE statement that returns its goals aggregated per variant (spec section 1).
 *
 * @remarks
 * Two levels of aggregation. First per unit (variant, unit type, unit id): for every needed goal `i` (its
 * unit type, name and dimension conditions), `count_i` = sum of `count` and `value_i` = sum of `value` over
 * the unit's matching events. Then per variant: `count` = sum of `count_i`, `sum_sqr_count` = sum of
 * `count_i²`, `sum_value` = sum of `value_i`, `sum_sqr_value` = sum of `value_i²`, `count_unique` = units with
 * `count_i > 0`. One row per variant and goal that has events, with `exp_id`, `unit_type`, `agg_type`, `goal`
 * and, in each experiment dimension's column, the goal's stored value (`''` where the goal does not
 * constrain it), so that `Experiment.evaluateAgg` matches the row. Goals of aggregation type `global` are
 * computed the same way and returned with `agg_type` `global`: the exposure goal
 * `count(<unitType>.global.exposure)` counts exposure events, so the table should hold one exposure event per
 * unit. Events are selected as described in the documentation (experiment, goals, date range, filters).
 * Every value from the experiment is a bound parameter; identifiers come from the schema and are quoted.
 * The statement is a `WITH` list and one `SELECT` per goal joined by `UNION ALL`, unless the dialect shapes
 * it otherwise (`commonTableExpressions`, `aliasesShadowColumns` and `unionAll` of {@link SqlDialect}, as
 * {@link clickhouseDialect} does).
 *
 * @param experiment - The experiment (its `goals`, `dimensions`, `id`, dates and `filters` are read).
 * @param options - Events schema and dialect.
 * @returns The SQL and its parameters.
 * @throws `ValidationError` for an unsafe schema, a dimension or filter dimension that the schema does
 *   not declare, or a value containing a NUL character.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { compileAggregatedGoalsQuery, duckdbDialect } from 'ep-stats/sql';
 * const experiment = new Experiment({
 *   id: 'e1', controlVariant: 'a', unitType: 'user',
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(user.unit.click(element=button-%))', denominator: 'count(user.global.exposure)' })],
 * });
 * const { sql, parameters } = compileAggregatedGoalsQuery(experiment, { schema: { table: 'events', dimensions: ['element'] }, dialect: duckdbDialect });
 * sql.startsWith('WITH "ep_events" AS (SELECT'); // => true
 * parameters.includes('button-%'); // => true
 * sql.includes('button'); // => false
 * ```
 * @public
 */
export function compileAggregatedGoalsQuery(
  experiment: GoalQueryExperiment,
  options: GoalQueryOptions,
): SqlStatement {
  const goals = queryGoals(experiment, false);
  const { dialect, parameters, q, queries } = perUnitQuery(experiment, options, goals);
  // Where aliases shadow columns, the per-variant sums are named apart from the per-unit ones they read.
  const total = (column: string) => q(dialect.aliasesShadowColumns === true ? `total_${column}` : column);
  const sums = variantSumsSql(
    goals.map(({ index }) => index),
    dialect,
    '',
    { count: (index) => total(`count_${index}`), value: (index) => total(`value_${index}`) },
  );
  queries.define(
    'ep_per_variant',
    `SELECT ${q('exp_variant_id')}, ${sums.join(', ')} FROM ${queries.read('ep_per_unit')} ` +
      `GROUP BY ${q('exp_variant_id')}`,
  );
  const selects = goals.map(({ goal, index }) => ({
    columns: [
      ...goalIdentityColumns(experiment, goal, dialect, parameters, false),
      { value: total(`count_${index}`), name: q('count') },
      { value: q(`sqr_count_${index}`), name: q('sum_sqr_count') },
      { value: total(`value_${index}`), name: q('sum_value') },
      { value: q(`sqr_value_${index}`), name: q('sum_sqr_value') },
      { value: q(`unique_${index}`), name: q('count_unique') },
    ],
    where: `${q(`units_${index}`)} > 0`,
  }));
  const sql = queries.statement(unionAllSql(dialect, queries.read('ep_per_variant'), selects));
  return { sql, parameters: parameters.values };
}

/**
 * Compiles an experiment into ONE statement that returns its goals per unit, for `Experiment.evaluateByUnit`,
 * with the pre-period rows that its CUPED metrics read.
 *
 * @remarks
 * The per-unit totals of {@link compileAggregatedGoalsQuery}, one row per unit and needed goal that the unit
 * has: `exp_id`, `exp_variant_id`, `unit_type`, `agg_type`, `goal`, `unit_id`, `count`, `sum_value` and the
 * stored dimension values. Besides the experiment's goals (`global` ones included, with `agg_type`
 * `global`), the rows hold `count(<unitType>.unit.exposure)`, from which by-unit evaluation takes the
 * exposures.
 *
 * **CUPED.** When some metric has `cuped: { preDays }`, the statement also returns, for every distinct
 * `preDays` d of those metrics and every goal their nominators and denominators read, one row per
 * **exposed** unit (`count(<unitType>.unit.exposure)` above 0 in the experiment period) that has events of
 * the goal in the pre-period `[dateFrom - d days, dateFrom)`: the same columns, `count` and `sum_value`
 * totalled over those events, and `pre_days` = d. The pre-period events are those that
 * {@link compileMetricSumsQuery} reads (the unit id's events of any `exp_id` and `exp_variant_id`, the goal's
 * unit type, name and dimension conditions, `goal` filters applied) and the row keeps the unit's
 * experiment-period variant. Every row then has the column `pre_days`, **0 on the rows of the experiment
 * period** (by-unit evaluation reads 0, like an empty cell, as the experiment period), so that the column
 * holds whole numbers only. Without a CUPED metric the statement has no `pre_days` column and no
 * pre-period part. The statement adds the named queries `ep_pre_events` ... `ep_pre_per_unit` of the
 * metric sums query and `ep_unit_rows`, the per-unit totals joined to the pre-period ones
 * (`LEFT JOIN ep_pre_per_unit USING (unit_id)`), which the `SELECT` per goal and per pre-period goal read.
 *
 * @param experiment - The experiment (its `goals`, `dimensions`, `unitType`, `id`, dates, `filters` and the
 *   `cuped` options of its `metrics`).
 * @param options - Events schema and dialect.
 * @returns The SQL and its parameters.
 * @throws `ValidationError` (path `['dateFrom']`) for a CUPED metric in an experiment without `dateFrom`;
 *   (path `['dimensions', i]`) for a dimension named `pre_days` in an experiment with CUPED metrics; and as
 *   {@link compileAggregatedGoalsQuery}.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { compileUnitGoalsQuery, postgresDialect } from 'ep-stats/sql';
 * const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' });
 * const { sql, parameters } = compileUnitGoalsQuery(experiment, { schema: { table: 'events' }, dialect: postgresDialect });
 * sql.includes('"unit_id"'); // => true
 * sql.includes('"pre_days"'); // => false
 * parameters.slice(0, 2); // => ['e1', 'exposure']
 * const cuped = new Experiment({
 *   id: 'e1', controlVariant: 'a', unitType: 'user', dateFrom: '2024-01-15',
 *   metrics: [new Metric({ id: 1, name: 'Revenue', nominator: 'value(user.unit.order)', denominator: 'count(user.unit.exposure)', cuped: { preDays: 14 } })],
 * });
 * const withPrePeriod = compileUnitGoalsQuery(cuped, { schema: { table: 'events' }, dialect: postgresDialect });
 * withPrePeriod.sql.includes('CAST(0 AS bigint) AS "pre_days"'); // => true
 * withPrePeriod.parameters.includes('2024-01-01'); // => true
 * withPrePeriod.parameters.includes(14); // => true
 * ```
 * @public
 */
export function compileUnitGoalsQuery(
  experiment: UnitGoalsQueryExperiment,
  options: GoalQueryOptions,
): SqlStatement {
  requirePrePeriodStart(experiment);
  const goals = queryGoals(experiment, true);
  const { dialect, schema, parameters, q, queries } = perUnitQuery(experiment, options, goals);
  const { dimensions } = experiment;
  const complete = (goal: GoalReference) => completeDimensions(goal, dimensions);
  const key = (goal: GoalReference) => goalMatchKey(complete(goal), dimensions);
  const goalIndex = new Map(goals.map(({ goal, index }) => [key(goal), index]));
  const preGoals = [
    ...prePeriodGoals(
      experiment.metrics ?? [],
      complete,
      key,
      (goal) => goalIndex.get(key(goal)) ?? 0,
    ).values(),
  ];
  // Placeholders are bound in the order they appear: the pre-period's named queries before the SELECTs.
  const cuped = preGoals.length > 0 && experiment.dateFrom !== undefined;
  if (cuped) {
    const clash = dimensions.indexOf('pre_days');
    if (clash !== -1) {
      throw new ValidationError(
        "The experiment's dimension `pre_days` has the name of the column that marks the pre-period rows of " +
          'its CUPED metrics; read the events through a view that renames the dimension',
        ['dimensions', clash],
      );
    }
    const prePeriod = { dateFrom: experiment.dateFrom, filters: experiment.filters, dimensions };
    prePeriodSql(prePeriod, preGoals, schema, { dialect, parameters, queries });
  }
  const experimentPeriod = cuped ? [{ value: `CAST(0 AS ${dialect.integerType})`, name: q('pre_days') }] : [];
  const selects = goals.map(({ goal, index }) => ({
    columns: [
      ...goalIdentityColumns(experiment, goal, dialect, parameters, true),
      { value: q(`count_${index}`), name: q('count') },
      { value: q(`value_${index}`), name: q('sum_value') },
      ...experimentPeriod,
    ],
    where: `${q(`count_${index}`)} IS NOT NULL`,
  }));
  if (!cuped) {
    const sql = queries.statement(unionAllSql(dialect, queries.read('ep_per_unit'), selects));
    return { sql, parameters: parameters.values };
  }

  const columns = [
    ...['exp_variant_id', 'unit_type', 'unit_id'],
    ...goals.flatMap(({ index }) => [`count_${index}`, `value_${index}`]),
    ...preGoals.flatMap(({ index }) => [`pre_count_${index}`, `pre_value_${index}`]),
  ];
  queries.define(
    'ep_unit_rows',
    `SELECT ${columns.map(q).join(', ')} FROM ${queries.read('ep_per_unit')} ` +
      `LEFT JOIN ${queries.read('ep_pre_per_unit')} USING (${q('unit_id')})`,
  );
  const exposure = goalIndex.get(key(unitExposureGoal(experiment)));
  const preSelects = preGoals.map(({ goal, preDays, index }) => ({
    columns: [
      ...goalIdentityColumns(experiment, goal, dialect, parameters, true),
      { value: q(`pre_count_${index}`), name: q('count') },
      { value: q(`pre_value_${index}`), name: q('sum_value') },
      { value: parameters.integer(preDays), name: q('pre_days') },
    ],
    where: `${q(`count_${exposure}`)} > 0 AND ${q(`pre_count_${index}`)} IS NOT NULL`,
  }));
  const all = [...selects, ...preSelects];
  const sql = queries.statement(unionAllSql(dialect, queries.read('ep_unit_rows'), all));
  return { sql, parameters: parameters.values };
}
