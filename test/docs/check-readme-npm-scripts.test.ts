/**
 * Check `readme-npm-scripts`: the development commands of the README (`npm ci`, `npm run <script>`,
 * `npm test`). Every script they name, in the commands or their comments, is a script of package.json;
 * `npm ci` has a package-lock.json in step with package.json (its name, version and dependency ranges);
 * a script that runs the command from the sources (`tsx src/cli/main.ts ...`, e.g. `npm run demo`) is run
 * in a scratch folder with the repository's `fixtures`, must exit with 0 and print a scorecard, and writes
 * every `.html` file its comment names.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { samplesChecked } from '../../scripts/site-samples.js';
import { commandArgs } from '../cli/run-cli.js';
import { parseShellLine } from './support/shell-lines.js';

interface Manifest {
  name: string;
  version: string;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const samples = samplesChecked('readme-npm-scripts');
const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as Manifest;
const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-docs-npm-scripts-'));
symlinkSync(join(REPOSITORY_ROOT, 'fixtures'), join(scratch, 'fixtures'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PROGRAM = 'tsx src/cli/main.ts ';

/** The sample's npm commands, each with its comment and the comment lines that continue it. */
function npmCommands(code: string): { words: string[]; comment: string }[] {
  const commands: { words: string[]; comment: string }[] = [];
  for (const line of code.split('\n')) {
    const { words, comment } = parseShellLine(line);
    const last = commands.at(-1);
    if (words.length === 0 && last !== undefined) last.comment += ` ${comment}`;
    else if (words.length > 0) commands.push({ words: [...words], comment });
  }
  return commands;
}

/** Runs a script that starts the command from the sources, in the scratch folder. */
function runScript(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = parseShellLine(script.slice(PROGRAM.length)).words;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...commandArgs(), ...args],
      { cwd: scratch, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? -1), stdout, stderr }),
    );
  });
}

describe("the README's development commands", () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, async () => {
      const commands = npmCommands(sample.code);
      expect(commands.length).toBeGreaterThan(0);
      for (const name of sample.code.matchAll(/npm run ([\w-]+(?::[\w-]+)*)/g)) {
        expect(manifest.scripts, `npm run ${name[1]}`).toHaveProperty([name[1] as string]);
      }
      for (const { words, comment } of commands) {
        const line = words.join(' ');
        expect(words[0], line).toBe('npm');
        if (words[1] === 'ci') {
          const lock = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package-lock.json'), 'utf8')) as {
            name: string;
            version: string;
            packages: Record<string, Manifest>;
          };
          expect([lock.name, lock.version]).toEqual([manifest.name, manifest.version]);
          const root = lock.packages[''] as Manifest;
          for (const field of ['dependencies', 'devDependencies', 'peerDependencies'] as const) {
            expect(root[field], `package-lock.json ${field}`).toEqual(manifest[field]);
          }
        } else if (words[1] === 'test') {
          expect(manifest.scripts.test, line).toBeDefined();
        } else {
          expect(words[1], line).toBe('run');
          const script = manifest.scripts[words[2] as string] as string;
          if (!script.startsWith(PROGRAM)) continue;
          const written = [...comment.matchAll(/\b([\w.-]+\.html)\b/g)].map((match) => match[1] as string);
          for (const file of written) rmSync(join(scratch, file), { force: true });
          const result = await runScript(script);
          expect(result.code, `${line}\n${result.stderr}`).toBe(0);
          expect(result.stdout, line).toMatch(/^Experiment \S+ \(control variant/);
          for (const file of written) {
            expect(existsSync(join(scratch, file)), `${line} writes ${file}`).toBe(true);
            expect(readFileSync(join(scratch, file), 'utf8')).toMatch(/^<!doctype html>/i);
          }
        }
      }
    });
  }
});
