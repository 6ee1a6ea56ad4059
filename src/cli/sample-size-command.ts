import type { Command } from 'commander';
import { requiredSampleSizePerVariant, requiredSampleSizePerVariantBernoulli } from '../index.js';
// The REST API's encoder (a leaf module: importing it does not load the web server).
import { encodeResponseBody } from '../server/encode-response-body.js';
import { integerParser, parseNumber, parseProbability } from './option-parsers.js';

/** Options of `ep-stats sample-size` as commander parses them. */
export interface SampleSizeCommandOptions {
  readonly variants: number;
  readonly minimumEffect: number;
  readonly mean: number;
  readonly std?: number;
  readonly confidenceLevel: number;
  readonly power: number;
  readonly json?: boolean;
}

const EXAMPLES = `
Examples:
  # a real-valued metric: mean 0.2, standard deviation 1.2, detect a 10 % change
  $ ep-stats sample-size --variants 2 --minimum-effect 0.1 --mean 0.2 --std 1.2
  56512

  # a conversion rate of 40 % (Bernoulli), three variants, detect a 5 % change
  $ ep-stats sample-size --variants 3 --minimum-effect 0.05 --mean 0.4 --json
  {"sample_size_per_variant":11492}

Without --std the metric is a conversion rate (Bernoulli) and --mean must be in [0, 1].
The sample size is NaN or Infinity when the minimum effect or the mean is zero.
Exit codes: 0 success, 1 invalid parameters (e.g. a Bernoulli mean above 1), 2 usage error.`;

/**
 * Adds `ep-stats sample-size` to the program.
 *
 * @param program - The root command.
 */
export function registerSampleSizeCommand(program: Command): void {
  program
    .command('sample-size')
    .description('print the sample size per variant needed to detect a minimum effect')
    .requiredOption('--variants <n>', 'number of variants, control included', integerParser(0))
    .requiredOption(
      '--minimum-effect <x>',
      'smallest relative effect to detect, e.g. 0.05 for 5 %',
      parseNumber,
    )
    .requiredOption(
      '--mean <m>',
      'mean of the metric in the control (a rate in [0, 1] without --std)',
      parseNumber,
    )
    .option(
      '--std <s>',
      'standard deviation of the metric; omit it for a conversion rate (Bernoulli)',
      parseNumber,
    )
    .option('--confidence-level <level>', 'confidence level, in (0, 1)', parseProbability, 0.95)
    .option('--power <power>', 'power of the test, in (0, 1)', parseProbability, 0.8)
    .option('--json', 'print {"sample_size_per_variant": n}')
    .addHelpText('after', EXAMPLES)
    .action((options: SampleSizeCommandOptions) => {
      runSampleSize(options);
    });
}

/**
 * Runs `ep-stats sample-size`: computes the required sample size per variant and prints it.
 *
 * @param options - The parsed options.
 * @throws ValidationError for invalid parameters (exit code 1).
 */
export function runSampleSize(options: SampleSizeCommandOptions): void {
  const common = {
    nVariants: options.variants,
    minimumEffect: options.minimumEffect,
    mean: options.mean,
    confidenceLevel: options.confidenceLevel,
    power: options.power,
  };
  const sampleSize =
    options.std === undefined
      ? requiredSampleSizePerVariantBernoulli(common)
      : requiredSampleSizePerVariant({ ...common, std: options.std });
  if (options.json === true) {
    process.stdout.write(`${encodeResponseBody({ sample_size_per_variant: sampleSize }, false)}\n`);
  } else {
    process.stdout.write(`${sampleSize}\n`);
  }
}
