/**
 * Options of {@link closeOnSignals}.
 *
 * @example
 * ```ts
 * import type { CloseOnSignalsOptions } from 'ep-stats/server';
 * const options: CloseOnSignalsOptions = { signals: ['SIGTERM'] };
 * options.signals; // => ['SIGTERM']
 * ```
 * @public
 */
export interface CloseOnSignalsOptions {
  /** Signals to handle; default `SIGTERM` and `SIGINT`. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Called when the server has closed (with the error when closing failed). */
  readonly onClosed?: (error?: unknown) => void;
}

/**
 * Closes a server gracefully on the first of some signals (SIGTERM from an orchestrator, SIGINT from
 * Ctrl-C).
 *
 * @remarks
 * On the first signal the handlers are removed and `server.close()` is called: the server stops accepting
 * connections and lets requests in flight finish (a {@link RunningServer} does not wait for idle
 * keep-alive connections, and answers requests still in flight after its `shutdownTimeout` with 503, so
 * it closes within about that time even when a Dao hangs). With the handlers gone, a second signal has its
 * default effect (the process ends at once). The process is not exited here; it ends by itself once
 * nothing else keeps it alive, or `onClosed` may exit.
 *
 * @param server - Anything with `close(): Promise<void>`, e.g. what {@link startServer} returns.
 * @param options - Signals and a callback.
 * @returns A function that removes the handlers without closing.
 *
 * @example
 * ```ts
 * import { TestDaoFactory } from 'ep-stats/testing';
 * import { closeOnSignals, startServer } from 'ep-stats/server';
 * const server = await startServer({ daoFactory: new TestDaoFactory(), port: 0, logLevel: 'silent' });
 * const closed = new Promise((resolve) => closeOnSignals(server, { signals: ['SIGUSR2'], onClosed: resolve }));
 * process.emit('SIGUSR2', 'SIGUSR2'); // as if the signal had arrived
 * await closed; // => undefined
 * ```
 * @public
 */
export function closeOnSignals(
  server: { close(): Promise<void> },
  options: CloseOnSignalsOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const remove = () => {
    for (const signal of signals) process.removeListener(signal, handle);
  };
  function handle(): void {
    remove();
    server.close().then(
      () => options.onClosed?.(),
      (error: unknown) => options.onClosed?.(error),
    );
  }
  for (const signal of signals) process.on(signal, handle);
  return remove;
}
