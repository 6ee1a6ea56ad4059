/**
 * Checks every output fence marked `<!-- check: excerpt-output <script> -->` (see `scripts/site-samples.ts`):
 * part of what a script of `docs/examples/` prints, shown in the guide that walks through it. The script runs
 * once (with `tsx`, from the repository root, as the guides tell users to run it), and each fence's lines must
 * appear in its output verbatim, contiguous and in order (trailing spaces aside); the fences of a page must
 * also follow one another in the order the script prints them.
 *
 * The tests of the scripts (`test/results/ratio-cuped-guide.test.ts`,
 * `test/results/drill-down-and-timeline-guide.test.ts`) recompute the printed numbers another way and also
 * compare the guides' text blocks with the whole output; this file ties each marked fence to its script.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { type SiteSample, samplesChecked } from '../../scripts/site-samples.js';
import { blockStart, printedLines } from './support/printed-lines.js';

const outputs = new Map<string, string[]>();

/** What `script` prints, run once per test file. */
function printed(script: string): string[] {
  let output = outputs.get(script);
  if (output === undefined) {
    output = printedLines(
      execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }),
    );
    outputs.set(script, output);
  }
  return output;
}

const samples = samplesChecked('excerpt-output');
const script = (sample: SiteSample) => sample.check?.args[0] ?? '';

describe('the matching of output excerpts', () => {
  const output = ['a', 'b', '', 'c', 'b'];

  it('finds lines that appear contiguous and in order', () => {
    expect(blockStart(['b', '', 'c'], output)).toBe(1);
    expect(blockStart(['b'], output, 2)).toBe(4);
  });

  it('rejects changed, reordered or skipped lines', () => {
    expect(blockStart(['c', 'd'], output)).toBe(-1);
    expect(blockStart(['c', ''], output)).toBe(-1);
    expect(blockStart(['b', 'c'], output)).toBe(-1);
    expect(blockStart(['a'], output, 1)).toBe(-1);
    expect(blockStart([], output)).toBe(-1);
  });
});

describe('the printed output of the scripts of the documentation site', () => {
  it('marks printed output only', () => {
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.filter((sample) => !['', 'text'].includes(sample.lang)).map((s) => s.name)).toEqual([]);
  });

  for (const sample of samples) {
    it(`${sample.name} (${sample.page}:${sample.line})`, { timeout: 120_000 }, () => {
      expect(sample.check?.args, 'one argument: the script').toHaveLength(1);
      expect(script(sample)).toMatch(/^docs\/examples\/[\w-]+\.ts$/);
      expect(existsSync(join(REPOSITORY_ROOT, script(sample))), script(sample)).toBe(true);
      expect(
        blockStart(printedLines(sample.code), printed(script(sample))),
        `the lines of ${sample.page}:${sample.line} are printed by ${script(sample)}, contiguous and in order`,
      ).toBeGreaterThanOrEqual(0);
    });
  }

  const pages = new Map<string, SiteSample[]>();
  for (const sample of samples) {
    const key = `${sample.page} ${script(sample)}`;
    pages.set(key, [...(pages.get(key) ?? []), sample]);
  }
  for (const [key, fences] of pages) {
    it(`${key}: the fences follow the order of the output`, { timeout: 120_000 }, () => {
      const output = printed(script(fences[0]!));
      let from = 0;
      for (const sample of fences) {
        const fence = printedLines(sample.code);
        const start = blockStart(fence, output, from);
        expect(start, `${sample.page}:${sample.line} after the fence before it`).toBeGreaterThanOrEqual(0);
        from = start + fence.length;
      }
    });
  }
});
