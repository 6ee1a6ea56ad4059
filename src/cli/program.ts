/**
 * The `ep-stats` program: `evaluate`, `generate-events`, `sample-size` and `serve`. Loaded by `main.ts` once
 * the libraries it needs are known to be installed.
 */
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerEvaluateCommand } from './evaluate-command.js';
import { ExitCode } from './exit-code.js';
import { registerGenerateEventsCommand } from './generate-events-command.js';
import { reportError } from './report-error.js';
import { registerSampleSizeCommand } from './sample-size-command.js';
import { registerServeCommand } from './serve-command.js';

const EXAMPLES = `
Examples:
  $ ep-stats evaluate --experiment exp.json --goals goals.csv
  $ ep-stats evaluate --experiment exp.json --events events.parquet
  $ ep-stats generate-events --out events.parquet --units 1000 --effects b.clicks=0.2
  $ ep-stats sample-size --variants 2 --minimum-effect 0.05 --mean 0.4
  $ ep-stats serve --events events.parquet --port 8080

Run "ep-stats <command> --help" for the options of a command.
Exit codes: 0 success, 1 invalid definition, data or parameters (or a warning with
evaluate --fail-on-warning), 2 usage error.`;

/**
 * Builds the program; commands inherit its error handling (usage errors exit with 2).
 *
 * @returns The root command.
 */
function createProgram(): Command {
  const program = new Command('ep-stats')
    .description(
      'Statistics for A/B tests: evaluate experiments, generate synthetic events, compute sample sizes, serve the REST API.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .option('--debug', 'print stack traces of errors')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      // One line per error, with a pointer to the help (suggestions already take a line of their own).
      outputError: (text, write) => write(text.includes('\n(') ? text : `${text.trimEnd()} (see --help)\n`),
    })
    .addHelpText('after', EXAMPLES);
  registerEvaluateCommand(program);
  registerGenerateEventsCommand(program);
  registerSampleSizeCommand(program);
  registerServeCommand(program);
  return program;
}

/**
 * Parses the command line and runs the command.
 *
 * @param argv - `process.argv`.
 * @returns The exit code, or `undefined` to let the process end with the code it has.
 */
export async function runProgram(argv: readonly string[]): Promise<ExitCode | undefined> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message (or the help or version); exit code 0 is --help / --version.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(error, program.opts<{ debug?: boolean }>().debug === true);
  }
}
