import {
  collectGoals,
  type Experiment,
  type Filter,
  type GoalReference,
  type Metric,
  ValidationError,
} from '../index.js';
import { dateBoundSql, defineEvents, goalFilterConditions } from './event-source-sql.js';
import type { EventsSchema } from './events-schema.js';
import { type GoalTotal, goalTotalsSql } from './per-unit-sql.js';
import { type NamedQueries, type SqlDialect, unusedName } from './sql-dialect.js';
import type { SqlParameters } from './sql-parameters.js';

const DAY_MS = 86_400_000;

/**
 * The calendar day `days` days before `date` (both `YYYY-MM-DD`, UTC calendar arithmetic).
 *
 * @internal
 */
export function daysBefore(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const time = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps the years 0-99 as they are.
  time.setUTCFullYear(year, month - 1, day);
  const shifted = new Date(time.getTime() - days * DAY_MS);
  const shiftedYear = String(shifted.getUTCFullYear()).padStart(4, '0');
  return `${shiftedYear}-${shifted.toISOString().slice(5, 10)}`;
}

/** A goal total of the pre-period: a goal of a CUPED metric over its `preDays` days before `dateFrom`. */
export interface PrePeriodGoal {
  readonly goal: GoalReference;
  readonly preDays: number;
  /** The number `k` of its per-unit columns `pre_count_<k>` and `pre_value_<k>`. */
  readonly index: number;
  /** Where the goal's values sit, for errors. */
  readonly path: readonly (string | number)[];
}

/**
 * Throws before any SQL is written when a metric asks for CUPED and the experiment has no `dateFrom`, from
 * which its pre-period is counted back.
 *
 * @throws `ValidationError` with path `['dateFrom']`, naming the first CUPED metric.
 * @internal
 */
export function requirePrePeriodStart(
  experiment: Pick<Experiment, 'dateFrom'> & { readonly metrics?: readonly Metric[] },
): void {
  if (experiment.dateFrom !== undefined) return;
  const metric = experiment.metrics?.find((candidate) => candidate.cuped !== undefined);
  if (metric === undefined) return;
  throw new ValidationError(
    `Metric '${metric.name}' (id ${String(metric.id)}) asks for CUPED, whose pre-period is the ` +
      `${metric.cuped?.preDays} days before \`dateFrom\`, but the experiment has no \`dateFrom\`; set it`,
    ['dateFrom'],
  );
}

/**
 * The pre-period totals that the CUPED metrics read: one per (`preDays`, goal of the metric's nominator or
 * denominator, completed with `complete`), distinct by `preDays` and `key`, numbered from 0 in the order of
 * the metrics; `goalIndex` gives the place of a goal's values for errors (`['goals', i]`).
 *
 * @internal
 */
export function prePeriodGoals(
  metrics: readonly Metric[],
  complete: (goal: GoalReference) => GoalReference,
  key: (goal: GoalReference) => string,
  goalIndex: (goal: GoalReference) => number,
): Map<string, PrePeriodGoal> {
  const preGoals = new Map<string, PrePeriodGoal>();
  for (const metric of metrics) {
    if (metric.cuped === undefined) continue;
    const preDays = metric.cuped.preDays;
    for (const goal of collectGoals(metric.nominatorExpression, metric.denominatorExpression).map(complete)) {
      const preKey = prePeriodGoalKey(preDays, key(goal));
      if (preGoals.has(preKey)) continue;
      preGoals.set(preKey, { goal, preDays, index: preGoals.size, path: ['goals', goalIndex(goal)] });
    }
  }
  return preGoals;
}

/** The key of a pre-period total in {@link prePeriodGoals}: its `preDays` and its goal's key. @internal */
export function prePeriodGoalKey(preDays: number, goalKey: string): string {
  return `${preDays}\u0000${goalKey}`;
}

/** What the pre-period reads of an experiment. */
interface PrePeriodExperiment {
  readonly dateFrom: string;
  readonly filters: readonly Filter[];
  readonly dimensions: readonly string[];
}

