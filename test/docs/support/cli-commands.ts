/**
 * Runs the `ep-stats` command lines of the documentation's `sh` samples (checks `cli` and `cli-output`, see
 * `test/docs/check-cli.test.ts`) with the program from the sources, each in a folder of its own where the
 * files the pages name exist.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { queryEventGoals } from '../../../src/cli/event-goals.js';
import { experimentFromFile } from '../../../src/cli/experiment-file.js';
import { PostgresClient } from '../../../src/sql/index.js';
import { commandArgs, ROOT } from '../../cli/run-cli.js';
import { createDemoEventsTable } from '../../sql/support/event-tables.js';

/** One command line of a sample: its words, and what a `$ ` transcript shows after it. */
export interface CommandLine {
  /** The words, the program (`ep-stats`, `npx ep-stats`, `curl`, ...) first. */
  readonly words: readonly string[];
  /** The trailing comment (without `#`), `''` when there is none. */
  readonly comment: string;
  /** The lines the transcript shows after the command (`undefined` outside a transcript). */
  readonly output: readonly string[] | undefined;
  /** The exit code the page implies: 0, or the `# exit code <n>` written after its output. */
  readonly exitCode: number;
}

/** What a finished command left behind. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Splits a shell line into words (single and double quotes, no expansion) and its trailing comment. */
export function shellWords(line: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word = (word ?? '') + char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '#' && word === undefined) {
      return { words, comment: line.slice(i + 1).trim() };
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote !== undefined) throw new Error(`unbalanced quote in ${JSON.stringify(line)}`);
  if (word !== undefined) words.push(word);
  return { words, comment: '' };
}

const EXIT_CODE_NOTE = /\s+#\s*exit code (\d+)\s*$/;

/**
 * The command lines of an `sh` sample: lines joined over `\` continuations, comments stripped, empty lines
 * skipped. In a transcript (lines starting with `$ `) the lines after a command are its expected output; a
 * trailing `# exit code <n>` on them sets the expected exit code.
 */
export function commandLines(code: string): CommandLine[] {
  const lines = code.replace(/\\\n/g, ' ').split('\n');
  const transcript = lines.some((line) => line.startsWith('$ '));
  const commands: { words: string[]; comment: string; output: string[] | undefined; exitCode: number }[] = [];
  for (const line of lines) {
    if (transcript && !line.startsWith('$ ')) {
      const current = commands[commands.length - 1];
      if (current === undefined || current.output === undefined) {
        if (line.trim() === '') continue;
        throw new Error(`output before the first command: ${line}`);
      }
      const note = EXIT_CODE_NOTE.exec(line);
      if (note !== null) current.exitCode = Number(note[1]);
      if (line.trim() !== '') current.output.push(line.replace(EXIT_CODE_NOTE, ''));
      continue;
    }
    const { words, comment } = shellWords(transcript ? line.slice(2) : line);
    if (words.length === 0) continue;
    commands.push({ words, comment, output: transcript ? [] : undefined, exitCode: 0 });
  }
  return commands;
}

/** The program's arguments of a command line: the words after `ep-stats` or `npx ep-stats`. */
export function epStatsArguments(words: readonly string[]): string[] | undefined {
  const start = words[0] === 'npx' ? 1 : 0;
  return words[start] === 'ep-stats' ? words.slice(start + 1) : undefined;
}

/**
 * `node` arguments that start the program from the sources in any folder: the suite's bundle (while it
 * exists: another run's teardown may have removed it), or tsx (resolved from the repository, not from the
 * command's folder) and `src/cli/main.ts`.
 */
export function programArgs(): string[] {
  const args = commandArgs();
  if (args[0] !== '--import' && args.every((arg) => existsSync(arg))) return args;
  return ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts')];
}

const DEMO_EXPERIMENT = 'fixtures/examples/demo-events.experiment.json';
const DEMO_EVENTS_CSV = 'fixtures/events/demo-events.csv';

/**
 * A scratch folder for the command lines of one test file. The files the pages name by placeholder names
 * are bundled files that fit together:
 *
 * - `exp.json` is the demo events' experiment (`fixtures/examples/demo-events.experiment.json`), except with
 *   `--goals goals.csv`, where the pair is `test-dimension` (`fixtures/examples/test-dimension.*`: goal rows
 *   per variant, which the demo experiment's CUPED metric cannot use);
 * - `events.parquet` and `demo-events.csv` are the demo events (`fixtures/events/`);
 * - `metric-sums.csv` holds the metric sums of the demo events, computed by the command's own query;
 * - `fixtures` and `node_modules/ep-stats/fixtures` are the repository's `fixtures` folder, as in the
 *   repository and in a project that installed the package.
 *
 * A file is not put in place when the command writes it (`--out`). Each command runs in a folder of its own.
 */
