import { completeDimensions, type Experiment, type GoalReference, goalKey, goalMatchKey } from '../index.js';
import { dimensionConditionSql, isUnconstrained } from './dimension-condition-sql.js';
import { EXPOSURE_GOAL, eventSourceSql } from './event-source-sql.js';
import { EventsSchema, type EventsSchemaOptions } from './events-schema.js';
import { NamedQueries, type SqlDialect, unusedName } from './sql-dialect.js';
import { SqlParameters } from './sql-parameters.js';

/** What the per-unit queries read of an experiment. @internal */
export type PerUnitExperiment = Pick<
  Experiment,
  'id' | 'dateFrom' | 'dateTo' | 'dateFor' | 'evaluationDay' | 'filters' | 'goals' | 'dimensions' | 'unitType'
>;

/** A needed goal and the number `i` of its per-unit columns `count_<i>` and `value_<i>`. @internal */
export interface QueryGoal {
  readonly goal: GoalReference;
  readonly index: number;
}

/** The exposure goal of per-unit data, `count(<unitType>.unit.exposure)`, completed. @internal */
export function unitExposureGoal(experiment: Pick<Experiment, 'unitType' | 'dimensions'>): GoalReference {
  const exposure: GoalReference = {
    kind: 'goal',
    fn: 'count',
    unitType: experiment.unitType,
    aggType: 'unit',
    goal: EXPOSURE_GOAL,
    dimensions: [],
    span: { start: 0, end: 0 },
  };
  return completeDimensions(exposure, experiment.dimensions);
}

/**
 * The goals to total per unit, distinct by match key: `goals` (the experiment's by default), and with
 * `withUnitExposure` also `count(<unitType>.unit.exposure)`, numbered in that order.
 *
 * @internal
 */
export function queryGoals(
  experiment: PerUnitExperiment,
  withUnitExposure: boolean,
  goals: readonly GoalReference[] = experiment.goals,
): QueryGoal[] {
  const needed = [...goals];
  if (withUnitExposure) needed.push(unitExposureGoal(experiment));
  const seen = new Set<string>();
  const distinct = needed.filter((goal) => {
    const key = goalMatchKey(goal, experiment.dimensions);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return distinct.map((goal, index) => ({ goal, index }));
}

/** Checks every goal's dimensions against the schema before any SQL is written. @internal */
export function validateGoals(experiment: PerUnitExperiment, schema: EventsSchema): void {
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

/** One goal to total per unit: its flag, the names of its two totals, and extra conditions of its flag. */
export interface GoalTotal {
  readonly goal: GoalReference;
  /** Where the goal's values sit, for errors (`['goals', i]`). */
  readonly path: readonly (string | number)[];
  /** Unquoted names: the flag of ep_matches, and the totals of the count and of the value. */
  readonly flag: string;
  readonly count: string;
  readonly value: string;
  /** Writes SQL conditions ANDed to the goal's own, after them (called when they are written). */
  readonly extra?: () => readonly string[];
}

/**
 * Defines `matches` (the key columns, `count`, `value` and one flag per goal: unit type, goal name, dimension
 * conditions and `extra` hold) and `perUnit` (per key, `CAST(SUM(CASE WHEN flag THEN count END) AS double)`
 * and the same of `value` per goal: null where the key has no matching event) over `source`.
 *
 * @internal
 */
export function goalTotalsSql(
  source: string,
  keys: readonly string[],
  totals: readonly GoalTotal[],
  names: { readonly matches: string; readonly perUnit: string },
  context: {
    readonly dialect: SqlDialect;
    readonly parameters: SqlParameters;
    readonly queries: NamedQueries;
  },
): void {
  const { dialect, parameters, queries } = context;
  const q = (name: string) => dialect.quoteIdentifier(name);
  const flags = totals.map(({ goal, path, flag, extra }) => {
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
      ...(extra?.() ?? []),
    ];
    return `(${conditions.join(' AND ')}) AS ${q(flag)}`;
  });
  const sums = totals.flatMap(({ flag, count, value }) => {
    const sum = (column: string) =>
      `CAST(SUM(CASE WHEN ${q(flag)} THEN ${q(column)} END) AS ${dialect.doubleType})`;
    return [`${sum('count')} AS ${q(count)}`, `${sum('value')} AS ${q(value)}`];
  });
  const keyList = keys.map(q).join(', ');
  queries.define(
    names.matches,
    `SELECT ${keyList}, ${q('count')}, ${q('value')}, ${flags.join(', ')} FROM ${queries.read(source)}`,
  );
  queries.define(
    names.perUnit,
    `SELECT ${keyList}, ${sums.join(', ')} FROM ${queries.read(names.matches)} GROUP BY ${keyList}`,
  );
}

/**
 * The {@link GoalTotal} of each goal: flag `match_<i>` (named apart from the dimensions that the conditions
 * read, where the dialect's aliases shadow columns), totals `count_<i>` and `value_<i>`.
 *
 * @internal
 */
export function goalTotalsOf(
  goals: readonly QueryGoal[],
  schema: EventsSchema,
  dialect: SqlDialect,
): GoalTotal[] {
  const dimensions = new Set(dialect.aliasesShadowColumns === true ? schema.dimensions : []);
  return goals.map(({ goal, index }) => ({
    goal,
    path: ['goals', index],
    flag: unusedName(`match_${index}`, dimensions),
    count: `count_${index}`,
    value: `value_${index}`,
  }));
}

/**
 * Everything up to the per-unit totals of every goal: `ep_per_unit` with the `keys` (variant, unit type and
 * unit id by default), `count_<i>` and `value_<i>`.
 *
 * @internal
 */
export function perUnitSql(
  experiment: PerUnitExperiment,
  goals: readonly QueryGoal[],
  schema: EventsSchema,
  dialect: SqlDialect,
  parameters: SqlParameters,
  queries: NamedQueries,
  keys: readonly string[] = ['exp_variant_id', 'unit_type', 'unit_id'],
): void {
  validateGoals(experiment, schema);
  const goalNames = [...new Set(goals.map(({ goal }) => goal.goal))];
  const source = eventSourceSql(
    experiment,
    schema,
    dialect,
    parameters,
    goalNames,
    experiment.dimensions,
    queries,
  );
  const totals = goalTotalsOf(goals, schema, dialect);
  goalTotalsSql(
    source,
    keys,
    totals,
    { matches: 'ep_matches', perUnit: 'ep_per_unit' },
    {
      dialect,
      parameters,
      queries,
    },
  );
}

/**
 * What every compiler starts from: the resolved schema, fresh parameters and named queries, and the
 * per-unit totals `ep_per_unit` of `goals` (see {@link perUnitSql}).
 *
 * @internal
 */
export function perUnitQuery(
  experiment: PerUnitExperiment,
  options: { readonly schema: EventsSchema | EventsSchemaOptions; readonly dialect: SqlDialect },
  goals: readonly QueryGoal[],
  keys?: readonly string[],
) {
  const { dialect } = options;
  const schema = options.schema instanceof EventsSchema ? options.schema : new EventsSchema(options.schema);
  const parameters = new SqlParameters(dialect);
  const q = (name: string) => dialect.quoteIdentifier(name);
  const queries = new NamedQueries(dialect);
  perUnitSql(experiment, goals, schema, dialect, parameters, queries, keys);
  return { dialect, schema, parameters, q, queries };
}
