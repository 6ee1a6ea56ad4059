import { ValidationError } from '../../src/index.js';

/** The error that `action` throws; fails the test when it throws none. */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** The `ValidationError` that `action` throws; fails the test when it throws none or another error. */
export function thrownValidationError(action: () => unknown): ValidationError {
  const error = thrown(action);
  if (error instanceof ValidationError) return error;
  throw error;
}
