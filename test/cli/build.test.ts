import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../tsup.config.js';
import { demoExposures } from '../support/demo-exposures.js';
import { parseJsonWithNonFinite, ROOT, runNode } from './run-cli.js';

// The package's build (tsup.config.ts) of the CLI entry alone, into a scratch folder under node_modules
// (so that the bundle resolves its dependencies) rather than dist/, which other work may be using.
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
let outDir = '';

describe('the bundled ep-stats command', () => {
  beforeAll(async () => {
    const cache = join(ROOT, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    outDir = mkdtempSync(join(cache, 'ep-stats-cli-build-'));
    await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js'),
        '--entry.cli',
        'src/cli/main.ts',
        '--out-dir',
        outDir,
        '--no-dts',
      ],
      { cwd: ROOT, timeout: 60_000 },
    );
  });

  afterAll(() => {
    if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
  });

  it('is the package bin: dist/cli.js built from src/cli/main.ts', () => {
    expect(packageJson.bin['ep-stats']).toBe('./dist/cli.js');
    expect((config as { entry: Record<string, string> }).entry.cli).toBe('src/cli/main.ts');
  });

  it('starts with a shebang and prints the package version', async () => {
    expect(readFileSync(join(outDir, 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const result = await runNode([join(outDir, 'cli.js'), '--version']);
    expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it('evaluates events through the lazily loaded SQL chunk', async () => {
    const args = [
      'evaluate',
      '--experiment',
      'fixtures/examples/demo-events.experiment.json',
      '--events',
      'fixtures/events/demo-events.parquet',
      '--format',
      'json',
    ];
    // The command is ES module only (the package's bin); its CommonJS twin is not shipped.
    const { code, stdout, stderr } = await runNode([join(outDir, 'cli.js'), ...args]);
    // The demo's 250 to 280 units per variant are below the calibrated regime: only small-sample warnings.
    expect([code, stderr.replace(/^warning \[small-sample\]: .*\n/gm, '')]).toEqual([0, '']);
    const evaluation = parseJsonWithNonFinite(stdout) as { exposures: { exposures: number }[] };
    expect(evaluation.exposures.map((row) => row.exposures)).toEqual(demoExposures());
  });

  it('computes a sample size', async () => {
    const args = ['sample-size', '--variants', '2', '--minimum-effect', '0.05', '--mean', '0.4'];
    expect(await runNode([join(outDir, 'cli.js'), ...args])).toEqual({
      code: 0,
      stdout: '9489\n',
      stderr: '',
    });
  });
});
