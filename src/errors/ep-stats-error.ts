/**
 * Machine-readable category of an {@link EpStatsError}.
 *
 * @example
 * ```ts
 * import { ExpressionError, type ErrorCode } from 'ep-stats';
 * const code: ErrorCode = new ExpressionError('bad', 'x', { start: 0, end: 1 }).code;
 * code; // => 'expression'
 * ```
 * @public
 */
export type ErrorCode = 'expression' | 'validation' | 'data';

/**
 * Options shared by every {@link EpStatsError}.
 *
 * @example
 * ```ts
 * import { EpStatsError, type EpStatsErrorOptions } from 'ep-stats';
 * const options: EpStatsErrorOptions = { cause: new Error('socket closed') };
 * new EpStatsError('data', 'cannot read goals', options).cause instanceof Error; // => true
 * ```
 * @public
 */
export interface EpStatsErrorOptions {
  /** The lower-level error that caused this one, if any. */
  readonly cause?: unknown;
}

/**
 * Base class of every error that ep-stats throws on purpose.
 *
 * @remarks
 * Catch this class to separate bad input (which ep-stats reports with a message naming the field, row or
 * character position and what was expected) from programming errors. Subclasses carry structured detail:
 * {@link ExpressionError} a character span, {@link ValidationError} a field path, {@link DataError} a row
 * and column.
 *
 * @example
 * ```ts
 * import { EpStatsError, parseExpression } from 'ep-stats';
 * let caught: unknown;
 * try { parseExpression('sum(user.unit.click)'); } catch (error) { caught = error; }
 * caught instanceof EpStatsError; // => true
 * ```
 * @public
 */
export class EpStatsError extends Error {
  /** Machine-readable category. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: EpStatsErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EpStatsError';
    this.code = code;
  }
}
