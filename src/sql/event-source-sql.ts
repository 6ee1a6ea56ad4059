import type { Experiment, Filter } from '../index.js';
import { oneOfSql } from './dimension-condition-sql.js';
import type { EventsSchema } from './events-schema.js';
import { type NamedQueries, type SqlDialect, unusedName } from './sql-dialect.js';
import { quoteQualified } from './sql-identifier.js';
import type { SqlParameters } from './sql-parameters.js';

/** What the event selection reads of an experiment. @internal */
export type SelectedExperiment = Pick<Experiment, 'id' | 'dateFrom' | 'dateTo' | 'filters' | 'evaluationDay'>;

/** The goal of exposures. @internal */
export const EXPOSURE_GOAL = 'exposure';

/** A trigger filter restricted by a dimension and values (else it keeps every unit with the goal). @internal */
export function isRestricted(filter: Filter): boolean {
  return filter.dimension !== undefined && filter.dimension !== '' && (filter.values?.length ?? 0) > 0;
}

/**
 * Checks that every filter names a declared dimension (where it needs one). Throws before any SQL is built.
 *
 * @internal
 */
export function validateFilters(filters: readonly Filter[], schema: EventsSchema): void {
  filters.forEach((filter, index) => {
    if (filter.scope === 'trigger' && !isRestricted(filter)) return;
    schema.requireDimension(
      filter.dimension ?? '',
      ['filters', index, 'dimension'],
      `the ${filter.scope} filter`,
    );
  });
}

/**
 * The experiment's events: named queries (`ep_events`, then `ep_goal_filtered` and `ep_unit_filtered` with
 * filters of those scopes) that select the columns, the experiment, the goals and the date range, then
 * apply the filters. Returns the name of the last one.
 *
 * @remarks
 * Columns of the relation: `exp_variant_id`, `unit_type`, `unit_id`, `goal` (text), `count`, `value`
 * (null read as 0) and every dimension in `dimensions` and in the filters (text, `''` for null). Rows: events of
 * experiment `id` whose goal is one of `goalNames`, `exposure` or a trigger goal, with a variant and a unit
 * id; with a date bound, dated within [dateFrom, min(dateTo, dateFor)] (`dateFor` today, UTC, when not
 * given; a single bound alone when only one is given, as the reference's test data access does; undated
 * events are then dropped). Filters, as the reference's test data access applies them to goals per unit:
 * every `goal` filter keeps exposures and events whose dimension is one of its values; then every
 * `exposure` filter keeps only units (by unit id) with an exposure whose dimension is one of its values,
 * and every `trigger` filter only units with an event of its goal (whose dimension is one of its values,
 * when it has a dimension and values). Unit sets are read from the events left by the `goal` filters.
 * For a dialect whose aliases shadow columns, the columns are computed under fresh aliases (`ep_<name>`)
 * in an inner `SELECT` and renamed by an outer one, so that the `WHERE` reads the table's columns.
 * With `dateColumn`, the relation also has the event's `date` column, as stored, under that name.
 *
 * @internal
 */
export function eventSourceSql(
  experiment: SelectedExperiment,
  schema: EventsSchema,
  dialect: SqlDialect,
  parameters: SqlParameters,
  goalNames: readonly string[],
  dimensions: readonly string[],
  queries: NamedQueries,
  dateColumn?: string,
): string {
  validateFilters(experiment.filters, schema);
  const q = (name: string) => dialect.quoteIdentifier(name);
  const column = (name: keyof EventsSchema['columns']) => `e.${q(schema.columns[name])}`;
  const filterDimensions = experiment.filters.flatMap((filter) =>
    filter.dimension ? [filter.dimension] : [],
  );
  const allDimensions = [...new Set([...dimensions, ...filterDimensions])];

  const selected: [expression: string, name: string][] = [
    [dialect.castToText(column('exp_variant_id')), 'exp_variant_id'],
    [dialect.castToText(column('unit_type')), 'unit_type'],
    [dialect.castToText(column('unit_id')), 'unit_id'],
    [dialect.castToText(column('goal')), 'goal'],
    [`COALESCE(${column('count')}, 0)`, 'count'],
    [`COALESCE(${column('value')}, 0)`, 'value'],
    ...allDimensions.map((name): [string, string] => [
      `COALESCE(${dialect.castToText(`e.${q(name)}`)}, '')`,
      name,
    ]),
    ...(dateColumn === undefined ? [] : [[column('date'), dateColumn] as [string, string]]),
  ];
  const triggerGoals = experiment.filters.flatMap((filter) =>
    filter.scope === 'trigger' && filter.goal !== undefined ? [filter.goal] : [],
  );
  const readGoals = [...new Set([...goalNames, EXPOSURE_GOAL, ...triggerGoals])];
  const where = [
    `${column('exp_id')} = ${parameters.text(experiment.id, ['id'])}`,
    `${column('exp_variant_id')} IS NOT NULL`,
    `${column('unit_id')} IS NOT NULL`,
    `${column('goal')} IN (${readGoals.map((goal) => parameters.text(goal, ['goals'])).join(', ')})`,
    ...dateConditions(experiment, schema, dialect, parameters, column('date')),
  ];
  defineEvents('ep_events', selected, where, schema, dialect, allDimensions, queries);

  let relation = 'ep_events';
  const goalFilters = goalFilterConditions(experiment.filters, dialect, parameters);
  if (goalFilters.length > 0) {
    queries.define(
      'ep_goal_filtered',
      `SELECT * FROM ${queries.read(relation)} WHERE ${goalFilters.join(' AND ')}`,
    );
    relation = 'ep_goal_filtered';
  }

  const unitFilters = experiment.filters
    .map((filter, index) => ({ filter, index }))
    .filter(({ filter }) => filter.scope !== 'goal');
  if (unitFilters.length > 0) {
    const source = queries.read(relation);
    const conditions = unitFilters.map(({ filter, index }) => {
      const goal = filter.scope === 'exposure' ? EXPOSURE_GOAL : (filter.goal ?? '');
      const path = filter.scope === 'exposure' ? ['filters', index] : ['filters', index, 'goal'];
      const isGoal = `${q('goal')} = ${parameters.text(goal, path)}`;
      const restricted = filter.scope === 'exposure' || isRestricted(filter);
      const matches = restricted
        ? ` AND ${oneOfSql(q(filter.dimension ?? ''), filter.values, parameters, ['filters', index, 'values'])}`
        : '';
      return `${q('unit_id')} IN (SELECT ${q('unit_id')} FROM ${source} WHERE ${isGoal}${matches})`;
    });
    queries.define('ep_unit_filtered', `SELECT * FROM ${source} WHERE ${conditions.join(' AND ')}`);
    relation = 'ep_unit_filtered';
  }
  return relation;
}

