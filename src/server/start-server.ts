import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './build-server.js';
import { resolveServerOptions, type ServerOptions } from './server-options.js';

/**
 * A listening server (see {@link startServer}).
 *
 * @example
 * ```ts
 * import { TestDaoFactory } from 'ep-stats/testing';
 * import { startServer, type RunningServer } from 'ep-stats/server';
 * const running: RunningServer = await startServer({ daoFactory: new TestDaoFactory(), port: 0, logLevel: 'silent' });
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
   * resolves. It does not wait for idle keep-alive connections: those idle are closed at once, the
   * others as soon as their response is sent (with `Connection: close`); new requests on them get 503.
   * Requests still unanswered after `shutdownTimeout` ms get 503 (`shutdown-timeout`) and the connections
   * left are closed, so it resolves within about `shutdownTimeout`. Calling it again returns the same
   * promise.
   */
  close(): Promise<void>;
}

/**
 * Builds the server ({@link buildServer}) and starts listening.
 *
 * @param options - See {@link ServerOptions}: the required `daoFactory`, and settings with defaults in
 *   {@link DEFAULT_SERVER_OPTIONS} (127.0.0.1:8080).
 * @returns The URL and a `close` for a graceful shutdown (see {@link closeOnSignals}).
 * @throws `ValidationError` for an invalid or missing option (e.g. no `daoFactory`), as a rejection; the
 *   listen error (e.g. `EADDRINUSE`), as a rejection, when the address cannot be bound.
 *
 * @example
 * ```ts
 * import { ValidationError } from 'ep-stats';
 * import { TestDaoFactory } from 'ep-stats/testing';
 * import { startServer } from 'ep-stats/server';
 * const server = await startServer({ daoFactory: new TestDaoFactory(), port: 0, logLevel: 'silent' });
 * const response = await fetch(`${server.url}/sample-size-calculation`, {
 *   method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ n_variants: 2, minimum_effect: 0.1, mean: 0.2, std: 1.2 }),
 * });
 * await response.json(); // => { sample_size_per_variant: 56512 }
 * await server.close();
 * // Without a daoFactory (possible from JavaScript):
 * await startServer({ port: 0 } as never); // throws ValidationError
 * ```
 * @public
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
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
