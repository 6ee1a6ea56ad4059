/**
 * Check `readme-quick-start`: the README's quick start (a ```js program) is the example the package ships,
 * `fixtures/examples/quick-start.mjs`, verbatim, and run from the packed package installed in a scratch
 * project (as a user runs it) it prints exactly the output block that follows it on the page.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { pageSamples, samplesChecked } from '../../scripts/site-samples.js';
import { consumer } from '../package/support/packed-package.js';

const samples = samplesChecked('readme-quick-start');

describe("the README's quick start", () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, { timeout: 300_000 }, () => {
      const shipped = readFileSync(join(REPOSITORY_ROOT, 'fixtures', 'examples', 'quick-start.mjs'), 'utf8');
      expect(sample.code, 'a verbatim copy of fixtures/examples/quick-start.mjs').toBe(shipped);
      const { dir } = consumer('core');
      const printed = execFileSync(
        process.execPath,
        [join('node_modules', 'ep-stats', 'fixtures', 'examples', 'quick-start.mjs')],
        { cwd: dir, encoding: 'utf8' },
      );
      const next = pageSamples(sample.page).find((other) => other.index === sample.index + 1);
      expect(next?.check?.kind, 'the output block after the program').toBe('output');
      expect(printed).toBe(next?.code);
      // The reference's README numbers (CTR 5/21 in a, 7/26 in b): diff 0.1307692308, p-value 0.8244735669,
      // SRM p 0.465803.
      expect(printed).toContain('b: mean 0.2692, diff 0.1308, p-value 0.8245');
      expect(printed).toContain('SRM p-value 0.4658');
    });
  }
});
