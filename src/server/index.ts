/**
 * ep-stats/server: the REST API of ep-stats (wire-compatible with the Python package's), as a
 * framework-independent service and as a Fastify server. Node.js only.
 *
 * @packageDocumentation
 */

export { buildServer } from './build-server.js';
export { type CloseOnSignalsOptions, closeOnSignals } from './close-on-signals.js';
export { encodeResponseBody } from './encode-response-body.js';
export {
  type ErrorResponse,
  errorResponseSchema,
  type ValidationErrorResponse,
  validationErrorResponseSchema,
} from './error-response-schemas.js';
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
} from './evaluate-response-schema.js';
export type { EvaluationLabels, EvaluationMetricsRecorder } from './evaluation-metrics-recorder.js';
export {
  createEvaluationService,
  type EvaluationService,
  type EvaluationServiceOptions,
  type ServiceCallOptions,
} from './evaluation-service.js';
export { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.js';
export type { RequestProblem, RequestValidation } from './request-problem.js';
export {
  type SampleSizeRequest,
  type SampleSizeResponse,
  sampleSizeRequestSchema,
  sampleSizeResponseSchema,
} from './sample-size-schemas.js';
export { ServerMetrics } from './server-metrics.js';
export {
  DEFAULT_SERVER_OPTIONS,
  SERVER_LOG_LEVELS,
  type ServerLogLevel,
  type ServerOptions,
} from './server-options.js';
export { type ServerSettings, serverSettingsFromEnv } from './server-settings-from-env.js';
export type { ServiceLogger } from './service-logger.js';
export type { EvaluateOutcome, SampleSizeOutcome } from './service-outcomes.js';
export { type RunningServer, startServer } from './start-server.js';
export { stringifyPythonJson } from './stringify-python-json.js';
export { toEvaluateResponse } from './to-evaluate-response.js';
export { toExperiment } from './to-experiment.js';
export { NON_FINITE_KEY, type NonFiniteToken, toStrictJson } from './to-strict-json.js';
export { validateEvaluateRequest } from './validate-evaluate-request.js';
export { validateSampleSizeRequest } from './validate-sample-size-request.js';
