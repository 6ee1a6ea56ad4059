import { vi } from 'vitest';

/** The server's log lines written to standard output while a capture runs. */
export interface LogCapture {
  /** The lines as written (JSON text, without the newline). */
  readonly lines: string[];
  /** The lines parsed. */
  records(): Record<string, unknown>[];
  /** Stops capturing (standard output works as before). */
  restore(): void;
}

/**
 * Captures the JSON log lines the server writes to standard output (pino's lines, which start with
 * `{"level":`); any other output goes through. Start servers with `logLevel: 'info'` (or lower) to get lines.
 */
export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (!text.startsWith('{"level":')) return write(chunk, ...rest);
    lines.push(...text.split('\n').filter((line) => line !== ''));
    const callback = rest.find((value) => typeof value === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write);
  return {
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}
