/**
 * No public type of the packed package is or contains `any`: every declaration file of its `dist/`
 * (`*.d.ts` and `*.d.cts`, the entries and their shared chunks) is parsed and searched for the `any` type,
 * written or implied (see `any-types.ts`). A failure lists `file:line`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarball } from '../support/packed-package.js';
import { findAnyTypes } from './any-types.js';

describe('findAnyTypes', () => {
  it('finds the any type, written or implied, and nothing else', () => {
    const text = [
      '/** Accepts any value; Many companies use it. @param x - any number */', // 1: comment
      "declare const words: 'any' | `any`;", // 2: strings
      'interface Names { any: number; many: string; readonly Any: boolean }', // 3: names
      'declare function read(key: string): any;', // 4: any
      'declare function list(): Array<any>;', // 5: inside a type
      'type Loose = Record<string, any> | unknown;', // 6: inside a type
      'declare function implicit(x): void;', // 7: parameter without a type
      'interface Holder { value; get(): number; call(); }', // 8: property without a type, method without return
      'declare class Hidden { #private; private readonly slots; private slotOf; constructor(a: number); }', // 9: private
      'declare class Setter { get size(): number; set size(value); }', // 10: setter takes the getter's type
      'declare const LIMIT = 1000;', // 11: literal
      '// any of these: any', // 12: comment
      'declare function ok<T extends unknown>(x: T): T extends string ? "any" : never;', // 13: literal string
      'declare class Constants { static readonly MAX = 1000; }', // 14: literal
      'declare let loose;', // 15: variable without a type
    ].join('\n');
    const found = findAnyTypes('sample.d.ts', text).map(({ line, kind }) => `${line}:${kind}`);
    expect(found).toEqual([
      '4:any',
      '5:any',
      '6:any',
      '7:parameter without a type',
      '8:property without a type',
      '8:return type missing',
      '15:variable without a type',
    ]);
  });
});

describe('the packed declarations', () => {
  let extracted: string | undefined;

  beforeAll(() => {
    extracted = mkdtempSync(join(realpathSync(tmpdir()), 'ep-stats-no-any-'));
    execFileSync('tar', ['-xzf', packedTarball(), '-C', extracted]);
  }, 900_000);

  afterAll(() => {
    if (extracted !== undefined) rmSync(extracted, { recursive: true, force: true });
  });

  it('contain no any', () => {
    const dist = join(extracted!, 'package', 'dist');
    const declarations = readdirSync(dist).filter((name) => /\.d\.c?ts$/.test(name));
    // The four entries in both flavours, at least.
    for (const entry of ['index', 'testing', 'server', 'sql']) {
      expect(declarations).toContain(`${entry}.d.ts`);
      expect(declarations).toContain(`${entry}.d.cts`);
    }
    const offenders = declarations.flatMap((name) =>
      findAnyTypes(name, readFileSync(join(dist, name), 'utf8')).map(
        ({ line, kind, text }) => `dist/${name}:${line}: ${kind}: ${text}`,
      ),
    );
    expect(offenders, `public types with any:\n${offenders.join('\n')}`).toEqual([]);
  });
});
