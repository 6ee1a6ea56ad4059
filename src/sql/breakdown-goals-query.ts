import { type AggregatedGoalRow, BREAKDOWN_COLUMN, type Experiment, ValidationError } from '../index.js';
import { EXPOSURE_GOAL, eventSourceSql } from './event-source-sql.js';
import { EventsSchema } from './events-schema.js';
import { goalIdentityColumns } from './goal-identity-columns.js';
import type { GoalQueryExperiment, GoalQueryOptions } from './goal-query.js';
import { toAggregatedGoalRows } from './goal-row-mapping.js';
import { goalTotalsOf, goalTotalsSql, queryGoals, validateGoals } from './per-unit-sql.js';
import type { SqlRow, SqlStatement } from './sql-client.js';
import { NamedQueries, type SqlDialect } from './sql-dialect.js';
import { SqlParameters } from './sql-parameters.js';
import { unionAllSql } from './union-all-sql.js';
import { totalNames, variantSumsSql } from './variant-sums-sql.js';

/**
 * What the breakdown goals query reads of an experiment: what a goal query reads and its `breakdowns`.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import type { BreakdownGoalsQueryExperiment } from 'ep-stats/sql';
 * const experiment: BreakdownGoalsQueryExperiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'user', breakdowns: ['country'] });
 * experiment.breakdowns; // => ['country']
 * ```
 * @public
 */
export type BreakdownGoalsQueryExperiment = GoalQueryExperiment & Pick<Experiment, 'breakdowns'>;

/**
 * Whether the dialect returns the per-segment and total sums with `GROUP BY GROUPING SETS`: every dialect but
 * ClickHouse's, whose GROUPING SETS fill the columns a set does not group by with default values (`''`, not
 * NULL) and which older servers lack; there the sets are one `SELECT ... GROUP BY` each, joined by UNION ALL.
 */
function usesGroupingSets(dialect: SqlDialect): boolean {
  return !dialect.name.startsWith('clickhouse');
}

/**
 * Compiles an experiment into ONE statement that returns its goals aggregated per variant for the totals
 * and for every segment of each of its `breakdowns`, for `Experiment.evaluateAggSegments`.
 *
 * @remarks
 * **A unit's segment.** Per unit (variant, unit type, unit id), its value of breakdown `b` is the smallest
 * value of `b` on its `exposure` events (so the value on its exposure when it has one), `''` when it has no
 * exposure event (those units make the segment `'(none)'`). Every goal of the unit counts in that segment,
 * whatever the value of `b` on the goal's own events: a unit is in exactly one segment of each breakdown, and
 * a segment's sums are those of {@link compileAggregatedGoalsQuery} restricted to its units (with an
 * `exposure` filter on `b = value` they are the same when every unit's exposures carry one value).
 *
 * **Sums.** The per-unit totals of {@link compileAggregatedGoalsQuery}, joined with each unit's segment
 * values, are summed per variant for the grouping sets `(variant)` (the totals) and `(variant, b)` for each
 * breakdown: with `GROUP BY GROUPING SETS` (DuckDB, PostgreSQL, BigQuery, Spark), or one `GROUP BY` per set
 * joined by `UNION ALL` (ClickHouse). One row per set, variant and goal that has units, with the columns of
 * {@link compileAggregatedGoalsQuery}, then a column per breakdown (the segment value on the rows of its
 * set, NULL on the others) and `breakdown`: the breakdown's name on a segment row, `''` on a row of the
 * totals. The rows of the totals are exactly those of {@link compileAggregatedGoalsQuery}.
 *
 * @param experiment - The experiment (its `breakdowns`, and what {@link compileAggregatedGoalsQuery} reads).
 * @param options - Events schema and dialect.
 * @returns The SQL and its parameters.
 * @throws `ValidationError` for an experiment without breakdowns (path `['breakdowns']`), a breakdown that the
 *   schema does not declare (`['breakdowns', i]`), and as {@link compileAggregatedGoalsQuery}.
 *
 * @example
 * ```ts
 * import { Experiment } from 'ep-stats';
 * import { compileBreakdownGoalsQuery, duckdbDialect } from 'ep-stats/sql';
 * const experiment = new Experiment({ id: 'e1', controlVariant: 'a', unitType: 'user', breakdowns: ['country'] });
 * const { sql } = compileBreakdownGoalsQuery(experiment, { schema: { table: 'events', dimensions: ['country'] }, dialect: duckdbDialect });
 * sql.includes('GROUP BY GROUPING SETS (("exp_variant_id"), ("exp_variant_id", "ep_segment_0"))'); // => true
 * ```
 * @public
 */
