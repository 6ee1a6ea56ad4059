/**
 * ep-stats/server: the REST API of ep-stats (wire-compatible with the Python package's), as a
 * framework-independent service and as a Fastify server, with the JSON wire format's schemas, validation and
 * encoding. Node.js only.
 *
 * @packageDocumentation
 */

export {
  type CheckDefinition,
  checkDefinitionSchema,
  checkResultSchema,
  checkStatSchema,
  type ErrorResponse,
  EVALUATE_FROM,
  type EvaluateFrom,
  type EvaluateRequest,
  type EvaluateRequestBody,
  type EvaluateResponse,
  encodeResponseBody,
  errorResponseSchema,
  evaluateRequestSchema,
  evaluateResponseSchema,
  exposureStatSchema,
  type FilterDefinition,
  filterDefinitionSchema,
  type MetricDefinition,
  type MetricStat,
  metricDefinitionSchema,
  metricResultSchema,
  metricStatSchema,
  NON_FINITE_KEY,
  type NonFiniteToken,
  type RequestProblem,
  type RequestValidation,
  type ResponseAnalysis,
  type ResponseWarning,
  resolveEvaluateFrom,
  responseWarningSchema,
  type SampleSizeRequest,
  type SampleSizeResponse,
  sampleSizeRequestSchema,
  sampleSizeResponseSchema,
  segmentResultSchema,
  stringifyPythonJson,
  timelineDaySchema,
  toEvaluateResponse,
  toExperiment,
  toResponseWarning,
  toStrictJson,
  type ValidationErrorResponse,
  validateEvaluateRequest,
  validateSampleSizeRequest,
  validationErrorResponseSchema,
  type WarningToWrite,
} from '../wire/index.js';
export { buildServer } from './build-server.js';
export { type CloseOnSignalsOptions, closeOnSignals } from './close-on-signals.js';
export type { EvaluationLabels, EvaluationMetricsRecorder } from './evaluation-metrics-recorder.js';
export {
  createEvaluationService,
  type EvaluateJsonOptions,
  type EvaluationService,
  type EvaluationServiceOptions,
  type ServiceCallOptions,
} from './evaluation-service.js';
export {
  buildOpenApiDocument,
  type OpenApiDocument,
  type OpenApiDocumentOptions,
} from './openapi-document.js';
export { ServerMetrics } from './server-metrics.js';
export {
  DEFAULT_SERVER_OPTIONS,
  SERVER_LOG_LEVELS,
  type ServerLogLevel,
  type ServerOptions,
} from './server-options.js';
export { type ServerSettings, serverSettingsFromEnv } from './server-settings-from-env.js';
export type { ServiceLogger } from './service-logger.js';
export type { EvaluateJsonOutcome, EvaluateOutcome, SampleSizeOutcome } from './service-outcomes.js';
export { type RunningServer, startServer } from './start-server.js';
