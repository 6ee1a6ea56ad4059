/**
 * Check `cli`: the `sh` samples of `ep-stats` command lines (README.md, docs/cli.md). Every command line
 * (joined over `\` continuations, comments stripped; `npx ep-stats` is the same program) is run with the
 * program from the sources, in a folder of its own where the files the pages name exist (see
 * `CliScratch` in `test/docs/support/cli-commands.ts`), and must exit with the code the page implies: 0,
 * or the `# exit code <n>` written after its output in a `$ ` transcript. A transcript's output lines are
 * compared with what the command printed (standard output, then standard error), and a trailing comment
 * that is a number (`# 56512`) with its standard output.
 *
 * Substitutions, as a reader would make them: `<command>` is each command the sample names;
 * `--database postgres://...` is the PostgreSQL test database and `--table events` a table of it loaded
 * with the demo events (skipped, with a warning, when no test database runs); `ep-stats serve` runs on
 * `--port 0` (a free port), must answer `GET /health`, and stops on SIGTERM with exit code 0; in a
 * transcript its printed port stands for any port and `curl <its URL>` is a `GET` of that URL.
 *
 * Arguments of the directive: `same <file> <repository file>`: the command writes `<file>`, whose content
 * must equal the repository's file byte for byte (e.g. the bundled events it says it generates).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { type SiteSample, samplesChecked } from '../../scripts/site-samples.js';
import { postgresTestUrl } from '../sql/support/postgres.js';
import {
  CliScratch,
  type CommandLine,
  commandLines,
  loadDemoEventsIntoPostgres,
  runProgram,
  startServeIn,
} from './support/cli-commands.js';
import { epStatsArguments } from './support/shell-lines.js';

const samples = samplesChecked('cli');
const scratch = new CliScratch();
const table = `docs_cli_events_${process.pid}`;
let postgresUrl = '';
let dropTable: (() => Promise<void>) | undefined;

beforeAll(async () => {
  await scratch.prepare();
  const needsPostgres = samples.some((sample) => /--database\s+postgres(ql)?:\/\//.test(sample.code));
  if (needsPostgres) {
    postgresUrl = postgresTestUrl();
    if (postgresUrl !== '') dropTable = await loadDemoEventsIntoPostgres(postgresUrl, table);
  }
});

afterAll(async () => {
  await dropTable?.();
  scratch.dispose();
});

/** The page's command lines with `<command>` replaced by each command the sample names. */
function expandPlaceholders(commands: readonly CommandLine[]): CommandLine[] {
  const named = [
    ...new Set(
      commands
        .map((command) => epStatsArguments(command.words)?.[0])
        .filter((word): word is string => word !== undefined && /^[a-z]/.test(word)),
    ),
  ];
  return commands.flatMap((command) =>
    command.words.includes('<command>')
      ? named.map((name) => ({
          ...command,
          words: command.words.map((word) => (word === '<command>' ? name : word)),
        }))
      : [command],
  );
}

/** The arguments with the test database and table substituted; `undefined` when it does not run. */
function withTestDatabase(args: readonly string[]): string[] | undefined {
  const at = args.indexOf('--database');
  if (at < 0 || !/^postgres(ql)?:\/\//.test(args[at + 1] ?? '')) return [...args];
  if (postgresUrl === '') return undefined;
  return args.map((word, index) => {
    if (index === at + 1) return postgresUrl;
    if (index > 0 && args[index - 1] === '--table') return table;
    return word;
  });
}

/** `serve` arguments on any free port. */
function onFreePort(args: readonly string[]): string[] {
  const at = args.indexOf('--port');
  if (at < 0) return [...args, '--port', '0'];
  return args.map((word, index) => (index === at + 1 ? '0' : word));
}

/** A printed line of the page with its example port standing for any port, as a pattern. */
function anyPort(line: string, port: string): RegExp {
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.split(`:${port}`).join(':\\d+')}$`);
}

/** Runs the command lines of one sample; serve and the `curl` lines after it in order, others at once. */
async function checkSample(sample: SiteSample): Promise<void> {
  const commands = expandPlaceholders(commandLines(sample.code));
  expect(commands.length, 'command lines').toBeGreaterThan(0);
  const [, written, original] = sample.check?.args[0] === 'same' ? sample.check.args : [];
  const pending: Promise<void>[] = [];
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index] as CommandLine;
    const where = `${sample.page}:${sample.line}: ${command.words.join(' ')}`;
    const parsed = epStatsArguments(command.words);
    if (parsed === undefined) throw new Error(`${where}: not an ep-stats command`);
    const args = withTestDatabase(parsed);
    if (args === undefined) {
      console.warn(`${where} skipped: no PostgreSQL test database`);
      continue;
    }
    const folder = scratch.folderFor(args);
    if (args[0] === 'serve' && !args.includes('--help')) {
      const curls: CommandLine[] = [];
      while (commands[index + 1]?.words[0] === 'curl') curls.push(commands[++index] as CommandLine);
      pending.push(checkServe(onFreePort(args), folder, command, curls, where));
      continue;
    }
    pending.push(
      runProgram(args, folder).then((result) => {
        const printed = `${result.stdout}${result.stderr}`;
        expect(result.code, `${where}: exit code\n${printed}`).toBe(command.exitCode);
        if (command.output !== undefined) {
          const lines = [...result.stdout.split('\n'), ...result.stderr.split('\n')].filter(
            (line) => line.trim() !== '',
          );
          expect(lines, where).toEqual(command.output.map((line) => line.trimEnd()));
        }
        if (/^\d[\d,.]*$/.test(command.comment)) expect(result.stdout.trim(), where).toBe(command.comment);
        if (written !== undefined && original !== undefined && args.includes(written)) {
          expect(
            readFileSync(join(folder, written), 'utf8') ===
              readFileSync(join(REPOSITORY_ROOT, original), 'utf8'),
            `${where}: ${written} equals ${original}`,
          ).toBe(true);
        }
      }),
    );
  }
  await Promise.all(pending);
}

async function checkServe(
  args: readonly string[],
  folder: string,
  command: CommandLine,
  curls: readonly CommandLine[],
  where: string,
): Promise<void> {
  const server = await startServeIn(args, folder);
  try {
    const health = await fetch(`${server.url}/health`);
    expect(health.status, `${where}: GET /health`).toBe(200);
    expect(await health.json()).toEqual({ message: 'ep-stats-api is ready' });
    if (command.output !== undefined) {
      const port = /:(\d+)$/.exec(/listening on (\S+)/.exec(command.output.join('\n'))?.[1] ?? '')?.[1];
      expect(port, `${where}: the transcript shows the URL`).toBeDefined();
      expect(server.lines.length, where).toBe(command.output.length);
      command.output.forEach((line, at) => {
        expect(server.lines[at], where).toMatch(anyPort(line, port as string));
      });
      for (const curl of curls) {
        const [url, ...rest] = curl.words.slice(1);
        expect(rest, `${curl.words.join(' ')}: a plain GET`).toEqual([]);
        const actual = new URL(new URL(url as string).pathname, server.url);
        const response = await fetch(actual);
        expect(response.status, curl.words.join(' ')).toBe(200);
        expect(await response.text()).toBe((curl.output ?? []).join('\n'));
      }
    } else {
      expect(curls).toEqual([]);
    }
  } finally {
    expect(await server.stop(), `${where}: exit code after SIGTERM`).toBe(0);
  }
}

describe('the ep-stats command lines of the documentation', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, () => checkSample(sample));
  }
});
