import type { Experiment, UnitGoalRow } from '../index.js';
import { cellText, isOneOf, requireColumn } from './filter-conditions.js';

/** What the filtering reads of an experiment. */
type FilteredExperiment = Pick<Experiment, 'id' | 'filters'>;

/**
 * The rows of an experiment that the reference's test data access returns for by-unit evaluation.
 *
 * @remarks
 * Rows of the experiment (`exp_id`); dates are not applied. A row's dimension is in its `dimension` (name)
 * and `dimension_value` (value) cells; a row "matches" a filter when its `dimension` is the filter's
 * dimension and its `dimension_value` one of the values. The filters are applied in order:
 * - `exposure`: the units (`unit_id`) of the exposure rows that match form one set;
 * - `trigger`: the units of the trigger goal's rows (that match, when the filter has a dimension and
 *   values) form one set;
 * - `goal`: keeps exposure rows and rows that match, dropping every other row at once, so a later
 *   `exposure` or `trigger` filter sees only the remaining rows.
 * Finally, with at least one set, only rows of units in every set stay (whatever their goal); units are
 * compared by `unit_id` alone. Rows keep their order.
 *
 * @throws `DataError` when a filter needs the `dimension` or `dimension_value` column and no row has
 *   it.
 *
 * @internal
 */
export function filterUnitGoals(rows: readonly UnitGoalRow[], experiment: FilteredExperiment): UnitGoalRow[] {
  let goals = rows.filter((row) => cellText(row.exp_id) === experiment.id);
  const unitSets: Set<string>[] = [];
  for (const filter of experiment.filters) {
    const dimension = filter.dimension;
    const restricted = dimension !== undefined && dimension !== '' && (filter.values?.length ?? 0) > 0;
    if (restricted || filter.scope !== 'trigger') {
      const purpose = `The ${filter.scope} filter on \`${dimension}\``;
      requireColumn(rows, 'dimension', purpose);
      requireColumn(rows, 'dimension_value', purpose);
    }
    const matches = (row: UnitGoalRow) =>
      dimension !== undefined &&
      dimension !== '' &&
      cellText(row.dimension) === dimension &&
      isOneOf(row.dimension_value, filter.values);
    const isExposure = (row: UnitGoalRow) => cellText(row.goal) === 'exposure';
    const unitsOf = (kept: readonly UnitGoalRow[]) => new Set(kept.map((row) => cellText(row.unit_id)));
    if (filter.scope === 'exposure') {
      unitSets.push(unitsOf(goals.filter((row) => isExposure(row) && matches(row))));
    } else if (filter.scope === 'goal') {
      goals = goals.filter((row) => isExposure(row) || matches(row));
    } else {
      const isTrigger = (row: UnitGoalRow) => cellText(row.goal) === filter.goal;
      unitSets.push(unitsOf(goals.filter((row) => isTrigger(row) && (!restricted || matches(row)))));
    }
  }
  if (unitSets.length === 0) return goals;
  return goals.filter((row) => unitSets.every((units) => units.has(cellText(row.unit_id))));
}
