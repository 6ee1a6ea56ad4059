/**
 * Runs documentation code as tests: `@example` fences of the API (`test/doc-examples.test.ts`) and the
 * ```ts programs of the site's pages (`test/docs/check-run.test.ts`).
 *
 * Annotations at the end of an expression statement become assertions:
 *
 * - `expr; // => value` deep equality (`expect(expr).toEqual(value)`, NaN equals NaN);
 * - `expr; // => ~value` numbers within 1e-6 relative (1e-12 absolute floor), element by element for arrays
 *   and objects of numbers;
 * - `expr; // throws ClassName` throws (or, with `await`, rejects with) an instance of `ClassName` whose
 *   `name` is `'ClassName'`; the class must be in scope (imported or global).
 *
 * Imports from `'ep-stats'` and `'ep-stats/<x>'` are redirected to the entry points' sources, and those named
 * in `standIns` to the given files. Each example is written to a module under
 * `node_modules/.cache/doc-examples/` and imported, so top-level `await` works.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect } from 'vitest';
import {
  type DocExample,
  ENTRY_POINTS,
  entryPointOf,
  REPOSITORY_ROOT,
  specifierOf,
} from '../../scripts/extract-examples.js';

const RELATIVE_TOLERANCE = 1e-6;
const ABSOLUTE_TOLERANCE = 1e-12;
const HELPERS = Symbol.for('ep-stats.doc-examples');

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Promise) return 'a Promise';
  if (typeof value === 'function') return `[function ${value.name}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Compares numbers (also inside arrays and plain objects) to {@link RELATIVE_TOLERANCE}. */
function expectClose(actual: unknown, expected: unknown, path = 'value'): void {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') {
      throw new Error(`${path}: expected a number close to ${expected}, got ${describeValue(actual)}`);
    }
    if (Number.isNaN(expected) || !Number.isFinite(expected)) {
      expect(actual, path).toBe(expected);
      return;
    }
    const difference = Math.abs(actual - expected);
    const tolerance = Math.max(RELATIVE_TOLERANCE * Math.abs(expected), ABSOLUTE_TOLERANCE);
    if (!(difference <= tolerance)) {
      throw new Error(
        `${path}: expected ~${expected} (relative tolerance ${RELATIVE_TOLERANCE}, absolute ${ABSOLUTE_TOLERANCE}), ` +
          `got ${actual} (difference ${difference.toExponential(3)})`,
      );
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) && !ArrayBuffer.isView(actual)) {
      throw new Error(`${path}: expected an array, got ${describeValue(actual)}`);
    }
    const values = Array.from(actual as ArrayLike<unknown>);
    expect(values.length, `${path}.length`).toBe(expected.length);
    expected.forEach((item, index) => {
      expectClose(values[index], item, `${path}[${index}]`);
    });
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) {
      throw new Error(`${path}: expected an object, got ${describeValue(actual)}`);
    }
    expect(Object.keys(actual).sort(), `${path} keys`).toEqual(Object.keys(expected).sort());
    for (const [key, item] of Object.entries(expected)) {
      expectClose((actual as Record<string, unknown>)[key], item, `${path}.${key}`);
    }
    return;
  }
  expect(actual, path).toEqual(expected);
}

function expectErrorOf(error: unknown, errorClass: unknown, className: string): void {
  if (typeof errorClass !== 'function') {
    throw new Error(`'// throws ${className}': ${className} is not in scope; import it in the example`);
  }
  expect(error).toBeInstanceOf(errorClass);
  expect((error as Error).name, 'error.name').toBe(className);
}

function expectThrows(run: () => unknown, errorClass: unknown, className: string): void {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    expectErrorOf(error, errorClass, className);
    return;
  }
  const hint = result instanceof Promise ? ' (write `await` before the call)' : '';
  throw new Error(`expected to throw ${className}, but it returned ${describeValue(result)}${hint}`);
}

async function expectRejects(run: () => Promise<unknown>, errorClass: unknown, className: string) {
  let result: unknown;
  try {
    result = await run();
  } catch (error) {
    expectErrorOf(error, errorClass, className);
    return;
  }
  throw new Error(`expected to throw ${className}, but it returned ${describeValue(result)}`);
}

(globalThis as Record<symbol, unknown>)[HELPERS] = { expectClose, expectThrows, expectRejects };

/** Appended to each example's module (imports and function declarations are hoisted). */
const HELPER_TRAILER = [
  "import { expect } from 'vitest';",
  'function __docExample() {',
  `  return (globalThis as Record<symbol, any>)[Symbol.for(${JSON.stringify(HELPERS.description)})];`,
  '}',
].join('\n');

const VALUE_ANNOTATION = /^\/\/\s*=>\s*(~)?\s*(.*?)\s*$/;
const THROWS_ANNOTATION = /^\/\/\s*throws\s+([A-Za-z_$][\w$]*)\s*$/;
const ANY_ANNOTATION = /\/\/\s*(=>|throws\b)/;

function containsAwait(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, containsAwait) ?? false;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  /** Replacement text; `inner` renders a sub-range of the edit with the edits inside it applied. */
  readonly render: (inner: (start: number, end: number) => string) => string;
}

