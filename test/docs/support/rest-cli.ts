/**
 * Running the `ep-stats serve` command lines of docs/rest-api.md: reading a shell line (environment
 * assignments, words, quotes, `\` continuations, `#` comments), picking free ports, and starting the real
 * program from the sources (as test/cli/serve.test.ts does, through `commandArgs()`) until it prints its
 * address.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { SOURCE_VARIABLES } from '../../../src/cli/serve-data-source.js';
import { serverSettingsFromEnv } from '../../../src/server/index.js';
import { commandArgs, ROOT } from '../../cli/run-cli.js';

export { freePort } from '../../sql/support/free-port.js';

/** One command of a shell sample: its environment assignments, its words and its trailing comment. */
export interface ShellCommand {
  readonly env: Readonly<Record<string, string>>;
  readonly words: readonly string[];
  readonly comment: string;
}

/**
 * Reads the commands of a shell sample, one per line (a line ending in `\` goes on on the next): leading
 * `NAME=value` words are the environment, `'...'` and `"..."` quote (`$PWD` is kept as written), `#` starts
 * a comment. Lines starting with `$ ` (a transcript's prompt) drop the prompt; lines of output are not
 * commands (use {@link transcriptBlocks} for transcripts).
 */
export function shellCommands(code: string): ShellCommand[] {
  const lines = code.replace(/\\\n\s*/g, ' ').split('\n');
  return lines
    .map((line) => line.replace(/^\$ /, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(parseShellLine);
}

/** Parses one shell line (see {@link shellCommands}). */
export function parseShellLine(line: string): ShellCommand {
  const words: string[] = [];
  let comment = '';
  let word: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const character = line[index] as string;
    if (character === "'" || character === '"') {
      const end = line.indexOf(character, index + 1);
      if (end < 0) throw new Error(`unbalanced quote in: ${line}`);
      word = (word ?? '') + line.slice(index + 1, end);
      index = end;
    } else if (character === '#' && word === undefined) {
      comment = line.slice(index + 1).trim();
      break;
    } else if (/\s/.test(character)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + character;
    }
  }
  if (word !== undefined) words.push(word);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0] as string)) {
    const assignment = words.shift() as string;
    const at = assignment.indexOf('=');
    env[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  return { env, words, comment };
}

/** A transcript's command (after `$ `, continuations joined) and the lines it printed. */
export interface TranscriptBlock {
  readonly command: ShellCommand;
  readonly output: string;
}

/** Splits a transcript (`$ command` lines, each followed by its output) into its commands and outputs. */
export function transcriptBlocks(code: string): TranscriptBlock[] {
  const blocks: { command: string; output: string[] }[] = [];
  let continued = false;
  for (const line of code.replace(/\n$/, '').split('\n')) {
    const last = blocks[blocks.length - 1];
    if (line.startsWith('$ ')) {
      blocks.push({ command: line.slice(2), output: [] });
      continued = line.endsWith('\\');
    } else if (continued && last !== undefined) {
      last.command += `\n${line}`;
      continued = line.endsWith('\\');
    } else if (last !== undefined) {
      last.output.push(line);
    }
  }
  return blocks.map((block) => ({
    command: parseShellLine(block.command.replace(/\\\n\s*/g, ' ')),
    output: block.output.join('\n').trim(),
  }));
}

/** An `ep-stats serve` process that printed its address. */
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

/** The environment of a child: the test's, without the developer's EP_STATS_* variables, plus `env`. */
export function serveEnv(env: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(base)) {
    if (name.startsWith('EP_STATS_') && name !== 'EP_STATS_DEV_STATISTICS_WORKER') delete base[name];
  }
  return { ...base, ...env };
}

/**
 * Starts the `ep-stats` program from the sources with `args` (e.g. `['serve', '--test-data']`) in `cwd`,
 * and resolves once it printed `listening on <url>` and its `serving ...` line; rejects with its output if
 * it exits first or takes longer than 60 s.
 */
export function startServe(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  cwd: string = ROOT,
): Promise<ServeProcess> {
  // The program's own arguments name files of the repository: absolute, so that any cwd works. Without
  // the suite's bundle (or when a concurrent run's teardown removed it) the sources run under tsx.
  let program = commandArgs();
  const childEnv = serveEnv(env);
  if (isAbsolute(program[0] as string) && !existsSync(program[0] as string)) {
    program = ['--import', 'tsx', join('src', 'cli', 'main.ts')];
    delete childEnv.EP_STATS_DEV_STATISTICS_WORKER;
  }
  program = program.map((arg) => (arg.endsWith('.ts') && !isAbsolute(arg) ? join(ROOT, arg) : arg));
  const child: ChildProcess = spawn(process.execPath, [...program, ...args], {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no address within 60 s:\n${stdout}${stderr}`));
    }, 60_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)\nserving [^\n]*\n/.exec(stdout);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        stdout: () => stdout,
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${stdout}${stderr}`));
    });
  });
}

