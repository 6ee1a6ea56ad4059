import { type Command, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import {
  type AggregatedGoals,
  DataError,
  DOCUMENTATION_URL,
  type Evaluation,
  type EvaluationSegment,
  type Experiment,
  type MetricSumsInput,
  type Timeline,
  type TimelineGoalRow,
  type UnitGoals,
  ValidationError,
  type WideGoals,
} from '../index.js';
import { type HtmlReportInput, renderForestPlot, renderHtmlReport } from '../report/index.js';
import type { ResponseAnalysis } from '../wire/index.js';
import { renderAnalysis } from './analysis-report.js';
import { requireWritableTarget, writeFileAtomically, writeNewTextFile } from './atomic-file.js';
import { inputError, usageError } from './cli-error.js';
import {
  type CommandWarning,
  dayWarningLines,
  FILTERS_NOT_APPLIED,
  type TaggedWarning,
  warningLine,
} from './command-warning.js';
import { evaluationToJson } from './evaluation-json.js';
import type { EventAggregation, EventGoals, EventsSource } from './event-goals.js';
import { ExitCode } from './exit-code.js';
import { experimentFromFile, fieldPath } from './experiment-file.js';
import { dataErrorInFile, type GoalsFile, readGoalsFile, recordsAsRows } from './goals-file.js';
import { parseNameList } from './option-parsers.js';
import { describeFsError, parseJsonFile, readInputFile } from './read-input-file.js';
import { redactTarget } from './redact-target.js';
import { renderScorecard } from './scorecard.js';
import { shippedPath } from './shipped-path.js';
import { useColor } from './use-color.js';
import { validationErrorInFile } from './validation-error-in-file.js';

const FORMATS = ['table', 'markdown', 'html', 'json'] as const;

/** Options of `ep-stats evaluate` as commander parses them. */
export interface EvaluateCommandOptions {
  readonly experiment: string;
  /** Goal rows (one of `goals`, `events`, `eventsGlob`, `database`). */
  readonly goals?: string;
  /** An events file, Parquet or CSV; the path is taken literally (no glob). */
  readonly events?: string;
  /** A DuckDB glob pattern of events files, Parquet or CSV. */
  readonly eventsGlob?: string;
  /** A DuckDB file or a `postgres://` URL with an events table. */
  readonly database?: string;
  /** With `database`: the events table (default `events`). */
  readonly table?: string;
  /** With `events` or `database`: the dimension columns. */
  readonly dimensions?: readonly string[];
  readonly byUnit?: boolean;
  readonly wide?: boolean;
  /** Evaluate from per-unit metric sums (`evaluateMetricSums`): queried from events, or a file of them. */
  readonly metricSums?: boolean;
  readonly format: (typeof FORMATS)[number];
  readonly color?: boolean;
  readonly strictJson?: boolean;
  /** Exit with code 1, after the report, when any warning was raised. */
  readonly failOnWarning?: boolean;
  /** Also write the self-contained HTML report to this file. */
  readonly report?: string;
  /** Also write the forest plot (SVG) to this file. */
  readonly plot?: string;
}

/** The events table of `--database` when `--table` is not given. */
const DEFAULT_TABLE = 'events';

/** The help's examples, with the paths of the files shipped with the package as seen from the current folder. */
const examples = (ex = shippedPath('fixtures/examples'), events = shippedPath('fixtures/events')): string => `
Examples:
  # scorecard of the bundled example (goals aggregated per variant)
  $ ep-stats evaluate --experiment ${ex}/test-dimension.experiment.json \\
      --goals ${ex}/test-dimension.goals.csv

  # straight from events (Parquet or CSV), aggregated by DuckDB in process
  $ ep-stats evaluate --experiment ${ex}/demo-events.experiment.json \\
      --events ${events}/demo-events.parquet

  # from an events table in PostgreSQL (or a DuckDB file), goals per unit
  $ ep-stats evaluate --by-unit --experiment exp.json \\
      --database postgres://reader@db.internal/analytics --table events

  # from metric sums: ratio metrics with delta-method variances (the default for CUPED metrics)
  $ ep-stats evaluate --metric-sums --experiment ${ex}/demo-events.experiment.json \\
      --events ${events}/demo-events.parquet

  # goals per unit, as Markdown
  $ ep-stats evaluate --by-unit --format markdown \\
      --experiment ${ex}/test-real-valued.experiment.json \\
      --goals ${ex}/test-real-valued.goals.csv

  # one wide row per variant, results as JSON
  $ ep-stats evaluate --wide --format json \\
      --experiment ${ex}/test-simple-metric.experiment.json \\
      --goals ${ex}/test-simple-metric.goals.csv

The experiment file has the shape of the REST API's POST /evaluate body (snake_case), e.g.
  {"id": "test-dimension", "control_variant": "a", "unit_type": "test_unit_type",
   "metrics": [{"id": 1, "name": "CTR", "nominator": "count(test_unit_type.unit.click)",
                "denominator": "count(test_unit_type.global.exposure)"}],
   "checks": [{"id": 1, "name": "SRM", "type": "SRM",
               "denominator": "count(test_unit_type.global.exposure)"}]}
A metric may ask for CUPED with "cuped": {"pre_days": 14} (and the experiment's "date_from"): it is evaluated
from metric sums with the pre-period columns, queried from the events (--events, --events-glob, --database)
or read from a file (--metric-sums --goals <file>), or with --by-unit from goals per unit with pre-period
rows (a pre_days column), queried from the events or read from a file (--by-unit --goals <file>).
"breakdowns": ["country"] adds a scorecard per segment (queried from events, or a goals file with the
breakdown columns); "timeline": "daily" (with "date_from") adds the cumulative result of every day (queried
from events, or a goals file of cumulative rows with a day column).
Goals: CSV with a header row, or JSON (an array of row objects or an object of columns); with --metric-sums,
metric sums rows (exp_variant_id, metric_id, units, sum_x, sum_x2, sum_y, sum_y2, sum_xy; see
${DOCUMENTATION_URL}statistics.md).
Events: one row per goal of a unit, columns exp_id, exp_variant_id, unit_type, unit_id, date, goal,
count, value and dimension columns (see ${DOCUMENTATION_URL}sql.md).
Warnings (a goal without rows, a unit type without exposures, no rows at all, ...) are written to stderr
in every format as "warning [<code>]: <message>" lines, and in the "warnings" array of --format json.
Exit codes: 0 success (also with warnings, unless --fail-on-warning), 1 invalid definition, goal or event
data, or a warning with --fail-on-warning, 2 usage error.`;

/**
 * Adds `ep-stats evaluate` to the program.
 *
 * @param program - The root command.
 */
export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description(
      'evaluate an experiment from a definition file and goal rows or events, and print its scorecard',
    )
    .requiredOption('--experiment <file>', 'experiment definition, JSON in the REST request shape')
    .addOption(
      new Option('--goals <file>', 'goal rows: CSV with a header row, or JSON').conflicts([
        'events',
        'eventsGlob',
        'database',
        'dimensions',
      ]),
    )
    .addOption(
      new Option(
        '--events <file>',
        'events: Parquet (.parquet) or CSV (.csv), aggregated by DuckDB in process; the path is taken literally',
      ).conflicts(['eventsGlob', 'database', 'wide']),
    )
    .addOption(
      new Option(
        '--events-glob <pattern>',
        'events of several files: a pattern (*, ?, [abc], **) ending in .parquet or .csv, e.g. "runs/*/events.csv"',
      ).conflicts(['database', 'wide']),
    )
    .addOption(
      new Option(
        '--database <target>',
        'a DuckDB database file or a postgres:// URL holding an events table',
      ).conflicts('wide'),
    )
    .option('--table <name>', `with --database: the events table or view (default: ${DEFAULT_TABLE})`)
    .option(
      '--dimensions <columns>',
      'with --events, --events-glob or --database: the dimension columns, comma-separated (default: every other column)',
      parseNameList,
    )
    .addOption(
      new Option(
        '--by-unit',
        'goals per unit (goal rows with unit_id, count, sum_value; or queried so from events)',
      ).conflicts('wide'),
    )
    .addOption(
      new Option(
        '--wide',
        'the goals are wide rows: experiment id, variant, then one column per goal',
      ).conflicts('byUnit'),
    )
    .addOption(
      new Option(
        '--metric-sums',
        'evaluate from per-unit metric sums (ratio metrics get delta-method variances): queried from the events, or with --goals a file of metric sums rows; the default from events when a metric has cuped',
      ).conflicts(['byUnit', 'wide']),
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
    .option(
      '--report <file>',
      'also write the self-contained HTML report (scorecard, plots, legend, warnings) to this file, replacing it',
    )
    .option(
      '--plot <file>',
      'also write the forest plot of the relative differences (SVG) to this file, replacing it',
    )
    .option(
      '--fail-on-warning',
      'exit with code 1, after printing the report, when the evaluation or the command raised any warning',
    )
    .addHelpText('after', () => examples())
    .action(async (options: EvaluateCommandOptions, command: Command) => {
      const sources = [options.goals, options.events, options.eventsGlob, options.database].filter(
        (path) => path !== undefined,
      );
      if (sources.length === 0) {
        command.error(
          'error: one of --goals <file>, --events <file>, --events-glob <pattern> or --database <target> is required',
          {
            exitCode: ExitCode.usage,
            code: 'ep-stats.missingGoals',
          },
        );
      }
      if (options.table !== undefined && options.database === undefined) {
        command.error('error: --table <name> applies to --database only', {
          exitCode: ExitCode.usage,
          code: 'ep-stats.tableWithoutDatabase',
        });
      }
      await runEvaluate(options);
    });
}

/**
 * Runs `ep-stats evaluate`: reads the definition and the goals (from a goals file, or queried from events),
 * evaluates, writes the report to stdout and the warnings to stderr (`warning [<code>]: <message>`, as they
 * are raised; with `--format json` also in the report's `warnings`). From events, the goals are aggregated
 * per unit with `byUnit`, into per-unit metric sums with `metricSums` or when a metric has `cuped`, and per
 * variant otherwise; with `metricSums` a goals file holds metric sums rows. The experiment file's
 * `evaluate_from: 'metric_sums'` has the effect of `metricSums`.
 *
 * @param commandOptions - The parsed options (exactly one of `goals`, `events`, `eventsGlob`, `database`).
 * @throws {@link CliError} naming the file and the field, row or column at fault (also a CUPED metric with
 *   goal rows per variant or wide rows, which carry no pre-period); with `failOnWarning`, an input error
 *   (exit code 1) after the report when any warning was raised.
 */
export async function runEvaluate(commandOptions: EvaluateCommandOptions): Promise<void> {
  const path = commandOptions.experiment;
  const definition = parseJsonFile(readInputFile(path, '--experiment'), path);
  let experiment: Experiment;
  try {
    experiment = experimentFromFile(definition, { wide: commandOptions.wide === true });
  } catch (error) {
    if (error instanceof ValidationError) throw validationErrorInFile(error, path);
    throw error;
  }
  const options = withEvaluateFrom(commandOptions, definition);
  // Output files that cannot be written fail before any work.
  if (options.report !== undefined) requireWritableTarget(options.report, '--report', true);
  if (options.plot !== undefined) requireWritableTarget(options.plot, '--plot', true);
  const timeline = (definition as { readonly timeline?: unknown }).timeline === 'daily';
  const onWarning = (warning: CommandWarning) => {
    process.stderr.write(warningLine(warning));
  };
  const commandWarnings: CommandWarning[] = [];
  rejectCupedWithoutPerUnitValues(experiment, options);
  rejectUnservedAnalysis(experiment, options, timeline);
  let evaluated: EvaluatedReport;
  if (options.goals !== undefined) {
    if (experiment.filters.length > 0) {
      const warning: CommandWarning = {
        code: FILTERS_NOT_APPLIED,
        message:
          `${options.experiment}: \`filters\` are applied by a data access layer when it queries goals; ` +
          'the goals file is evaluated as it is',
      };
      commandWarnings.push(warning);
      process.stderr.write(warningLine(warning));
    }
    const goals = readGoalsFile(options.goals);
    evaluated = evaluateFile(experiment, goals, options, timeline, onWarning);
  } else {
    const goals = await queryGoals(experiment, options, timeline);
    evaluated = evaluateQueried(experiment, goals, onWarning);
  }
  const { evaluation, analysis, warnings } = evaluated;
  const reportInput: HtmlReportInput = {
    experiment,
    evaluation,
    segments: analysis.segments,
    timeline: analysis.timeline,
    warnings: [...commandWarnings, ...warnings],
  };
  const reportOptions = {
    generator: `ep-stats ${packageJson.version} on Node.js ${process.versions.node}`,
    settings: { experiment: options.experiment, data: dataSource(options) },
  };
  if (options.format === 'html') {
    process.stdout.write(renderHtmlReport(reportInput, reportOptions));
  } else if (options.format === 'json') {
    const json = evaluationToJson(
      evaluation,
      options.strictJson === true,
      commandWarnings,
      analysis,
      warnings,
    );
    process.stdout.write(`${json}\n`);
  } else {
    const color = options.format === 'table' && useColor(options.color, process.stdout);
    // A terminal's own width; 120 columns when the output goes to a file or a pipe.
    const width = process.stdout.isTTY === true ? process.stdout.columns : undefined;
    const format = { format: options.format, color, ...(width === undefined ? {} : { width }) };
    process.stdout.write(
      renderScorecard(experiment, evaluation, format) + renderAnalysis(experiment, analysis, format),
    );
  }
  if (options.report !== undefined) {
    await writeOutput(options.report, '--report', renderHtmlReport(reportInput, reportOptions));
    process.stderr.write(`wrote the HTML report to ${options.report}\n`);
  }
  if (options.plot !== undefined) {
    const plot = renderForestPlot(
      analysis.segments === undefined
        ? evaluation
        : { overall: evaluation, segments: analysis.segments, warnings: [] },
      {
        controlVariant: experiment.controlVariant,
        metrics: experiment.metrics,
      },
    );
    await writeOutput(options.plot, '--plot', plot);
    process.stderr.write(`wrote the forest plot to ${options.plot}\n`);
  }
  const warningCount = commandWarnings.length + warnings.length;
  if (options.failOnWarning === true && warningCount > 0) {
    throw inputError(
      `${warningCount} ${warningCount === 1 ? 'warning was' : 'warnings were'} raised and --fail-on-warning is set`,
    );
  }
}

/** What `ep-stats evaluate` reports: the evaluation, the segments and timeline, and every warning raised. */
interface EvaluatedReport {
  /** The experiment's evaluation (with breakdowns: the overall block). */
  readonly evaluation: Evaluation;
  readonly analysis: ResponseAnalysis;
  /** The warnings of every evaluation, those of a segment or day tagged with it, each once. */
  readonly warnings: readonly TaggedWarning[];
}

/**
 * The options of the evaluations of one run: one timestamp, and a warning callback that keeps every warning
 * in `warnings` and passes it on to `onWarning`.
 */
function collectWarnings(onWarning: (warning: TaggedWarning) => void) {
  const warnings: TaggedWarning[] = [];
  const report = (warning: TaggedWarning) => {
    warnings.push(warning);
    onWarning(warning);
  };
  return { warnings, common: { onWarning: report, timestamp: Math.round(Date.now() / 1000) } };
}

/**
 * Evaluates the rows queried from events: per variant, per unit or from metric sums; with breakdowns the
 * segments' goals; with a timeline also the cumulative goals of every day.
 */
function evaluateQueried(
  experiment: Experiment,
  goals: EventGoals,
  onWarning: (warning: TaggedWarning) => void,
): EvaluatedReport {
  const { warnings, common } = collectWarnings(onWarning);
  const { timestamp } = common;
  let evaluation: Evaluation;
  let segments: readonly EvaluationSegment[] | undefined;
  if (goals.aggregation === 'metric-sums') {
    evaluation = experiment.evaluateMetricSums(goals.rows, common);
  } else if (goals.aggregation === 'unit') {
    evaluation = experiment.evaluateByUnit(goals.rows, common);
  } else if (goals.aggregation === 'segments') {
    const segmented = experiment.evaluateAggSegments(goals.rows, common);
    evaluation = segmented.overall;
    segments = segmented.segments;
  } else {
    evaluation = experiment.evaluateAgg(goals.rows, common);
  }
  const timeline =
    goals.timelineRows === undefined
      ? undefined
      : evaluateTimelineRows(experiment, goals.timelineRows, timestamp, warnings);
  return { evaluation, analysis: { segments, timeline }, warnings };
}

/**
 * Evaluates a timeline, adding its warnings (tagged with their day) to `warnings` and writing them to
 * standard error grouped: one line per distinct warning with the days that raised it.
 */
function evaluateTimelineRows(
  experiment: Experiment,
  rows: readonly TimelineGoalRow[],
  timestamp: number,
  warnings: TaggedWarning[],
): Timeline {
  const days: TaggedWarning[] = [];
  const timeline = experiment.evaluateTimeline(rows, {
    onWarning: (warning) => days.push(warning),
    timestamp,
  });
  warnings.push(...days);
  process.stderr.write(dayWarningLines(days));
  return timeline;
}

/**
 * A drill-down and a timeline need goals aggregated per variant (or, for a drill-down from a file, per
 * unit): neither goes with wide rows or metric sums; from events, a drill-down is queried per variant (not
 * with `--by-unit`) and a timeline too; a goals file holds the rows of one of them, not both.
 */
function rejectUnservedAnalysis(
  experiment: Experiment,
  options: EvaluateCommandOptions,
  timeline: boolean,
): void {
  const breakdowns = experiment.breakdowns.length > 0;
  if (!breakdowns && !timeline) return;
  const what = breakdowns ? 'breakdowns (a drill-down)' : "timeline: 'daily'";
  const where = `${options.experiment}: ${breakdowns ? 'breakdowns' : 'timeline'}`;
  if (options.wide === true) {
    throw inputError(
      `${where}: ${what} reads goal rows aggregated per variant, not wide rows; leave out --wide`,
    );
  }
  if (options.metricSums === true) {
    throw inputError(
      `${where}: ${what} reads goal rows aggregated per variant, not metric sums; leave out --metric-sums`,
    );
  }
  if (options.byUnit === true && (timeline || options.goals === undefined)) {
    throw inputError(
      `${where}: ${what} is queried from events as goals aggregated per variant; leave out --by-unit ` +
        '(a goals file of unit rows with the breakdown columns can be drilled down with --by-unit --goals)',
    );
  }
  if (options.goals !== undefined && breakdowns && timeline) {
    throw inputError(
      `${options.experiment}: a goals file holds the rows of a drill-down (breakdown columns) or of a timeline ` +
        '(a day column), not both; query them from events (--events, --events-glob or --database) or leave out one',
    );
  }
}

/** The data source of a run, as given on the command line (for the report's settings). */
function dataSource(options: EvaluateCommandOptions): string {
  if (options.goals !== undefined) return `--goals ${options.goals}`;
  if (options.events !== undefined) return `--events ${options.events}`;
  if (options.eventsGlob !== undefined) return `--events-glob ${options.eventsGlob}`;
  return `--database ${redactTarget(options.database ?? '')}${options.table === undefined ? '' : ` --table ${options.table}`}`;
}

/** Writes an output file whole or not at all, replacing an existing one (not a directory). */
async function writeOutput(path: string, option: string, text: string): Promise<void> {
  try {
    await writeFileAtomically(path, (temporary) => writeNewTextFile(temporary, text), { force: true });
  } catch (error) {
    throw usageError(
      `cannot write the ${option} file ${JSON.stringify(path)}: ${describeFsError(error)}`,
      error,
    );
  }
}

/**
 * The options with the experiment file's `evaluate_from` (validated: `'goals'`, `'metric_sums'` or absent)
 * applied: `'metric_sums'` asks for metric sums as `--metric-sums` does, `'goals'` contradicts it.
 */
function withEvaluateFrom(options: EvaluateCommandOptions, definition: unknown): EvaluateCommandOptions {
  const from = (definition as { readonly evaluate_from?: unknown }).evaluate_from;
  const where = `${options.experiment}: evaluate_from`;
  if (from === 'metric_sums') {
    const other = options.byUnit === true ? '--by-unit' : options.wide === true ? '--wide' : undefined;
    if (other !== undefined) {
      throw inputError(`${where}: 'metric_sums' cannot be used with ${other}; leave out one of them`);
    }
    return { ...options, metricSums: true };
  }
  if (from === 'goals' && options.metricSums === true) {
    throw inputError(`${where}: 'goals' contradicts --metric-sums; leave out one of them`);
  }
  return options;
}

/**
 * How the events are aggregated: per unit with `--by-unit` (with the pre-period rows of CUPED metrics); into
 * metric sums with `--metric-sums` or when a metric asks for CUPED (goals per variant carry no pre-period);
 * per variant and segment with breakdowns; per variant otherwise.
 */
function eventAggregation(experiment: Experiment, options: EvaluateCommandOptions): EventAggregation {
  if (options.byUnit === true) return 'unit';
  if (options.metricSums === true || hasCuped(experiment)) return 'metric-sums';
  return experiment.breakdowns.length > 0 ? 'segments' : 'variant';
}

function hasCuped(experiment: Experiment): boolean {
  return experiment.metrics.some((metric) => metric.cuped !== undefined);
}

/**
 * A CUPED metric needs per-unit values with their pre-period: metric sums (queried from events, or a file
 * with `--metric-sums --goals`) or goals per unit with pre-period rows (queried from events with `--by-unit`,
 * which then carry `pre_days` rows, or a file with `--by-unit --goals`). A goals file of rows aggregated per
 * variant, or of wide rows, has none: the first CUPED metric is an error naming its place in the file.
 */
function rejectCupedWithoutPerUnitValues(experiment: Experiment, options: EvaluateCommandOptions): void {
  if (options.goals === undefined || options.metricSums === true || options.byUnit === true) return;
  const index = experiment.metrics.findIndex((metric) => metric.cuped !== undefined);
  if (index === -1) return;
  const metric = experiment.metrics[index]!;
  const where = `${options.experiment}: ${fieldPath(['metrics', index, 'cuped'])}: metric '${metric.name}' asks for CUPED, which needs per-unit values with their pre-period`;
  const rows = options.wide === true ? 'wide rows (--wide)' : 'goal rows aggregated per variant';
  throw inputError(
    `${where}, and ${rows} have none; evaluate it from events (--events, --events-glob or --database), ` +
      'from a file of metric sums with pre-period columns (--metric-sums --goals <file>) or from goal rows ' +
      'per unit with pre-period rows (--by-unit --goals <file>)',
  );
}

/**
 * The rows of `--events`, `--events-glob` or `--database`, through `ep-stats/sql` (loaded only here), with
 * the cumulative goals of every day for a timeline.
 */
async function queryGoals(
  experiment: Experiment,
  options: EvaluateCommandOptions,
  timeline: boolean,
): Promise<EventGoals> {
  const source: EventsSource =
    options.events !== undefined
      ? { kind: 'file', path: options.events }
      : options.eventsGlob !== undefined
        ? { kind: 'file', path: options.eventsGlob, glob: true }
        : { kind: 'database', target: options.database ?? '', table: options.table ?? DEFAULT_TABLE };
  const { queryEventGoals } = await import('./event-goals.js');
  return queryEventGoals({
    source,
    experiment,
    experimentPath: options.experiment,
    aggregation: eventAggregation(experiment, options),
    timeline,
    ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }),
  });
}

