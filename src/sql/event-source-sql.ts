import { todayUtc } from '../experiment/calendar-date.js';
import type { Experiment } from '../experiment/experiment.js';
import type { Filter } from '../experiment/filter.js';
import { oneOfSql } from './dimension-condition-sql.js';
import type { EventsSchema } from './events-schema.js';
import type { SqlDialect } from './sql-dialect.js';
import { quoteQualified } from './sql-identifier.js';
import type { SqlParameters } from './sql-parameters.js';

/** What the event selection reads of an experiment. @internal */
export type SelectedExperiment = Pick<Experiment, 'id' | 'dateFrom' | 'dateTo' | 'dateFor' | 'filters'>;

/** Common table expressions that select the experiment's events, and the name of the last one. @internal */
export interface EventSourceSql {
  readonly ctes: readonly string[];
  /** Quoted name of the relation with the selected events. */
  readonly relation: string;
}

/** The goal of exposures. @internal */
export const EXPOSURE_GOAL = 'exposure';

/** A trigger filter restricted by a dimension and values (else it keeps every unit with the goal). */
function isRestricted(filter: Filter): boolean {
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
 * The experiment's events: a `WITH` list that selects the columns, the experiment, the goals and the date
 * range, then applies the filters.
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
): EventSourceSql {
  validateFilters(experiment.filters, schema);
  const q = (name: string) => dialect.quoteIdentifier(name);
  const column = (name: keyof EventsSchema['columns']) => `e.${q(schema.columns[name])}`;
  const filterDimensions = experiment.filters.flatMap((filter) =>
    filter.dimension ? [filter.dimension] : [],
  );
  const allDimensions = [...new Set([...dimensions, ...filterDimensions])];

  const selected = [
    `${dialect.castToText(column('exp_variant_id'))} AS ${q('exp_variant_id')}`,
    `${dialect.castToText(column('unit_type'))} AS ${q('unit_type')}`,
    `${dialect.castToText(column('unit_id'))} AS ${q('unit_id')}`,
    `${dialect.castToText(column('goal'))} AS ${q('goal')}`,
    `COALESCE(${column('count')}, 0) AS ${q('count')}`,
    `COALESCE(${column('value')}, 0) AS ${q('value')}`,
    ...allDimensions.map((name) => `COALESCE(${dialect.castToText(`e.${q(name)}`)}, '') AS ${q(name)}`),
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
  const ctes = [
    `${q('ep_events')} AS (SELECT ${selected.join(', ')} FROM ${quoteQualified(dialect, schema.table)} AS e ` +
      `WHERE ${where.join(' AND ')})`,
  ];

  const goalFilters = experiment.filters
    .map((filter, index) => ({ filter, index }))
    .filter(({ filter }) => filter.scope === 'goal');
  let relation = q('ep_events');
  if (goalFilters.length > 0) {
    const conditions = goalFilters.map(({ filter, index }) => {
      const exposure = `${q('goal')} = ${parameters.text(EXPOSURE_GOAL)}`;
      const matches = oneOfSql(q(filter.dimension ?? ''), filter.values, parameters, [
        'filters',
        index,
        'values',
      ]);
      return `(${exposure} OR ${matches})`;
    });
    ctes.push(`${q('ep_goal_filtered')} AS (SELECT * FROM ${relation} WHERE ${conditions.join(' AND ')})`);
    relation = q('ep_goal_filtered');
  }

  const unitFilters = experiment.filters
    .map((filter, index) => ({ filter, index }))
    .filter(({ filter }) => filter.scope !== 'goal');
  if (unitFilters.length > 0) {
    const source = relation;
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
    ctes.push(`${q('ep_unit_filtered')} AS (SELECT * FROM ${source} WHERE ${conditions.join(' AND ')})`);
    relation = q('ep_unit_filtered');
  }
  return { ctes, relation };
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
  const dateFor = experiment.dateFor ?? todayUtc();
  const last = dateFrom !== undefined && dateTo !== undefined && dateFor < dateTo ? dateFor : dateTo;
  const bound = (date: string, path: string) =>
    schema.dateType === 'date'
      ? `CAST(${parameters.text(date, [path])} AS ${dialect.dateType})`
      : dialect.binaryText(parameters.text(date, [path]));
  const date = schema.dateType === 'date' ? column : dialect.binaryText(column);
  const conditions = schema.dateType === 'date' ? [`${column} IS NOT NULL`] : [`${column} <> ''`];
  if (dateFrom !== undefined) conditions.push(`${date} >= ${bound(dateFrom, 'dateFrom')}`);
  if (last !== undefined)
    conditions.push(`${date} <= ${bound(last, last === dateTo ? 'dateTo' : 'dateFor')}`);
  return conditions;
}
