/**
 * Check `cli-stderr`: a message of `ep-stats evaluate` on standard error (a fence without a language: an
 * `error: ` message, or a `warning [<code>]:` line), compared with what the program from the sources writes
 * when it is given the input the page describes. The directive says how to provoke the message:
 *
 * `<!-- check: cli-stderr exit=<n> [<field>=<value> ...] [without=<column>] -->`
 *
 * - The command is `ep-stats evaluate --experiment exp.json --goals goals.csv`, run in a folder of
 *   `CliScratch` (test/docs/support/cli-commands.ts), where `exp.json` and `goals.csv` are the
 *   `test-dimension` pair of `fixtures/examples/`.
 * - `without=<column>`: the goals come from events instead, `--events events.csv`, where `events.csv` is the
 *   demo events (`fixtures/events/demo-events.csv`) without that column and `exp.json` the demo events'
 *   experiment (`fixtures/examples/demo-events.experiment.json`).
 * - `<field>=<value>`: a field of `exp.json`, named as the messages name it (`metrics[1].nominator`), set to
 *   the text after the first `=` (which has no spaces). The object that holds the field must exist.
 * - `exit=<n>`: the exit code the page gives for this case (see its Exit codes table).
 *
 * When the command fails (`exit=` other than 0), its standard error must be exactly the block's lines (the
 * message, and the carets of an expression that does not parse); when it succeeds, the block's lines must
 * appear on standard error contiguously and in order (other warnings may come before and after them).
 * Trailing spaces are ignored.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SiteSample, samplesChecked } from '../../scripts/site-samples.js';
import { CliScratch, runProgram } from './support/cli-commands.js';
import { blockStart, printedLines } from './support/printed-lines.js';

const samples = samplesChecked('cli-stderr');
const scratch = new CliScratch();

afterAll(() => scratch.dispose());

/** What a `cli-stderr` directive asks for. */
interface Provocation {
  readonly exitCode: number;
  readonly fields: readonly (readonly [path: string, value: string])[];
  readonly without: string | undefined;
}

function parseDirective(sample: SiteSample): Provocation {
  let exitCode: number | undefined;
  let without: string | undefined;
  const fields: [string, string][] = [];
  for (const arg of sample.check?.args ?? []) {
    const at = arg.indexOf('=');
    if (at <= 0) throw new Error(`${sample.name}: '${arg}' is not <name>=<value>`);
    const name = arg.slice(0, at);
    const value = arg.slice(at + 1);
    if (name === 'exit') exitCode = Number(value);
    else if (name === 'without') without = value;
    else fields.push([name, value]);
  }
  if (exitCode === undefined || !Number.isInteger(exitCode)) {
    throw new Error(`${sample.name}: the directive needs exit=<n>`);
  }
  return { exitCode, fields, without };
}

/** `metrics[1].nominator` as keys: `['metrics', 1, 'nominator']`. */
function fieldPath(path: string): (string | number)[] {
  return [...path.matchAll(/[^.[\]]+/g)].map(([key]) => (/^\d+$/.test(key) ? Number(key) : key));
}

/** `experiment` with the field at `path` set to `value`; throws when the object that holds it is absent. */
function setField(experiment: unknown, path: string, value: string): void {
  const keys = fieldPath(path);
  let holder = experiment as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) {
    const next = holder[key];
    if (typeof next !== 'object' || next === null) throw new Error(`exp.json has no ${path}`);
    holder = next as Record<string | number, unknown>;
  }
  holder[keys[keys.length - 1] as string | number] = value;
}

/** CSV text (no quoted cells) without the column `column`; throws when it has no such column. */
function withoutColumn(csv: string, column: string): string {
  const rows = csv.split('\n').map((line) => line.split(','));
  const at = rows[0]?.indexOf(column) ?? -1;
  if (at < 0) throw new Error(`the demo events have no column ${column}`);
  return rows
    .map((row) => (row.length > at ? row.filter((_, index) => index !== at) : row).join(','))
    .join('\n');
}

async function checkSample(sample: SiteSample): Promise<void> {
  const { exitCode, fields, without } = parseDirective(sample);
  const args = ['evaluate', '--experiment', 'exp.json'];
  args.push(...(without === undefined ? ['--goals', 'goals.csv'] : ['--events', 'events.csv']));
  const folder = scratch.folderFor(args);
  const experimentFile = join(folder, 'exp.json');
  const experiment = JSON.parse(readFileSync(experimentFile, 'utf8')) as unknown;
  for (const [path, value] of fields) setField(experiment, path, value);
  rmSync(experimentFile);
  writeFileSync(experimentFile, `${JSON.stringify(experiment, null, 2)}\n`);
  if (without !== undefined) {
    const events = readFileSync(join(folder, 'demo-events.csv'), 'utf8');
    writeFileSync(join(folder, 'events.csv'), withoutColumn(events, without));
  }

  const result = await runProgram(args, folder);
  const where = `${sample.page}:${sample.line}: ep-stats ${args.join(' ')}`;
  expect(result.code, `${where}: exit code\n${result.stderr}`).toBe(exitCode);
  const block = printedLines(sample.code);
  const stderr = printedLines(result.stderr);
  if (exitCode !== 0) {
    expect(stderr, `${where}: standard error`).toEqual(block);
  } else {
    expect(blockStart(block, stderr), `${where}: standard error:\n${result.stderr}`).toBeGreaterThanOrEqual(
      0,
    );
  }
}

describe('messages of ep-stats evaluate on standard error in the documentation', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, () => checkSample(sample));
  }
});
