import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** The violations dependency-cruiser reports for `paths` with the repository's rules. */
function violations(paths: readonly string[], cwd = ROOT): Violation[] {
  let output: string;
  try {
    output = execFileSync(
      process.execPath,
      [DEPCRUISE, ...paths, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    // Exit code = number of errors; the JSON report is still on stdout.
    output = (error as { stdout: string }).stdout;
  }
  return (JSON.parse(output) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('the layering of src/ (.dependency-cruiser.cjs)', () => {
  it('holds: no violation', () => {
    expect(violations(['src']).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('is enforced: a core file importing a Node built-in and a deep edge file is reported', () => {
    // A scratch tree shaped like src/ (the rules match paths from the working folder), with the project's
    // tsconfig and package.json, so that the real repository is never touched.
    const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-layering-'));
    try {
      mkdirSync(join(scratch, 'src', 'text'), { recursive: true });
      mkdirSync(join(scratch, 'src', 'server'), { recursive: true });
      copyFileSync(join(ROOT, 'tsconfig.json'), join(scratch, 'tsconfig.json'));
      copyFileSync(join(ROOT, 'package.json'), join(scratch, 'package.json'));
      writeFileSync(join(scratch, 'src', 'server', 'build-server.ts'), 'export const buildServer = 1;\n');
      writeFileSync(
        join(scratch, 'src', 'text', 'probe.ts'),
        "import { readFileSync } from 'node:fs';\nimport { buildServer } from '../server/build-server.js';\nexport const probe = [readFileSync, buildServer];\n",
      );
      const names = violations(['src'], scratch).map((v) => v.rule.name);
      expect(names).toContain('core-no-node-builtins');
      expect(names).toContain('core-not-to-edge');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
