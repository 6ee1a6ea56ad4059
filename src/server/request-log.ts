import type { FastifyInstance, FastifyReply } from 'fastify';
import { redactUrl } from './redact-secrets.js';

/**
 * Logs one `info` line per request, when its response has been sent (Fastify's own two lines per request
 * are turned off with `disableRequestLogging`): `method`, `url` (values of secret-looking query
 * parameters replaced by `***`), `statusCode`, `responseTime` (milliseconds) and `bytes` (the
 * response's `Content-Length`; absent for a response streamed without one). No bodies, no headers.
 *
 * @internal
 */
export function addRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        statusCode: reply.statusCode,
        responseTime: Math.round(reply.elapsedTime * 100) / 100,
        bytes: responseBytes(reply),
      },
      'request completed',
    );
  });
}

function responseBytes(reply: FastifyReply): number | undefined {
  const header = reply.getHeader('content-length') ?? reply.raw.getHeader('content-length');
  const bytes = Number(header);
  return header === undefined || !Number.isFinite(bytes) ? undefined : bytes;
}
