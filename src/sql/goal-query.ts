import type { Experiment } from '../experiment/experiment.js';
import type { GoalReference } from '../expression/ast.js';
import { completeDimensions } from '../expression/complete-dimensions.js';
import { goalKey } from '../expression/goal-key.js';
import { goalMatchKey } from '../goals/goal-match-key.js';
import { dimensionConditionSql, isUnconstrained } from './dimension-condition-sql.js';
import { EXPOSURE_GOAL, eventSourceSql } from './event-source-sql.js';
import { EventsSchema, type EventsSchemaOptions } from './events-schema.js';
import type { SqlStatement } from './sql-client.js';
import type { SqlDialect } from './sql-dialect.js';
import { SqlParameters } from './sql-parameters.js';

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
  'id' | 'dateFrom' | 'dateTo' | 'dateFor' | 'filters' | 'goals' | 'dimensions' | 'unitType'
>;

/** A needed goal and the aliases of its per-unit columns. */
interface QueryGoal {
  readonly goal: GoalReference;
  readonly index: number;
}

/** The experiment's goals, distinct by match key; by unit also `count(<unitType>.unit.exposure)`. */
function queryGoals(experiment: GoalQueryExperiment, withUnitExposure: boolean): QueryGoal[] {
  const goals = [...experiment.goals];
  if (withUnitExposure) {
    const exposure: GoalReference = {
      kind: 'goal',
      fn: 'count',
      unitType: experiment.unitType,
      aggType: 'unit',
      goal: EXPOSURE_GOAL,
      dimensions: [],
      span: { start: 0, end: 0 },
    };
    goals.push(completeDimensions(exposure, experiment.dimensions));
  }
  const seen = new Set<string>();
  const distinct = goals.filter((goal) => {
    const key = goalMatchKey(goal, experiment.dimensions);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return distinct.map((goal, index) => ({ goal, index }));
}

/** Checks every goal's dimensions against the schema before any SQL is written. */
function validateGoals(experiment: GoalQueryExperiment, schema: EventsSchema): void {
  experiment.goals.forEach((goal, goalIndex) => {
    goal.dimensions.forEach((condition, conditionIndex) => {
      if (isUnconstrained(condition)) return;
      const path = ['goals', goalIndex, 'dimensions', conditionIndex, 'name'];
      schema.requireDimension(condition.name, path, `goal \`${goalKey(goal)}\``);
    });
  });
  experiment.dimensions.forEach((name, index) => {
    schema.requireDimension(name, ['dimensions', index], 'the experiment');
  });
}

/** Everything up to the per-unit totals of every goal: `ep_per_unit` with `count_<i>` and `value_<i>`. */
function perUnitSql(
  experiment: GoalQueryExperiment,
  goals: readonly QueryGoal[],
  schema: EventsSchema,
  dialect: SqlDialect,
  parameters: SqlParameters,
): string[] {
  validateGoals(experiment, schema);
  const q = (name: string) => dialect.quoteIdentifier(name);
  const goalNames = [...new Set(goals.map(({ goal }) => goal.goal))];
  const source = eventSourceSql(experiment, schema, dialect, parameters, goalNames, experiment.dimensions);
  const flags = goals.map(({ goal, index }) => {
    const path = ['goals', index];
    const conditions = [
      `${q('unit_type')} = ${parameters.text(goal.unitType, [...path, 'unitType'])}`,
      `${q('goal')} = ${parameters.text(goal.goal, [...path, 'goal'])}`,
      ...goal.dimensions.flatMap(
        (condition, position) =>
          dimensionConditionSql(condition, q(condition.name), dialect, parameters, [
            ...path,
            'dimensions',
            position,
            'value',
          ]) ?? [],
      ),
    ];
    return `(${conditions.join(' AND ')}) AS ${q(`match_${index}`)}`;
  });
  const sums = goals.flatMap(({ index }) => {
    const sum = (column: string) =>
      `CAST(SUM(CASE WHEN ${q(`match_${index}`)} THEN ${q(column)} END) AS ${dialect.doubleType})`;
    return [`${sum('count')} AS ${q(`count_${index}`)}`, `${sum('value')} AS ${q(`value_${index}`)}`];
  });
  const keys = [q('exp_variant_id'), q('unit_type'), q('unit_id')].join(', ');
  return [
    ...source.ctes,
    `${q('ep_matches')} AS (SELECT ${keys}, ${q('count')}, ${q('value')}, ${flags.join(', ')} FROM ${source.relation})`,
    `${q('ep_per_unit')} AS (SELECT ${keys}, ${sums.join(', ')} FROM ${q('ep_matches')} GROUP BY ${keys})`,
  ];
}

/** The identity columns of a goal's output rows: experiment, unit type, aggregation type, goal, dimensions. */
function identityColumns(
  experiment: GoalQueryExperiment,
  goal: GoalReference,
  dialect: SqlDialect,
  parameters: SqlParameters,
  unitId: boolean,
): string[] {
  const q = (name: string) => dialect.quoteIdentifier(name);
  return [
    `${parameters.text(experiment.id)} AS ${q('exp_id')}`,
    q('exp_variant_id'),
    `${parameters.text(goal.unitType)} AS ${q('unit_type')}`,
    `${parameters.text(goal.aggType)} AS ${q('agg_type')}`,
    `${parameters.text(goal.goal)} AS ${q('goal')}`,
    ...(unitId ? [q('unit_id')] : []),
    ...experiment.dimensions.map((name) => {
      const stored = goal.dimensions.find((condition) => condition.name === name)?.storedValue ?? '';
      return `${parameters.text(stored)} AS ${q(name)}`;
    }),
  ];
}

function resolveSchema(schema: EventsSchema | EventsSchemaOptions): EventsSchema {
  return schema instanceof EventsSchema ? schema : new EventsSchema(schema);
}

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
  const { dialect, parameters, q, goals, ctes } = perUnitQuery(experiment, options, false);
  const sums = goals.flatMap(({ index }) => {
    const count = q(`count_${index}`);
    const value = q(`value_${index}`);
    return [
      `SUM(${count}) AS ${count}`,
      `SUM(${count} * ${count}) AS ${q(`sqr_count_${index}`)}`,
      `SUM(${value}) AS ${value}`,
      `SUM(${value} * ${value}) AS ${q(`sqr_value_${index}`)}`,
      `CAST(SUM(CASE WHEN ${count} > 0 THEN 1 ELSE 0 END) AS ${dialect.doubleType}) AS ${q(`unique_${index}`)}`,
      `COUNT(${count}) AS ${q(`units_${index}`)}`,
    ];
  });
  ctes.push(
    `${q('ep_per_variant')} AS (SELECT ${q('exp_variant_id')}, ${sums.join(', ')} FROM ${q('ep_per_unit')} ` +
      `GROUP BY ${q('exp_variant_id')})`,
  );
  const selects = goals.map(({ goal, index }) => {
    const columns = [
      ...identityColumns(experiment, goal, dialect, parameters, false),
      `${q(`count_${index}`)} AS ${q('count')}`,
      `${q(`sqr_count_${index}`)} AS ${q('sum_sqr_count')}`,
      `${q(`value_${index}`)} AS ${q('sum_value')}`,
      `${q(`sqr_value_${index}`)} AS ${q('sum_sqr_value')}`,
      `${q(`unique_${index}`)} AS ${q('count_unique')}`,
    ];
    return `SELECT ${columns.join(', ')} FROM ${q('ep_per_variant')} WHERE ${q(`units_${index}`)} > 0`;
  });
  return { sql: `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}`, parameters: parameters.values };
}

/**
 * Compiles an experiment into ONE statement that returns its goals per unit, for `Experiment.evaluateByUnit`.
 *
 * @remarks
 * The per-unit totals of {@link compileAggregatedGoalsQuery}, one row per unit and needed goal that the unit
 * has: `exp_id`, `exp_variant_id`, `unit_type`, `agg_type`, `goal`, `unit_id`, `count`, `sum_value` and the
 * stored dimension values. Besides the experiment's goals (`global` ones included, with `agg_type`
 * `global`), the rows hold `count(<unitType>.unit.exposure)`, from which by-unit evaluation takes the
 * exposures.
 *
 * @param experiment - The experiment (its `goals`, `dimensions`, `unitType`, `id`, dates and `filters`).
 * @param options - Events schema and dialect.
 * @returns The SQL and its parameters.
 * @throws `ValidationError` as {@link compileAggregatedGoalsQuery}.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { compileUnitGoalsQuery, postgresDialect } from 'ep-stats/sql';
 * const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user' });
 * const { sql, parameters } = compileUnitGoalsQuery(experiment, { schema: { table: 'events' }, dialect: postgresDialect });
 * sql.includes('"unit_id"'); // => true
 * parameters.slice(0, 2); // => ['e1', 'exposure']
 * ```
 * @public
 */
export function compileUnitGoalsQuery(
  experiment: GoalQueryExperiment,
  options: GoalQueryOptions,
): SqlStatement {
  const { dialect, parameters, q, goals, ctes } = perUnitQuery(experiment, options, true);
  const selects = goals.map(({ goal, index }) => {
    const columns = [
      ...identityColumns(experiment, goal, dialect, parameters, true),
      `${q(`count_${index}`)} AS ${q('count')}`,
      `${q(`value_${index}`)} AS ${q('sum_value')}`,
    ];
    return `SELECT ${columns.join(', ')} FROM ${q('ep_per_unit')} WHERE ${q(`count_${index}`)} IS NOT NULL`;
  });
  return { sql: `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}`, parameters: parameters.values };
}

/** What both compilers start from: the resolved schema, fresh parameters and the per-unit CTEs of the goals. */
function perUnitQuery(experiment: GoalQueryExperiment, options: GoalQueryOptions, byUnit: boolean) {
  const { dialect } = options;
  const schema = resolveSchema(options.schema);
  const parameters = new SqlParameters(dialect);
  const q = (name: string) => dialect.quoteIdentifier(name);
  const goals = queryGoals(experiment, byUnit);
  const ctes = perUnitSql(experiment, goals, schema, dialect, parameters);
  return { dialect, parameters, q, goals, ctes };
}
