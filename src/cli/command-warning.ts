import type { EvaluationWarning } from '../index.js';

/**
 * Code of the warning `ep-stats evaluate --goals` writes for an experiment with `filters`: a goals file is
 * evaluated as it is, the filters are not applied.
 */
export const FILTERS_NOT_APPLIED = 'filters-not-applied';

/**
 * A warning `ep-stats evaluate` reports: one of the evaluation's (`goal-without-rows`, ...) or one of the
 * command's own ({@link FILTERS_NOT_APPLIED}).
 */
export type CommandWarning =
  | EvaluationWarning
  | { readonly code: typeof FILTERS_NOT_APPLIED; readonly message: string };

/**
 * The line of a warning on standard error: `warning [<code>]: <message>`.
 *
 * @param warning - The warning.
 * @returns The line, ending with a newline.
 */
export function warningLine(warning: CommandWarning): string {
  return `warning [${warning.code}]: ${warning.message}\n`;
}