/**
 * Evaluates the rows of a goals file, naming the file's line or row of a cell at fault: with breakdowns the
 * flat or grouped rows of the segments; with a timeline the cumulative rows of every day (a `day` column),
 * the experiment's evaluation then being that of the last day.
 */
function evaluateFile(
  experiment: Experiment,
  goals: GoalsFile,
  options: EvaluateCommandOptions,
  timeline: boolean,
  onWarning: (warning: TaggedWarning) => void,
): EvaluatedReport {
  const { warnings, common } = collectWarnings(onWarning);
  try {
    // The rows are untyped file content; the evaluation validates every cell it reads.
    if (timeline) {
      const rows = goals.records as unknown as TimelineGoalRow[];
      const days = evaluateTimelineRows(experiment, rows, common.timestamp, warnings);
      const last = days.evaluations.at(-1) ?? experiment.evaluateAgg([], common);
      return { evaluation: last, analysis: { timeline: days }, warnings };
    }
    if (experiment.breakdowns.length > 0) {
      const segmented =
        options.byUnit === true
          ? experiment.evaluateByUnitSegments(goals.records as UnitGoals, common)
          : experiment.evaluateAggSegments(goals.records as AggregatedGoals, common);
      return { evaluation: segmented.overall, analysis: { segments: segmented.segments }, warnings };
    }
    let evaluation: Evaluation;
    if (options.wide === true) {
      evaluation = experiment.evaluateWideAgg(recordsAsRows(goals.records) as WideGoals, common);
    } else if (options.byUnit === true) {
      evaluation = experiment.evaluateByUnit(goals.records as UnitGoals, common);
    } else if (options.metricSums === true) {
      evaluation = experiment.evaluateMetricSums(goals.records as unknown as MetricSumsInput, common);
    } else {
      evaluation = experiment.evaluateAgg(goals.records as AggregatedGoals, common);
    }
    return { evaluation, analysis: {}, warnings };
  } catch (error) {
    if (error instanceof DataError) throw dataErrorInFile(error, goals);
    throw error;
  }
}
