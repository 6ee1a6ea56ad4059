import { ValidationError } from '../errors/validation-error.js';
import type { Expression } from './ast.js';
import { ExpressionError } from './expression-error.js';
import { parseExpression } from './parse-expression.js';

/**
 * Parses the expression of a definition field, reporting problems against the field's path.
 *
 * @remarks
 * An {@link ExpressionError} becomes a {@link ValidationError} at `path` whose `cause` is the expression
 * error (with its span and caret excerpt).
 *
 * @internal
 */
export function parseDefinition(text: unknown, path: readonly (string | number)[]): Expression {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValidationError(`\`${formatPath(path)}\` must be a non-empty expression`, path);
  }
  try {
    return parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionError) {
      throw new ValidationError(`\`${formatPath(path)}\`: ${error.message}`, path, { cause: error });
    }
    throw error;
  }
}

/** `metrics[0].nominator`-style text of a field path. @internal */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text;
}
