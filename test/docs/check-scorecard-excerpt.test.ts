/**
 * Check `scorecard-excerpt`: part of the scorecard that `ep-stats evaluate` prints, shown on a page that walks
 * through it (a fence without a language or marked `text`). The directive names the experiment file and the
 * events file, as repository paths:
 *
 * `<!-- check: scorecard-excerpt <experiment.json> <events file> -->`
 *
 * The program from the sources runs `ep-stats evaluate --experiment <experiment.json> --events <events file>`
 * once per pair, in the repository root, with standard output a pipe (so the tables are laid out for 120
 * columns, as `npm run demo` prints them when not in a terminal), and must exit with 0. Each block's lines
 * must appear in what it printed verbatim, contiguous and in order (trailing spaces aside); the blocks of a
 * page from one pair must also follow one another in the order the scorecard prints them.
 */
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { type SiteSample, samplesChecked } from '../../scripts/site-samples.js';
import { runProgram } from './support/cli-commands.js';
import { blockStart, printedLines } from './support/printed-lines.js';

const samples = samplesChecked('scorecard-excerpt');

/** The program's arguments for the directive of `sample`. */
function commandOf(sample: SiteSample): string[] {
  const [experiment, events, ...rest] = sample.check?.args ?? [];
  if (experiment === undefined || events === undefined || rest.length > 0) {
    throw new Error(`${sample.name}: scorecard-excerpt <experiment.json> <events file>`);
  }
  return ['evaluate', '--experiment', experiment, '--events', events];
}

const printed = new Map<string, Promise<string[]>>();

/** The lines the command of `args` prints (run once per command). */
function scorecard(args: readonly string[]): Promise<string[]> {
  const key = args.join(' ');
  let lines = printed.get(key);
  if (lines === undefined) {
    lines = runProgram(args, REPOSITORY_ROOT).then((result) => {
      expect(result.code, `ep-stats ${key}\n${result.stderr}`).toBe(0);
      return printedLines(result.stdout);
    });
    printed.set(key, lines);
  }
  return lines;
}

/** Checks that the block of `sample` is in its scorecard, after the blocks before it on the page. */
async function checkSample(sample: SiteSample): Promise<void> {
  const args = commandOf(sample);
  const output = await scorecard(args);
  const earlier = samples.filter(
    (other) =>
      other.page === sample.page &&
      other.index < sample.index &&
      commandOf(other).join(' ') === args.join(' '),
  );
  let from = 0;
  for (const other of earlier) {
    const start = blockStart(printedLines(other.code), output, from);
    if (start >= 0) from = start + printedLines(other.code).length;
  }
  const block = printedLines(sample.code);
  const where = `${sample.page}:${sample.line}: ep-stats ${args.join(' ')}`;
  expect(
    blockStart(block, output),
    `${where} prints the block:\n${output.join('\n')}`,
  ).toBeGreaterThanOrEqual(0);
  expect(
    blockStart(block, output, from),
    `${where}: after the blocks before it on the page`,
  ).toBeGreaterThanOrEqual(0);
}

describe('excerpts of the scorecard of ep-stats evaluate in the documentation', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, () => checkSample(sample));
  }
});