/** Rewrites an example into an ES module: package imports redirected, annotations turned into assertions. */
function toModule(code: string, standIns: ReadonlyMap<string, string>): string {
  const sourceFile = ts.createSourceFile('example.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: Edit[] = [];
  const annotatedLines = new Set<number>();
  const lineOf = (position: number) => sourceFile.getLineAndCharacterOfPosition(position).line;

  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      redirect(node.moduleSpecifier);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      redirect(node.arguments[0]);
    }
    if (ts.isExpressionStatement(node)) annotate(node);
    ts.forEachChild(node, visit);
  };

  const redirect = (literal: ts.StringLiteral): void => {
    const specifier = literal.text;
    const standIn = standIns.get(specifier);
    if (standIn !== undefined) {
      edits.push({
        start: literal.getStart(sourceFile),
        end: literal.end,
        render: () => JSON.stringify(standIn),
      });
      return;
    }
    if (specifier !== 'ep-stats' && !specifier.startsWith('ep-stats/')) return;
    const path = entryPointOf(specifier);
    if (path === undefined) {
      const known = ENTRY_POINTS.map(specifierOf).join("', '");
      throw new Error(`example imports '${specifier}', which is not an entry point ('${known}')`);
    }
    edits.push({ start: literal.getStart(sourceFile), end: literal.end, render: () => JSON.stringify(path) });
  };

  const annotate = (statement: ts.ExpressionStatement): void => {
    // After the `;`, or after the expression when the statement has no `;` on its last line.
    const comment = [statement.end, statement.expression.end]
      .flatMap((position) => ts.getTrailingCommentRanges(code, position) ?? [])
      .find((range) => range.kind === ts.SyntaxKind.SingleLineCommentTrivia);
    if (comment === undefined) return;
    const text = code.slice(comment.pos, comment.end);
    const value = VALUE_ANNOTATION.exec(text);
    const throws = THROWS_ANNOTATION.exec(text);
    if (value === null && throws === null) return;
    annotatedLines.add(lineOf(comment.pos));
    const expression = statement.expression;
    const start = expression.getStart(sourceFile);
    const asynchronous = containsAwait(expression);
    edits.push({
      start: statement.getStart(sourceFile),
      end: statement.end,
      render: (inner) => {
        const actual = `(${inner(start, expression.end)})`;
        if (throws !== null) {
          const className = throws[1] as string;
          const errorClass = `typeof ${className} === 'undefined' ? undefined : ${className}`;
          return asynchronous
            ? `await __docExample().expectRejects(async () => ${actual}, ${errorClass}, '${className}');`
            : `__docExample().expectThrows(() => ${actual}, ${errorClass}, '${className}');`;
        }
        const [, approximate, expected] = value as RegExpExecArray;
        if (expected === '')
          throw new Error(`empty expected value at example line ${lineOf(comment.pos) + 1}`);
        return approximate === undefined
          ? `expect(${actual}).toEqual(${expected});`
          : `__docExample().expectClose(${actual}, ${expected});`;
      },
    });
  };

  visit(sourceFile);

  code.split('\n').forEach((line, index) => {
    if (ANY_ANNOTATION.test(line) && !annotatedLines.has(index)) {
      throw new Error(
        `example line ${index + 1}: '// =>' and '// throws' must end an expression statement: ${line.trim()}`,
      );
    }
  });

  edits.sort((a, b) => a.start - b.start);
  const render = (from: number, to: number, parent?: Edit): string => {
    let output = '';
    let cursor = from;
    for (const edit of edits) {
      if (edit === parent || edit.start < cursor || edit.end > to) continue;
      output += code.slice(cursor, edit.start) + edit.render((start, end) => render(start, end, edit));
      cursor = edit.end;
    }
    return output + code.slice(cursor, to);
  };
  // The helpers go after the example so that line numbers stay those of the example.
  return `${render(0, code.length)}\n${HELPER_TRAILER}\n`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs examples as modules in a folder of their own; `dispose` removes it. */
export interface ExampleRunner {
  run(example: DocExample): Promise<void>;
  dispose(): void;
}

/**
 * A runner whose modules import `standIns` (specifier to absolute path of a module) instead of the packages
 * they name.
 */
export function createExampleRunner(standIns: ReadonlyMap<string, string> = new Map()): ExampleRunner {
  const cacheFolder = join(REPOSITORY_ROOT, 'node_modules', '.cache', 'doc-examples');
  mkdirSync(cacheFolder, { recursive: true });
  const runFolder = mkdtempSync(join(cacheFolder, 'run-'));
  return {
    run: (example) => run(example, runFolder, standIns),
    dispose: () => rmSync(runFolder, { recursive: true, force: true }),
  };
}

async function run(
  example: DocExample,
  runFolder: string,
  standIns: ReadonlyMap<string, string>,
): Promise<void> {
  const moduleName = `${example.symbol.replace(/[^\w.-]/g, '_')}-${example.index}.ts`;
  try {
    writeFileSync(join(runFolder, moduleName), toModule(example.code, standIns));
    await import(join(runFolder, moduleName));
  } catch (error) {
    if (error instanceof Error) {
      // Point at the failing line in the source file when the stack names the example's module.
      const failing = new RegExp(`[/\\\\]${escapeRegExp(moduleName)}:(\\d+)`).exec(error.stack ?? '');
      const where =
        failing === null
          ? `${example.file}:${example.line}`
          : `${example.file}:${example.line + Number(failing[1]) - 1} (line ${failing[1]} of the example)`;
      error.message += `\n\nexample at ${where}`;
    }
    throw error;
  }
}
