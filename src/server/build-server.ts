import type { Socket } from 'node:net';
import { fastifySwagger } from '@fastify/swagger';
import { fastifySwaggerUi } from '@fastify/swagger-ui';
import {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  fastify,
  LogController,
} from 'fastify';
import { type ErrorResponse, encodeResponseBody, toValidationErrorResponse } from '../wire/index.js';
import { addAuthentication } from './api-keys.js';
import { createEvaluationService } from './evaluation-service.js';
import { buildOpenApiDocument } from './openapi-document.js';
import { redactingStdout, redactSecrets } from './redact-secrets.js';
import { addRequestLog } from './request-log.js';
import { addSecurityHeaders } from './security-headers.js';
import { ServerMetrics } from './server-metrics.js';
import {
  type ResolvedServerOptions,
  resolveServerOptions,
  responseTooLarge,
  SETTING_VARIABLES,
  type ServerOptions,
} from './server-options.js';

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
 * ({@link ValidationErrorResponse}); 502 when the data access fails or returns unreadable rows; 501
 * (`metric-sums-not-supported`) when the request is evaluated from metric sums (`evaluate_from`, or a
 * metric with `cuped`) and the Dao has no `getMetricSums` (`segments-not-supported`, `timeline-not-supported`
 * for `breakdowns` or a `timeline` without `getAggGoalSegments` or `getTimelineGoals`); 500 for an unexpected failure; 404 for unknown routes; 422 also for more metrics, checks, variants or filters
 * than `maxMetrics` / `maxChecks` / `maxVariants` / `maxFilters` and for a response larger than
 * `maxResponseBytes` (a problem at the body's root: ask for less); 504 (`data-access-timed-out`) when the
 * data access does not settle within `daoTimeout`; 408 (then the connection is closed) for a client that
 * has not sent its headers within `headersTimeout` or its whole request within `requestTimeout`. Error bodies have a `detail` and never a stack
 * trace; credentials in them (the password of a URL, `password=...`) are replaced by `***`. Evaluations
 * beyond `evaluationConcurrency` wait for a free slot.
 *
 * Every response has `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, no
 * `X-Powered-By`, and a Content-Security-Policy: `default-src 'none'; frame-ancestors 'none'`, or for the
 * Swagger UI under `/docs` one that allows its own scripts and styles only (and no framing).
 *
 * With `apiKeys`, every route but `GET /health` (also `/metrics`, `/openapi.json`, `/docs`, unknown routes)
 * requires `Authorization: Bearer <key>` with one of the keys; a missing or wrong key gets 401 with
 * `WWW-Authenticate: Bearer` and `{"detail": ..., "error": "unauthorized"}` before the body is read. Keys are
 * compared as SHA-256 digests in constant time, and never logged or echoed.
 *
 * Logs are pino's JSON lines on standard output at `logLevel`, with credentials redacted from every line.
 * At `info` each request writes exactly one line, after its response: `method`, `url` (values of
 * secret-looking query parameters as `***`), `statusCode`, `responseTime` (ms) and `bytes`; no bodies.
 *
 * The goals come from `options.daoFactory`, which is required: the server has no default data source
 * (pass `new TestDaoFactory()` of `ep-stats/testing` to serve the bundled reference test data).
 *
 * On `close()` the server stops accepting connections and lets requests in flight finish; keep-alive
 * connections are closed as soon as they are idle (those idle at once, the others after their response,
 * which is sent with `Connection: close`), so closing never waits for a client's idle socket. Requests
 * still unanswered after `shutdownTimeout` ms get 503 (`shutdown-timeout`) and every connection left is
 * closed shortly after, so `close()` of a listening server resolves in about `shutdownTimeout` at most.
 *
 * @param options - See {@link ServerOptions}; `daoFactory` is required; host and port are used by
 *   {@link startServer} only.
 * @returns The Fastify instance; call `listen`, or `inject` in tests.
 * @throws `ValidationError` for an invalid or missing option (`path` names it, e.g. `['daoFactory']`).
 *
 * @example
 * ```ts
 * import { ValidationError } from 'ep-stats';
 * import { TestDaoFactory } from 'ep-stats/testing';
 * import { buildServer } from 'ep-stats/server';
 * const server = buildServer({ daoFactory: new TestDaoFactory(), logLevel: 'silent' });
 * (await server.inject({ method: 'GET', url: '/health' })).json(); // => { message: 'ep-stats-api is ready' }
 * const response = await server.inject({ method: 'POST', url: '/sample-size-calculation', payload: { n_variants: 2, minimum_effect: 0.1, mean: 0, std: 0 } });
 * response.body; // => '{"sample_size_per_variant":NaN}'
 * await server.close();
 * // Without a daoFactory (possible from JavaScript):
 * buildServer({ logLevel: 'silent' } as never); // throws ValidationError
 * ```
 * @public
 */
export function buildServer(options: ServerOptions): FastifyInstance {
  const settings = resolveServerOptions(options);
  const app = fastify({
    // Each line is redacted (credentials in URLs and `password=` forms) before it reaches standard output.
    // The Authorization header is never logged (Fastify logs no headers; this guards a custom serializer).
    logger: {
      level: settings.logLevel,
      stream: redactingStdout,
      redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '***' },
    },
    // One line per request instead of Fastify's two, without bodies (see addRequestLog).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: settings.bodyLimit,
    // `close()` also ends the keep-alive connections that are idle at that moment.
    forceCloseConnections: 'idle',
    requestTimeout: settings.requestTimeout,
    keepAliveTimeout: settings.keepAliveTimeout,
    http: {
      requestTimeout: settings.requestTimeout,
      headersTimeout: settings.headersTimeout,
      keepAliveTimeout: settings.keepAliveTimeout,
      // Node checks the request and headers timeouts every this many ms (30 s by default).
      connectionsCheckingInterval: Math.max(
        10,
        Math.min(1000, Math.floor(Math.min(settings.headersTimeout, settings.requestTimeout) / 4)),
      ),
    },
    clientErrorHandler: answerClientError,
  });
  closeConnectionsWhenIdleOnClose(app);
  boundShutdown(app, settings.shutdownTimeout);
  addSecurityHeaders(app);
  addRequestLog(app);
  // Before the routes and plugins, so that it covers all of them (also /docs, /metrics and 404s).
  addAuthentication(app, settings.apiKeys);
  const metrics = new ServerMetrics();
  const service = createEvaluationService({
    daoFactory: settings.daoFactory,
    metrics,
    concurrency: settings.evaluationConcurrency,
    logger: app.log,
    maxMetrics: settings.maxMetrics,
    maxChecks: settings.maxChecks,
    maxVariants: settings.maxVariants,
    maxFilters: settings.maxFilters,
    daoTimeout: settings.daoTimeout,
    maxResponseBytes: settings.maxResponseBytes,
    statisticsThreads: settings.statisticsThreads,
  });
  app.addHook('onClose', () => service.close());
  const document = buildOpenApiDocument({ bearerAuthentication: settings.apiKeys.length > 0 });

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
    request.log.debug({ err: error }, 'Rejected request');
    return sendJson(reply, status, {
      detail: redactSecrets(error.message),
      ...(typeof error.code === 'string' ? { error: error.code } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) =>
    sendJson(reply, 404, { detail: `Not Found: ${request.method} ${request.url.split('?')[0]}` }),
  );

  app.post('/evaluate', async (request, reply) => {
    const strict = strictMode(request, settings.strictJson);
    if (typeof strict === 'string') return sendJson(reply, 400, { detail: strict });
    const outcome = await service.evaluateJson(request.body, { logger: request.log, strict });
    // Answered meanwhile by the shutdown (see boundShutdown).
    if (reply.sent) return;
    if (outcome.ok) {
      const body = Buffer.from(outcome.body.buffer, outcome.body.byteOffset, outcome.body.byteLength);
      return reply.code(200).type(JSON_TYPE).send(body);
    }
    if (outcome.kind === 'invalid-request') {
      return sendJson(reply, 422, toValidationErrorResponse(outcome.problems));
    }
    return sendJson(reply, outcome.status, {
      detail: redactSecrets(outcome.message),
      experiment_id: outcome.experimentId,
      error: outcome.kind,
    } satisfies ErrorResponse);
  });

  app.post('/sample-size-calculation', async (request, reply) => {
    const strict = strictMode(request, settings.strictJson);
    if (typeof strict === 'string') return sendJson(reply, 400, { detail: strict });
    const outcome = service.sampleSize(request.body, { logger: request.log });
    if (outcome.ok) return sendResponse(reply, encodeResponseBody(outcome.response, strict), settings);
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

/**
 * Ends keep-alive connections that become idle while the server closes. Fastify's `close()` closes the
 * idle ones and answers requests that arrive later with 503 and `Connection: close`, but a connection
 * whose request was in flight at that moment would, once answered, stay open until the client or the
 * keep-alive timeout (`keepAliveTimeout`) ends it, and `close()` waits for it. So from `preClose` on, every response
 * is sent with `Connection: close` (Node ends the socket after it), and idle connections are closed again
 * after each response, in case one was answered before its headers could change.
 */
function closeConnectionsWhenIdleOnClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async () => {
    if (closing) app.server.closeIdleConnections();
  });
}

/**
 * Bounds `close()`: requests still in flight `grace` ms after it started are answered with 503 (and
 * `Connection: close`), and the connections left are destroyed shortly after. The timer is unreferenced
 * (open connections keep the process alive anyway) and cleared once the HTTP server has closed.
 */
function boundShutdown(app: FastifyInstance, grace: number): void {
  const inFlight = new Set<FastifyReply>();
  app.addHook('onRequest', async (_request, reply) => {
    inFlight.add(reply);
  });
  app.addHook('onResponse', async (_request, reply) => {
    inFlight.delete(reply);
  });
  app.addHook('onRequestAbort', async (request) => {
    for (const reply of inFlight) if (reply.request === request) inFlight.delete(reply);
  });
  app.addHook('preClose', async () => {
    if (!app.server.listening) return;
    const timer = setTimeout(() => {
      for (const reply of inFlight) {
        if (reply.sent || reply.raw.headersSent) continue;
        app.log.warn({ reqId: reply.request.id }, 'Answering a request in flight with 503 at the shutdown');
        sendJson(reply, 503, {
          detail: `The server shut down before the request was finished (shutdown grace of ${grace} ms, shutdownTimeout, ${SETTING_VARIABLES.shutdownTimeout})`,
          error: 'shutdown-timeout',
        } satisfies ErrorResponse);
      }
      inFlight.clear();
      // Let the 503s be written; then end whatever is left (e.g. a client still sending its body).
      setTimeout(() => app.server.closeAllConnections(), 50).unref();
    }, grace);
    timer.unref();
    app.server.once('close', () => clearTimeout(timer));
  });
}

/**
 * Answers Node's client errors (a request or headers timeout, a malformed request) with a JSON error body
 * in the API's shape, then closes the connection, as Fastify's default handler does.
 */
function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let body: ErrorResponse = {
    detail: 'Bad Request: the request is malformed',
    error: error.code ?? 'client-error',
  };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    body = {
      detail: `Request Timeout: the request was not received in time (headers within headersTimeout, ${SETTING_VARIABLES.headersTimeout}; the whole request within requestTimeout, ${SETTING_VARIABLES.requestTimeout})`,
      error: 'request-timeout',
    };
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    body = { detail: 'Request Header Fields Too Large', error: error.code };
  }
  this.log.debug({ err: error }, 'Client error');
  if (socket.writable) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `Content-Type: ${JSON_TYPE}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Sends a 200 response, or 422 when it is larger than `maxResponseBytes`. */
function sendResponse(reply: FastifyReply, text: string, settings: ResolvedServerOptions): FastifyReply {
  const bytes = Buffer.byteLength(text);
  if (bytes <= settings.maxResponseBytes) return sendText(reply, 200, text);
  reply.log.warn({ bytes, maxResponseBytes: settings.maxResponseBytes }, 'Response too large');
  return sendJson(
    reply,
    422,
    toValidationErrorResponse([responseTooLarge(bytes, settings.maxResponseBytes)]),
  );
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
