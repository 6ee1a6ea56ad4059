import { basename, dirname, extname, join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DOCUMENTATION_URL } from '../index.js';
import { requireWritableTarget, writeFileAtomically, writeNewTextFile } from './atomic-file.js';
import { usageError } from './cli-error.js';
import { ExitCode } from './exit-code.js';
import { integerParser } from './option-parsers.js';
import { withProgress } from './progress.js';
import { shippedPath } from './shipped-path.js';

/** The rates a variant's effects change, as `generateEvents` names them. */
const RATES = ['views', 'clicks', 'conversions', 'value', 'refunds'] as const;

type Rate = (typeof RATES)[number];

/** One `--effects` item: `<variant>.<rate>=<relative change>`. */
export interface EffectOption {
  readonly variant: string;
  readonly rate: Rate;
  readonly change: number;
}

/** Options of `ep-stats generate-events` as commander parses them. */
export interface GenerateEventsCommandOptions {
  readonly out: string;
  /** Replace an existing `--out` file. */
  readonly force?: boolean;
  readonly units: number;
  readonly days: number;
  readonly seed: number;
  readonly variants: readonly string[];
  readonly effects: readonly EffectOption[];
  readonly expId: string;
  readonly unitType: string;
  readonly startDate: string;
  /** Days of history before the start (0: none). */
  readonly preDays: number;
}

/** The help's examples, with the paths of the files shipped with the package as seen from the current folder. */
const examples = (ex = shippedPath('fixtures/examples')): string => `
Examples:
  # 1,000 users over 14 days, variants a and b, b with 20 % more clicks
  $ ep-stats generate-events --out events.parquet --effects b.clicks=0.2

  # the events of the bundled demo (shipped as Parquet: ${shippedPath('fixtures/events/demo-events.parquet')})
  $ ep-stats generate-events --out demo-events.csv --units 800 --days 10 --pre-days 14 --seed 20240101 \\
      --variants a,b,c --effects b.clicks=0.2,b.conversions=0.15,c.value=0.1,c.refunds=0.5

  # then evaluate an experiment on them
  $ ep-stats evaluate --experiment ${ex}/demo-events.experiment.json --events events.parquet

Effects are relative changes of a variant's rates: ${RATES.join(', ')} (0.2 = 20 % more, -0.1 = 10 % less).
The events have the columns of ${DOCUMENTATION_URL}sql.md with the dimensions element, product and country.
The file is written to a temporary file next to it and renamed into place once complete: it is never
left half-written. An existing file is replaced only with --force.
Exit codes: 0 success, 2 usage error (also an existing --out file without --force, or a file that
cannot be written).`;

/**
 * Commander parser of `--variants`: comma-separated, distinct variant ids.
 *
 * @param value - The text given on the command line.
 * @returns The ids.
 * @throws InvalidArgumentError (exit code 2) for an empty list or a repeated id.
 */
function parseVariants(value: string): string[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) throw new InvalidArgumentError('expected comma-separated variant ids such as "a,b".');
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) throw new InvalidArgumentError(`variant "${repeated}" is listed twice.`);
  return ids;
}

/**
 * Commander parser of `--effects` (the option may be repeated): `<variant>.<rate>=<change>` items,
 * comma-separated.
 *
 * @param value - The text given on the command line.
 * @param previous - The items of earlier `--effects` options.
 * @returns All items so far.
 * @throws InvalidArgumentError (exit code 2) for an item of another form, an unknown rate or a change of
 *   -1 or less.
 */
function parseEffects(value: string, previous: readonly EffectOption[] = []): EffectOption[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0)
    throw new InvalidArgumentError('expected <variant>.<rate>=<change>, e.g. b.clicks=0.2.');
  return [
    ...previous,
    ...items.map((item) => {
      const match = /^(.+)\.([a-z]+)=(.+)$/.exec(item);
      if (match === null) {
        throw new InvalidArgumentError(
          `expected <variant>.<rate>=<change> such as b.clicks=0.2, received "${item}".`,
        );
      }
      const [, variant = '', rate = '', text = ''] = match;
      if (!(RATES as readonly string[]).includes(rate)) {
        throw new InvalidArgumentError(
          `unknown rate "${rate}" in "${item}"; the rates are ${RATES.join(', ')}.`,
        );
      }
      const change = text.trim() === '' ? Number.NaN : Number(text);
      if (!(Number.isFinite(change) && change > -1)) {
        throw new InvalidArgumentError(
          `the change in "${item}" must be a number greater than -1 (a relative change: 0.2 = 20 % more).`,
        );
      }
      return { variant: variant.trim(), rate: rate as Rate, change };
    }),
  ];
}

/**
 * Commander parser of `--start-date`.
 *
 * @param value - The text given on the command line.
 * @returns The date, `YYYY-MM-DD`.
 * @throws InvalidArgumentError (exit code 2) for anything else.
 */
function parseDate(value: string): string {
  const date = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new InvalidArgumentError(`expected a date YYYY-MM-DD, received "${value}".`);
  }
  return date;
}

/**
 * Adds `ep-stats generate-events` to the program.
 *
 * @param program - The root command.
 */
