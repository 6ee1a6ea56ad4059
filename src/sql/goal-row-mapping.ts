import type { AggregatedGoalRow, GoalCell, UnitGoalRow } from '../index.js';
import type { SqlRow } from './sql-client.js';

/** A text cell: `''` for null. */
function text(cell: unknown): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/** A numeric cell as a number (drivers return bigints or decimal strings for some types): 0 for null. */
function number(cell: unknown): number {
  if (typeof cell === 'number') return cell;
  if (cell === null || cell === undefined) return 0;
  return Number(cell);
}

const AGGREGATED_TEXT = ['exp_id', 'exp_variant_id', 'unit_type', 'agg_type', 'goal'] as const;
const AGGREGATED_NUMBERS = ['count', 'sum_sqr_count', 'sum_value', 'sum_sqr_value', 'count_unique'] as const;
const UNIT_TEXT = ['exp_id', 'exp_variant_id', 'unit_type', 'agg_type', 'goal', 'unit_id'] as const;
const UNIT_NUMBERS = ['count', 'sum_value'] as const;

function mapRow(
  row: SqlRow,
  textColumns: readonly string[],
  numberColumns: readonly string[],
  dimensions: readonly string[],
): Record<string, GoalCell> {
  const mapped: Record<string, GoalCell> = {};
  for (const column of textColumns) mapped[column] = text(row[column]);
  for (const column of dimensions) mapped[column] = text(row[column]);
  for (const column of numberColumns) mapped[column] = number(row[column]);
  return mapped;
}

/**
 * Result rows of the aggregated goals query as {@link AggregatedGoalRow}s: text cells as strings, numbers
 * as numbers, dimension cells `''` for null; sorted by goal identity, then variant (code point order).
 *
 * @internal
 */
export function toAggregatedGoalRows(
  rows: readonly SqlRow[],
  dimensions: readonly string[],
): AggregatedGoalRow[] {
  const mapped = rows.map(
    (row) => mapRow(row, AGGREGATED_TEXT, AGGREGATED_NUMBERS, dimensions) as unknown as AggregatedGoalRow,
  );
  const key = (row: AggregatedGoalRow) =>
    [row.unit_type, row.agg_type, row.goal, ...dimensions.map((name) => row[name]), row.exp_variant_id].join(
      '\u0000',
    );
  const keys = new Map(mapped.map((row) => [row, key(row)] as const));
  return mapped.sort((a, b) => {
    const left = keys.get(a) ?? '';
    const right = keys.get(b) ?? '';
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

/** The column of the unit goals query's pre-period rows (present when the experiment has CUPED metrics). */
const PRE_DAYS = 'pre_days';

/**
 * Result rows of the unit goals query as {@link UnitGoalRow}s (in the order the database returned them);
 * a row with a `pre_days` cell keeps it as a number (drivers return 64-bit integers as bigints or text).
 *
 * @internal
 */
export function toUnitGoalRows(rows: readonly SqlRow[], dimensions: readonly string[]): UnitGoalRow[] {
  return rows.map((row) => {
    const mapped = mapRow(row, UNIT_TEXT, UNIT_NUMBERS, dimensions);
    if (Object.hasOwn(row, PRE_DAYS)) mapped[PRE_DAYS] = number(row[PRE_DAYS]);
    return mapped as unknown as UnitGoalRow;
  });
}
