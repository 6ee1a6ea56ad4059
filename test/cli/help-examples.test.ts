import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedPath } from '../../src/cli/shipped-path.js';
import { parseJsonWithNonFinite, ROOT, runCli } from './run-cli.js';

/** The file paths a help text names (tokens ending in a file extension of the shipped examples). */
const namedFiles = (help: string): string[] =>
  [...help.matchAll(/(\S+\.(?:json|csv|parquet))\b/g)].map((m) => m[1] as string);

describe('help examples name files that exist from where the command runs', () => {
  it('shippedPath is relative to the current folder, or absolute outside the package', () => {
    expect(shippedPath('fixtures/examples/quick-start.mjs', ROOT)).toBe('fixtures/examples/quick-start.mjs');
    expect(shippedPath('fixtures/examples', join(ROOT, 'docs'))).toBe(join(ROOT, 'fixtures', 'examples'));
    expect(shippedPath('fixtures/examples', join(ROOT, '..', 'elsewhere'))).toBe(
      join(ROOT, 'fixtures', 'examples'),
    );
  });

  it.each(['evaluate', 'generate-events'])('every shipped file in `%s --help` exists', async (command) => {
    const { code, stdout } = await runCli([command, '--help']);
    expect(code).toBe(0);
    const shipped = namedFiles(stdout).filter((path) => path.includes('fixtures/'));
    expect(shipped.length).toBeGreaterThan(0);
    for (const path of shipped) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });

  it('the first evaluate example runs as printed', async () => {
    const { stdout } = await runCli(['evaluate', '--help']);
    const files = namedFiles(stdout);
    const experiment = files.find((path) => path.endsWith('test-dimension.experiment.json'));
    const goals = files.find((path) => path.endsWith('test-dimension.goals.csv'));
    expect([experiment, goals]).toEqual([
      'fixtures/examples/test-dimension.experiment.json',
      'fixtures/examples/test-dimension.goals.csv',
    ]);
    const result = await runCli([
      'evaluate',
      '--experiment',
      experiment as string,
      '--goals',
      goals as string,
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    expect((parseJsonWithNonFinite(result.stdout) as { metrics: unknown[] }).metrics.length).toBeGreaterThan(
      0,
    );
  });
});
