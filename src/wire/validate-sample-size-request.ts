import { formatPython } from '../index.js';
import { problemsFromZodIssues, type RequestProblem, type RequestValidation } from './request-problem.js';
import { type SampleSizeRequest, sampleSizeRequestSchema } from './sample-size-schemas.js';

/**
 * Validates a `POST /sample-size-calculation` body and reports every problem at once.
 *
 * @remarks
 * Structure problems ({@link sampleSizeRequestSchema}: types, `confidence_level` and `power` strictly
 * between 0 and 1, `std` not negative) and the reference's rules, with its messages:
 * "minimum_effect must be greater than zero.", "There must be at least two variants." and, without
 * `std`, "mean must be between zero and one, received 1.4." (the number printed as Python prints it).
 * Every problem's `path` is the field's wire name (`minimum_effect`).
 *
 * @param body - The parsed JSON body.
 * @returns The validated request with defaults applied, or the problems.
 *
 * @example
 * ```ts
 * import { validateSampleSizeRequest } from 'ep-stats/server';
 * const result = validateSampleSizeRequest({ n_variants: 1, minimum_effect: -0.4, mean: 1.4 });
 * (result.ok ? [] : result.problems.map((problem) => problem.message)); // => ['minimum_effect must be greater than zero.', 'mean must be between zero and one, received 1.4.', 'There must be at least two variants.']
 * ```
 * @public
 */
export function validateSampleSizeRequest(body: unknown): RequestValidation<SampleSizeRequest> {
  const parsed = sampleSizeRequestSchema.safeParse(body);
  const problems = [
    ...(parsed.success ? [] : problemsFromZodIssues(parsed.error.issues, body)),
    ...sampleSizeRules(body),
  ];
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, value: parsed.data };
}

function sampleSizeRules(body: unknown): RequestProblem[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const { n_variants: variants, minimum_effect: minimumEffect, mean, std } = body as Record<string, unknown>;
  const problems: RequestProblem[] = [];
  if (typeof minimumEffect === 'number' && minimumEffect < 0) {
    problems.push({
      path: ['minimum_effect'],
      message: 'minimum_effect must be greater than zero.',
      type: 'value_error',
    });
  }
  if ((std === undefined || std === null) && typeof mean === 'number' && !(mean >= 0 && mean <= 1)) {
    problems.push({
      path: ['mean'],
      message: `mean must be between zero and one, received ${formatPython('{}', mean)}.`,
      type: 'value_error',
    });
  }
  if (typeof variants === 'number' && variants < 2) {
    problems.push({
      path: ['n_variants'],
      message: 'There must be at least two variants.',
      type: 'value_error',
    });
  }
  return problems;
}
