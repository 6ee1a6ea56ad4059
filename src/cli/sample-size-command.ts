import type { Command } from 'commander';
import {
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
  ValidationError,
} from '../index.js';
// The REST API's encoder (a leaf module: importing it does not load the web server).
import { encodeResponseBody } from '../wire/index.js';
import { inputError } from './cli-error.js';
import { integerParser, parseNumber, parseProbability } from './option-parsers.js';
import { explainSampleSize } from './sample-size-explanation.js';

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

  # a degenerate answer is explained next to the number (on stderr with --json)
  $ ep-stats sample-size --variants 2 --minimum-effect 0 --mean 0.4
  Infinity (a minimum effect of 0 cannot be detected with any sample size)

Without --std the metric is a conversion rate (Bernoulli) and --mean must be in [0, 1].
The sample size is Infinity when the minimum effect or the mean is 0, 0 when the standard deviation is 0,
and NaN for a conversion rate of 0 or 1.
Exit codes: 0 success, 1 invalid parameters (e.g. a Bernoulli mean above 1, a negative --std),
2 usage error.`;

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

/** The command's option for each input of the library's sample size functions. */
const OPTION_OF_INPUT: Readonly<Record<string, string>> = {
  nVariants: '--variants',
  minimumEffect: '--minimum-effect',
  mean: '--mean',
  std: '--std',
  confidenceLevel: '--confidence-level',
  power: '--power',
};

/**
 * Runs `ep-stats sample-size`: computes the required sample size per variant and prints it, with the
 * reason in words when it is a degenerate answer (`Infinity`, `NaN`, 0): after the number, or with `--json`
 * as a `note:` line on standard error.
 *
 * @param options - The parsed options.
 * @throws CliError (exit code 1) for invalid parameters, its message naming the option
 *   (`--minimum-effect`, `--std`, ...).
 */
export function runSampleSize(options: SampleSizeCommandOptions): void {
  const common = {
    nVariants: options.variants,
    minimumEffect: options.minimumEffect,
    mean: options.mean,
    confidenceLevel: options.confidenceLevel,
    power: options.power,
  };
  let sampleSize: number;
  try {
    sampleSize =
      options.std === undefined
        ? requiredSampleSizePerVariantBernoulli(common)
        : requiredSampleSizePerVariant({ ...common, std: options.std });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const message = error.message.replace(/`(\w+)`/g, (text, name: string) => {
      const option = OPTION_OF_INPUT[name];
      return option === undefined ? text : `\`${option}\``;
    });
    throw inputError(message, { cause: error });
  }
  const explanation = explainSampleSize(options, sampleSize);
  if (options.json === true) {
    process.stdout.write(`${encodeResponseBody({ sample_size_per_variant: sampleSize }, false)}\n`);
    if (explanation !== undefined) {
      process.stderr.write(`note: sample_size_per_variant is ${sampleSize}: ${explanation}\n`);
    }
  } else {
    process.stdout.write(`${sampleSize}${explanation === undefined ? '' : ` (${explanation})`}\n`);
  }
}