export function compileBreakdownGoalsQuery(
  experiment: BreakdownGoalsQueryExperiment,
  options: GoalQueryOptions,
): SqlStatement {
  const { breakdowns } = experiment;
  if (breakdowns.length === 0) {
    throw new ValidationError(
      'The experiment has no `breakdowns`: give it some, or use compileAggregatedGoalsQuery',
      ['breakdowns'],
    );
  }
  const { dialect } = options;
  const schema = options.schema instanceof EventsSchema ? options.schema : new EventsSchema(options.schema);
  const parameters = new SqlParameters(dialect);
  const queries = new NamedQueries(dialect);
  const q = (name: string) => dialect.quoteIdentifier(name);
  const goals = queryGoals(experiment, false);
  validateGoals(experiment, schema);
  breakdowns.forEach((name, index) => {
    schema.requireDimension(name, ['breakdowns', index], 'the experiment');
  });

  const source = eventSourceSql(
    experiment,
    schema,
    dialect,
    parameters,
    [...new Set(goals.map(({ goal }) => goal.goal))],
    [...experiment.dimensions, ...breakdowns],
    queries,
  );
  const totals = goalTotalsOf(goals, schema, dialect);
  const keys = ['exp_variant_id', 'unit_type', 'unit_id'];
  goalTotalsSql(
    source,
    keys,
    totals,
    { matches: 'ep_matches', perUnit: 'ep_per_unit' },
    { dialect, parameters, queries },
  );

  // Each unit's segment values: the smallest value on its exposure events.
  const keyList = keys.map(q).join(', ');
  // One placeholder per use: positional parameters are bound in the order they appear.
  const firsts = breakdowns.map((name, b) => {
    const isExposure = `${q('goal')} = ${parameters.text(EXPOSURE_GOAL)}`;
    return `MIN(CASE WHEN ${isExposure} THEN ${q(name)} END) AS ${q(`ep_first_${b}`)}`;
  });
  queries.define(
    'ep_unit_segments',
    `SELECT ${keyList}, ${firsts.join(', ')} FROM ${queries.read(source)} GROUP BY ${keyList}`,
  );
  const segment = (b: number) => q(`ep_segment_${b}`);
  const unitColumns = [
    ...keys.map(q),
    ...goals.flatMap(({ index }) => [q(`count_${index}`), q(`value_${index}`)]),
    ...breakdowns.map((_, b) => `COALESCE(${q(`ep_first_${b}`)}, '') AS ${segment(b)}`),
  ];
  queries.define(
    'ep_unit_rows',
    `SELECT ${unitColumns.join(', ')} FROM ${queries.read('ep_per_unit')} ` +
      `INNER JOIN ${queries.read('ep_unit_segments')} USING (${keyList})`,
  );

  const sums = variantSumsSql(
    goals.map(({ index }) => index),
    dialect,
    '',
    totalNames(dialect),
  );
  const variant = q('exp_variant_id');
  const marker = q('ep_breakdown');
  if (usesGroupingSets(dialect)) {
    const cases = breakdowns.map((name, b) => `WHEN ${segment(b)} IS NOT NULL THEN ${parameters.text(name)}`);
    const sets = [`(${variant})`, ...breakdowns.map((_, b) => `(${variant}, ${segment(b)})`)];
    queries.define(
      'ep_per_variant',
      `SELECT ${variant}, ${breakdowns.map((_, b) => segment(b)).join(', ')}, ` +
        `CASE ${cases.join(' ')} ELSE '' END AS ${marker}, ${sums.join(', ')} ` +
        `FROM ${queries.read('ep_unit_rows')} GROUP BY GROUPING SETS (${sets.join(', ')})`,
    );
  } else {
    const nullText = `CAST(NULL AS Nullable(${dialect.textType}))`;
    const set = (grouped: number | undefined) => {
      const columns = breakdowns.map((_, b) =>
        b === grouped
          ? `toNullable(${segment(b)}) AS ${q(`ep_set_segment_${b}`)}`
          : `${nullText} AS ${q(`ep_set_segment_${b}`)}`,
      );
      const name = grouped === undefined ? "''" : parameters.text(breakdowns[grouped]!);
      const groupBy = grouped === undefined ? variant : `${variant}, ${segment(grouped)}`;
      return (
        `SELECT ${variant}, ${columns.join(', ')}, ${name} AS ${marker}, ${sums.join(', ')} ` +
        `FROM ${queries.read('ep_unit_rows')} GROUP BY ${groupBy}`
      );
    };
    queries.define(
      'ep_per_variant',
      [set(undefined), ...breakdowns.map((_, b) => set(b))].join(' UNION ALL '),
    );
  }
  const segmentColumn = (b: number) => (usesGroupingSets(dialect) ? segment(b) : q(`ep_set_segment_${b}`));
  const selects = goals.map(({ goal, index }) => ({
    columns: [
      ...goalIdentityColumns(experiment, goal, dialect, parameters, false),
      { value: q(`total_count_${index}`), name: q('count') },
      { value: q(`sqr_count_${index}`), name: q('sum_sqr_count') },
      { value: q(`total_value_${index}`), name: q('sum_value') },
      { value: q(`sqr_value_${index}`), name: q('sum_sqr_value') },
      { value: q(`unique_${index}`), name: q('count_unique') },
      ...breakdowns.map((name, b) => ({ value: segmentColumn(b), name: q(name) })),
      { value: marker, name: q(BREAKDOWN_COLUMN) },
    ],
    where: `${q(`units_${index}`)} > 0`,
  }));
  const sql = queries.statement(unionAllSql(dialect, queries.read('ep_per_variant'), selects));
  return { sql, parameters: parameters.values };
}

/**
 * The rows of {@link compileBreakdownGoalsQuery} as {@link AggregatedGoalRow}s with the breakdown columns and
 * `breakdown` (`''` on the rows of the totals), sorted by `breakdown`, then each breakdown's value, then as
 * `SqlDao.getAggGoals` sorts.
 *
 * @internal
 */
export function toBreakdownGoalRows(
  rows: readonly SqlRow[],
  dimensions: readonly string[],
  breakdowns: readonly string[],
): AggregatedGoalRow[] {
  const sortKeys = [BREAKDOWN_COLUMN, ...breakdowns];
  const mapped = toAggregatedGoalRows(rows, [...dimensions, ...sortKeys]);
  const key = (row: AggregatedGoalRow) => sortKeys.map((name) => String(row[name])).join('\u0000');
  // A stable sort keeps the goal order of toAggregatedGoalRows within each segment.
  return mapped.sort((a, b) => {
    const left = key(a);
    const right = key(b);
    return left < right ? -1 : left > right ? 1 : 0;
  });
}
