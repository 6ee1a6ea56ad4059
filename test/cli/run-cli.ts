import { type ChildProcess, execFile, spawn } from 'node:child_process';
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
 * The node arguments that start the `ep-stats` program from the sources in any folder: the bundle of the
 * full suite's setup (test/cli/command-setup.ts) where there is one, else tsx (resolved from the repository)
 * and `src/cli/main.ts`.
 */
export function commandArgs(): string[] {
  const bundle = inject('epStatsCommand');
  return bundle ? [bundle] : ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts')];
}

/**
 * Runs the real `ep-stats` program ({@link commandArgs}) in the repository root, without colour, and
 * resolves with its exit code and output (it never rejects on a non-zero exit).
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runNode([...commandArgs(), ...args], env);
}

/**
 * Runs `node ...args` in `cwd` (default the repository root; for the built program: `dist/cli.js`), without
 * colour, and resolves with its exit code and output.
 */
export function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  cwd: string = ROOT,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...args],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1', ...env },
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
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

/** A running `ep-stats serve` that printed its address. */
export interface ServeProcess {
  /** The URL it printed (`http://<host>:<port>`). */
  readonly url: string;
  /** Everything it wrote to standard output so far. */
  stdout(): string;
  /** Everything it wrote to standard error so far. */
  stderr(): string;
  /** Sends SIGTERM (if still running) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the `ep-stats` program ({@link commandArgs}) with `args` (e.g. `['serve', '--port', '0']`) and
 * resolves once it printed `listening on <url>` and the `serving ...` line after it; rejects with its output
 * when it exits first. `env` is the child's whole environment (default: the test's, without colour); `cwd`
 * defaults to the repository root.
 */
export function startServe(
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [...commandArgs(), ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/\S+)\nserving [^\n]*\n/.exec(stdout)?.[1];
      if (url === undefined) return;
      resolve({
        url,
        stdout: () => stdout,
        stderr: () => stderr,
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before serving:\n${stdout}${stderr}`)));
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
