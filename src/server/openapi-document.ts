import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import {
  errorResponseSchema,
  evaluateRequestSchema,
  evaluateResponseSchema,
  sampleSizeRequestSchema,
  sampleSizeResponseSchema,
  validationErrorResponseSchema,
} from '../wire/index.js';

/**
 * An OpenAPI 3.0 document (the members that {@link buildOpenApiDocument} fills).
 *
 * @example
 * ```ts
 * import { buildOpenApiDocument, type OpenApiDocument } from 'ep-stats/server';
 * const document: OpenApiDocument = buildOpenApiDocument();
 * document.info.title; // => 'ep-stats'
 * ```
 * @public
 */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly paths: Readonly<Record<string, unknown>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, unknown>>;
    /** `bearerAuth`, with {@link OpenApiDocumentOptions.bearerAuthentication}. */
    readonly securitySchemes?: Readonly<Record<string, unknown>>;
  };
  /** The security requirement of every operation (`/health` overrides it), with `bearerAuthentication`. */
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
}

/**
 * Options of {@link buildOpenApiDocument}.
 *
 * @example
 * ```ts
 * import { buildOpenApiDocument, type OpenApiDocumentOptions } from 'ep-stats/server';
 * const options: OpenApiDocumentOptions = { bearerAuthentication: true };
 * buildOpenApiDocument(options).security; // => [{ bearerAuth: [] }]
 * ```
 * @public
 */
export interface OpenApiDocumentOptions {
  /**
   * Whether the API requires `Authorization: Bearer <key>` (the server's `apiKeys`): declares the
   * `bearerAuth` security scheme, requires it on every operation but `GET /health`, and adds the 401 responses.
   */
  readonly bearerAuthentication?: boolean;
}

/** The document's `info.version`: the package's version (bundled into the build from package.json). */
const API_VERSION: string = packageJson.version;

