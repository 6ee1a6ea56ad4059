import { readFileSync } from 'node:fs';
import { inputError, usageError } from './cli-error.js';

/**
 * Reads a text file named on the command line.
 *
 * @param path - The path as given.
 * @param option - The option that named it (`--experiment`), for the error message.
 * @returns The file's text (UTF-8, without a byte order mark).
 * @throws {@link CliError} with exit code 2 when the path cannot be read (missing, a directory, no
 *   permission).
 */
export function readInputFile(path: string, option: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      `cannot read the ${option} file ${JSON.stringify(path)}: ${describeFsError(error)}`,
      error,
    );
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses the text of a JSON file.
 *
 * @param text - The file's text.
 * @param path - The file's path, for the error message.
 * @returns The parsed value.
 * @throws {@link CliError} with exit code 1 when the text is not JSON.
 */
export function parseJsonFile(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw inputError(`${path} is not valid JSON: ${reason}`, { cause: error });
  }
}

/**
 * A file system error in a few words (`no such file`, `it is a directory`, `permission denied`).
 *
 * @param error - What `readFileSync` or `statSync` threw.
 * @returns The description.
 */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
