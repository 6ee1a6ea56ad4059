/**
 * Check `readme-quick-start`: the README's quick start (a ```js program) is the example the package ships,
 * `fixtures/examples/quick-start.mjs`, verbatim, and run with `ep-stats` resolved to the sources it prints
 * exactly the output block that follows it on the page. (test/package/readme.test.ts runs it from the
 * packed package.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { pageSamples, samplesChecked } from '../../scripts/site-samples.js';

const samples = samplesChecked('readme-quick-start');
const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-docs-quick-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `node` on `file` with tsx (for the TypeScript sources); resolves with its standard output. */
function runWithTsx(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), file],
      { cwd: scratch, timeout: 60_000 },
      (error, stdout, stderr) =>
        error === null ? resolve(stdout) : reject(new Error(`${error}\n${stderr}`)),
    );
  });
}

describe("the README's quick start", () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, async () => {
      const shipped = readFileSync(join(REPOSITORY_ROOT, 'fixtures', 'examples', 'quick-start.mjs'), 'utf8');
      expect(sample.code, 'a verbatim copy of fixtures/examples/quick-start.mjs').toBe(shipped);
      const sources = pathToFileURL(join(REPOSITORY_ROOT, 'src', 'index.ts')).href;
      const program = sample.code.replace(/from 'ep-stats'/g, `from '${sources}'`);
      expect(program, "imports 'ep-stats'").not.toBe(sample.code);
      const file = join(scratch, `quick-start-${sample.index}.mjs`);
      writeFileSync(file, program);
      const printed = await runWithTsx(file);
      const next = pageSamples(sample.page).find((other) => other.index === sample.index + 1);
      expect(next?.check?.kind, 'the output block after the program').toBe('output');
      expect(printed).toBe(next?.code);
    });
  }
});
