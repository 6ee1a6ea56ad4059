import { ValidationError } from '../index.js';
import { requireSafeIdentifier, requireSafeTableName } from './sql-identifier.js';

/**
 * The fixed columns of the events table, by their default names.
 *
 * @example
 * ```ts
 * import { EVENT_COLUMNS } from 'ep-stats/sql';
 * EVENT_COLUMNS; // => ['exp_id', 'exp_variant_id', 'unit_type', 'unit_id', 'date', 'goal', 'count', 'value']
 * ```
 * @public
 */
export const EVENT_COLUMNS = Object.freeze([
  'exp_id',
  'exp_variant_id',
  'unit_type',
  'unit_id',
  'date',
  'goal',
  'count',
  'value',
] as const);

/**
 * One of {@link EVENT_COLUMNS}.
 *
 * @example
 * ```ts
 * import type { EventColumn } from 'ep-stats/sql';
 * const column: EventColumn = 'unit_id';
 * column; // => 'unit_id'
 * ```
 * @public
 */
export type EventColumn = (typeof EVENT_COLUMNS)[number];

/**
 * Definition of an {@link EventsSchema}.
 *
 * @example
 * ```ts
 * import type { EventsSchemaOptions } from 'ep-stats/sql';
 * const options: EventsSchemaOptions = {
 *   table: 'analytics.events', dimensions: ['element', 'product'], columns: { unit_id: 'user_id' }, dateType: 'date',
 * };
 * options.columns?.unit_id; // => 'user_id'
 * ```
 * @public
 */
export interface EventsSchemaOptions {
  /** The table (or view), optionally qualified: `events`, `analytics.events`. */
  readonly table: string;
  /** The dimension columns that goals and filters may name, e.g. `['element', 'product']`. */
  readonly dimensions?: readonly string[];
  /** Physical names of the fixed columns where they differ from {@link EVENT_COLUMNS}. */
  readonly columns?: Readonly<Partial<Record<EventColumn, string>>>;
  /** Type of the `date` column: `YYYY-MM-DD` text (default) or a SQL `DATE`. */
  readonly dateType?: 'text' | 'date';
}

/** Names a dimension may not take: the columns of goal rows and of the events table. */
const RESERVED = new Set<string>([
  ...EVENT_COLUMNS,
  'agg_type',
  'sum_value',
  'sum_sqr_count',
  'sum_sqr_value',
  'count_unique',
]);

/**
 * The events table that {@link SqlDao} reads: one row per attributed goal of a unit.
 *
 * @remarks
 * Columns: `exp_id`, `exp_variant_id`, `unit_type`, `unit_id`, `goal` (text), `date` (`YYYY-MM-DD` text or
 * `DATE`), `count` (number of goals, usually 1), `value` (e.g. revenue; null counts as 0), plus the declared
 * dimension columns (text; null or `''` means "none"). The exposure of a unit is the goal `exposure`.
 * Every name is checked here, once: the table and columns must be safe identifiers (they are quoted in the
 * SQL), and only declared dimensions can be used by goals and filters. A dimension may not be named like
 * a goal-row or events column (`count`, `value`, `agg_type`, ...).
 *
 * @throws `ValidationError` for an unsafe table, column or dimension name, a duplicate or reserved
 *   dimension, an unknown column key or an unknown `dateType`.
 *
 * @example
 * ```ts
 * import { EventsSchema } from 'ep-stats/sql';
 * import { ValidationError } from 'ep-stats';
 * const schema = new EventsSchema({ table: 'events', dimensions: ['element', 'product'] });
 * schema.columns.unit_id; // => 'unit_id'
 * schema.dimensions; // => ['element', 'product']
 * new EventsSchema({ table: 'events; DROP TABLE goals' }); // throws ValidationError
 * ```
 * @public
 */
export class EventsSchema {
  /** The table name split at `.`. */
  readonly table: readonly string[];
  /** Physical name of every fixed column. */
  readonly columns: Readonly<Record<EventColumn, string>>;
  /** Declared dimension columns, in the given order. */
  readonly dimensions: readonly string[];
  readonly dateType: 'text' | 'date';

  constructor(options: EventsSchemaOptions) {
    this.table = requireSafeTableName(options.table, ['table']);
    const columns = { ...(options.columns ?? {}) };
    for (const key of Object.keys(columns)) {
      if (!(EVENT_COLUMNS as readonly string[]).includes(key)) {
        throw new ValidationError(
          `Unknown events column \`${key}\`; the columns are ${EVENT_COLUMNS.join(', ')}`,
          ['columns', key],
        );
      }
    }
    const resolved = {} as Record<EventColumn, string>;
    for (const column of EVENT_COLUMNS) {
      const name = columns[column] ?? column;
      resolved[column] = requireSafeIdentifier(name, `Column name for \`${column}\``, ['columns', column]);
    }
    this.columns = Object.freeze(resolved);
    const dimensions = options.dimensions ?? [];
    dimensions.forEach((name, index) => {
      requireSafeIdentifier(name, 'Dimension', ['dimensions', index]);
      if (RESERVED.has(name)) {
        throw new ValidationError(
          `Dimension \`${name}\` clashes with a column of the goal rows; rename it (reserved: ${[...RESERVED].join(', ')})`,
          ['dimensions', index],
        );
      }
      if (dimensions.indexOf(name) !== index) {
        throw new ValidationError(`Dimension \`${name}\` is declared twice`, ['dimensions', index]);
      }
    });
    this.dimensions = Object.freeze([...dimensions]);
    const dateType = options.dateType ?? 'text';
    if (dateType !== 'text' && dateType !== 'date') {
      throw new ValidationError(
        `\`dateType\` must be 'text' or 'date', received ${JSON.stringify(dateType)}`,
        ['dateType'],
      );
    }
    this.dateType = dateType;
  }

  /**
   * Throws a `ValidationError` unless `name` is a declared dimension.
   *
   * @param name - A dimension named by a goal or a filter.
   * @param path - Where it was named, for the error.
   * @param usage - What names it, for the message (e.g. "goal `count(u.unit.click(x=1))`").
   * @throws `ValidationError` naming the declared dimensions.
   *
   * @example
   * ```ts
   * import { EventsSchema } from 'ep-stats/sql';
   * import { ValidationError } from 'ep-stats';
   * const schema = new EventsSchema({ table: 'events', dimensions: ['element'] });
   * schema.requireDimension('element', ['filters', 0, 'dimension'], 'the goal filter'); // => undefined
   * schema.requireDimension('country', ['filters', 0, 'dimension'], 'the goal filter'); // throws ValidationError
   * ```
   */
  requireDimension(name: string, path: readonly (string | number)[], usage: string): void {
    if (this.dimensions.includes(name)) return;
    const declared = this.dimensions.length === 0 ? 'none' : this.dimensions.join(', ');
    throw new ValidationError(
      `The dimension ${JSON.stringify(name)} of ${usage} is not a declared dimension column of table ` +
        `\`${this.table.join('.')}\` (declared: ${declared}); declare it in the events schema's \`dimensions\``,
      path,
    );
  }
}
