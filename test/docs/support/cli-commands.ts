import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { queryEventGoals } from '../../../src/cli/event-goals.js';
import { experimentFromFile } from '../../../src/cli/experiment-file.js';
import { PostgresClient } from '../../../src/sql/index.js';
import {
  type CliResult,
  commandArgs,
  ROOT,
  runNode,
  type ServeProcess,
  startServe,
} from '../../cli/run-cli.js';
import { createDemoEventsTable } from '../../sql/support/event-tables.js';
import { parseShellLine } from './shell-lines.js';

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
export type CommandResult = CliResult;

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
    const { env, words, comment } = parseShellLine(transcript ? line.slice(2) : line);
    if (Object.keys(env).length > 0)
      throw new Error(`environment assignments are not run by this check: ${line}`);
    if (words.length === 0) continue;
    commands.push({ words: [...words], comment, output: transcript ? [] : undefined, exitCode: 0 });
  }
  return commands;
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
  return runNode([...commandArgs(), ...args], {}, folder);
}

/** A running `ep-stats serve` and the lines it printed up to its data source. */
export interface RunningServe extends ServeProcess {
  /** The lines printed on standard output up to the URL and the line after it. */
  readonly lines: readonly string[];
}

/**
 * Starts `ep-stats serve` with `args` in `folder` ({@link startServe}), its own JSON log lines turned off
 * (`EP_STATS_LOG_LEVEL=silent`), so that standard output holds what the command prints.
 */
export async function startServeIn(args: readonly string[], folder: string): Promise<RunningServe> {
  const served = await startServe(args, {
    cwd: folder,
    env: { ...process.env, NO_COLOR: '1', EP_STATS_LOG_LEVEL: 'silent' },
  });
  const lines = served.stdout().split('\n');
  const at = lines.findIndex((line) => line.includes(`listening on ${served.url}`));
  return { ...served, lines: lines.slice(0, at + 2) };
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
