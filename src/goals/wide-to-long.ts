import { DataError } from '../errors/data-error.js';
import type { AggregatedGoalRow, GoalCell } from './goal-rows.js';
import { describe, RowReader } from './row-reader.js';

/**
 * Goals in wide form: one row per variant; the first column is the experiment id, the second the variant
 * id, every further column one goal's summed value (or, when its name contains `square`, the sum of squares
 * of the goal named by the column name without its last `_suffix`).
 *
 * @example
 * ```ts
 * import type { WideGoals } from 'ep-stats';
 * const rows: WideGoals = [{ exp_id: 'e', variant: 'a', views: 473661, clicks: 48194 }];
 * Object.keys(rows[0] ?? {}); // => ['exp_id', 'variant', 'views', 'clicks']
 * ```
 * @public
 */
export type WideGoals = readonly Readonly<Record<string, GoalCell>>[];

/**
 * Converts wide goal rows (one per variant) to long aggregated goal rows for {@link Experiment.evaluateAgg}.
 *
 * @remarks
 * Each goal column becomes a row with the given unit type, aggregation type `global`, `sum_value` from the
 * column and `sum_sqr_value` from its `<goal>_<suffix>` squares column; a goal without a squares column
 * uses its `sum_value` (right for binary goals, whose squares equal their values). `count`,
 * `sum_sqr_count` and `count_unique` are 0 (so the exposures of wide input are 0, as in the reference).
 * The experiment and variant id columns are the first two keys of the first row; the goal columns are the
 * further keys of every row, in the order first seen, and every row must have each of them.
 *
 * @param rows - Wide rows; the first two keys are the experiment and variant ids.
 * @param unitType - Unit type of the generated goals (the experiment's).
 * @returns Long goal rows.
 * @throws {@link DataError} for fewer than three columns, a missing or non-numeric cell (a row without a
 *   column that other rows have included), or a squares column whose goal has no column.
 *
 * @example
 * ```ts
 * import { wideToLongGoals } from 'ep-stats';
 * const long = wideToLongGoals([{ exp: 'e', variant: 'a', bookings: 17152, bookings_squared: 803105, views: 10 }], 'u');
 * long.map((row) => [row.goal, row.sum_value, row.sum_sqr_value]); // => [['bookings', 17152, 803105], ['views', 10, 10]]
 * ```
 * @public
 */
export function wideToLongGoals(rows: WideGoals, unitType: string): AggregatedGoalRow[] {
  if (!Array.isArray(rows)) throw new DataError('expected an array of wide goal rows (one per variant)');
  if (rows.length === 0) return [];
  const columns = columnsOfRows(rows);
  const [expIdColumn, variantColumn, ...goalColumns] = columns;
  if (expIdColumn === undefined || variantColumn === undefined || goalColumns.length === 0) {
    throw new DataError(
      'wide rows need an experiment id column, a variant column and at least one goal column, in this order',
      { row: 0 },
    );
  }
  const reader = new RowReader(rows, columns);
  const valueColumns = goalColumns.filter((column) => !column.includes('square'));
  const squareColumns = new Map<string, string>();
  const valueColumnSet = new Set(valueColumns);
  for (const column of goalColumns.filter((name) => name.includes('square'))) {
    const goal = column.split('_').slice(0, -1).join('_');
    if (!valueColumnSet.has(goal)) {
      throw new DataError(
        `holds the sums of squares of goal \`${goal}\` (the name without its last \`_suffix\`), but there is no column \`${goal}\``,
        { column },
      );
    }
    squareColumns.set(goal, column);
  }
  const long: AggregatedGoalRow[] = [];
  const expIdOf = reader.text(expIdColumn);
  const variantOf = reader.text(variantColumn);
  const values = valueColumns.map((goal) => {
    const squares = squareColumns.get(goal);
    return {
      goal,
      readValue: reader.number(goal),
      squaresOf: squares === undefined ? undefined : reader.number(squares),
    };
  });
  for (let row = 0; row < reader.length; row++) {
    const expId = expIdOf(row);
    const variant = variantOf(row);
    for (const { goal, readValue, squaresOf } of values) {
      const sumValue = readValue(row);
      long.push({
        exp_id: expId,
        exp_variant_id: variant,
        unit_type: unitType,
        agg_type: 'global',
        goal,
        count: 0,
        sum_sqr_count: 0,
        sum_value: sumValue,
        sum_sqr_value: squaresOf === undefined ? sumValue : squaresOf(row),
        count_unique: 0,
      });
    }
  }
  return long;
}

/** The keys of all rows, those of the first row first, then others in the order first seen. */
function columnsOfRows(rows: WideGoals): string[] {
  const columns = new Set<string>();
  for (let row = 0; row < rows.length; row++) {
    const value: unknown = rows[row];
    if (value === null || typeof value !== 'object') {
      throw new DataError(`expected a wide row object, received ${describe(value)}`, { row });
    }
    for (const key of Object.keys(value)) columns.add(key);
  }
  return [...columns];
}
