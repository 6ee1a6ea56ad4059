/**
 * Check `cli-output`: printed output of the command (a fence without a language or marked `text`) compared
 * with what the program prints. The directive says what prints it:
 *
 * - `excerpt <n>`: the `<n>`th command line of the nearest `cli` sample before it on the page, run as
 *   `test/docs/check-cli.test.ts` runs it; every line of the block must be printed, in this order (other
 *   lines may come between them).
 * - `header`: the header line of the scorecard `ep-stats evaluate` prints for the nearest `experiment-file`
 *   sample before it (evaluated over a goals file without rows: the header names the methods, which do not
 *   depend on the data).
 * - `missing-packages`: the message of the command when packages are missing (`missingPackagesMessage` of
 *   src/cli/required-packages.ts, for the command and packages the block names, with the install line of
 *   everything that command needs).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pageSamples, type SiteSample, samplesChecked } from '../../scripts/site-samples.js';
import { missingPackagesMessage, packagesFor } from '../../src/cli/required-packages.js';
import { CliScratch, commandLines, linesInOrder, runProgram } from './support/cli-commands.js';
import { epStatsArguments } from './support/shell-lines.js';

const samples = samplesChecked('cli-output');
const scratch = new CliScratch();

afterAll(() => scratch.dispose());

/** The nearest sample before `sample` on its page whose check is `kind`. */
function sampleBefore(sample: SiteSample, kind: string): SiteSample {
  const before = pageSamples(sample.page)
    .filter((other) => other.index < sample.index && other.check?.kind === kind)
    .at(-1);
  if (before === undefined) throw new Error(`${sample.name}: no '${kind}' sample before it`);
  return before;
}

async function checkExcerpt(sample: SiteSample, position: number): Promise<void> {
  const source = sampleBefore(sample, 'cli');
  const command = commandLines(source.code)[position - 1];
  const args = command === undefined ? undefined : epStatsArguments(command.words);
  if (args === undefined) throw new Error(`${source.name}: command ${position} is not an ep-stats command`);
  const result = await runProgram(args, scratch.folderFor(args));
  expect(result.code, result.stderr).toBe(0);
  const expected = sample.code.replace(/\n$/, '').split('\n');
  const printed = result.stdout.split('\n');
  expect(linesInOrder(printed, expected), `printed:\n${result.stdout}`).toBe(true);
}

async function checkHeader(sample: SiteSample): Promise<void> {
  const source = sampleBefore(sample, 'experiment-file');
  const folder = scratch.folderFor([]);
  writeFileSync(join(folder, 'checked.json'), source.code);
  writeFileSync(
    join(folder, 'no-rows.csv'),
    'exp_id,exp_variant_id,unit_type,agg_type,goal,count,sum_sqr_count,sum_value,sum_sqr_value,count_unique\n',
  );
  const result = await runProgram(
    ['evaluate', '--experiment', 'checked.json', '--goals', 'no-rows.csv'],
    folder,
  );
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.split('\n')[0]).toBe(sample.code.trimEnd());
}

function checkMissingPackages(sample: SiteSample): void {
  const match = /^error: ep-stats (\S+) needs (.+?), which (?:is|are) not installed/.exec(sample.code);
  expect(match, 'error: ep-stats <command> needs <packages>, which ...').not.toBeNull();
  const [, command, missing] = match as RegExpExecArray;
  const message = missingPackagesMessage(command, (missing as string).split(', '), packagesFor(command));
  expect(sample.code).toBe(message);
}

describe('printed output of the command in the documentation', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, async () => {
      const [how, position] = sample.check?.args ?? [];
      if (how === 'excerpt') await checkExcerpt(sample, Number(position));
      else if (how === 'header') await checkHeader(sample);
      else if (how === 'missing-packages') checkMissingPackages(sample);
      else throw new Error(`${sample.name}: cli-output excerpt <n> | header | missing-packages`);
    });
  }
});
