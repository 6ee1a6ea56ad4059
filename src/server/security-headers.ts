import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Content-Security-Policy of the API's responses (JSON, the metrics text, errors): nothing loads, nothing frames. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Content-Security-Policy of the Swagger UI pages under `/docs`. @fastify/swagger-ui serves every script and
 * style sheet itself (its page has no inline script or style; its `csp.json` lists no hashes), the
 * stylesheets embed their icons as `data:` images, and the UI fetches the document from `/docs/json`.
 * Scripts are `'self'` only; styles also `'unsafe-inline'`, because the bundle applies an inline style at
 * run time (blocked, Chromium reports a violation with `style-src 'self'` alone).
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

/**
 * Adds the security headers to every response that goes through Fastify's reply (routes, errors, 404):
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, a Content-Security-Policy (that of
 * Swagger UI for the `/docs` routes, {@link API_CONTENT_SECURITY_POLICY} for the others), and no
 * `X-Powered-By`.
 *
 * @internal
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header(
      'content-security-policy',
      isDocsRoute(request) ? DOCS_CONTENT_SECURITY_POLICY : API_CONTENT_SECURITY_POLICY,
    );
    reply.removeHeader('x-powered-by');
    return payload;
  });
}

function isDocsRoute(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && (route === '/docs' || route.startsWith('/docs/'));
}
