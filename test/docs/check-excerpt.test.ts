/**
 * Checks every ```ts fence marked `<!-- check: excerpt <script> -->` (see `scripts/site-samples.ts`): a
 * fragment of a complete program that a test runs, shown in a guide that walks through it. The fence's lines
 * must appear in the script verbatim, contiguous and in order (trailing spaces aside; the fence may be
 * dedented as a whole), so that the guide shows the code that the tests run and whose output they check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { samplesChecked } from '../../scripts/site-samples.js';
import { printedLines } from './support/printed-lines.js';

/**
 * The scripts that tests run, each with the test file that runs it (with `tsx`) and checks what it prints.
 * An excerpt may only come from one of these.
 */
const EXECUTED_SCRIPTS = new Map([
  ['docs/examples/ratio-and-cuped.ts', 'test/results/ratio-cuped-guide.test.ts'],
  ['docs/examples/drill-down-and-timeline.ts', 'test/results/drill-down-and-timeline-guide.test.ts'],
  ['docs/examples/notebook.ts', 'test/results/notebook-example.test.ts'],
]);

/**
 * The 0-based line of `file` where the lines of `fence` start, contiguous and in order, each indented by one
 * common whitespace prefix (the fence may be dedented), or -1 when they do not appear.
 */
function excerptLine(fence: readonly string[], file: readonly string[]): number {
  const first = fence.findIndex((line) => line !== '');
  if (first < 0) return -1;
  for (let start = 0; start + fence.length <= file.length; start++) {
    const anchor = file[start + first]!;
    if (!anchor.endsWith(fence[first]!)) continue;
    const indent = anchor.slice(0, anchor.length - fence[first]!.length);
    if (indent.trim() !== '') continue;
    if (fence.every((line, j) => file[start + j] === (line === '' ? '' : indent + line))) return start;
  }
  return -1;
}

describe('the matching of excerpts', () => {
  const file = ['function f() {', '  const a = 1;', '', '  return a;', '}'];

  it('finds lines that appear contiguous and in order, also dedented as a whole', () => {
    expect(excerptLine(['const a = 1;', '', 'return a;'], file)).toBe(1);
    expect(excerptLine(printedLines('  const a = 1;  \n\n'), file)).toBe(1);
    expect(excerptLine(['function f() {', '  const a = 1;'], file)).toBe(0);
  });

  it('rejects changed, reordered, skipped or unevenly indented lines', () => {
    expect(excerptLine(['const a = 2;'], file)).toBe(-1);
    expect(excerptLine(['return a;', 'const a = 1;'], file)).toBe(-1);
    expect(excerptLine(['const a = 1;', 'return a;'], file)).toBe(-1);
    expect(excerptLine(['const a = 1;', '', '  return a;'], file)).toBe(-1);
    expect(excerptLine(['f() {'], file)).toBe(-1);
    expect(excerptLine([], file)).toBe(-1);
  });
});

describe('the scripts that excerpts may come from', () => {
  for (const [script, runner] of EXECUTED_SCRIPTS) {
    it(`${script} is run by ${runner}`, () => {
      expect(existsSync(join(REPOSITORY_ROOT, script)), script).toBe(true);
      const text = readFileSync(join(REPOSITORY_ROOT, runner), 'utf8');
      expect(text).toContain('execFileSync(');
      expect(text).toMatch(new RegExp(String.raw`\[\s*'--import',\s*'tsx',\s*'${script}'\s*\]`));
    });
  }
});

describe('the excerpts of the documentation site', () => {
  const samples = samplesChecked('excerpt');

  it('are excerpts of ```ts fences', () => {
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.filter((sample) => sample.lang !== 'ts').map((sample) => sample.name)).toEqual([]);
  });

  for (const sample of samples) {
    it(`${sample.name} (${sample.page}:${sample.line})`, () => {
      const script = sample.check?.args[0] ?? '';
      expect(sample.check?.args, 'one argument: the script').toHaveLength(1);
      expect([...EXECUTED_SCRIPTS.keys()], `${script} is a script that a test runs`).toContain(script);
      const fence = printedLines(sample.code);
      const file = printedLines(readFileSync(join(REPOSITORY_ROOT, script), 'utf8'));
      expect(
        excerptLine(fence, file),
        `the lines of ${sample.page}:${sample.line} appear in ${script}, contiguous and in order`,
      ).toBeGreaterThanOrEqual(0);
    });
  }
});
