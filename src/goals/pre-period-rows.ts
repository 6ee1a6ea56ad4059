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
 * as it is. The goal names of the pre-period rows are returned per `pre_days`, for warnings.
 *
 * @throws {@link DataError} for a `pre_days` cell that is not a whole number of days from 0 to 3660.
 * @internal
 */
export function separatePrePeriod(goals: UnitGoals): PrePeriodInput {
  if (!hasPreDays(goals)) return { goals, preGoals: new Map() };
  const reader = new RowReader(goals, []);
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
  const preGoals = new Map<number, Set<string>>();
  for (const row of kept) {
    const preDays = days[row]!;
    if (preDays === 0) continue;
    const names = preGoals.get(preDays) ?? new Set<string>();
    names.add(goalOf(row));
    preGoals.set(preDays, names);
  }
  const goal = (row: number): GoalCell =>
    days[row] === 0 ? goalOf(row) : prePeriodGoalName(goalOf(row), days[row]!);
  const rows = reader.rowObjects();
  if (rows !== undefined) {
    const renamed = kept.map((row) => (days[row] === 0 ? rows[row]! : { ...rows[row]!, goal: goal(row) }));
    return { goals: renamed as unknown as UnitGoals, preGoals };
  }
  const columns: Record<string, GoalCell[]> = {};
  for (const name of Object.keys(goals)) {
    if (name === PRE_DAYS_COLUMN) continue;
    const cells = reader.cells(name);
    columns[name] = name === 'goal' ? kept.map(goal) : kept.map((row) => cells(row));
  }
  return { goals: columns as unknown as UnitGoals, preGoals };
}

/**
 * Whether any row has a `pre_days` cell (or the columns a `pre_days` column): a named property read, which
 * stays fast over millions of row objects of one shape; the rows are validated by the unit table.
 */
function hasPreDays(goals: unknown): boolean {
  if (Array.isArray(goals)) {
    for (let row = 0; row < goals.length; row++) {
      const value: unknown = goals[row];
      if (
        value !== null &&
        typeof value === 'object' &&
        (value as { pre_days?: unknown }).pre_days !== undefined
      )
        return true;
    }
    return false;
  }
  return (
    goals !== null && typeof goals === 'object' && (goals as { pre_days?: unknown }).pre_days !== undefined
  );
}

/** Unit goal rows with their pre-period rows renamed, and the goal names of the pre-period rows per `pre_days`. @internal */
export interface PrePeriodInput {
  readonly goals: UnitGoals;
  readonly preGoals: ReadonlyMap<number, ReadonlySet<string>>;
}
