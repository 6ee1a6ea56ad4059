/**
 * The command lines of the documentation's shell samples: reading a line (environment assignments, words,
 * quotes, `#` comments, `\\` continuations), a transcript's commands and outputs, and the `ep-stats`
 * program's arguments of a documented command.
 */

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

/**
 * The program's arguments of a documented `ep-stats` command: `npx ep-stats ...`, `ep-stats ...`,
 * `node_modules/.bin/ep-stats ...` and `node dist/cli.js ...` (the build, run here from the sources) are the
 * program; `undefined` for any other command.
 */
export function epStatsArguments(words: readonly string[]): string[] | undefined {
  const [first, second, ...rest] = words;
  if (first === 'npx' && second === 'ep-stats') return rest;
  if (first === 'node' && second === 'dist/cli.js') return rest;
  if (first === 'ep-stats' || first === 'node_modules/.bin/ep-stats') return words.slice(1);
  return undefined;
}
