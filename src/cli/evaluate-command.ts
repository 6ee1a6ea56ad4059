import { type Command, Option } from 'commander';
import {
  type AggregatedGoals,
  DataError,
  type Evaluation,
  type EvaluationWarning,
  type Experiment,
  type UnitGoals,
  ValidationError,
  type WideGoals,
} from '../index.js';
import { evaluationToJson } from './evaluation-json.js';
import { experimentFromFile } from './experiment-file.js';
import { dataErrorInFile, type GoalsFile, readGoalsFile, recordsAsRows } from './goals-file.js';
import { parseJsonFile, readInputFile } from './read-input-file.js';
import { renderScorecard } from './scorecard.js';
import { useColor } from './use-color.js';
import { validationErrorInFile } from './validation-error-in-file.js';

const FORMATS = ['table', 'markdown', 'html', 'json'] as const;

/** Options of `ep-stats evaluate` as commander parses them. */
export interface EvaluateCommandOptions {
  readonly experiment: string;
  readonly goals: string;
  readonly byUnit?: boolean;
  readonly wide?: boolean;
  readonly format: (typeof FORMATS)[number];
  readonly color?: boolean;
  readonly strictJson?: boolean;
}

const EXAMPLES = `
Examples:
  # scorecard of the bundled example (goals aggregated per variant)
  $ ep-stats evaluate --experiment fixtures/examples/test-dimension.experiment.json \\
      --goals fixtures/examples/test-dimension.goals.csv

  # goals per unit, as Markdown
  $ ep-stats evaluate --by-unit --format markdown \\
      --experiment fixtures/examples/test-real-valued.experiment.json \\
      --goals fixtures/examples/test-real-valued.goals.csv

  # one wide row per variant, results as JSON
  $ ep-stats evaluate --wide --format json \\
      --experiment fixtures/examples/test-simple-metric.experiment.json \\
      --goals fixtures/examples/test-simple-metric.goals.csv

The experiment file has the shape of the REST API's POST /evaluate body (snake_case), e.g.
  {"id": "test-dimension", "control_variant": "a", "unit_type": "test_unit_type",
   "metrics": [{"id": 1, "name": "CTR", "nominator": "count(test_unit_type.unit.click)",
                "denominator": "count(test_unit_type.global.exposure)"}],
   "checks": [{"id": 1, "name": "SRM", "type": "SRM",
               "denominator": "count(test_unit_type.global.exposure)"}]}
Goals: CSV with a header row, or JSON (an array of row objects or an object of columns).
Exit codes: 0 success, 1 invalid definition or goal data, 2 usage error.`;

/**
 * Adds `ep-stats evaluate` to the program.
 *
 * @param program - The root command.
 */
export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate an experiment from a definition file and a goals file and print its scorecard')
    .requiredOption('--experiment <file>', 'experiment definition, JSON in the REST request shape')
    .requiredOption('--goals <file>', 'goal rows: CSV with a header row, or JSON')
    .addOption(
      new Option('--by-unit', 'the goals are aggregated per unit (unit_id, count, sum_value)').conflicts(
        'wide',
      ),
    )
    .addOption(
      new Option(
        '--wide',
        'the goals are wide rows: experiment id, variant, then one column per goal',
      ).conflicts('byUnit'),
    )
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option(
      '--color',
      'colour p-values and check results (default: when stdout is a terminal and NO_COLOR is unset)',
    )
    .option('--no-color', 'never colour the output')
    .option(
      '--strict-json',
      'with --format json: standard JSON, NaN and Infinity as null plus a "non_finite" member naming them',
    )
    .addHelpText('after', EXAMPLES)
    .action((options: EvaluateCommandOptions) => {
      runEvaluate(options);
    });
}

/**
 * Runs `ep-stats evaluate`: reads both files, evaluates, writes the report to stdout and the warnings to
 * stderr.
 *
 * @param options - The parsed options.
 * @throws {@link CliError} naming the file and the field, row or column at fault.
 */
export function runEvaluate(options: EvaluateCommandOptions): void {
  const definition = parseJsonFile(readInputFile(options.experiment, '--experiment'), options.experiment);
  let experiment: Experiment;
  try {
    experiment = experimentFromFile(definition, { wide: options.wide === true });
  } catch (error) {
    if (error instanceof ValidationError) throw validationErrorInFile(error, options.experiment);
    throw error;
  }
  if (experiment.filters.length > 0) {
    process.stderr.write(
      `warning: ${options.experiment}: \`filters\` are applied by a data access layer when it queries goals; ` +
        'the goals file is evaluated as it is\n',
    );
  }
  const goals = readGoalsFile(options.goals);
  const evaluation = evaluate(experiment, goals, options, (warning) => {
    process.stderr.write(`warning: ${warning.message}\n`);
  });
  if (options.format === 'json') {
    process.stdout.write(`${evaluationToJson(evaluation, options.strictJson === true)}\n`);
    return;
  }
  const color = options.format === 'table' && useColor(options.color, process.stdout);
  process.stdout.write(renderScorecard(experiment, evaluation, { format: options.format, color }));
}

function evaluate(
  experiment: Experiment,
  goals: GoalsFile,
  options: EvaluateCommandOptions,
  onWarning: (warning: EvaluationWarning) => void,
): Evaluation {
  try {
    // The rows are untyped file content; the evaluation validates every cell it reads.
    if (options.wide === true) {
      return experiment.evaluateWideAgg(recordsAsRows(goals.records) as WideGoals, { onWarning });
    }
    if (options.byUnit === true) return experiment.evaluateByUnit(goals.records as UnitGoals, { onWarning });
    return experiment.evaluateAgg(goals.records as AggregatedGoals, { onWarning });
  } catch (error) {
    if (error instanceof DataError) throw dataErrorInFile(error, goals);
    throw error;
  }
}
