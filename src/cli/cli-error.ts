import { ExitCode } from './exit-code.js';

/** Options of a {@link CliError}. */
export interface CliErrorOptions {
  /** The error behind this one (printed with `--debug`). */
  readonly cause?: unknown;
  /** Lines printed under the message, e.g. an expression with carets under the fault. */
  readonly excerpt?: string;
}

/**
 * An error the command reports to the user as one line on stderr and turns into an exit code.
 *
 * @remarks
 * Commands throw it for problems they can name precisely (which file, which field, which row); the
 * top-level handler prints `error: <message>`, then {@link CliError.excerpt} if any, and exits with
 * {@link CliError.exitCode}.
 */
export class CliError extends Error {
  /** Exit code of the process: {@link ExitCode.usage} or {@link ExitCode.failure}. */
  readonly exitCode: ExitCode;
  /** Lines shown under the message, or `undefined`. */
  readonly excerpt: string | undefined;

  /**
   * @param message - One line saying what is wrong and where.
   * @param exitCode - Exit code of the process.
   * @param options - Cause and excerpt.
   */
  constructor(message: string, exitCode: ExitCode, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.excerpt = options.excerpt;
  }
}

/**
 * A usage error (exit code 2): the command line is wrong.
 *
 * @param message - What is wrong with the command line.
 * @param cause - The underlying error, if any.
 * @returns The error to throw.
 */
export function usageError(message: string, cause?: unknown): CliError {
  return new CliError(message, ExitCode.usage, { cause });
}

/**
 * An input error (exit code 1): a file or value given on the command line has content that cannot be used.
 *
 * @param message - What is wrong and where.
 * @param options - Cause and excerpt.
 * @returns The error to throw.
 */
export function inputError(message: string, options: CliErrorOptions = {}): CliError {
  return new CliError(message, ExitCode.failure, options);
}
