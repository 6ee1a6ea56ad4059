/**
 * The quick start run by Deno and by Bun (the devDependencies' binaries) from a project that installed the
 * packed tarball: both resolve `ep-stats` from its node_modules. Deno runs it with no permission at all and
 * `--no-prompt`, so that reading the environment, a file outside the module graph or the network at import or
 * run time would fail the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/packed-package.js';
import { lines, nodeLines, QUICK_START, quickStartConsumer } from './quick-start.js';

const BIN = join(ROOT, 'node_modules', '.bin');
/**
 * Bun's binary: from its platform package after `npm ci` (the `bun` package's own launcher needs its install
 * script, which package.json's allowScripts does not run), or the launcher where that script did run (it
 * moves the binary there).
 */
const PLATFORM_BUN = join(
  ROOT,
  'node_modules',
  '@oven',
  `bun-${process.platform}-${process.arch}`,
  'bin',
  'bun',
);
const BUN = existsSync(PLATFORM_BUN) ? PLATFORM_BUN : join(BIN, 'bun');

/** Only the variables a runtime needs to start, without colours. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Runs `command` in `cwd` with no standard input; its exit status and output. */
function runIn(cwd: string, command: string, args: readonly string[], env: Record<string, string>) {
  const result = spawnSync(command, [...args], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 90_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const report = `${command} ${args.join(' ')} exited with ${result.status ?? result.signal} (${result.error?.message ?? ''})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', report };
}

describe('the quick start under Deno and Bun', () => {
  let dir = '';
  let node: string[] = [];
  let denoDir = '';
  beforeAll(() => {
    dir = quickStartConsumer('runtimes-deno-bun');
    node = nodeLines(dir);
    // A fresh cache, so that nothing cached by another run (or another project) takes part.
    denoDir = mkdtempSync(join(tmpdir(), 'ep-stats-deno-'));
  }, 900_000);
  afterAll(() => {
    if (denoDir) rmSync(denoDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('runs under Deno without any permission and prints what Node prints', () => {
    const deno = runIn(dir, join(BIN, 'deno'), ['run', '--no-prompt', QUICK_START], {
      ...baseEnv(),
      DENO_DIR: denoDir,
      DENO_NO_UPDATE_CHECK: '1',
    });
    expect(deno.status, deno.report).toBe(0);
    // No permission was asked for (a prompt) nor refused (NotCapable / "Requires ... access").
    expect(deno.stderr).not.toMatch(/Deno requests|NotCapable|PermissionDenied|Requires \w+ access|--allow-/);
    expect(deno.stderr, deno.report).toBe('');
    expect(lines(deno.stdout)).toEqual(node);
  });

  it('runs under Bun and prints what Node prints', () => {
    const bun = runIn(dir, BUN, [QUICK_START], baseEnv());
    expect(bun.status, bun.report).toBe(0);
    expect(bun.stderr, bun.report).toBe('');
    expect(lines(bun.stdout)).toEqual(node);
  });
});
