import { type Filter, type TimelineGoalRow, ValidationError } from '../index.js';
import { oneOfSql } from './dimension-condition-sql.js';
import { EXPOSURE_GOAL, eventSourceSql, isRestricted, validateFilters } from './event-source-sql.js';
import { EventsSchema } from './events-schema.js';
import { goalIdentityColumns } from './goal-identity-columns.js';
import type { GoalQueryExperiment, GoalQueryOptions } from './goal-query.js';
import { toAggregatedGoalRows } from './goal-row-mapping.js';
import { goalTotalsOf, goalTotalsSql, queryGoals, validateGoals } from './per-unit-sql.js';
import type { SqlRow, SqlStatement } from './sql-client.js';
import { NamedQueries, type SqlDialect, unusedName } from './sql-dialect.js';
import { SqlParameters } from './sql-parameters.js';
import { unionAllSql } from './union-all-sql.js';
import { totalNames, variantSumsSql } from './variant-sums-sql.js';

/** The longest timeline, in days (ten years): a longer calendar is almost surely a wrong date. */
const MAX_TIMELINE_DAYS = 3660;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date that the experiment has validated. */
function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The day `number` (days since 1970-01-01) as `YYYY-MM-DD`. */
function formatDay(number: number): string {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The days of an experiment's timeline: from `dateFrom` to its last day, `min(dateTo, evaluation day)`
 * (the evaluation day, `dateFor` or today, without `dateTo`).
 *
 * @internal
 */
export function timelineDays(
  experiment: Pick<GoalQueryExperiment, 'dateFrom' | 'dateTo' | 'evaluationDay'>,
): string[] {
  if (experiment.dateFrom === undefined) {
    throw new ValidationError('A timeline starts on `dateFrom`: give the experiment a `dateFrom`', [
      'dateFrom',
    ]);
  }
  const from = dayNumber(experiment.dateFrom);
  const evaluationDay = dayNumber(experiment.evaluationDay());
  const to = experiment.dateTo === undefined ? evaluationDay : dayNumber(experiment.dateTo);
  const last = Math.min(to, evaluationDay);
  if (last < from) {
    throw new ValidationError(
      `The evaluation day ${experiment.evaluationDay()} is before \`dateFrom\` (${experiment.dateFrom}): the timeline has no day yet`,
      ['dateFor'],
    );
  }
  if (last - from + 1 > MAX_TIMELINE_DAYS) {
    throw new ValidationError(
      `A timeline of ${last - from + 1} days is longer than ${MAX_TIMELINE_DAYS}; check \`dateFrom\` and \`dateTo\``,
      ['dateTo'],
    );
  }
  return Array.from({ length: last - from + 1 }, (_, index) => formatDay(from + index));
}

/**
 * Compiles an experiment into ONE statement that returns its goals aggregated per variant, cumulatively, for
 * every day of its timeline: the rows of {@link compileAggregatedGoalsQuery} for the events up to each day,
 * with a `day` column, for `Experiment.evaluateTimeline`.
 *
 * @remarks
 * **Days.** From `dateFrom` (required) to the last day `L = min(dateTo, evaluation day)` (the evaluation day,
 * `dateFor` or today, alone without `dateTo`), as bound text `YYYY-MM-DD` in a calendar relation
 * `ep_calendar` (one `SELECT` per day joined by `UNION ALL`: no engine-specific series function).
 *
 * **Day d.** The rows of day d are exactly those of {@link compileAggregatedGoalsQuery} of the experiment cut
 * at d (`dateTo = dateFor = d`): the events of [dateFrom, d], filtered as there. Each unit enters on the
 * first day it has a selected event (in practice its first exposure) and, with `exposure` or `trigger`
 * filters, not before the first day it has an event that each filter asks for (the unit sets of the filters
 * grow with d, as they do when the experiment is cut at d); from then on, its totals on day d are its
 * totals over its events dated up to d.
 *
 * **Squares.** Per-variant sums of squares are not additive over days: a unit with 1 click on day 1 and 1 on
 * day 2 adds 1² + 1² = 2 to the daily increments but 2² = 4 to the cumulative `sum_sqr_count`. The
 * statement therefore totals per unit and event date (`ep_per_unit`), then forms each unit's cumulative
 * totals up to each calendar day d (`ep_unit_days`: the unit's dated totals joined with the calendar days
 * d on or after their date, summed per unit and d), and only then squares them and sums per variant and d
 * (`ep_per_variant`). Cost: one row per unit and active date, times the days after it.
 *
 * One row per day, variant and goal that has events: `day` (text), then the columns of
 * {@link compileAggregatedGoalsQuery}. A dimension named `day` is rejected.
 *
 * @param experiment - The experiment (its `goals`, `dimensions`, `id`, dates and `filters` are read).
 * @param options - Events schema and dialect.
 * @returns The SQL and its parameters.
 * @throws `ValidationError` for an experiment without `dateFrom` (path `['dateFrom']`), an evaluation day
 *   before `dateFrom` (`['dateFor']`), more than 3660 days (`['dateTo']`), a dimension named `day`
 *   (`['dimensions', i]`), and as {@link compileAggregatedGoalsQuery}.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { compileTimelineGoalsQuery, duckdbDialect } from 'ep-stats/sql';
 * const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user', dateFrom: '2024-01-01', dateTo: '2024-01-14', dateFor: '2024-01-03' });
 * const { sql, parameters } = compileTimelineGoalsQuery(experiment, { schema: { table: 'events' }, dialect: duckdbDialect });
 * parameters.filter((value) => String(value).startsWith('2024-01-0')); // => ['2024-01-01', '2024-01-03', '2024-01-01', '2024-01-02', '2024-01-03']
 * sql.includes('"ep_calendar"'); // => true
 * ```
 * @public
 */
export function compileTimelineGoalsQuery(
  experiment: GoalQueryExperiment,
  options: GoalQueryOptions,
): SqlStatement {
  const days = timelineDays(experiment);
  const clash = experiment.dimensions.indexOf('day');
  if (clash !== -1) {
    throw new ValidationError(
      "The experiment's dimension `day` has the name of the timeline's day column; read the events through a view that renames the dimension",
      ['dimensions', clash],
    );
  }
  const { dialect } = options;
  const schema = options.schema instanceof EventsSchema ? options.schema : new EventsSchema(options.schema);
  const parameters = new SqlParameters(dialect);
  const queries = new NamedQueries(dialect);
  const q = (name: string) => dialect.quoteIdentifier(name);
  const goals = queryGoals(experiment, false);
  validateGoals(experiment, schema);
  validateFilters(experiment.filters, schema);

  // Events with their date, goal filters applied; the unit filters are applied per day below.
  const taken = new Set([...schema.dimensions, ...experiment.dimensions]);
  const date = unusedName('ep_date', taken);
  const goalFilters = experiment.filters.filter((filter) => filter.scope === 'goal');
  const source = eventSourceSql(
    {
      id: experiment.id,
      dateFrom: experiment.dateFrom,
      dateTo: experiment.dateTo,
      filters: goalFilters,
      evaluationDay: () => experiment.evaluationDay(),
    },
    schema,
    dialect,
    parameters,
    [...new Set([...goals.map(({ goal }) => goal.goal), ...triggerGoals(experiment.filters)])],
    [...experiment.dimensions, ...unitFilterDimensions(experiment.filters)],
    queries,
    date,
  );
  const totals = goalTotalsOf(goals, schema, dialect);
  const keys = ['exp_variant_id', 'unit_type', 'unit_id', date];
  goalTotalsSql(
    source,
    keys,
    totals,
    { matches: 'ep_matches', perUnit: 'ep_per_unit' },
    { dialect, parameters, queries },
  );

  queries.define(
    'ep_calendar',
    days.map((day) => `SELECT ${parameters.text(day)} AS ${q('ep_day')}`).join(' UNION ALL '),
  );
  const asDate = (expression: string) =>
    schema.dateType === 'date'
      ? `CAST(${expression} AS ${dialect.dateType})`
      : dialect.binaryText(expression);
  const eventDate = (expression: string) =>
    schema.dateType === 'date' ? expression : dialect.binaryText(expression);
  // With exposure or trigger filters, each unit's totals carry the day it passes them all (`ep_entered`).
  const entered = unitFilterEntry(experiment.filters, source, date, dialect, parameters, queries);
  let perUnit = 'ep_per_unit';
  const conditions = [`${eventDate(q(date))} <= ${asDate(q('ep_day'))}`];
  if (entered !== undefined) {
    const columns = [...keys, ...goals.flatMap(({ index }) => [`count_${index}`, `value_${index}`])];
    queries.define(
      'ep_entered',
      `SELECT ${[...columns, 'ep_entry'].map(q).join(', ')} FROM ${queries.read('ep_per_unit')} ` +
        `INNER JOIN ${queries.read(entered)} ON ${q('unit_id')} = ${q('ep_entry_unit')}`,
    );
    perUnit = 'ep_entered';
    conditions.push(`${eventDate(q('ep_entry'))} <= ${asDate(q('ep_day'))}`);
  }

  // Each unit's cumulative totals on each calendar day on or after its dated totals (joins one relation each).
  const cumulative = goals.flatMap(({ index }) => [
    `SUM(${q(`count_${index}`)}) AS ${q(`cum_count_${index}`)}`,
    `SUM(${q(`value_${index}`)}) AS ${q(`cum_value_${index}`)}`,
  ]);
  const unitKeys = ['ep_day', 'exp_variant_id', 'unit_type', 'unit_id'].map(q).join(', ');
  queries.define(
    'ep_unit_days',
    `SELECT ${unitKeys}, ${cumulative.join(', ')} FROM ${queries.read(perUnit)} ` +
      `CROSS JOIN ${queries.read('ep_calendar')} WHERE ${conditions.join(' AND ')} GROUP BY ${unitKeys}`,
  );

  const sums = variantSumsSql(
    goals.map(({ index }) => index),
    dialect,
    'cum_',
    totalNames(dialect),
  );
  const variantKeys = [q('ep_day'), q('exp_variant_id')].join(', ');
  queries.define(
    'ep_per_variant',
    `SELECT ${variantKeys}, ${sums.join(', ')} FROM ${queries.read('ep_unit_days')} GROUP BY ${variantKeys}`,
  );
  const selects = goals.map(({ goal, index }) => ({
    columns: [
      { value: dialect.quoteIdentifier('ep_day'), name: dialect.quoteIdentifier('day') },
      ...goalIdentityColumns(experiment, goal, dialect, parameters, false),
      { value: q(`total_count_${index}`), name: q('count') },
      { value: q(`sqr_count_${index}`), name: q('sum_sqr_count') },
      { value: q(`total_value_${index}`), name: q('sum_value') },
      { value: q(`sqr_value_${index}`), name: q('sum_sqr_value') },
      { value: q(`unique_${index}`), name: q('count_unique') },
    ],
    where: `${q(`units_${index}`)} > 0`,
  }));
  const sql = queries.statement(unionAllSql(dialect, queries.read('ep_per_variant'), selects));
  return { sql, parameters: parameters.values };
}

/** The goals that the `trigger` filters ask for. */
function triggerGoals(filters: readonly Filter[]): string[] {
  return filters.flatMap((filter) =>
    filter.scope === 'trigger' && filter.goal !== undefined ? [filter.goal] : [],
  );
}

/** The dimensions that the `exposure` and `trigger` filters read. */
function unitFilterDimensions(filters: readonly Filter[]): string[] {
  return filters.flatMap((filter) => (filter.scope !== 'goal' && filter.dimension ? [filter.dimension] : []));
}

/**
 * With `exposure` or `trigger` filters, defines `ep_unit_entry`: each unit id (`ep_entry_unit`) that has an
 * event that every such filter asks for, and the day it passes them all (`ep_entry`: the latest, over the
 * filters, of the earliest date of an event the filter asks for). Returns its name, or `undefined` without
 * such filters.
 */
function unitFilterEntry(
  filters: readonly Filter[],
  source: string,
  date: string,
  dialect: SqlDialect,
  parameters: SqlParameters,
  queries: NamedQueries,
): string | undefined {
  const q = (name: string) => dialect.quoteIdentifier(name);
  const firsts = filters.flatMap((filter, index) => {
    if (filter.scope === 'goal') return [];
    const goal = filter.scope === 'exposure' ? EXPOSURE_GOAL : (filter.goal ?? '');
    const path = filter.scope === 'exposure' ? ['filters', index] : ['filters', index, 'goal'];
    const conditions = [`${q('goal')} = ${parameters.text(goal, path)}`];
    if (filter.scope === 'exposure' || isRestricted(filter)) {
      conditions.push(
        oneOfSql(q(filter.dimension ?? ''), filter.values, parameters, ['filters', index, 'values']),
      );
    }
    return [
      `SELECT ${q('unit_id')} AS ${q('ep_entry_unit')}, MIN(${q(date)}) AS ${q('ep_first')} ` +
        `FROM ${queries.read(source)} WHERE ${conditions.join(' AND ')} GROUP BY ${q('unit_id')}`,
    ];
  });
  if (firsts.length === 0) return undefined;
  // One row per unit and filter it passes: the units with as many rows as there are filters pass them all.
  queries.define(
    'ep_unit_entry',
    `SELECT ${q('ep_entry_unit')}, MAX(${q('ep_first')}) AS ${q('ep_entry')} ` +
      `FROM (${firsts.join(' UNION ALL ')}) AS ${q('ep_firsts')} ` +
      `GROUP BY ${q('ep_entry_unit')} HAVING COUNT(*) = ${firsts.length}`,
  );
  return 'ep_unit_entry';
}

/**
 * The rows of {@link compileTimelineGoalsQuery} as {@link TimelineGoalRow}s: `day` and the dimensions as
 * text, sums as numbers; sorted by day, then as `SqlDao.getAggGoals` sorts.
 *
 * @internal
 */
export function toTimelineGoalRows(
  rows: readonly SqlRow[],
  dimensions: readonly string[],
): TimelineGoalRow[] {
  const mapped = toAggregatedGoalRows(rows, [...dimensions, 'day']) as unknown as TimelineGoalRow[];
  return mapped.sort((a, b) => (String(a.day) < String(b.day) ? -1 : String(a.day) > String(b.day) ? 1 : 0));
}
