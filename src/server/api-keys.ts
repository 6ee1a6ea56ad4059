import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../index.js';
import type { ErrorResponse } from '../wire/index.js';

/** Fewest characters of an API key. @internal */
export const MIN_API_KEY_LENGTH = 16;

/** The environment variables of the API keys. @internal */
export const API_KEY_VARIABLES = Object.freeze({
  list: 'EP_STATS_API_KEYS',
  file: 'EP_STATS_API_KEYS_FILE',
} as const);

/** The only route answered without a key (load balancers and orchestrators probe it). */
const OPEN_ROUTE = '/health';

/** Characters of a Bearer token (RFC 6750 `b64token`); anything else cannot be sent as one. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Checks API keys (from the `apiKeys` option or a variable): an array of strings, each at least
 * {@link MIN_API_KEY_LENGTH} characters of a Bearer token. Messages name the key by its position, never its text.
 *
 * @param name - The option or variable the keys came from: the error's `path`.
 * @param label - How messages name where the keys came from; `name` by default.
 * @throws `ValidationError` with `path` `[name]`.
 * @internal
 */
export function checkApiKeys(value: unknown, name: string, label: string = name): readonly string[] {
  if (!Array.isArray(value)) {
    throw new ValidationError(`${label} must be an array of strings`, [name]);
  }
  return Object.freeze(
    value.map((key: unknown, index) => {
      const which = `API key ${index + 1} of ${value.length} (${label})`;
      if (typeof key !== 'string') {
        throw new ValidationError(`${which} must be a string, received ${typeof key}`, [name]);
      }
      if (key.length < MIN_API_KEY_LENGTH) {
        throw new ValidationError(
          `${which} is too short: ${key.length} characters, at least ${MIN_API_KEY_LENGTH} are required`,
          [name],
        );
      }
      if (!TOKEN.test(key)) {
        throw new ValidationError(
          `${which} has characters a Bearer token cannot hold (only letters, digits and - . _ ~ + / =, no spaces)`,
          [name],
        );
      }
      return key;
    }),
  );
}

/**
 * The keys of `EP_STATS_API_KEYS` (comma-separated; surrounding whitespace and empty entries ignored).
 *
 * @throws `ValidationError` naming the variable when it holds no key or a bad one.
 * @internal
 */
export function parseApiKeyList(text: string): readonly string[] {
  const keys = text
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (keys.length === 0) {
    throw new ValidationError(`${API_KEY_VARIABLES.list} holds no API key`, [API_KEY_VARIABLES.list]);
  }
  return checkApiKeys(keys, API_KEY_VARIABLES.list);
}

/**
 * Reads the keys of the file named by `EP_STATS_API_KEYS_FILE`: one per line, surrounding whitespace,
 * blank lines and lines starting with `#` ignored.
 *
 * @throws `ValidationError` naming the variable and the path when the file cannot be read, holds no key or a bad one.
 * @internal
 */
export function readApiKeysFile(path: string): readonly string[] {
  const variable = API_KEY_VARIABLES.file;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : typeof code === 'string'
              ? code
              : 'unreadable';
    throw new ValidationError(`${variable}: cannot read the API key file "${path}": ${reason}`, [variable]);
  }
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (keys.length === 0) {
    throw new ValidationError(
      `${variable}: the API key file "${path}" holds no key (one per line; blank lines and # comments are ignored)`,
      [variable],
    );
  }
  return checkApiKeys(keys, variable, `${variable}, file "${path}"`);
}

/**
 * Requires `Authorization: Bearer <key>` with one of `keys` on every route but `GET /health`, in an
 * `onRequest` hook (before the body is read). A missing or wrong key gets 401 with `WWW-Authenticate`
 * and `{detail, error: 'unauthorized'}`. The presented token and the keys are compared as SHA-256
 * digests with `timingSafeEqual`, always against every key. Does nothing without keys.
 *
 * @internal
 */
export function addAuthentication(app: FastifyInstance, keys: readonly string[]): void {
  if (keys.length === 0) return;
  const digests = keys.map(sha256);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url === OPEN_ROUTE) return;
    const token = bearerToken(request);
    if (token === undefined) {
      return unauthorized(reply, 'Bearer', 'Unauthorized: send an API key as `Authorization: Bearer <key>`');
    }
    const presented = sha256(token);
    let matched = false;
    for (const digest of digests) {
      // No early exit: every key is compared.
      if (timingSafeEqual(presented, digest)) matched = true;
    }
    if (!matched) {
      return unauthorized(reply, 'Bearer error="invalid_token"', 'Unauthorized: the API key is not valid');
    }
  });
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if any. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function unauthorized(reply: FastifyReply, challenge: string, detail: string): FastifyReply {
  const body: ErrorResponse = { detail, error: 'unauthorized' };
  return reply
    .code(401)
    .header('www-authenticate', challenge)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(body));
}