/**
 * Defines the query `name` that selects the `selected` columns (expressions over the table aliased `e`,
 * and their names) of the table's rows where every condition of `where` holds. For a dialect whose aliases
 * shadow columns, the columns are computed under fresh aliases (`ep_<name>`) in an inner `SELECT` and
 * renamed by an outer one, so that the `WHERE` reads the table's columns.
 *
 * @internal
 */
export function defineEvents(
  name: string,
  selected: readonly (readonly [expression: string, name: string])[],
  where: readonly string[],
  schema: EventsSchema,
  dialect: SqlDialect,
  dimensions: readonly string[],
  queries: NamedQueries,
): void {
  const q = (column: string) => dialect.quoteIdentifier(column);
  const from = `FROM ${quoteQualified(dialect, schema.table)} AS e WHERE ${where.join(' AND ')}`;
  if (dialect.aliasesShadowColumns === true) {
    const taken = new Set([...Object.values(schema.columns), ...dimensions]);
    const inner = selected.map(([, column]) => {
      const alias = unusedName(`ep_${column}`, taken);
      taken.add(alias);
      return q(alias);
    });
    const renamed = selected.map(([, column], index) => `${inner[index]} AS ${q(column)}`);
    const computed = selected.map(([expression], index) => `${expression} AS ${inner[index]}`);
    queries.define(name, `SELECT ${renamed.join(', ')} FROM (SELECT ${computed.join(', ')} ${from})`);
  } else {
    const columns = selected.map(([expression, column]) => `${expression} AS ${q(column)}`);
    queries.define(name, `SELECT ${columns.join(', ')} ${from}`);
  }
}

/**
 * The condition of every `goal` filter on an events relation with the filters' dimension columns: the
 * event is an exposure, or its dimension is one of the filter's values.
 *
 * @internal
 */
export function goalFilterConditions(
  filters: readonly Filter[],
  dialect: SqlDialect,
  parameters: SqlParameters,
): string[] {
  const q = (name: string) => dialect.quoteIdentifier(name);
  return filters.flatMap((filter, index) => {
    if (filter.scope !== 'goal') return [];
    const exposure = `${q('goal')} = ${parameters.text(EXPOSURE_GOAL)}`;
    const matches = oneOfSql(q(filter.dimension ?? ''), filter.values, parameters, [
      'filters',
      index,
      'values',
    ]);
    return [`(${exposure} OR ${matches})`];
  });
}

/**
 * A date bound `date` (`YYYY-MM-DD`, bound as text) as the schema's `date` column compares with it: cast to
 * the dialect's date type for a `DATE` column, else as text by code points.
 *
 * @internal
 */
export function dateBoundSql(
  date: string,
  schema: EventsSchema,
  dialect: SqlDialect,
  parameters: SqlParameters,
  path: readonly (string | number)[],
): string {
  return schema.dateType === 'date'
    ? `CAST(${parameters.text(date, path)} AS ${dialect.dateType})`
    : dialect.binaryText(parameters.text(date, path));
}

/** Date bounds as the reference's test data access applies them. */
function dateConditions(
  experiment: SelectedExperiment,
  schema: EventsSchema,
  dialect: SqlDialect,
  parameters: SqlParameters,
  column: string,
): string[] {
  const { dateFrom, dateTo } = experiment;
  if (dateFrom === undefined && dateTo === undefined) return [];
  const dateFor = experiment.evaluationDay();
  const last = dateFrom !== undefined && dateTo !== undefined && dateFor < dateTo ? dateFor : dateTo;
  const bound = (date: string, path: string) => dateBoundSql(date, schema, dialect, parameters, [path]);
  const date = schema.dateType === 'date' ? column : dialect.binaryText(column);
  const conditions = schema.dateType === 'date' ? [`${column} IS NOT NULL`] : [`${column} <> ''`];
  if (dateFrom !== undefined) conditions.push(`${date} >= ${bound(dateFrom, 'dateFrom')}`);
  if (last !== undefined)
    conditions.push(`${date} <= ${bound(last, last === dateTo ? 'dateTo' : 'dateFor')}`);
  return conditions;
}
