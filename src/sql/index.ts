/**
 * ep-stats/sql: a reference data access over a table of events in a SQL database. Compiles an experiment
 * into one statement that returns its goals aggregated per variant (or per unit, or its metric sums), with DuckDB and
 * PostgreSQL dialects and clients, and a seeded generator of synthetic events. Node.js only.
 *
 * @packageDocumentation
 */

export { bigqueryDialect, bigqueryNamedParameters } from './bigquery-dialect.js';
export { type BreakdownGoalsQueryExperiment, compileBreakdownGoalsQuery } from './breakdown-goals-query.js';
export { ClickHouseClient, type ClickHouseClientOptions, ClickHouseError } from './clickhouse-client.js';
export {
  type ClickHouseDialectOptions,
  clickhouseDialect,
  clickhouseParameterDialect,
  createClickHouseDialect,
} from './clickhouse-dialect.js';
export { type CreateEventsTableOptions, createEventsTable } from './create-events-table.js';
export { DuckDbClient, type DuckDbClientOptions } from './duckdb-client.js';
export { duckdbDialect } from './duckdb-dialect.js';
export type { EventRecord } from './event-record.js';
export { eventsToCsv, writeEventsCsv } from './events-csv.js';
export { writeEventsParquet } from './events-parquet.js';
export { EVENT_COLUMNS, type EventColumn, EventsSchema, type EventsSchemaOptions } from './events-schema.js';
export {
  type GenerateEventsOptions,
  generateEvents,
  SYNTHETIC_DIMENSIONS,
  type SyntheticEvent,
  type SyntheticVariant,
  type VariantEffects,
} from './generate-events.js';
export {
  compileAggregatedGoalsQuery,
  compileUnitGoalsQuery,
  type GoalQueryExperiment,
  type GoalQueryOptions,
  type UnitGoalsQueryExperiment,
} from './goal-query.js';
export { compileMetricSumsQuery, type MetricSumsQueryExperiment } from './metric-sums-query.js';
export { isNumericText, NUMERIC_TEXT_PATTERN } from './numeric-text.js';
export { PostgresClient, type PostgresClientOptions } from './postgres-client.js';
export { postgresDialect } from './postgres-dialect.js';
export { sparkDialect, sparkNamedParameters } from './spark-dialect.js';
export type { SqlClient, SqlParameter, SqlRow, SqlStatement } from './sql-client.js';
export { SqlDao, type SqlDaoOptions } from './sql-dao.js';
export { SqlDaoFactory, type SqlDaoFactoryOptions } from './sql-dao-factory.js';
export type { ParameterStyle, SqlDialect } from './sql-dialect.js';
export { isSafeIdentifier } from './sql-identifier.js';
export { type SqlStringLiteralOptions, sqlNumberLiteral, sqlStringLiteral } from './string-literal.js';
export { compileTimelineGoalsQuery } from './timeline-goals-query.js';
