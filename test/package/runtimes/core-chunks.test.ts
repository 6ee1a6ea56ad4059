/**
 * The files that `import 'ep-stats'` loads, as installed from the packed tarball: dist/index.js (ESM) and
 * dist/index.cjs (CommonJS) and every chunk that they import, followed through their relative imports. None may
 * import a Node built-in or read the environment: the core runs in any JavaScript runtime.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedConsumer } from './quick-start.js';

/**
 * Module specifiers anywhere in a file: `from '…'` (static imports and re-exports), `import '…'`,
 * `import('…')` and `require('…')`. Also matches such text inside strings (messages that quote an import), which
 * is what a search for Node built-ins wants.
 */
const ANY_SPECIFIER = [
  /\bfrom\s*(['"`])([^'"`\n]+)\1/g,
  /\bimport\s*(['"`])([^'"`\n]+)\1/g,
  /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
  /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
];

/** Module specifiers of real imports: statements at the start of a line, and every `import(…)`/`require(…)`. */
const IMPORT_SPECIFIER = [
  /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"\n]+)\1/gm,
  /^\s*import\s*(['"])([^'"\n]+)\1/gm,
  /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
];

function specifiers(code: string, patterns: readonly RegExp[]): string[] {
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[2] ?? ''));
}

const NODE_BUILTINS = new Set(builtinModules);

/** Whether `specifier` names a Node built-in module (`node:fs`, `fs`, `fs/promises`, …). */
function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier);
}

/** The package a bare specifier names: `d3-format` for `d3-format/x`, `@scope/name` for `@scope/name/x`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** Environment reads: Node's, Deno's and Bun's. */
const ENVIRONMENT_READ =
  /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]|\bDeno\s*\.\s*env\b|\bBun\s*\.\s*env\b/;

/** Each environment read in `code`, as `line N: <the line>`. */
function environmentReads(code: string): string[] {
  return code
    .split('\n')
    .flatMap((line, index) =>
      ENVIRONMENT_READ.test(line) ? [`line ${index + 1}: ${line.trim().slice(0, 200)}`] : [],
    );
}

/** The files of `dist` reached from `entry` through relative imports, with their text (dist-relative paths). */
function moduleGraph(dist: string, entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    const code = readFileSync(join(dist, file), 'utf8');
    files.set(file, code);
    for (const specifier of specifiers(code, IMPORT_SPECIFIER)) {
      if (specifier.startsWith('.')) pending.push(posix.join(posix.dirname(file), specifier));
    }
  }
  return files;
}

describe("the files that `import 'ep-stats'` loads", () => {
  let dist = '';
  let dependencies: string[] = [];
  beforeAll(() => {
    const installed = join(packedConsumer('runtimes-core-chunks'), 'node_modules', 'ep-stats');
    dist = join(installed, 'dist');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    dependencies = Object.keys(manifest.dependencies ?? {});
  }, 900_000);

  it('finds Node built-in imports and environment reads where there are some (the search works)', () => {
    const code = [
      `import { readFileSync } from "node:fs";`,
      `export { join } from 'path';`,
      `import 'os';`,
      `const cp = require("child_process");`,
      `const w = await import('worker_threads');`,
      `const home = process.env.HOME;`,
    ].join('\n');
    expect(specifiers(code, ANY_SPECIFIER).filter(isNodeBuiltin).sort()).toEqual(
      ['child_process', 'node:fs', 'os', 'path', 'worker_threads'].sort(),
    );
    expect(environmentReads(code)).toEqual(['line 6: const home = process.env.HOME;']);
    expect(isNodeBuiltin('fs/promises')).toBe(true);
    expect(isNodeBuiltin('d3-format')).toBe(false);
  });

  for (const entry of ['index.js', 'index.cjs']) {
    it(`${entry} and its chunks import no Node built-in, only declared dependencies, and read no environment`, () => {
      const files = moduleGraph(dist, entry);
      // The entry re-exports from at least one chunk: the search followed the relative imports.
      expect(files.size).toBeGreaterThan(1);
      for (const [file, code] of files) {
        expect
          .soft(specifiers(code, ANY_SPECIFIER).filter(isNodeBuiltin), `Node built-ins in dist/${file}`)
          .toEqual([]);
        const bare = specifiers(code, IMPORT_SPECIFIER).filter((specifier) => !specifier.startsWith('.'));
        expect
          .soft(
            bare.filter((specifier) => !dependencies.includes(packageName(specifier))),
            `imports of dist/${file} that are not dependencies of ep-stats`,
          )
          .toEqual([]);
        expect.soft(environmentReads(code), `environment reads in dist/${file}`).toEqual([]);
      }
    });
  }
});
