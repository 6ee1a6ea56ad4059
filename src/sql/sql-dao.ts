import type {
  AggregatedGoalRow,
  Dao,
  Experiment,
  MetricSumsRow,
  TimelineGoalRow,
  UnitGoalRow,
} from '../index.js';
import { compileBreakdownGoalsQuery, toBreakdownGoalRows } from './breakdown-goals-query.js';
import { EventsSchema, type EventsSchemaOptions } from './events-schema.js';
import { compileAggregatedGoalsQuery, compileUnitGoalsQuery } from './goal-query.js';
import { toAggregatedGoalRows, toUnitGoalRows } from './goal-row-mapping.js';
import { compileMetricSumsQuery } from './metric-sums-query.js';
import { toMetricSumsRows } from './metric-sums-row-mapping.js';
import type { SqlClient, SqlStatement } from './sql-client.js';
import type { SqlDialect } from './sql-dialect.js';
import { compileTimelineGoalsQuery, toTimelineGoalRows } from './timeline-goals-query.js';

/**
 * Definition of a {@link SqlDao}.
 *
 * @example
 * ```ts
 * import { duckdbDialect, DuckDbClient, type SqlDaoOptions } from 'ep-stats/sql';
 * const options: SqlDaoOptions = { client: await DuckDbClient.open(), dialect: duckdbDialect, schema: { table: 'events' } };
 * await options.client.close();
 * options.dialect.name; // => 'duckdb'
 * ```
 * @public
 */
export interface SqlDaoOptions {
  /** The connection; {@link SqlDao.close} closes it. */
  readonly client: SqlClient;
  /** The SQL dialect of the client's database. */
  readonly dialect: SqlDialect;
  /** The events table. */
  readonly schema: EventsSchema | EventsSchemaOptions;
}

/**
 * A `Dao` over a table of events in a SQL database: compiles each request into one statement.
 *
 * @remarks
 * {@link SqlDao.getAggGoals} runs {@link compileAggregatedGoalsQuery}, {@link SqlDao.getUnitGoals} runs
 * {@link compileUnitGoalsQuery} and {@link SqlDao.getMetricSums} runs {@link compileMetricSumsQuery}: one
 * statement per call, however many goals the experiment has. The schema
 * is validated on construction and each experiment before its statement runs, so an unsafe name, an
 * undeclared dimension or a NUL character rejects with a `ValidationError` without touching the database.
 * Result cells are normalised (text as strings, numbers as numbers). `experiment.queryParameters` are not
 * read.
 *
 * @throws `ValidationError` for an invalid schema.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { DuckDbClient, SqlDao, duckdbDialect } from 'ep-stats/sql';
 * const client = await DuckDbClient.open();
 * await client.query(`CREATE TABLE events AS SELECT * FROM (VALUES
 *   ('e1', 'a', 'user', '1', '2024-01-01', 'exposure', 1, 0.0, ''),
 *   ('e1', 'a', 'user', '1', '2024-01-01', 'click', 2, 0.0, 'button-1'),
 *   ('e1', 'a', 'user', '2', '2024-01-01', 'exposure', 1, 0.0, ''),
 *   ('e1', 'b', 'user', '3', '2024-01-02', 'exposure', 1, 0.0, ''),
 *   ('e1', 'b', 'user', '3', '2024-01-02', 'click', 1, 0.0, 'button-2')
 * ) AS t(exp_id, exp_variant_id, unit_type, unit_id, date, goal, count, value, element)`, []);
 * const dao = new SqlDao({ client, dialect: duckdbDialect, schema: { table: 'events', dimensions: ['element'] } });
 * const experiment = new Experiment({
 *   id: 'e1', controlVariant: 'a', unitType: 'user',
 *   metrics: [new Metric({ id: 1, name: 'Clicks', nominator: 'count(user.unit.click(element=^button))', denominator: 'count(user.global.exposure)' })],
 * });
 * const rows = await dao.getAggGoals(experiment);
 * rows.map((row) => [row.exp_variant_id, row.goal, row.element, row.count, row.sum_sqr_count]); // => [['a', 'exposure', '', 2, 2], ['b', 'exposure', '', 1, 1], ['a', 'click', '^button', 2, 4], ['b', 'click', '^button', 1, 1]]
 * experiment.evaluateAgg(rows).metrics.map((metric) => metric.mean); // => [1, 1]
 * await dao.close();
 * ```
 * @public
 */
export class SqlDao implements Dao {
  readonly #client: SqlClient;
  readonly #dialect: SqlDialect;
  readonly #schema: EventsSchema;

  constructor(options: SqlDaoOptions) {
    this.#client = options.client;
    this.#dialect = options.dialect;
    this.#schema = options.schema instanceof EventsSchema ? options.schema : new EventsSchema(options.schema);
  }

