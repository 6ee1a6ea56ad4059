import { ValidationError } from '../errors/validation-error.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Parses a `YYYY-MM-DD` calendar date into days since 1970-01-01 (UTC), rejecting impossible dates.
 *
 * @internal
 */
export function parseCalendarDate(text: unknown, field: string): number {
  const match = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (match === null) {
    throw new ValidationError(
      `\`${field}\` must be a date in the form YYYY-MM-DD (e.g. 2020-06-15), received ${JSON.stringify(text) ?? String(text)}`,
      [field],
    );
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new ValidationError(`\`${field}\` is not a valid calendar date: ${String(text)}`, [field]);
  }
  return Math.round(time / DAY_MS);
}

/** Today's date (UTC) as `YYYY-MM-DD`. @internal */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