/**
 * The pre-period totals per unit id: `ep_pre_events`, `ep_pre_goal_filtered` (with `goal` filters),
 * `ep_pre_matches` and `ep_pre_per_unit` with `unit_id`, `pre_count_<k>` and `pre_value_<k>`.
 *
 * @remarks
 * Events of the table dated in `[dateFrom - preDays, dateFrom)` for the largest `preDays` (each goal's
 * flag narrows to its own window), with a unit id and one of the goals' names, **whatever their `exp_id`
 * and `exp_variant_id`**: before the experiment a unit has usually not been assigned yet. The experiment's
 * `goal` filters apply as in the experiment period (they define what the goals count); its `exposure` and
 * `trigger` filters do not: they select units, and the units are the experiment's exposed units, selected
 * in the experiment period. Goals match by unit type, name and dimension conditions, as in the experiment
 * period.
 *
 * @internal
 */
export function prePeriodSql(
  experiment: PrePeriodExperiment,
  goals: readonly PrePeriodGoal[],
  schema: EventsSchema,
  context: {
    readonly dialect: SqlDialect;
    readonly parameters: SqlParameters;
    readonly queries: NamedQueries;
  },
): void {
  const { dialect, parameters, queries } = context;
  const q = (name: string) => dialect.quoteIdentifier(name);
  const column = (name: keyof EventsSchema['columns']) => `e.${q(schema.columns[name])}`;
  const longest = Math.max(...goals.map((goal) => goal.preDays));
  const filterDimensions = experiment.filters.flatMap((filter) =>
    filter.scope === 'goal' && filter.dimension ? [filter.dimension] : [],
  );
  const dimensions = [...new Set([...experiment.dimensions, ...filterDimensions])];
  const windows = new Set(goals.map((goal) => goal.preDays));
  const selected: [expression: string, name: string][] = [
    [dialect.castToText(column('unit_type')), 'unit_type'],
    [dialect.castToText(column('unit_id')), 'unit_id'],
    [dialect.castToText(column('goal')), 'goal'],
    [`COALESCE(${column('count')}, 0)`, 'count'],
    [`COALESCE(${column('value')}, 0)`, 'value'],
    ...(windows.size > 1 ? [[column('date'), 'date'] as [string, string]] : []),
    ...dimensions.map((name): [string, string] => [
      `COALESCE(${dialect.castToText(`e.${q(name)}`)}, '')`,
      name,
    ]),
  ];
  const goalNames = [...new Set(goals.map(({ goal }) => goal.goal))];
  const date = (name: string) => (schema.dateType === 'date' ? name : dialect.binaryText(name));
  const bound = (day: string) => dateBoundSql(day, schema, dialect, parameters, ['dateFrom']);
  const where = [
    `${column('unit_id')} IS NOT NULL`,
    `${column('goal')} IN (${goalNames.map((goal) => parameters.text(goal, ['goals'])).join(', ')})`,
    `${date(column('date'))} >= ${bound(daysBefore(experiment.dateFrom, longest))}`,
    `${date(column('date'))} < ${bound(experiment.dateFrom)}`,
  ];
  defineEvents('ep_pre_events', selected, where, schema, dialect, dimensions, queries);
  let relation = 'ep_pre_events';
  const goalFilters = goalFilterConditions(experiment.filters, dialect, parameters);
  if (goalFilters.length > 0) {
    queries.define(
      'ep_pre_goal_filtered',
      `SELECT * FROM ${queries.read(relation)} WHERE ${goalFilters.join(' AND ')}`,
    );
    relation = 'ep_pre_goal_filtered';
  }
  // Flags are named apart from the dimensions the conditions read, where aliases shadow columns.
  const taken = new Set(dialect.aliasesShadowColumns === true ? schema.dimensions : []);
  const totals = goals.map(
    ({ goal, preDays, index, path }): GoalTotal => ({
      goal,
      path,
      flag: unusedName(`pre_match_${index}`, taken),
      count: `pre_count_${index}`,
      value: `pre_value_${index}`,
      extra: () =>
        preDays === longest
          ? []
          : [`${date(q('date'))} >= ${bound(daysBefore(experiment.dateFrom, preDays))}`],
    }),
  );
  goalTotalsSql(
    relation,
    ['unit_id'],
    totals,
    { matches: 'ep_pre_matches', perUnit: 'ep_pre_per_unit' },
    context,
  );
}
