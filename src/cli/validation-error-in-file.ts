import { ExpressionError, type ValidationError } from '../index.js';
import { type CliError, inputError } from './cli-error.js';
import { fieldPath } from './experiment-file.js';

/**
 * Turns a {@link ValidationError} of a definition read from a file into a one-line message naming the file
 * and the field (`exp.json: metrics[0].nominator: ...`), followed by the expression with carets under the
 * fault when an expression does not parse.
 *
 * @param error - The validation error; its `path` holds the field's path in the file.
 * @param file - The file's path as given.
 * @returns An input error (exit code 1).
 */
export function validationErrorInFile(error: ValidationError, file: string): CliError {
  const field = fieldPath(error.path);
  const where = field === '' ? file : `${file}: ${field}`;
  // The library appends the excerpt to the message of an expression error; it is shown on its own lines.
  const [message = ''] = error.message.split('\n');
  const cause = error.cause;
  return inputError(`${where}: ${message}`, {
    cause: error,
    ...(cause instanceof ExpressionError ? { excerpt: cause.excerpt } : {}),
  });
}
