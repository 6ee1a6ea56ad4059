/**
 * Every code sample of the documentation site is checked by a test: a fence's check (see
 * `scripts/site-samples.ts`) is run by `test/docs/check-<kind>.test.ts`, which takes the samples of its kind
 * from `samplesChecked('<kind>')`. Printed output (fences without a language or marked `text`, check
 * `output`) is the only kind without a test of its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { sitePages, siteSamples } from '../../scripts/site-samples.js';

const samples = siteSamples();

describe('the code samples of the documentation site', () => {
  it('reads every page of the site, each with samples', () => {
    const pages = sitePages();
    expect(pages[0]).toBe('README.md');
    expect(pages).toContain('docs/concepts.md');
    for (const page of pages) expect(existsSync(join(REPOSITORY_ROOT, page)), page).toBe(true);
    expect(new Set(samples.map((sample) => sample.page)).size).toBeGreaterThanOrEqual(pages.length - 3);
  });

  it('names a check for every code sample', () => {
    const unchecked = samples.filter((sample) => sample.check === undefined);
    expect(
      unchecked.map((sample) => `${sample.page}:${sample.line} (\`\`\`${sample.lang})`),
      'add <!-- check: <kind> --> on the line before the fence',
    ).toEqual([]);
  });

  it('marks only printed output as output', () => {
    const code = samples.filter(
      (sample) => sample.check?.kind === 'output' && !['', 'text'].includes(sample.lang),
    );
    expect(code.map((sample) => `${sample.page}:${sample.line} (\`\`\`${sample.lang})`)).toEqual([]);
  });

  const kinds = [...new Set(samples.map((sample) => sample.check?.kind ?? ''))].filter(
    (kind) => kind !== '' && kind !== 'output',
  );
  for (const kind of kinds) {
    it(`runs the check '${kind}' in test/docs/check-${kind}.test.ts`, () => {
      const file = join(REPOSITORY_ROOT, 'test', 'docs', `check-${kind}.test.ts`);
      expect(existsSync(file), `test/docs/check-${kind}.test.ts`).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(
        text.includes(`samplesChecked('${kind}')`) ||
          (kind === 'run' && text.includes('extractPageExamples()')),
        `test/docs/check-${kind}.test.ts reads samplesChecked('${kind}')`,
      ).toBe(true);
    });
  }
});
