import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumer, ROOT } from './support/packed-package.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const example = readFileSync(join(ROOT, 'fixtures', 'examples', 'quick-start.mjs'), 'utf8');

/** The fenced code blocks of a Markdown text, in order, with their info strings. */
function codeBlocks(markdown: string): { info: string; code: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    info: m[1] ?? '',
    code: m[2] ?? '',
  }));
}

describe("the README's quick start", () => {
  const blocks = codeBlocks(readme);
  const at = blocks.findIndex((block) => block.info === 'js' && block.code.includes("from 'ep-stats'"));

  it('shows the shipped example verbatim', () => {
    expect(at).toBeGreaterThanOrEqual(0);
    expect(blocks[at]?.code).toBe(example);
  });

  it('shows what the example prints when run from an installed package', () => {
    const { dir } = consumer('core');
    const printed = execFileSync(
      process.execPath,
      [join('node_modules', 'ep-stats', 'fixtures', 'examples', 'quick-start.mjs')],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(blocks[at + 1]?.code).toBe(printed);
    // The reference's README numbers (CTR 5/21 in a, 7/26 in b): diff 0.1307692308, p-value 0.8244735669, SRM p 0.465803.
    expect(printed).toContain('b: mean 0.2692, diff 0.1308, p-value 0.8245');
    expect(printed).toContain('SRM p-value 0.4658');
  });
});
