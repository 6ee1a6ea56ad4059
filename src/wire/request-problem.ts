import { z } from 'zod';

/**
 * One problem of a request body: where it is and what is wrong.
 *
 * @remarks
 * `path` names the offending field from the body's root in the wire's snake_case names, with array
 * indices as numbers (`['metrics', 0, 'nominator']`); `[]` is the body itself. `message` is the
 * reference's text where the reference has one ("we expect date_from to be in `2020-06-15` format").
 * `type` classifies the problem with the reference's (pydantic's) error types: `missing`,
 * `string_type`, `int_type`, `float_type`, `bool_type`, `list_type`, `dict_type`, `enum`,
 * `string_too_short`, `greater_than_equal`, `greater_than`, `less_than_equal`, `less_than`,
 * `extra_forbidden` (an unknown member of an object that rejects them, such as `cuped`) or `value_error` (a
 * rule of the REST API, such as an expression that does not parse).
 *
 * @example
 * ```ts
 * import type { RequestProblem } from 'ep-stats/server';
 * const problem: RequestProblem = { path: ['date_from'], message: 'we expect date_from to be in `2020-06-15` format', type: 'value_error' };
 * problem.path; // => ['date_from']
 * ```
 * @public
 */
export interface RequestProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly type: string;
}

/**
 * The outcome of validating a request body: the typed value, or every problem found.
 *
 * @example
 * ```ts
 * import { validateSampleSizeRequest, type RequestValidation, type SampleSizeRequest } from 'ep-stats/server';
 * const result: RequestValidation<SampleSizeRequest> = validateSampleSizeRequest({ n_variants: 2, minimum_effect: 0.1, mean: 0.2 });
 * result.ok; // => true
 * ```
 * @public
 */
export type RequestValidation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly RequestProblem[] };

const TYPE_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  string: ['a valid string', 'string_type'],
  number: ['a valid number', 'float_type'],
  int: ['a valid integer', 'int_type'],
  boolean: ['a valid boolean', 'bool_type'],
  array: ['a valid list', 'list_type'],
  object: ['a valid object', 'dict_type'],
  record: ['a valid object', 'dict_type'],
};

const INTEGER_MESSAGE = 'Input should be a valid integer';

/** A zod integer whose type errors say "integer" also for non-numbers. @internal */
export function wireInteger() {
  return z.number({ error: INTEGER_MESSAGE }).int({ error: INTEGER_MESSAGE });
}

/**
 * Converts zod issues to {@link RequestProblem}s with the reference's wording ("Field required", "Input
 * should be a valid string").
 *
 * @param issues - The issues of a failed `safeParse`.
 * @param input - The parsed input, to tell a missing field from a wrong one.
 * @internal
 */
export function problemsFromZodIssues(issues: readonly z.core.$ZodIssue[], input: unknown): RequestProblem[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map((part) => (typeof part === 'number' ? part : String(part)));
    // An object that rejects unknown members (`cuped`): one problem per member, at the member.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      }));
    }
    return [{ path, ...describeIssue(issue, valueAt(input, path)) }];
  });
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): { message: string; type: string } {
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return { message: 'Field required', type: 'missing' };
      if (issue.message === INTEGER_MESSAGE) return { message: INTEGER_MESSAGE, type: 'int_type' };
      const [name, type] = TYPE_NAMES[issue.expected] ?? [`of type ${issue.expected}`, 'type_error'];
      return { message: `Input should be ${name}`, type };
    }
    case 'invalid_value': {
      const options = issue.values.map((option) => `'${String(option)}'`);
      const listed =
        options.length <= 1
          ? (options[0] ?? '')
          : `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`;
      return { message: `Input should be ${listed}`, type: 'enum' };
    }
    case 'too_small':
      if (issue.origin === 'string') {
        return {
          message: `String should have at least ${String(issue.minimum)} character${issue.minimum === 1 ? '' : 's'}`,
          type: 'string_too_short',
        };
      }
      return issue.inclusive
        ? {
            message: `Input should be greater than or equal to ${String(issue.minimum)}`,
            type: 'greater_than_equal',
          }
        : { message: `Input should be greater than ${String(issue.minimum)}`, type: 'greater_than' };
    case 'too_big':
      return issue.inclusive
        ? {
            message: `Input should be less than or equal to ${String(issue.maximum)}`,
            type: 'less_than_equal',
          }
        : { message: `Input should be less than ${String(issue.maximum)}`, type: 'less_than' };
    default:
      return { message: issue.message, type: 'value_error' };
  }
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let current = input;
  for (const part of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}