export function registerGenerateEventsCommand(program: Command): void {
  program
    .command('generate-events')
    .description('write the events of a synthetic A/B test (seeded, reproducible) to a Parquet or CSV file')
    .requiredOption('--out <file>', 'file to write: .parquet or .csv')
    .option('--force', 'replace the --out file if it exists')
    .addOption(new Option('--units <n>', 'number of units').argParser(integerParser(1)).default(1000))
    .addOption(new Option('--days <n>', 'days of the experiment').argParser(integerParser(1)).default(14))
    .addOption(
      new Option('--seed <n>', 'seed of the generator: same options, same events')
        .argParser(integerParser(0))
        .default(1),
    )
    .addOption(
      new Option('--variants <ids>', 'variant ids, comma-separated; the first is the control')
        .argParser(parseVariants)
        .default(['a', 'b'], 'a,b'),
    )
    .addOption(
      new Option(
        '--effects <effects>',
        'true effects: <variant>.<rate>=<change>, comma-separated or repeated',
      )
        .argParser(parseEffects)
        .default([], 'none'),
    )
    .option('--exp-id <id>', 'experiment id of the events', 'demo')
    .option('--unit-type <type>', 'unit type of the events', 'user')
    .addOption(
      new Option('--start-date <date>', 'first day, YYYY-MM-DD').argParser(parseDate).default('2024-01-01'),
    )
    .addOption(
      new Option(
        '--pre-days <n>',
        'days of history before --start-date (for CUPED): units differ in activity, and have events without experiment or variant on those days',
      )
        .argParser(integerParser(0))
        .default(0),
    )
    .addHelpText('after', () => examples())
    .action(async (options: GenerateEventsCommandOptions, command: Command) => {
      const extension = extname(options.out).toLowerCase();
      if (extension !== '.parquet' && extension !== '.csv') {
        command.error(`error: --out must name a .parquet or .csv file, received "${options.out}"`, {
          exitCode: ExitCode.usage,
          code: 'ep-stats.outExtension',
        });
      }
      const unknown = options.effects.find((effect) => !options.variants.includes(effect.variant));
      if (unknown !== undefined) {
        command.error(
          `error: --effects names variant "${unknown.variant}", which is not one of --variants ${options.variants.join(',')}`,
          { exitCode: ExitCode.usage, code: 'ep-stats.effectVariant' },
        );
      }
      requireWritableTarget(options.out, '--out', options.force === true);
      await runGenerateEvents(options);
    });
}

/**
 * Runs `ep-stats generate-events`: generates the events (`generateEvents` of `ep-stats/sql`, loaded only
 * here) and writes them as CSV or with `writeEventsParquet`, through a temporary file renamed over `--out`
 * once complete (see {@link writeFileAtomically}).
 *
 * @param options - The parsed options.
 * @throws {@link CliError} with exit code 2 when the file cannot be written, or exists without `force`;
 *   the `--out` file is then as it was.
 */
export async function runGenerateEvents(options: GenerateEventsCommandOptions): Promise<void> {
  const { eventsToCsv, generateEvents, SYNTHETIC_DIMENSIONS, writeEventsParquet } = await import(
    '../sql/index.js'
  );
  const variants = options.variants.map((id) => {
    const effects = Object.fromEntries(
      options.effects.filter((effect) => effect.variant === id).map((effect) => [effect.rate, effect.change]),
    );
    return { id, effects };
  });
  const count = await withProgress(`generating the events of ${options.units} units`, async (progress) => {
    const events = generateEvents({
      seed: options.seed,
      units: options.units,
      days: options.days,
      variants,
      expId: options.expId,
      unitType: options.unitType,
      startDate: options.startDate,
      preDays: options.preDays,
    });
    progress.update(`writing ${events.length} events to ${options.out}`);
    const csv = extname(options.out).toLowerCase() === '.csv';
    try {
      await writeFileAtomically(
        options.out,
        (temporary) =>
          csv
            ? writeNewTextFile(temporary, eventsToCsv(events, SYNTHETIC_DIMENSIONS))
            : writeEventsParquet(events, temporary, SYNTHETIC_DIMENSIONS),
        // DuckDB's COPY writes to tmp_<name> first when <name> exists; never left behind either.
        { force: options.force === true, companions: (temporary) => [duckDbTemporary(temporary)] },
      );
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'EEXIST') {
        throw usageError(
          `the --out file ${JSON.stringify(options.out)} was created while the events were written; add --force to replace it`,
          error,
        );
      }
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      throw usageError(`cannot write the --out file ${JSON.stringify(options.out)}: ${reason}`, error);
    }
    return events.length;
  });
  process.stdout.write(
    `wrote ${count.toLocaleString('en-US')} events of ${options.units.toLocaleString('en-US')} units ` +
      `(${options.expId}, variants ${options.variants.join(', ')}) to ${options.out}\n`,
  );
}

/** The file DuckDB's `COPY ... TO <path>` writes first when `<path>` exists (`USE_TMP_FILE`). */
function duckDbTemporary(path: string): string {
  return join(dirname(path), `tmp_${basename(path)}`);
}
