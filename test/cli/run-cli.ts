import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';

/** The repository root: the child processes run there, as `npm run ep-stats` does. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** What a finished `ep-stats` process left behind. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The node arguments that start the `ep-stats` program from the sources: the bundle of the full suite's
 * setup (test/cli/command-setup.ts) where there is one, else `--import tsx src/cli/main.ts`.
 */
export function commandArgs(): string[] {
  const bundle = inject('epStatsCommand');
  return bundle ? [bundle] : ['--import', 'tsx', join('src', 'cli', 'main.ts')];
}

/**
 * Runs the real `ep-stats` program ({@link commandArgs}) in the repository root, without colour, and
 * resolves with its exit code and output (it never rejects on a non-zero exit).
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runNode([...commandArgs(), ...args], env);
}

/** Runs `node ...args` in the repository root (for the built program: `dist/cli.js`). */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/**
 * Parses JSON written with the bare tokens `NaN`, `Infinity` and `-Infinity` (as Python's `json` module
 * and the REST API write them) by quoting the tokens first and turning them back into numbers.
 */
export function parseJsonWithNonFinite(text: string): unknown {
  const marker = '#non-finite#';
  const quoted = text.replace(/([:[,]\s*)(NaN|-?Infinity)(?=\s*[,}\]])/g, `$1"${marker}$2"`);
  return JSON.parse(quoted, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(marker) ? Number(value.slice(marker.length)) : value,
  );
}
