import { stringifyPythonJson } from './stringify-python-json.js';
import { toStrictJson } from './to-strict-json.js';

/**
 * Encodes a response body as JSON text in one of the two wire formats of the REST API.
 *
 * @remarks
 * Default (`strict = false`): the reference's format, non-finite numbers as the bare tokens `NaN`,
 * `Infinity` and `-Infinity` ({@link stringifyPythonJson}); Python clients read it as is. Strict
 * (`strict = true`): standard JSON, non-finite numbers as `null` plus a `non_finite` member naming them
 * ({@link toStrictJson}); for clients whose parser rejects the tokens (`JSON.parse`, Go, Java).
 *
 * @param body - The response object.
 * @param strict - Whether to write strict JSON.
 * @returns The JSON text.
 *
 * @example
 * ```ts
 * import { encodeResponseBody } from 'ep-stats/server';
 * encodeResponseBody({ sample_size_per_variant: Infinity }, false); // => '{"sample_size_per_variant":Infinity}'
 * encodeResponseBody({ sample_size_per_variant: Infinity }, true); // => '{"sample_size_per_variant":null,"non_finite":{"sample_size_per_variant":"Infinity"}}'
 * ```
 * @public
 */
export function encodeResponseBody(body: unknown, strict: boolean): string {
  return strict ? JSON.stringify(toStrictJson(body)) : stringifyPythonJson(body);
}
