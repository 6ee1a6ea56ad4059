import { EpStatsError } from '../index.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-code.js';

/** Where {@link reportError} writes. */
export interface ErrorOutput {
  write(text: string): unknown;
}

/**
 * Prints an error for the user and returns the exit code it calls for.
 *
 * @remarks
 * One line `error: <message>` (plus the excerpt of an expression error), never a stack trace unless
 * `debug` is set. {@link CliError}s carry their exit code; the library's errors (`ValidationError`,
 * `DataError`, `ExpressionError`) exit with 1; anything else is an internal error, also 1, with a hint to
 * rerun with `--debug`.
 *
 * @param error - What was thrown.
 * @param debug - Also print the stack trace (and those of the causes).
 * @param output - Where to write, standard error by default.
 * @returns The exit code.
 */
export function reportError(error: unknown, debug: boolean, output: ErrorOutput = process.stderr): ExitCode {
  if (error instanceof CliError) {
    output.write(`error: ${error.message}\n`);
    if (error.excerpt !== undefined) output.write(`${error.excerpt}\n`);
    if (debug) writeStacks(error, output);
    return error.exitCode;
  }
  if (error instanceof EpStatsError) {
    output.write(`error: ${error.message}\n`);
    if (debug) writeStacks(error, output);
    return ExitCode.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  output.write(`error: ${message}\n`);
  if (debug) writeStacks(error, output);
  else output.write('This looks like a bug in ep-stats; rerun with --debug for the stack trace.\n');
  return ExitCode.failure;
}

function writeStacks(error: unknown, output: ErrorOutput): void {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const text = current instanceof Error ? (current.stack ?? current.message) : String(current);
    output.write(`${depth === 0 ? '' : 'Caused by: '}${text}\n`);
    current = current instanceof Error ? current.cause : undefined;
  }
}
