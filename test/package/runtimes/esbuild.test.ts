/**
 * The quick start bundled with esbuild for the `browser` and the `neutral` platform from a project that
 * installed the packed tarball, then run in a bare V8 context (node:vm) whose global object has nothing but
 * the JavaScript built-ins and a `console` that records what is printed: no `process`, `Buffer`, `require`,
 * timers or any other Node or web API.
 */
import { createContext, runInContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleQuickStart, nodeLines, type QuickStartBundle, quickStartConsumer } from './quick-start.js';

/** What a script run in a fresh context printed, by console method. */
interface Printed {
  readonly log: string[];
  readonly other: string[];
}

/** Runs `code` as a classic script in a context with only `console`, and what it printed. */
function runBare(code: string): { printed: Printed; globals: Record<string, string> } {
  const printed: Printed = { log: [], other: [] };
  const text = (args: unknown[]) => args.map(String).join(' ');
  const console = {
    log: (...args: unknown[]) => printed.log.push(text(args)),
    info: (...args: unknown[]) => printed.other.push(`info: ${text(args)}`),
    warn: (...args: unknown[]) => printed.other.push(`warn: ${text(args)}`),
    error: (...args: unknown[]) => printed.other.push(`error: ${text(args)}`),
    debug: (...args: unknown[]) => printed.other.push(`debug: ${text(args)}`),
  };
  const context = createContext({ console });
  runInContext(code, context, { filename: 'quick-start.bundle.js', timeout: 60_000 });
  // Read inside the context after the run: the bundle neither found nor defined any of them.
  const globals = JSON.parse(
    runInContext(
      `JSON.stringify(Object.fromEntries(['process', 'Buffer', 'require', 'module', 'global', 'setTimeout',
        'queueMicrotask', 'window', 'self', 'Deno', 'Bun'].map((name) => [name, typeof globalThis[name]])))`,
      context,
    ) as string,
  ) as Record<string, string>;
  return { printed, globals };
}

const ABSENT = {
  process: 'undefined',
  Buffer: 'undefined',
  require: 'undefined',
  module: 'undefined',
  global: 'undefined',
  setTimeout: 'undefined',
  queueMicrotask: 'undefined',
  window: 'undefined',
  self: 'undefined',
  Deno: 'undefined',
  Bun: 'undefined',
};

/** The bundled input files of a bundle that belong to ep-stats. */
function epStatsInputs(bundle: QuickStartBundle): string[] {
  return Object.keys(bundle.metafile.inputs).filter((path) => path.startsWith('node_modules/ep-stats/'));
}

describe('the quick start bundled with esbuild and run without Node', () => {
  let dir = '';
  let node: string[] = [];
  beforeAll(() => {
    dir = quickStartConsumer('runtimes-esbuild');
    node = nodeLines(dir);
  }, 900_000);

  for (const platform of ['browser', 'neutral'] as const) {
    it(`bundles for the ${platform} platform with no Node built-in and prints what Node prints`, async () => {
      const bundle = await bundleQuickStart(dir, platform);
      expect(bundle.warnings.map((warning) => warning.text)).toEqual([]);
      // Everything is inside the bundle: no external import is left, so no Node built-in either.
      const [output] = Object.values(bundle.metafile.outputs);
      expect(output?.imports).toEqual([]);
      expect(output?.exports).toEqual([]);
      // The ESM entry of ep-stats and its ESM chunks, never the CommonJS files.
      expect(epStatsInputs(bundle)).toContain('node_modules/ep-stats/dist/index.js');
      expect(epStatsInputs(bundle).filter((path) => !path.endsWith('.js'))).toEqual([]);

      // The neutral bundle is an ES module without imports or exports (checked above), so it runs as a
      // strict-mode script exactly as it would as a module.
      const code = platform === 'neutral' ? `'use strict';\n${bundle.code}` : bundle.code;
      const { printed, globals } = runBare(code);
      expect(globals).toEqual(ABSENT);
      expect(printed.other).toEqual([]);
      expect(printed.log).toEqual(node);
    });
  }
});
