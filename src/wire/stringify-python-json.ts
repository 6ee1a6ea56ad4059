/**
 * Serializes a value to JSON text the way Python's `json.dumps` does by default: non-finite numbers become
 * the bare tokens `NaN`, `Infinity` and `-Infinity`.
 *
 * @remarks
 * Everything else follows `JSON.stringify` without replacer or indentation: strings are escaped exactly as
 * it escapes them (quotes, backslashes, control characters, lone surrogates; other characters are written
 * as they are), `toJSON` methods are called with the property key, boxed primitives are unwrapped,
 * properties whose value is `undefined`, a function or a symbol are left out of objects and written as
 * `null` in arrays, and output is compact. Python's `json` module (and pandas, and most Python clients)
 * read the non-finite tokens back as `float('nan')` and `float('inf')`; strict JSON parsers such as
 * `JSON.parse` reject them (see {@link toStrictJson} for a strict alternative).
 *
 * @param value - The value to serialize.
 * @returns The JSON text.
 * @throws `TypeError` for a top-level value that has no JSON form (`undefined`, a function, a symbol), a
 *   `bigint` anywhere, or a circular structure, as `JSON.stringify` does.
 *
 * @example
 * ```ts
 * import { stringifyPythonJson } from 'ep-stats/server';
 * stringifyPythonJson({ mean: NaN, diff: Infinity, low: -Infinity, p: 0.5 }); // => '{"mean":NaN,"diff":Infinity,"low":-Infinity,"p":0.5}'
 * stringifyPythonJson(['a "quoted" ä', null, undefined]); // => '["a \\"quoted\\" ä",null,null]'
 * stringifyPythonJson({ n: 1n }); // throws TypeError
 * ```
 * @public
 */
export function stringifyPythonJson(value: unknown): string {
  const text = serialize(value, '', { '': value }, []);
  if (text === undefined) {
    throw new TypeError(`A value of type ${typeof value} has no JSON representation`);
  }
  return text;
}

function serialize(value: unknown, key: string, holder: object, ancestors: object[]): string | undefined {
  let current = value;
  if (typeof current === 'object' && current !== null) {
    const toJson = (current as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') current = toJson.call(current, key);
  } else if (typeof current === 'bigint') {
    const toJson = (BigInt.prototype as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') current = toJson.call(current, key);
  }
  if (current instanceof Number) current = Number(current);
  else if (current instanceof String) current = String(current);
  else if (current instanceof Boolean) current = current.valueOf();

  switch (typeof current) {
    case 'string':
      return JSON.stringify(current);
    case 'number':
      if (Number.isNaN(current)) return 'NaN';
      if (current === Number.POSITIVE_INFINITY) return 'Infinity';
      if (current === Number.NEGATIVE_INFINITY) return '-Infinity';
      return JSON.stringify(current);
    case 'boolean':
      return current ? 'true' : 'false';
    case 'bigint':
      throw new TypeError(`Cannot serialize a BigInt (property \`${key}\` of ${describe(holder)})`);
    case 'object':
      if (current === null) return 'null';
      return serializeContainer(current, ancestors);
    default:
      // undefined, function, symbol
      return undefined;
  }
}

function serializeContainer(value: object, ancestors: object[]): string {
  if (ancestors.includes(value)) throw new TypeError('Cannot serialize a circular structure');
  ancestors.push(value);
  let text: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let index = 0; index < value.length; index++) {
      items.push(serialize(value[index], String(index), value, ancestors) ?? 'null');
    }
    text = `[${items.join(',')}]`;
  } else {
    const members: string[] = [];
    for (const property of Object.keys(value)) {
      const item = serialize((value as Record<string, unknown>)[property], property, value, ancestors);
      if (item !== undefined) members.push(`${JSON.stringify(property)}:${item}`);
    }
    text = `{${members.join(',')}}`;
  }
  ancestors.pop();
  return text;
}

function describe(holder: object): string {
  return Array.isArray(holder) ? 'an array' : 'an object';
}
