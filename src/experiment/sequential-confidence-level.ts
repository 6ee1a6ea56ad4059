import { obrienFlemingConfidenceLevel } from '../statistics/obrien-fleming.js';
import { parseCalendarDate } from './calendar-date.js';

/**
 * The O'Brien-Fleming adjusted confidence level of an experiment running from `dateFrom` to `dateTo`,
 * evaluated on `dateFor`.
 *
 * @remarks
 * `length = days(dateTo - dateFrom) + 1`, `day = min(days(dateFor - dateFrom) + 1, length)`; the level is
 * {@link obrienFlemingConfidenceLevel}(confidenceLevel, length, day). A `dateFor` before `dateFrom` counts
 * as day 0: no alpha is spent yet, so the level is the cap 0.9999, as the reference's formula gives for the
 * day before the start (for earlier days that formula takes the square root of a negative information
 * fraction).
 *
 * @param confidenceLevel - Confidence level at the end of the experiment.
 * @param dateFrom - First day, `YYYY-MM-DD`.
 * @param dateTo - Last day, `YYYY-MM-DD`.
 * @param dateFor - Day of the evaluation, `YYYY-MM-DD` (after `dateTo` counts as the last day, before
 *   `dateFrom` as day 0).
 * @returns The adjusted confidence level.
 * @throws {@link ValidationError} for a malformed date.
 *
 * @example
 * ```ts
 * import { sequentialConfidenceLevel } from 'ep-stats';
 * sequentialConfidenceLevel(0.95, '2020-01-01', '2020-01-10', '2020-01-10'); // => 0.95
 * sequentialConfidenceLevel(0.95, '2020-01-01', '2020-01-10', '2020-02-01'); // => 0.95
 * sequentialConfidenceLevel(0.95, '2020-01-01', '2020-01-10', '2019-12-01'); // => 0.9999
 * ```
 * @public
 */
export function sequentialConfidenceLevel(
  confidenceLevel: number,
  dateFrom: string,
  dateTo: string,
  dateFor: string,
): number {
  const from = parseCalendarDate(dateFrom, 'dateFrom');
  const length = parseCalendarDate(dateTo, 'dateTo') - from + 1;
  const day = Math.max(0, Math.min(parseCalendarDate(dateFor, 'dateFor') - from + 1, length));
  return obrienFlemingConfidenceLevel(confidenceLevel, length, day);
}
