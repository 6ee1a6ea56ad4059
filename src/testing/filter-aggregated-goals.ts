import type { AggregatedGoalRow, Experiment } from '../index.js';
import { cellText, isOneOf, requireColumn } from './filter-conditions.js';

/** What the filtering reads of an experiment. */
type FilteredExperiment = Pick<Experiment, 'id' | 'dateFrom' | 'dateTo' | 'evaluationDay' | 'filters'>;

/**
 * The rows of an experiment that the reference's test data access returns for aggregated evaluation.
 *
 * @remarks
 * Rows of the experiment (`exp_id`), then:
 * - dates: with both `dateFrom` and `dateTo`, rows whose `date` lies in
 *   [dateFrom, min(dateTo, dateFor)] (`dateFor` today, UTC, when not given); with only one of them,
 *   that bound alone (`dateFor` is then not used). A row with an empty `date` is dropped as soon as a bound is given (a missing date compares
 *   false); without bounds every row stays;
 * - each filter in turn (their order does not matter): `exposure` keeps every non-exposure row and the
 *   exposure rows whose dimension cell is one of the values; `goal` keeps every exposure row and the rows
 *   whose dimension cell is one of the values (of every other goal); `trigger` keeps exposure rows and the
 *   rows of the trigger goal, restricted to its dimension's values when it has a dimension and values.
 * Empty dimension cells match no value. Rows keep their order.
 *
 * @throws `DataError` when a date bound is given but no row has a `date` column, or a filter names a
 *   dimension no row has.
 *
 * @internal
 */
export function filterAggregatedGoals(
  rows: readonly AggregatedGoalRow[],
  experiment: FilteredExperiment,
): AggregatedGoalRow[] {
  let goals = rows.filter((row) => cellText(row.exp_id) === experiment.id);
  const { dateFrom, dateTo } = experiment;
  if (dateFrom !== undefined || dateTo !== undefined) {
    requireColumn(rows, 'date', 'A date range');
    const dateFor = experiment.evaluationDay();
    const last = dateFrom !== undefined && dateTo !== undefined && dateFor < dateTo ? dateFor : dateTo;
    goals = goals.filter((row) => {
      const date = cellText(row.date);
      return (
        date !== '' && (dateFrom === undefined || date >= dateFrom) && (last === undefined || date <= last)
      );
    });
  }
  for (const filter of experiment.filters) {
    const dimension = filter.dimension;
    const restricted = dimension !== undefined && dimension !== '' && (filter.values?.length ?? 0) > 0;
    if (restricted || filter.scope !== 'trigger') {
      requireColumn(rows, dimension ?? '', `The ${filter.scope} filter on \`${dimension}\``);
    }
    const inValues = (row: AggregatedGoalRow) =>
      dimension !== undefined && isOneOf(row[dimension], filter.values);
    const isExposure = (row: AggregatedGoalRow) => cellText(row.goal) === 'exposure';
    if (filter.scope === 'exposure') {
      goals = goals.filter((row) => !isExposure(row) || inValues(row));
    } else if (filter.scope === 'goal') {
      goals = goals.filter((row) => isExposure(row) || inValues(row));
    } else {
      const isTrigger = (row: AggregatedGoalRow) => cellText(row.goal) === filter.goal;
      goals = goals.filter((row) => isExposure(row) || (isTrigger(row) && (!restricted || inValues(row))));
    }
  }
  return goals;
}
