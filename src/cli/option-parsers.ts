import { InvalidArgumentError } from 'commander';

/**
 * Commander parser of a number option value (`0.05`, `-1`, `1e3`).
 *
 * @param value - The text given on the command line.
 * @returns The number.
 * @throws InvalidArgumentError (a usage error, exit code 2) when the text is not a finite number.
 */
export function parseNumber(value: string): number {
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(parsed)) throw new InvalidArgumentError(`expected a number, received "${value}".`);
  return parsed;
}

/**
 * Commander parser of a whole-number option value, for counts and sizes.
 *
 * @param minimum - Smallest value allowed.
 * @param maximum - Largest value allowed.
 * @returns The parser.
 */
export function integerParser(minimum: number, maximum = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const parsed = /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < minimum || parsed > maximum) {
      const range =
        maximum === Number.MAX_SAFE_INTEGER ? `at least ${minimum}` : `from ${minimum} to ${maximum}`;
      throw new InvalidArgumentError(`expected a whole number ${range}, received "${value}".`);
    }
    return parsed;
  };
}

/**
 * Commander parser of a probability option value such as a confidence level or a power.
 *
 * @param value - The text given on the command line.
 * @returns The number, strictly between 0 and 1.
 * @throws InvalidArgumentError (a usage error, exit code 2) for anything else.
 */
export function parseProbability(value: string): number {
  const parsed = parseNumber(value);
  if (!(parsed > 0 && parsed < 1)) {
    throw new InvalidArgumentError(`expected a number strictly between 0 and 1, received "${value}".`);
  }
  return parsed;
}

/**
 * Commander parser of a comma-separated list of column names (`--dimensions`).
 *
 * @param value - The text given on the command line.
 * @returns The names, trimmed, empty entries dropped.
 * @throws InvalidArgumentError (a usage error, exit code 2) for an empty list.
 */
export function parseNameList(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected comma-separated column names.');
  return names;
}
