import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './build-server.js';
import { resolveServerOptions, type ServerOptions } from './server-options.js';

/**
 * A listening server (see {@link startServer}).
 *
 * @example
 * ```ts
 * import { startServer, type RunningServer } from 'ep-stats/server';
 * const running: RunningServer = await startServer({ port: 0, logLevel: 'silent' });
 * running.url.startsWith('http://127.0.0.1:'); // => true
 * await running.close();
 * ```
 * @public
 */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080` (with the actual port when 0 was asked for). */
  readonly url: string;
  /** The Fastify instance. */
  readonly server: FastifyInstance;
  /**
   * Stops accepting connections, lets requests in flight (also queued evaluations) finish, then
   * resolves; idle keep-alive connections are closed, new requests on busy ones get 503. Calling it
   * again returns the same promise.
   */
  close(): Promise<void>;
}

/**
 * Builds the server ({@link buildServer}) and starts listening.
 *
 * @param options - See {@link ServerOptions}; defaults in {@link DEFAULT_SERVER_OPTIONS} (127.0.0.1:8080).
 * @returns The URL and a `close` for a graceful shutdown (see {@link closeOnSignals}).
 * @throws `ValidationError` for an invalid option; the listen error (e.g. `EADDRINUSE`), as a
 *   rejection, when the address cannot be bound.
 *
 * @example
 * ```ts
 * import { startServer } from 'ep-stats/server';
 * const server = await startServer({ port: 0, logLevel: 'silent' });
 * const response = await fetch(`${server.url}/sample-size-calculation`, {
 *   method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ n_variants: 2, minimum_effect: 0.1, mean: 0.2, std: 1.2 }),
 * });
 * await response.json(); // => { sample_size_per_variant: 56512 }
 * await server.close();
 * ```
 * @public
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const { host, port } = resolveServerOptions(options);
  const server = buildServer(options);
  try {
    await server.listen({ host, port });
  } catch (error) {
    await server.close();
    throw error;
  }
  const address = server.server.address() as AddressInfo;
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    server,
    close: () => {
      closing ??= server.close().then(() => undefined);
      return closing;
    },
  };
}
