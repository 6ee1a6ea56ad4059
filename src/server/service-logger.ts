/**
 * A structured logger (pino's and so Fastify's `request.log` fit).
 *
 * @example
 * ```ts
 * import type { ServiceLogger } from 'ep-stats/server';
 * const lines: string[] = [];
 * const write = (_details: Record<string, unknown>, message: string) => { lines.push(message); };
 * const logger: ServiceLogger = { debug: write, info: write, warn: write, error: write };
 * logger.info({}, 'ready');
 * lines; // => ['ready']
 * ```
 * @public
 */
export interface ServiceLogger {
  debug(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}
