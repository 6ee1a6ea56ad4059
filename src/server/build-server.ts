import { fastifySwagger } from '@fastify/swagger';
import { fastifySwaggerUi } from '@fastify/swagger-ui';
import {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  fastify,
} from 'fastify';
import { TestDaoFactory } from '../testing/index.js';
import { encodeResponseBody } from './encode-response-body.js';
import { type ErrorResponse, toValidationErrorResponse } from './error-response-schemas.js';
import { createEvaluationService } from './evaluation-service.js';
import { buildOpenApiDocument } from './openapi-document.js';
import { ServerMetrics } from './server-metrics.js';
import { resolveServerOptions, type ServerOptions } from './server-options.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Builds the REST API server (a Fastify instance, not yet listening).
 *
 * @remarks
 * Routes: `POST /evaluate` and `POST /sample-size-calculation` (the {@link createEvaluationService}
 * operations), `GET /health` (`{"message": "ep-stats-api is ready"}`), `GET /metrics` (the instance's own
 * {@link ServerMetrics} in the Prometheus text format), `GET /openapi.json` ({@link buildOpenApiDocument})
 * and the interactive documentation at `/docs` (Swagger UI, assets served from the installed package).
 *
 * Responses of the two POST routes are JSON with the bare tokens `NaN` / `Infinity` for non-finite
 * numbers, as the reference writes them, or strict JSON with `?strict=true` (or the `strictJson`
 * option; `?strict=false` overrides it): see {@link encodeResponseBody}. Statuses: 200; 400 for a body
 * that is not JSON or a `strict` value other than `true`/`false`; 413 for a body over `bodyLimit`; 415
 * for a content type other than `application/json`; 422 with every problem
 * ({@link ValidationErrorResponse}); 502 when the data access fails or returns unreadable rows; 500
 * for an unexpected failure; 404 for unknown routes. Error bodies have a `detail` and never a stack
 * trace. Evaluations beyond `evaluationConcurrency` wait for a free slot. Logs are pino's JSON lines at
 * `logLevel`.
 *
 * @param options - See {@link ServerOptions}; host and port are used by {@link startServer} only.
 * @returns The Fastify instance; call `listen`, or `inject` in tests.
 * @throws `ValidationError` for an invalid option.
 *
 * @example
 * ```ts
 * import { buildServer } from 'ep-stats/server';
 * const server = buildServer({ logLevel: 'silent' });
 * (await server.inject({ method: 'GET', url: '/health' })).json(); // => { message: 'ep-stats-api is ready' }
 * const response = await server.inject({ method: 'POST', url: '/sample-size-calculation', payload: { n_variants: 2, minimum_effect: 0.1, mean: 0, std: 0 } });
 * response.body; // => '{"sample_size_per_variant":NaN}'
 * await server.close();
 * ```
 * @public
 */
export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const settings = resolveServerOptions(options);
  const app = fastify({ logger: { level: settings.logLevel }, bodyLimit: settings.bodyLimit });
  const metrics = new ServerMetrics();
  const service = createEvaluationService({
    daoFactory: settings.daoFactory ?? new TestDaoFactory(),
    metrics,
    concurrency: settings.evaluationConcurrency,
    logger: app.log,
  });
  const document = buildOpenApiDocument();

  // Only JSON bodies: without a parser for text/plain, other content types get 415.
  app.removeContentTypeParser('text/plain');
  app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'Request failed');
      return sendJson(reply, status, { detail: 'Internal Server Error' });
    }
    request.log.info({ err: error }, 'Rejected request');
    return sendJson(reply, status, {
      detail: error.message,
      ...(typeof error.code === 'string' ? { error: error.code } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) =>
    sendJson(reply, 404, { detail: `Not Found: ${request.method} ${request.url.split('?')[0]}` }),
  );

  app.post('/evaluate', async (request, reply) => {
    const strict = strictMode(request, settings.strictJson);
    if (typeof strict === 'string') return sendJson(reply, 400, { detail: strict });
    const outcome = await service.evaluate(request.body, { logger: request.log });
    if (outcome.ok) return sendText(reply, 200, encodeResponseBody(outcome.response, strict));
    if (outcome.kind === 'invalid-request') {
      return sendJson(reply, 422, toValidationErrorResponse(outcome.problems));
    }
    return sendJson(reply, outcome.status, {
      detail: outcome.message,
      experiment_id: outcome.experimentId,
      error: outcome.kind,
    } satisfies ErrorResponse);
  });

  app.post('/sample-size-calculation', async (request, reply) => {
    const strict = strictMode(request, settings.strictJson);
    if (typeof strict === 'string') return sendJson(reply, 400, { detail: strict });
    const outcome = service.sampleSize(request.body, { logger: request.log });
    if (outcome.ok) return sendText(reply, 200, encodeResponseBody(outcome.response, strict));
    return sendJson(reply, 422, toValidationErrorResponse(outcome.problems));
  });

  app.get('/health', async (_request, reply) => sendJson(reply, 200, { message: 'ep-stats-api is ready' }));

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.code(200).type(metrics.registry.contentType).send(text);
  });

  app.get('/openapi.json', async (_request, reply) => sendJson(reply, 200, document));

  return app;
}

/** The response format asked for, or the message of a 400 for a bad `strict` parameter. */
function strictMode(request: FastifyRequest, fallback: boolean): boolean | string {
  const value = (request.query as Record<string, unknown> | undefined)?.strict;
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return `Query parameter \`strict\` must be \`true\` or \`false\`, received ${JSON.stringify(value)}`;
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return sendText(reply, status, JSON.stringify(body));
}

function sendText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).type(JSON_TYPE).send(text);
}
