import { EpStatsError, type EpStatsErrorOptions } from './ep-stats-error.js';

/**
 * An invalid definition or argument: a metric, check, experiment or statistics function input.
 *
 * @remarks
 * `path` names the offending field (e.g. `['metrics', 0, 'nominator']`); the message quotes the offending
 * value and says what is allowed.
 *
 * @example
 * ```ts
 * import { ValidationError } from 'ep-stats';
 * const error = new ValidationError('`confidenceLevel` must be between 0 and 1', ['confidenceLevel']);
 * [error.code, error.path]; // => ['validation', ['confidenceLevel']]
 * ```
 * @public
 */
export class ValidationError extends EpStatsError {
  /** Path of the offending field, outermost first. */
  readonly path: readonly (string | number)[];

  constructor(message: string, path: readonly (string | number)[] = [], options?: EpStatsErrorOptions) {
    super('validation', message, options);
    this.name = 'ValidationError';
    this.path = Object.freeze([...path]);
  }
}