  /** The events table read by this Dao. */
  get schema(): EventsSchema {
    return this.#schema;
  }

  /**
   * The statement that {@link SqlDao.getAggGoals} runs for an experiment (for logging or review).
   *
   * @param experiment - The experiment.
   * @returns SQL and parameters.
   * @throws `ValidationError` as {@link compileAggregatedGoalsQuery}.
   */
  aggregatedGoalsStatement(experiment: Experiment): SqlStatement {
    return compileAggregatedGoalsQuery(experiment, { schema: this.#schema, dialect: this.#dialect });
  }

  /**
   * The statement that {@link SqlDao.getUnitGoals} runs for an experiment.
   *
   * @param experiment - The experiment.
   * @returns SQL and parameters.
   * @throws `ValidationError` as {@link compileUnitGoalsQuery}.
   */
  unitGoalsStatement(experiment: Experiment): SqlStatement {
    return compileUnitGoalsQuery(experiment, { schema: this.#schema, dialect: this.#dialect });
  }

  /**
   * The statement that {@link SqlDao.getMetricSums} runs for an experiment.
   *
   * @param experiment - The experiment.
   * @returns SQL and parameters.
   * @throws `ValidationError` as {@link compileMetricSumsQuery}.
   */
  metricSumsStatement(experiment: Experiment): SqlStatement {
    return compileMetricSumsQuery(experiment, { schema: this.#schema, dialect: this.#dialect });
  }

  /**
   * The experiment's goals aggregated per variant: one row per variant and needed goal with events.
   *
   * @param experiment - The experiment.
   * @returns Rows sorted by unit type, aggregation type, goal, dimension values, variant.
   * @throws `ValidationError` (as a rejection) before the query for an undeclared dimension or a NUL
   *   character; the database's error if the query fails.
   */
  async getAggGoals(experiment: Experiment): Promise<AggregatedGoalRow[]> {
    const { sql, parameters } = this.aggregatedGoalsStatement(experiment);
    return toAggregatedGoalRows(await this.#client.query(sql, parameters), experiment.dimensions);
  }

  /**
   * The experiment's goals aggregated per variant for the totals and for every segment of its `breakdowns`
   * (see {@link compileBreakdownGoalsQuery}), for `Experiment.evaluateAggSegments`.
   *
   * @param experiment - The experiment (with `breakdowns`).
   * @returns Rows with a column per breakdown and `breakdown` (`''` on the totals), sorted by `breakdown`,
   *   then segment value, then as {@link SqlDao.getAggGoals}.
   * @throws `ValidationError` (as a rejection) as {@link compileBreakdownGoalsQuery}; the database's error if
   *   the query fails.
   */
  async getAggGoalSegments(experiment: Experiment): Promise<AggregatedGoalRow[]> {
    const statement = compileBreakdownGoalsQuery(experiment, {
      schema: this.#schema,
      dialect: this.#dialect,
    });
    const rows = await this.#client.query(statement.sql, statement.parameters);
    return toBreakdownGoalRows(rows, experiment.dimensions, experiment.breakdowns);
  }

  /**
   * The experiment's goals aggregated per variant, cumulatively for every day from `dateFrom` (see
   * {@link compileTimelineGoalsQuery}), for `Experiment.evaluateTimeline`.
   *
   * @param experiment - The experiment (with `dateFrom`).
   * @returns Rows with `day`, sorted by day, then as {@link SqlDao.getAggGoals}.
   * @throws `ValidationError` (as a rejection) as {@link compileTimelineGoalsQuery}; the database's error if
   *   the query fails.
   */
  async getTimelineGoals(experiment: Experiment): Promise<TimelineGoalRow[]> {
    const { sql, parameters } = compileTimelineGoalsQuery(experiment, {
      schema: this.#schema,
      dialect: this.#dialect,
    });
    return toTimelineGoalRows(await this.#client.query(sql, parameters), experiment.dimensions);
  }

  /**
   * The experiment's goals per unit: one row per unit and needed goal that the unit has and, when a metric
   * asks for CUPED, the pre-period rows of its exposed units with `pre_days` (0 on the other rows; see
   * {@link compileUnitGoalsQuery}).
   *
   * @param experiment - The experiment.
   * @returns Rows in the database's order; `pre_days` a number where the statement has the column.
   * @throws `ValidationError` (as a rejection) as {@link SqlDao.getAggGoals}, and for a CUPED metric in an
   *   experiment without `dateFrom` (path `['dateFrom']`).
   *
   * @example
   * ```ts
   * import { Experiment, Metric } from 'ep-stats';
   * import { DuckDbClient, SqlDao, duckdbDialect } from 'ep-stats/sql';
   * const client = await DuckDbClient.open();
   * await client.query(`CREATE TABLE events AS SELECT * FROM (VALUES
   *   ('e1', 'a', 'user', '1', '2024-01-15', 'exposure', 1, 0.0),
   *   ('e1', 'a', 'user', '1', '2024-01-16', 'order', 1, 20.0),
   *   (NULL, NULL, 'user', '1', '2024-01-10', 'order', 2, 35.0),
   *   (NULL, NULL, 'user', '9', '2024-01-10', 'order', 1, 99.0)
   * ) AS t(exp_id, exp_variant_id, unit_type, unit_id, date, goal, count, value)`, []);
   * const dao = new SqlDao({ client, dialect: duckdbDialect, schema: { table: 'events' } });
   * const experiment = new Experiment({
   *   id: 'e1', controlVariant: 'a', unitType: 'user', dateFrom: '2024-01-15',
   *   metrics: [new Metric({ id: 1, name: 'Revenue', nominator: 'value(user.unit.order)', denominator: 'count(user.unit.exposure)', cuped: { preDays: 14 } })],
   * });
   * const rows = await dao.getUnitGoals(experiment);
   * // Unit 1's orders of the 14 days before dateFrom; unit 9 is not exposed in the experiment.
   * rows.filter((row) => row.pre_days === 14).map((row) => [row.unit_id, row.goal, row.count, row.sum_value]); // => [['1', 'order', 2, 35]]
   * rows.find((row) => row.goal === 'order' && row.pre_days === 0)?.sum_value; // => 20
   * await dao.close();
   * ```
   */
  async getUnitGoals(experiment: Experiment): Promise<UnitGoalRow[]> {
    const { sql, parameters } = this.unitGoalsStatement(experiment);
    return toUnitGoalRows(await this.#client.query(sql, parameters), experiment.dimensions);
  }

  /**
   * The experiment's metric sums, for `Experiment.evaluateMetricSums`: one row per variant with exposed
   * units and metric, with the pre-period columns when a metric asks for CUPED (see
   * {@link compileMetricSumsQuery}).
   *
   * @param experiment - The experiment.
   * @returns Rows sorted by metric (in the experiment's order), then variant; `metric_id` is the metric's id.
   * @throws `ValidationError` (as a rejection) before the query as {@link compileMetricSumsQuery} (a CUPED
   *   metric without `dateFrom`, a per-unit division by something that can be 0, an undeclared dimension, a
   *   NUL character); the database's error if the query fails.
   *
   * @example
   * ```ts
   * import { Experiment, Metric } from 'ep-stats';
   * import { DuckDbClient, SqlDao, duckdbDialect } from 'ep-stats/sql';
   * const client = await DuckDbClient.open();
   * await client.query(`CREATE TABLE events AS SELECT * FROM (VALUES
   *   ('e1', 'a', 'user', '1', '2024-01-02', 'exposure', 1, 0.0),
   *   ('e1', 'a', 'user', '1', '2024-01-02', 'order', 1, 20.0),
   *   ('e1', 'a', 'user', '2', '2024-01-03', 'exposure', 1, 0.0),
   *   ('e1', 'b', 'user', '3', '2024-01-02', 'exposure', 1, 0.0),
   *   ('e1', 'b', 'user', '3', '2024-01-04', 'order', 2, 50.0)
   * ) AS t(exp_id, exp_variant_id, unit_type, unit_id, date, goal, count, value)`, []);
   * const dao = new SqlDao({ client, dialect: duckdbDialect, schema: { table: 'events' } });
   * const experiment = new Experiment({
   *   id: 'e1', controlVariant: 'a', unitType: 'user',
   *   metrics: [new Metric({ id: 1, name: 'Revenue per order', nominator: 'value(user.unit.order)', denominator: 'count(user.unit.order)' })],
   * });
   * const rows = await dao.getMetricSums(experiment);
   * rows.map((row) => [row.exp_variant_id, row.units, row.sum_x, row.sum_x2, row.sum_y, row.sum_xy]); // => [['a', 2, 20, 400, 1, 20], ['b', 1, 50, 2500, 2, 100]]
   * experiment.evaluateMetricSums(rows).metrics.map((metric) => metric.mean); // => [20, 25]
   * await dao.close();
   * ```
   */
  async getMetricSums(experiment: Experiment): Promise<MetricSumsRow[]> {
    const { sql, parameters } = this.metricSumsStatement(experiment);
    const rows = await this.#client.query(sql, parameters);
    const metricIds = experiment.metrics.map((metric) => metric.id);
    return toMetricSumsRows(
      rows,
      metricIds,
      experiment.metrics.some((metric) => metric.cuped !== undefined),
    );
  }

  /** Closes the client. */
  async close(): Promise<void> {
    await this.#client.close();
  }
}
