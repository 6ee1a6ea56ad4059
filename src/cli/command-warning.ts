import type { EvaluationWarning } from '../index.js';

/**
 * Code of the warning `ep-stats evaluate --goals` writes for an experiment with `filters`: a goals file is
 * evaluated as it is, the filters are not applied.
 */
export const FILTERS_NOT_APPLIED = 'filters-not-applied';

/**
 * A warning of an evaluation, tagged with the segment of a drill-down or the day of a timeline that raised
 * it (neither for the experiment's own evaluation).
 */
export type TaggedWarning = EvaluationWarning & {
  readonly segment?: { readonly breakdown: string; readonly value: string };
  readonly day?: string;
};

/**
 * A warning `ep-stats evaluate` reports: one of the evaluations' (`goal-without-rows`, ...) or one of the
 * command's own ({@link FILTERS_NOT_APPLIED}).
 */
export type CommandWarning =
  | TaggedWarning
  | { readonly code: typeof FILTERS_NOT_APPLIED; readonly message: string };

/**
 * The line of a warning on standard error: `warning [<code>]: <message>`, with the segment or day that
 * raised it: `warning [<code>] (segment country = CZ): <message>`, `warning [<code>] (day 2024-01-03): ...`.
 *
 * @param warning - The warning.
 * @returns The line, ending with a newline.
 */
export function warningLine(warning: CommandWarning): string {
  const segment = 'segment' in warning ? warning.segment : undefined;
  const day = 'day' in warning ? warning.day : undefined;
  const where =
    segment !== undefined
      ? ` (segment ${segment.breakdown} = ${segment.value})`
      : day !== undefined
        ? ` (day ${day})`
        : '';
  return `warning [${warning.code}]${where}: ${warning.message}\n`;
}

/**
 * The lines of the warnings of a timeline's days on standard error: one line per distinct code and
 * message, naming the days that raised it (`(day 2024-01-03)`, or `(10 days, 2024-01-01 to 2024-01-10)`),
 * in the order of their first day, so that a warning of every day is one line, not one per day.
 *
 * @param warnings - Warnings tagged with their day, day ascending.
 * @returns The lines, each ending with a newline.
 */
export function dayWarningLines(warnings: readonly TaggedWarning[]): string {
  const groups = new Map<string, { warning: TaggedWarning; days: string[] }>();
  for (const warning of warnings) {
    const key = `${warning.code}\u0000${warning.message}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { warning, days: [warning.day ?? ''] });
    else group.days.push(warning.day ?? '');
  }
  return [...groups.values()]
    .map(({ warning, days }) => {
      const where =
        days.length === 1 ? `day ${days[0]}` : `${days.length} days, ${days[0]} to ${days.at(-1)}`;
      return `warning [${warning.code}] (${where}): ${warning.message}\n`;
    })
    .join('');
}
