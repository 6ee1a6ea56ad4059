/**
 * Reading the JSON samples of docs/rest-api.md and comparing them with what the service answers.
 *
 * Excerpt rule (directive argument `match=excerpt`): a sample that is a single member (`"warnings": [...]`)
 * stands for that member of some object of the response; a member `"...": "..."` stands for members left out
 * (the others must be there, in the same order; without it an object has exactly the members shown); an
 * array element `"..."` stands for any number of elements left out (without it the array has exactly the
 * elements shown); a number written with fewer decimals than the response's is the response's number
 * rounded to that many decimals. The excerpt matches when it matches the response or any value in it.
 */
import { parsePythonJson } from '../../server/support/server-client.js';

/** The elision marker of excerpts. */
export const ELISION = '...';

/** The `key=value` arguments of a directive as a map (an argument without `=` maps to `''`). */
export function directiveOptions(args: readonly string[]): Map<string, string> {
  return new Map(
    args.map((arg) => {
      const at = arg.indexOf('=');
      return at < 0 ? [arg, ''] : [arg.slice(0, at), arg.slice(at + 1)];
    }),
  );
}

/**
 * Parses a JSON sample: JSON with the bare `NaN` / `Infinity` tokens of the wire format, or a single member
 * `"name": value` (read as `{"name": value, "...": "..."}`).
 */
export function parseSample(code: string): unknown {
  const text = code.trim();
  if (text.startsWith('"')) return parsePythonJson(`{${text}, "${ELISION}": "${ELISION}"}`);
  return parsePythonJson(text);
}

/** The number of decimals a number is written with in `code` (the sample's text), or undefined. */
function decimalsOf(literal: string): number {
  const match = /\.(\d+)$/.exec(literal);
  return match?.[1]?.length ?? 0;
}

/** Whether `actual` matches the excerpt `expected` (the rule in this module's header), at this level. */
function matchesHere(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    if (Object.is(actual, expected) || actual === expected) return true;
    if (!Number.isFinite(expected)) return false;
    const decimals = decimalsOf(String(expected));
    return decimals < 15 && Number(actual.toFixed(decimals)) === expected;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    return matchesArray(actual, expected, 0, 0);
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    const elided = (expected as Record<string, unknown>)[ELISION] === ELISION;
    const keys = Object.keys(expected).filter((key) => !(elided && key === ELISION));
    const actualKeys = Object.keys(record);
    if (!elided && actualKeys.length !== keys.length) return false;
    let position = 0;
    for (const key of keys) {
      const found = actualKeys.indexOf(key, position);
      if (found < 0) return false;
      position = found + 1;
      if (!matchesHere(record[key], (expected as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  return Object.is(actual, expected);
}

function matchesArray(actual: unknown[], expected: unknown[], from: number, at: number): boolean {
  if (at === expected.length) return from === actual.length;
  const item = expected[at];
  if (item === ELISION) {
    for (let skip = from; skip <= actual.length; skip++) {
      if (matchesArray(actual, expected, skip, at + 1)) return true;
    }
    return false;
  }
  return (
    from < actual.length &&
    matchesHere(actual[from], item) &&
    matchesArray(actual, expected, from + 1, at + 1)
  );
}

/** Whether the excerpt matches `actual` or any value nested in it (the rule in this module's header). */
export function containsExcerpt(actual: unknown, excerpt: unknown): boolean {
  if (matchesHere(actual, excerpt)) return true;
  if (typeof actual !== 'object' || actual === null) return false;
  return Object.values(actual).some((value) => containsExcerpt(value, excerpt));
}

/**
 * A copy of a request body with changes `path=value` (`metrics.0.nominator=count(x.unit.y)`): the value is
 * read as JSON when it parses (`""`, `3`, `true`), else taken as text.
 */
export function withChanges(body: unknown, changes: readonly (readonly [string, string])[]): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const [path, text] of changes) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    const keys = path.split('.');
    let target: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[keys[keys.length - 1] as string] = value;
  }
  return copy;
}