const EXAMPLE_REQUEST = {
  id: 'test-conversion',
  control_variant: 'a',
  unit_type: 'test_unit_type',
  metrics: [
    {
      id: 1,
      name: 'Click-through Rate',
      nominator: 'count(test_unit_type.unit.click)',
      denominator: 'count(test_unit_type.global.exposure)',
    },
  ],
  checks: [{ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' }],
};

/** A request evaluated from metric sums: a CUPED metric (the default then) and a ratio metric. */
const METRIC_SUMS_EXAMPLE_REQUEST = {
  id: 'checkout-redesign',
  control_variant: 'a',
  unit_type: 'user',
  date_from: '2024-03-01',
  date_to: '2024-03-28',
  metrics: [
    {
      id: 1,
      name: 'Revenue per user',
      nominator: 'value(user.unit.order)',
      denominator: 'count(user.global.exposure)',
      cuped: { pre_days: 14 },
    },
    {
      id: 2,
      name: 'Revenue per order',
      nominator: 'value(user.unit.order)',
      denominator: 'count(user.unit.order)',
    },
  ],
  checks: [{ id: 1, name: 'SRM', denominator: 'count(user.global.exposure)' }],
};

const STRICT_PARAMETER = {
  name: 'strict',
  in: 'query',
  required: false,
  description:
    'With `true`, the response is strict JSON: non-finite numbers are `null` and each object holding one gets a ' +
    '`non_finite` member naming them (`{"mean": null, "non_finite": {"mean": "NaN"}}`). Without it (or `false`), ' +
    "non-finite numbers are written as the bare tokens `NaN`, `Infinity`, `-Infinity`, as Python's `json` does. " +
    'The server option `strictJson` sets the default.',
  schema: { type: 'string', enum: ['true', 'false'] },
};

function schema(zodSchema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(zodSchema, { target: 'openapi-3.0', io }) as Record<
    string,
    unknown
  >;
  return rest;
}

const json = (name: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});

const REQUEST_ERRORS = {
  '400': json('Error', 'The body is not JSON, or the `strict` parameter is neither `true` nor `false`.'),
  '413': json('Error', 'The body exceeds the body limit.'),
  '415': json('Error', 'The content type is not `application/json`.'),
  '422': json(
    'ValidationError',
    'The body is not a valid request (also: more metrics, checks, variants or filters than the server allows, or a response larger than its maximum response size); every problem is listed.',
  ),
  '408': json(
    'Error',
    'The request was not received within the request or headers timeout (`error: request-timeout`).',
  ),
  '503': json('Error', 'The server shut down before the request was finished (`error: shutdown-timeout`).'),
};

/**
 * The OpenAPI 3.0 document of the REST API, built from the zod schemas of the requests and responses.
 *
 * @remarks
 * Paths: `POST /evaluate`, `POST /sample-size-calculation` (each with the `strict` query parameter and
 * their error responses), `GET /health`, `GET /metrics`. Components: `Experiment`, `Result`,
 * `SampleSizeCalculationData`, `SampleSizeCalculationResult` (the reference's schema names),
 * `ValidationError` and `Error`. Schemas describe the structure; the rules that relate fields are in
 * the descriptions. Numbers in results may be `NaN` / `Infinity` (see the `strict` parameter).
 * `info.version` is the version of the ep-stats package. With `bearerAuthentication`, the document
 * declares the `bearerAuth` scheme (HTTP Bearer), requires it globally (not for `/health`) and adds a 401
 * response to each operation.
 *
 * @param options - See {@link OpenApiDocumentOptions}; no authentication by default.
 * @returns A new document (plain data, JSON-serializable).
 *
 * @example
 * ```ts
 * import { buildOpenApiDocument } from 'ep-stats/server';
 * const document = buildOpenApiDocument();
 * Object.keys(document.paths); // => ['/evaluate', '/sample-size-calculation', '/health', '/metrics']
 * document.openapi; // => '3.0.3'
 * document.security; // => undefined
 * Object.keys(buildOpenApiDocument({ bearerAuthentication: true }).components.securitySchemes ?? {}); // => ['bearerAuth']
 * ```
 * @public
 */
export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  const document = {
    openapi: '3.0.3',
    info: {
      title: 'ep-stats',
      version: API_VERSION,
      description:
        'Statistics for online controlled experiments: evaluates metrics and data-quality checks of an ' +
        'experiment from goals aggregated per variant, and computes required sample sizes.',
    },
    paths: {
      '/evaluate': {
        post: {
          tags: ['Experiment Evaluation'],
          summary: 'Evaluate an experiment',
          description:
            'Validates the experiment (every problem is reported), loads its aggregated goals (or, with ' +
            "`evaluate_from: 'metric_sums'` or a metric with `cuped`, its per-unit metric sums) through the " +
            'data access layer and returns per metric and variant the mean, the relative difference to the ' +
            "control with Welch's t-test, the confidence interval, sample sizes, power and false positive " +
            'risk, plus the checks and the exposures. Rules beyond the schema: nominator and denominator ' +
            'non-empty, parsable and with at least one goal (also the nominator of a SumRatio check); dates ' +
            'in `2020-06-15` form with `date_from <= date_for <= date_to` and `date_for` only with both; a ' +
            "`trigger` filter needs `goal`, the other scopes `dimension` and `value`. Added to the reference's " +
            'response (clients of its format ignore them): `warnings`, each with a stable `code` such as ' +
            '`goal-without-rows` (a goal the metrics need has no rows; `suggestion` names a close goal of the ' +
            'data), `no-exposures` or `empty-input`; and in each metric row the interval bounds ' +
            '`confidence_lower` / `confidence_upper` of `diff`, the absolute difference `absolute_diff` with ' +
            '`absolute_diff_lower` / `absolute_diff_upper`, and `significant`. From metric sums, a `ratio` ' +
            'metric gets its delta-method variance and a `cuped` metric is adjusted with its pre-period values.',
          parameters: [STRICT_PARAMETER],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Experiment' },
                examples: {
                  goals: { summary: 'From goals aggregated per variant', value: EXAMPLE_REQUEST },
                  metricSums: {
                    summary: 'From metric sums, with a CUPED metric',
                    value: METRIC_SUMS_EXAMPLE_REQUEST,
                  },
                },
              },
            },
          },
          responses: {
            '200': json('Result', 'The evaluation.'),
            ...REQUEST_ERRORS,
            '500': json('Error', 'The evaluation failed unexpectedly (`error: evaluation-failed`).'),
            '502': json(
              'Error',
              'The data access failed (`error: data-access-failed`) or returned invalid goal rows (`error: invalid-goal-data`).',
            ),
            '501': json(
              'Error',
              "The request is evaluated from metric sums (`evaluate_from: 'metric_sums'`, or a metric with `cuped`) and the server's data access layer has none (`error: metric-sums-not-supported`), or it asks for `breakdowns` or a `timeline` that the data access layer cannot load (`error: segments-not-supported`, `timeline-not-supported`).",
            ),
            '504': json(
              'Error',
              'The data access did not answer within the Dao deadline (`error: data-access-timed-out`).',
            ),
          },
        },
      },
      '/sample-size-calculation': {
        post: {
          tags: ['Sample Size'],
          summary: 'Required sample size per variant',
          description:
            'Sample size per variant needed to detect `minimum_effect` (relative) with the given power, ' +
            'Bonferroni-corrected for the number of variants. Without `std`, the metric is a conversion rate ' +
            '(Bernoulli) and `mean` must be in [0, 1].',
          parameters: [STRICT_PARAMETER],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/SampleSizeCalculationData' },
                example: { n_variants: 2, minimum_effect: 0.1, mean: 0.2, std: 1.2 },
              },
            },
          },
          responses: {
            '200': json('SampleSizeCalculationResult', 'The sample size per variant.'),
            ...REQUEST_ERRORS,
          },
        },
      },
      '/health': {
        get: {
          tags: ['Health'],
          summary: 'Readiness and liveness probe',
          responses: {
            '200': {
              description: 'The server is ready.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { message: { type: 'string', example: 'ep-stats-api is ready' } },
                    required: ['message'],
                  },
                },
              },
            },
          },
        },
      },
      '/metrics': {
        get: {
          tags: ['Health'],
          summary: 'Prometheus metrics',
          responses: {
            '200': {
              description: 'Counters and summaries in the Prometheus text format.',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Experiment: schema(evaluateRequestSchema, 'input'),
        Result: schema(evaluateResponseSchema, 'output'),
        SampleSizeCalculationData: schema(sampleSizeRequestSchema, 'input'),
        SampleSizeCalculationResult: schema(sampleSizeResponseSchema, 'output'),
        ValidationError: schema(validationErrorResponseSchema, 'output'),
        Error: schema(errorResponseSchema, 'output'),
      },
    },
  };
  return options.bearerAuthentication === true ? withBearerAuthentication(document) : document;
}

const UNAUTHORIZED = json(
  'Error',
  'No or a wrong API key (`error: unauthorized`); send `Authorization: Bearer <key>`.',
);

/** The document with the `bearerAuth` scheme required on every operation but `GET /health`. */
function withBearerAuthentication(document: OpenApiDocument): OpenApiDocument {
  const paths: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const operations: Record<string, unknown> = {};
    for (const [method, operation] of Object.entries(item as Record<string, Record<string, unknown>>)) {
      operations[method] =
        path === '/health'
          ? { ...operation, security: [] }
          : {
              ...operation,
              responses: { ...(operation.responses as Record<string, unknown>), '401': UNAUTHORIZED },
            };
    }
    paths[path] = operations;
  }
  return {
    ...document,
    paths,
    components: {
      ...document.components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key of the server (`apiKeys`, `EP_STATS_API_KEYS`, `EP_STATS_API_KEYS_FILE`).',
        },
      },
    },
    security: [{ bearerAuth: [] }],
  };
}