export class CliScratch {
  readonly root = mkdtempSync(join(tmpdir(), 'ep-stats-docs-cli-'));
  private folders = 0;

  /** Writes the files that are computed rather than bundled (`metric-sums.csv`). */
  async prepare(): Promise<void> {
    const experiment = experimentFromFile(JSON.parse(readFileSync(join(ROOT, DEMO_EXPERIMENT), 'utf8')));
    const sums = await queryEventGoals({
      source: { kind: 'file', path: join(ROOT, 'fixtures', 'events', 'demo-events.parquet') },
      experiment,
      experimentPath: DEMO_EXPERIMENT,
      aggregation: 'metric-sums',
    });
    writeFileSync(join(this.root, 'metric-sums.csv'), toCsv(sums.rows as readonly object[]));
  }

  /** A new folder for `args` (the program's arguments) with the files it reads. */
  folderFor(args: readonly string[]): string {
    this.folders += 1;
    const folder = join(this.root, `command-${this.folders}`);
    mkdirSync(join(folder, 'node_modules', 'ep-stats'), { recursive: true });
    symlinkSync(join(ROOT, 'fixtures'), join(folder, 'fixtures'));
    symlinkSync(join(ROOT, 'fixtures'), join(folder, 'node_modules', 'ep-stats', 'fixtures'));
    const goalRows = optionValue(args, '--goals') === 'goals.csv' && !args.includes('--metric-sums');
    const files: Record<string, string> = {
      'exp.json': goalRows ? 'fixtures/examples/test-dimension.experiment.json' : DEMO_EXPERIMENT,
      'goals.csv': 'fixtures/examples/test-dimension.goals.csv',
      'events.parquet': 'fixtures/events/demo-events.parquet',
      'demo-events.csv': DEMO_EVENTS_CSV,
      'metric-sums.csv': join(this.root, 'metric-sums.csv'),
    };
    const written = optionValue(args, '--out');
    for (const [name, source] of Object.entries(files)) {
      if (name === written) continue;
      symlinkSync(isAbsolute(source) ? source : join(ROOT, source), join(folder, name));
    }
    return folder;
  }

  /** Removes the scratch folder. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The value after `option` in `args`, if any. */
export function optionValue(args: readonly string[], option: string): string | undefined {
  const at = args.indexOf(option);
  return at < 0 ? undefined : args[at + 1];
}

/** Rows as CSV with a header row of every key (empty cells for null). */
function toCsv(rows: readonly object[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const lines = rows.map((row) =>
    columns.map((column) => cell((row as Record<string, unknown>)[column])).join(','),
  );
  return `${[columns.join(','), ...lines].join('\n')}\n`;
}

/** Runs the program with `args` in `folder`, without colour; resolves with its exit code and output. */
export function runProgram(args: readonly string[], folder: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...programArgs(), ...args],
      { cwd: folder, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
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

/** A running `ep-stats serve`. */
export interface RunningServe {
  /** `http://host:port`, as the program printed it. */
  readonly url: string;
  /** The lines printed on standard output up to the URL and the line after it. */
  readonly lines: readonly string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `ep-stats serve` with `args` in `folder` and resolves once it printed the line after its URL (the
 * data source); rejects when it exits first. The server's own JSON log lines are turned off
 * (`EP_STATS_LOG_LEVEL=silent`), so that standard output holds what the command prints.
 */
export function startServe(args: readonly string[], folder: string): Promise<RunningServe> {
  const child: ChildProcess = spawn(process.execPath, [...programArgs(), ...args], {
    cwd: folder,
    env: { ...process.env, NO_COLOR: '1', EP_STATS_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n');
      const at = lines.findIndex((line) => /listening on http:\/\/\S+/.test(line));
      if (at >= 0 && lines.length > at + 2) {
        const url = /listening on (http:\/\/\S+)/.exec(lines[at] as string)?.[1] as string;
        resolve({
          url,
          lines: lines.slice(0, at + 2),
          stop: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before serving:\n${output}${errors}`)));
  });
}

/**
 * Loads the demo events (`fixtures/events/demo-events.csv`) into a new table of the PostgreSQL database at
 * `url`; resolves with a function that drops it.
 */
export async function loadDemoEventsIntoPostgres(url: string, table: string): Promise<() => Promise<void>> {
  const client = await PostgresClient.connect(url);
  await client.query(`DROP TABLE IF EXISTS ${table}`, []);
  await createDemoEventsTable(client, table);
  return async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`, []);
    await client.close();
  };
}

/**
 * Whether `expected` lines appear in `actual` in order (each as a whole line, other lines between them
 * allowed): the check of an output block shown as an excerpt.
 */
export function linesInOrder(actual: readonly string[], expected: readonly string[]): boolean {
  let at = 0;
  for (const line of actual) {
    if (at < expected.length && line.trimEnd() === (expected[at] as string).trimEnd()) at += 1;
  }
  return at === expected.length;
}
