import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeResponseBody,
  NON_FINITE_KEY,
  stringifyPythonJson,
  toStrictJson,
} from '../../src/server/index.js';

describe('stringifyPythonJson', () => {
  it('writes non-finite numbers as the bare tokens of Python json.dumps', () => {
    expect(stringifyPythonJson(Number.NaN)).toBe('NaN');
    expect(stringifyPythonJson(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(stringifyPythonJson(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(stringifyPythonJson([1, Number.NaN, -0, 1e21, 5e-324])).toBe('[1,NaN,0,1e+21,5e-324]');
  });

  it('writes nested objects and arrays compactly, members in insertion order', () => {
    const value = {
      id: 'e',
      metrics: [{ id: 1, stats: [{ mean: Number.NaN, p: 0.5 }] }],
      empty: {},
      list: [],
    };
    expect(stringifyPythonJson(value)).toBe(
      '{"id":"e","metrics":[{"id":1,"stats":[{"mean":NaN,"p":0.5}]}],"empty":{},"list":[]}',
    );
  });

  it('escapes strings exactly like JSON.stringify (quotes, backslashes, control characters, unicode)', () => {
    const strings = [
      'say "hi"',
      'back\\slash',
      'line\nbreak\ttab\u0000\u001f\u007f',
      'ä€😀',
      '\ud800 lone',
      '\u2028\u2029',
      '</script>',
    ];
    for (const text of strings) {
      expect(stringifyPythonJson(text)).toBe(JSON.stringify(text));
      expect(stringifyPythonJson({ [text]: text })).toBe(JSON.stringify({ [text]: text }));
    }
  });

  it('equals JSON.stringify on any value without non-finite numbers', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(stringifyPythonJson(value)).toBe(JSON.stringify(value));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(stringifyPythonJson([text])).toBe(JSON.stringify([text]));
      }),
    );
  });

  it('skips undefined, functions and symbols in objects and writes null for them in arrays, as JSON.stringify', () => {
    const value = { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('s')], e: null };
    expect(stringifyPythonJson(value)).toBe(JSON.stringify(value));
  });

  it('calls toJSON and unwraps boxed primitives, as JSON.stringify', () => {
    const date = new Date(Date.UTC(2020, 0, 1));
    const value = {
      date,
      n: Object(3),
      s: Object('x'),
      b: Object(false),
      custom: { toJSON: (key: string) => `key ${key}` },
    };
    expect(stringifyPythonJson(value)).toBe(JSON.stringify(value));
  });

  it('throws TypeError where JSON.stringify does, and for top-level values without JSON form', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stringifyPythonJson(cyclic)).toThrow(TypeError);
    expect(() => stringifyPythonJson({ big: 1n })).toThrow(TypeError);
    expect(() => stringifyPythonJson(undefined)).toThrow(TypeError);
    // Shared (non-cyclic) references are fine.
    const shared = { x: 1 };
    expect(stringifyPythonJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});

describe('toStrictJson and encodeResponseBody', () => {
  it('replaces non-finite members by null and names them in non_finite, in every nested object', () => {
    const value = {
      stats: [
        { mean: Number.NaN, std: 1 },
        { mean: 2, std: Number.NEGATIVE_INFINITY },
      ],
      top: Number.POSITIVE_INFINITY,
    };
    expect(toStrictJson(value)).toEqual({
      stats: [
        { mean: null, std: 1, [NON_FINITE_KEY]: { mean: 'NaN' } },
        { mean: 2, std: null, [NON_FINITE_KEY]: { std: '-Infinity' } },
      ],
      top: null,
      [NON_FINITE_KEY]: { top: 'Infinity' },
    });
  });

  it('leaves finite values alone, adds nothing, and does not modify its input', () => {
    const value = { a: 1, b: [1, 2], c: { d: 'x' } };
    const copy = structuredClone(value);
    expect(toStrictJson(value)).toEqual(value);
    expect(value).toEqual(copy);
  });

  it('writes null for non-finite numbers directly in arrays', () => {
    expect(toStrictJson([1, Number.NaN])).toEqual([1, null]);
  });

  it('encodes strict JSON that JSON.parse reads, and the default that it does not', () => {
    const body = { x: Number.NaN };
    expect(JSON.parse(encodeResponseBody(body, true))).toEqual({ x: null, non_finite: { x: 'NaN' } });
    expect(() => JSON.parse(encodeResponseBody(body, false))).toThrow(SyntaxError);
  });
});