/**
 * The command-line arguments after the program of a documented command: `npx ep-stats ...`,
 * `ep-stats ...`, `node_modules/.bin/ep-stats ...` and `node dist/cli.js ...` (the build, run here from the
 * sources) are the `ep-stats` program; anything else is an error.
 */
export function epStatsArguments(words: readonly string[]): string[] {
  const [first, second, ...rest] = words;
  if (first === 'npx' && second === 'ep-stats') return rest;
  if (first === 'node' && second === 'dist/cli.js') return rest;
  if (first === 'ep-stats' || first === 'node_modules/.bin/ep-stats') return words.slice(1);
  throw new Error(`not an ep-stats command: ${words.join(' ')}`);
}

/** The request of a documented `curl` command. */
export interface CurlRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** The body: `-d <text>`, or `-d @<file>` read from the file (relative to `cwd`). */
  readonly body?: string;
}

/**
 * Reads a `curl` command's request: `-X <method>`, `-H '<name>: <value>'`, `-d <data>` / `-d @<file>`
 * (POST unless `-X` says otherwise), `-s` (ignored) and the URL; `$NAME` in a word is replaced by
 * `variables[NAME]`. Any other option is an error, so that the check sees every part of the request.
 */
export function curlRequest(
  command: ShellCommand,
  variables: Readonly<Record<string, string>> = {},
  cwd: string = ROOT,
): CurlRequest {
  const words = command.words.map((word) =>
    word.replace(/\$(\w+)/g, (whole, name: string) => variables[name] ?? whole),
  );
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${words.join(' ')}`);
  let method: string | undefined;
  let url: URL | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let index = 1; index < words.length; index++) {
    const word = words[index] as string;
    const next = () => {
      index++;
      return words[index] ?? '';
    };
    if (word === '-s') continue;
    if (word === '-X') method = next();
    else if (word === '-H') {
      const header = next();
      const at = header.indexOf(':');
      headers[header.slice(0, at).trim().toLowerCase()] = header.slice(at + 1).trim();
    } else if (word === '-d') {
      const data = next();
      body = data.startsWith('@') ? readFileSync(join(cwd, data.slice(1)), 'utf8') : data;
    } else if (!word.startsWith('-') && url === undefined) url = new URL(word);
    else throw new Error(`curl option not understood by the check: ${word}`);
  }
  if (url === undefined) throw new Error(`curl without a URL: ${words.join(' ')}`);
  return {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    url,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

/** Sends a {@link CurlRequest} with fetch to `base` (the URL's scheme, host and port replaced by `base`'s). */
export async function sendCurl(request: CurlRequest, base: string): Promise<Response> {
  const target = new URL(`${request.url.pathname}${request.url.search}`, base);
  return fetch(target, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

/**
 * Whether `actual` matches printed output in which `...` stands for any text left out: the pieces between
 * the `...` appear in `actual` in order, the first at its start and the last at its end.
 */
export function matchesElided(actual: string, printed: string): boolean {
  const pieces = printed.split('...');
  if (pieces.length === 1) return actual === printed;
  if (!actual.startsWith(pieces[0] as string)) return false;
  let position = (pieces[0] as string).length;
  for (const piece of pieces.slice(1, -1)) {
    const found = actual.indexOf(piece, position);
    if (found < 0) return false;
    position = found + piece.length;
  }
  const last = pieces[pieces.length - 1] as string;
  return actual.length - last.length >= position && actual.endsWith(last);
}

/**
 * Whether `ep-stats serve` reads the environment variable `name` (set to `value`): a data source variable
 * (`EP_STATS_EVENTS`, ...) or a setting that `serverSettingsFromEnv` reads (or refuses for its value).
 */
export function readByServe(name: string, value: string): boolean {
  if ((Object.values(SOURCE_VARIABLES) as string[]).includes(name)) return true;
  try {
    return Object.keys(serverSettingsFromEnv({ [name]: value })).length > 0;
  } catch {
    return true;
  }
}
