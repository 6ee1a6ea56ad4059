import { DataError } from '../errors/data-error.js';
import type { GoalCell, UnitGoals } from './goal-rows.js';
import { RowReader } from './row-reader.js';

/** The column of unit goal rows that marks a row of the pre-period. @internal */
export const PRE_DAYS_COLUMN = 'pre_days';

/**
 * The goal name under which a pre-period row of `preDays` days is read: the row's goal with a suffix that no
 * goal of an expression can have (the tokenizer does not accept its NUL character), so that the pre-period
 * totals of a unit sit in the same unit table as its experiment-period totals, aligned unit by unit.
 *
 * @internal
 */
export function prePeriodGoalName(goal: string, preDays: number): string {
  return `${goal}\u0000pre-${preDays}`;
}

/**
 * Unit goal rows with pre-period rows (`pre_days` > 0) read as goals of their own
 * ({@link prePeriodGoalName}); rows whose `pre_days` is empty, null or 0 are of the experiment period and kept
 * as they are. Pre-period rows of a unit without any experiment-period row of its unit type are dropped: the
 * pre-period describes the experiment's units, it adds none. Input without a `pre_days` column is returned
 * as it is.
 *
 * @throws {@link DataError} for a `pre_days` cell that is not a whole number of days from 0 to 3660.
 * @internal
 */
export function separatePrePeriod(goals: UnitGoals): UnitGoals {
  const reader = new RowReader(goals, []);
  if (!reader.hasColumn(PRE_DAYS_COLUMN)) return goals;
  const preDaysOf = reader.cells(PRE_DAYS_COLUMN);
  const unitKeyOf = (() => {
    const unitType = reader.optionalText('unit_type');
    const unitId = reader.optionalText('unit_id');
    return (row: number) => `${unitType(row)}\u0000${unitId(row)}`;
  })();
  const days = new Int32Array(reader.length);
  const experimentUnits = new Set<string>();
  for (let row = 0; row < reader.length; row++) {
    const value: unknown = preDaysOf(row);
    const preDays = value === null || value === undefined || value === '' ? 0 : Number(value);
    if (!Number.isInteger(preDays) || preDays < 0 || preDays > 3660) {
      throw new DataError(
        `expected a whole number of pre-period days from 0 to 3660 (empty or 0 for the experiment period), received ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`,
        { row, column: PRE_DAYS_COLUMN },
      );
    }
    days[row] = preDays;
    if (preDays === 0) experimentUnits.add(unitKeyOf(row));
  }
  const kept: number[] = [];
  for (let row = 0; row < reader.length; row++) {
    if (days[row] === 0 || experimentUnits.has(unitKeyOf(row))) kept.push(row);
  }
  const goalOf = reader.optionalText('goal');
  const goal = (row: number): GoalCell =>
    days[row] === 0 ? goalOf(row) : prePeriodGoalName(goalOf(row), days[row]!);
  const rows = reader.rowObjects();
  if (rows !== undefined) {
    return kept.map((row) =>
      days[row] === 0 ? rows[row]! : { ...rows[row]!, goal: goal(row) },
    ) as unknown as UnitGoals;
  }
  const columns: Record<string, GoalCell[]> = {};
  for (const name of Object.keys(goals)) {
    if (name === PRE_DAYS_COLUMN) continue;
    const cells = reader.cells(name);
    columns[name] = name === 'goal' ? kept.map(goal) : kept.map((row) => cells(row));
  }
  return columns as unknown as UnitGoals;
}
