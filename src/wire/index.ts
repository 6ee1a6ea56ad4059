/**
 * The REST API's JSON wire format, shared by `ep-stats/server` (which re-exports it) and the command line:
 * request schemas and their validation, the mapping of a request to an `Experiment`, response schemas and the
 * encoding of responses (bare `NaN` tokens like the Python reference, or strict JSON). It loads zod, never the
 * HTTP framework. An internal entry: users import these names from `ep-stats/server`.
 *
 * @packageDocumentation
 */

export { encodeResponseBody } from './encode-response-body.js';
export {
  type ErrorResponse,
  errorResponseSchema,
  // Internal: the server's 422 bodies.
  toValidationErrorResponse,
  type ValidationErrorResponse,
  validationErrorResponseSchema,
} from './error-response-schemas.js';
export { EVALUATE_FROM, type EvaluateFrom, resolveEvaluateFrom } from './evaluate-from.js';
export {
  type CheckDefinition,
  checkDefinitionSchema,
  type EvaluateRequest,
  type EvaluateRequestBody,
  evaluateRequestSchema,
  type FilterDefinition,
  filterDefinitionSchema,
  type MetricDefinition,
  metricDefinitionSchema,
} from './evaluate-request-schema.js';
export {
  checkResultSchema,
  checkStatSchema,
  type EvaluateResponse,
  evaluateResponseSchema,
  exposureStatSchema,
  type MetricStat,
  metricResultSchema,
  metricStatSchema,
  type ResponseWarning,
  responseWarningSchema,
  segmentResultSchema,
  timelineDaySchema,
} from './evaluate-response-schema.js';
export type { RequestProblem, RequestValidation } from './request-problem.js';
export {
  type SampleSizeRequest,
  type SampleSizeResponse,
  sampleSizeRequestSchema,
  sampleSizeResponseSchema,
} from './sample-size-schemas.js';
export { stringifyPythonJson } from './stringify-python-json.js';
export { type ResponseAnalysis, toEvaluateResponse } from './to-evaluate-response.js';
export { toExperiment } from './to-experiment.js';
export { toResponseWarning, type WarningToWrite } from './to-response-warning.js';
export { NON_FINITE_KEY, type NonFiniteToken, toStrictJson } from './to-strict-json.js';
export { validateEvaluateRequest } from './validate-evaluate-request.js';
export { validateSampleSizeRequest } from './validate-sample-size-request.js';
