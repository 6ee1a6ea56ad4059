import { z } from 'zod';
import type { RequestProblem } from './request-problem.js';

const path = z.array(z.union([z.string(), z.number()]));

/**
 * The 422 response: every problem of the body, twice: `detail` in the reference's (FastAPI's) form, with
 * `loc` starting at `body` and pydantic's `Value error, ` prefix on rule messages, and `problems` as
 * {@link RequestProblem}s.
 *
 * @example
 * ```ts
 * import { validationErrorResponseSchema } from 'ep-stats/server';
 * Object.keys(validationErrorResponseSchema.shape); // => ['detail', 'problems']
 * ```
 * @public
 */
export const validationErrorResponseSchema = z.object({
  detail: z
    .array(
      z.object({
        loc: path.describe('Location: `body` followed by the field path.'),
        msg: z.string().describe('Message.'),
        type: z.string().describe('Error type, e.g. `missing` or `value_error`.'),
      }),
    )
    .describe("The problems in the reference's format."),
  problems: z
    .array(
      z.object({
        path: path.describe("Field path from the body's root; `[]` for the body."),
        message: z.string().describe('Message.'),
        type: z.string().describe('Error type.'),
      }),
    )
    .describe('The problems.'),
});

/**
 * A 422 response body (see {@link validationErrorResponseSchema}).
 *
 * @example
 * ```ts
 * import type { ValidationErrorResponse } from 'ep-stats/server';
 * const body: ValidationErrorResponse = { detail: [], problems: [] };
 * body.problems.length; // => 0
 * ```
 * @public
 */
export type ValidationErrorResponse = z.output<typeof validationErrorResponseSchema>;

/**
 * Any other error response: `detail` says what went wrong (never a stack trace); evaluation failures
 * add the experiment id and the kind of failure.
 *
 * @example
 * ```ts
 * import { errorResponseSchema } from 'ep-stats/server';
 * errorResponseSchema.parse({ detail: 'Not Found' }); // => { detail: 'Not Found' }
 * ```
 * @public
 */
export const errorResponseSchema = z.object({
  detail: z.string().describe('What went wrong.'),
  experiment_id: z.string().optional().describe('The experiment, for evaluation failures.'),
  error: z
    .string()
    .optional()
    .describe(
      '`data-access-failed`, `invalid-goal-data`, `data-access-timed-out`, `metric-sums-not-supported`, `segments-not-supported`, `timeline-not-supported` (501) or `evaluation-failed` for evaluation failures; `request-timeout` (408) and `shutdown-timeout` (503); the error code for other request errors.',
    ),
});

/**
 * An error response body other than 422 (see {@link errorResponseSchema}).
 *
 * @example
 * ```ts
 * import type { ErrorResponse } from 'ep-stats/server';
 * const body: ErrorResponse = { detail: 'Request body is too large', error: 'FST_ERR_CTP_BODY_TOO_LARGE' };
 * body.detail; // => 'Request body is too large'
 * ```
 * @public
 */
export type ErrorResponse = z.output<typeof errorResponseSchema>;

/** The 422 body for some problems. @internal */
export function toValidationErrorResponse(problems: readonly RequestProblem[]): ValidationErrorResponse {
  return {
    detail: problems.map((problem) => ({
      loc: ['body', ...problem.path],
      msg: problem.type === 'value_error' ? `Value error, ${problem.message}` : problem.message,
      type: problem.type,
    })),
    problems: problems.map((problem) => ({
      path: [...problem.path],
      message: problem.message,
      type: problem.type,
    })),
  };
}
