import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbClient, PostgresClient } from '../../src/sql/index.js';
import { createDemoEventsTable } from '../sql/support/event-tables.js';
import { postgresTestUrl } from '../sql/support/postgres.js';
import { demoGoalsExperiment } from '../support/demo-experiment.js';
import { demoExposures } from '../support/demo-exposures.js';
import { type CliResult, parseJsonWithNonFinite, ROOT, runCli, runNode } from './run-cli.js';

const EXPERIMENT = demoGoalsExperiment();
const EVENTS_CSV = 'fixtures/events/demo-events.csv';
const EVENTS_PARQUET = 'fixtures/events/demo-events.parquet';
const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-cli-events-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** The demo events as the CSV holds them (text cells). */
const events = parse(readFileSync(join(ROOT, EVENTS_CSV)), { columns: true }) as Record<string, string>[];

/**
 * The goals of the demo experiment, written out by hand: identity as `evaluateAgg` matches it (the
 * experiment's only dimension is `element`; `^button` is its stored value) and which events count.
 */
const GOALS: readonly {
  readonly aggType: 'global' | 'unit';
  readonly goal: string;
  readonly element: string;
  readonly matches: (event: Record<string, string>) => boolean;
}[] = [
  { aggType: 'global', goal: 'exposure', element: '', matches: (e) => e.goal === 'exposure' },
  { aggType: 'unit', goal: 'conversion', element: '', matches: (e) => e.goal === 'conversion' },
  { aggType: 'unit', goal: 'refund', element: '', matches: (e) => e.goal === 'refund' },
  {
    aggType: 'unit',
    goal: 'click',
    element: '^button',
    matches: (e) => e.goal === 'click' && (e.element ?? '').startsWith('button'),
  },
  {
    aggType: 'unit',
    goal: 'view',
    element: '^button',
    matches: (e) => e.goal === 'view' && (e.element ?? '').startsWith('button'),
  },
];

/** Per goal, variant and unit: the sums of `count` and `value` of the unit's matching events. */
function perUnitSums(
  goal: (typeof GOALS)[number],
): Map<string, Map<string, { count: number; value: number }>> {
  const variants = new Map<string, Map<string, { count: number; value: number }>>();
  for (const event of events) {
    if (event.exp_id !== 'demo' || !goal.matches(event)) continue;
    const units = variants.get(event.exp_variant_id ?? '') ?? new Map();
    variants.set(event.exp_variant_id ?? '', units);
    const sums = units.get(event.unit_id) ?? { count: 0, value: 0 };
    sums.count += Number(event.count);
    sums.value += Number(event.value);
    units.set(event.unit_id, sums);
  }
  return variants;
}

function toCsv(rows: readonly Record<string, string | number>[]): string {
  const header = Object.keys(rows[0] ?? {});
  return `${[header.join(','), ...rows.map((row) => header.map((column) => row[column]).join(','))].join('\n')}\n`;
}

/** Goal rows aggregated per variant from the events, as squares of per-unit sums (spec section 1). */
function aggregatedGoalsCsv(): string {
  const rows = GOALS.flatMap((goal) =>
    [...perUnitSums(goal)].map(([variant, units]) => {
      const sums = [...units.values()];
      const total = (f: (s: { count: number; value: number }) => number) =>
        sums.reduce((a, s) => a + f(s), 0);
      return {
        exp_id: 'demo',
        exp_variant_id: variant,
        unit_type: 'user',
        agg_type: goal.aggType,
        goal: goal.goal,
        element: goal.element,
        count: total((s) => s.count),
        sum_sqr_count: total((s) => s.count * s.count),
        sum_value: total((s) => s.value),
        sum_sqr_value: total((s) => s.value * s.value),
        count_unique: sums.filter((s) => s.count > 0).length,
      };
    }),
  );
  return toCsv(rows);
}

/** Goal rows per unit from the events, plus the unit exposures by-unit evaluation reads. */
function unitGoalsCsv(): string {
  const goals = [
    ...GOALS,
    { aggType: 'unit' as const, goal: 'exposure', element: '', matches: GOALS[0]!.matches },
  ];
  const rows = goals.flatMap((goal) =>
    [...perUnitSums(goal)].flatMap(([variant, units]) =>
      [...units].map(([unit, sums]) => ({
        exp_id: 'demo',
        exp_variant_id: variant,
        unit_type: 'user',
        agg_type: goal.aggType,
        goal: goal.goal,
        unit_id: unit,
        element: goal.element,
        count: sums.count,
        sum_value: sums.value,
      })),
    ),
  );
  return toCsv(rows);
}

interface JsonEvaluation {
  readonly metrics: readonly Record<string, unknown>[];
  readonly checks: readonly Record<string, unknown>[];
  readonly exposures: readonly { readonly exp_variant_id: string; readonly exposures: number }[];
  readonly warnings: readonly unknown[];
}

/** stderr without the `small-sample` warnings that the demo's small samples raise. */
function withoutSmallSample(stderr: string): string {
  return stderr.replace(/^warning \[small-sample\]: .*\n/gm, '');
}

function evaluation(result: CliResult): JsonEvaluation {
  expect(withoutSmallSample(result.stderr)).toBe('');
  expect(result.code).toBe(0);
  return parseJsonWithNonFinite(result.stdout) as JsonEvaluation;
}

/** Same rows, numbers equal to 1e-12 relative (engines add values in different orders); timestamps ignored. */
function expectSameEvaluation(actual: JsonEvaluation, expected: JsonEvaluation): void {
  const close = (a: unknown, b: unknown, path: string): void => {
    if (typeof b === 'number' && typeof a === 'number') {
      if (Number.isNaN(b)) expect(a, path).toBeNaN();
      else expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
      return;
    }
    if (Array.isArray(b) && Array.isArray(a)) {
      expect(a.length, path).toBe(b.length);
      b.forEach((item, index) => {
        close(a[index], item, `${path}[${index}]`);
      });
      return;
    }
    if (typeof b === 'object' && b !== null && typeof a === 'object' && a !== null) {
      const keys = Object.keys(b).filter((key) => key !== 'timestamp');
      expect(
        Object.keys(a)
          .filter((key) => key !== 'timestamp')
          .sort(),
        path,
      ).toEqual([...keys].sort());
      for (const key of keys) close((a as never)[key], (b as never)[key], `${path}.${key}`);
      return;
    }
    expect(a, path).toEqual(b);
  };
  close(actual.metrics, expected.metrics, 'metrics');
  close(actual.checks, expected.checks, 'checks');
  close(actual.exposures, expected.exposures, 'exposures');
}

const json = ['--format', 'json'];
const evaluate = (...args: string[]) => runCli(['evaluate', '--experiment', EXPERIMENT, ...args]);

describe.concurrent('ep-stats evaluate --events / --database', () => {
  let fromCsv: Promise<JsonEvaluation>;
  beforeAll(() => {
    fromCsv = evaluate('--events', EVENTS_CSV, ...json).then(evaluation);
  });

  it('gives the same numbers from the CSV and the Parquet file of the demo events', async () => {
    const parquet = evaluation(await evaluate('--events', EVENTS_PARQUET, ...json));
    const csv = await fromCsv;
    expectSameEvaluation(parquet, csv);
    const metricCount = (JSON.parse(readFileSync(join(ROOT, EXPERIMENT), 'utf8')) as { metrics: unknown[] })
      .metrics.length;
    expect(csv.metrics).toHaveLength(metricCount * 3);
    // Every unit has one exposure: 800 users.
    expect(csv.exposures.map((row) => row.exposures)).toEqual(demoExposures());
    expect(csv.warnings.filter((warning) => (warning as { code?: string }).code !== 'small-sample')).toEqual(
      [],
    );
  });

  it('equals --goals on goal rows aggregated in the test from the same events', async () => {
    const goals = scratchFile('demo-goals.csv', aggregatedGoalsCsv());
    const reference = evaluation(await evaluate('--goals', goals, ...json));
    expectSameEvaluation(await fromCsv, reference);
  });

  it('--by-unit equals --by-unit --goals on unit rows summed in the test from the same events', async () => {
    const goals = scratchFile('demo-unit-goals.csv', unitGoalsCsv());
    const reference = evaluation(await evaluate('--by-unit', '--goals', goals, ...json));
    const byUnit = evaluation(await evaluate('--by-unit', '--events', EVENTS_PARQUET, ...json));
    expectSameEvaluation(byUnit, reference);
    // Metrics whose nominator is one goal agree with the aggregated query (docs/sql.md).
    const aggregated = await fromCsv;
    const mean = (rows: JsonEvaluation, id: number, variant: string) =>
      rows.metrics.find((row) => row.metric_id === id && row.exp_variant_id === variant)?.mean as number;
    for (const variant of ['a', 'b', 'c']) {
      expect(mean(byUnit, 2, variant)).toBeCloseTo(mean(aggregated, 2, variant), 12);
    }
  });

  it('prints a readable scorecard of the bundled demo (npm run demo)', async () => {
    const { code, stdout, stderr } = await evaluate('--events', EVENTS_PARQUET);
    expect([code, withoutSmallSample(stderr)]).toEqual([0, '']);
    for (const title of [
      'Experiment demo (control variant a, confidence level 95%)',
      'Conversion rate',
      'Revenue per user',
      'Button click-through rate',
      'Net revenue per user (conversions - refunds)',
      'Sample size and power',
      'Checks',
      'Exposures',
    ]) {
      expect(stdout).toContain(title);
    }
    expect(stdout).toMatch(/SRM\s+p_value\s+0\.\d{4}\s+passed/);
    expect(stdout).not.toContain('\x1b[');
  });

  it('reads an events table of a DuckDB file with --database and --table', async () => {
    const path = join(scratch, 'events.duckdb');
    const client = await DuckDbClient.open({ path });
    await client.query(
      "CREATE TABLE demo_events AS SELECT * FROM read_csv($1, header = true, types = {'unit_id': 'VARCHAR'})",
      [join(ROOT, EVENTS_CSV)],
    );
    // A table with a DATE column, read with dates: the same events as the CSV's, filtered alike.
    await client.close();
    const database = evaluation(await evaluate('--database', path, '--table', 'main.demo_events', ...json));
    expectSameEvaluation(database, await fromCsv);
    const unknown = await evaluate('--database', path);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      `error: there is no table "events" of ${path} (its tables: main.demo_events); name the events table with --table\n`,
    );
  });

  it('declares only the --dimensions given, and names the metric reading another one (exit 1)', async () => {
    const declared = evaluation(await evaluate('--events', EVENTS_CSV, '--dimensions', 'element', ...json));
    expectSameEvaluation(declared, await fromCsv);
    const { code, stderr } = await evaluate('--events', EVENTS_CSV, '--dimensions', 'product,country');
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: ${EXPERIMENT}: metrics[2]: the goal \`user.unit.click[element=^button]\` reads the dimension ` +
        `\`element\`, which is not a dimension column of ${EVENTS_CSV} (its dimensions: product, country)\n`,
    );
    const absent = await evaluate('--events', EVENTS_CSV, '--dimensions', 'element,colour');
    expect([absent.code, absent.stderr]).toEqual([
      1,
      `error: --dimensions: ${EVENTS_CSV} has no dimension column \`colour\` (its other columns: element, product, country)\n`,
    ]);
  });

  it('rejects events that do not fit (exit 1): missing columns, bad cells, another experiment', async () => {
    const [header = '', ...lines] = readFileSync(join(ROOT, EVENTS_CSV), 'utf8').trim().split('\n');
    const noUnit = scratchFile(
      'no-unit.csv',
      `${header.replace('unit_id,', '')}\n${lines.map((line) => line.replace(/^((?:[^,]*,){3})[^,]*,/, '$1')).join('\n')}\n`,
    );
    const missing = await evaluate('--events', noUnit);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^error: .*no-unit\.csv has no column `unit_id`; the events need the columns /,
    );
    // A row of the experiment (the first rows are history, which the goal query does not read).
    const experimentRow = lines.find((line) => line.startsWith('demo,'));
    const badCell = scratchFile(
      'bad-cell.csv',
      `${header}\n${experimentRow?.replace(/,1,0,/, ',twelve,0,')}\n`,
    );
    const bad = await evaluate('--events', badCell);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: the goal query on .*bad-cell\.csv failed: .*twelve/);
    const other = scratchFile(
      'other.json',
      readFileSync(join(ROOT, EXPERIMENT), 'utf8').replace('"demo"', '"other"'),
    );
    const none = await runCli(['evaluate', '--experiment', other, '--events', EVENTS_PARQUET]);
    expect([none.code, none.stderr]).toEqual([
      1,
      `error: ${EVENTS_PARQUET} has no events of experiment "other" within its dates and filters (its experiments: demo)\n`,
    ]);
  });

  it('reports usage errors with exit code 2', async () => {
    const missing = await evaluate('--events', join(scratch, 'missing.parquet'));
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `error: cannot read the --events file ${JSON.stringify(join(scratch, 'missing.parquet'))}: no such file\n`,
    ]);
    const extension = await evaluate('--events', EXPERIMENT);
    expect(extension.code).toBe(2);
    expect(extension.stderr).toContain('must be a Parquet (.parquet) or CSV (.csv) file');
    const none = await evaluate();
    expect([none.code, none.stderr]).toEqual([
      2,
      'error: one of --goals <file>, --events <file>, --events-glob <pattern> or --database <target> is required (see --help)\n',
    ]);
    const both = await evaluate('--events', EVENTS_CSV, '--database', 'x.duckdb');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      "option '--events <file>' cannot be used with option '--database <target>'",
    );
    const wide = await evaluate('--events', EVENTS_CSV, '--wide');
    expect(wide.code).toBe(2);
    const table = await evaluate('--events', EVENTS_CSV, '--table', 'events');
    expect(table.stderr).toBe('error: --table <name> applies to --database only (see --help)\n');
    const unsafe = await evaluate('--database', join(scratch, 'events.duckdb'), '--table', 'events; DROP');
    expect(unsafe.code).toBe(2);
    expect(unsafe.stderr).toMatch(/^error: --table: Table name "events; DROP" is not a safe SQL table name/);
  });

  it('loads neither ep-stats/sql nor a database driver for --goals', async () => {
    // A module hook that fails the process if the SQL module or a driver is resolved.
    const resolve =
      'export async function resolve(specifier, context, next) {' +
      '  const result = await next(specifier, context);' +
      '  if (/\\/src\\/sql\\/|@duckdb|\\/node_modules\\/pg\\//.test(result.url)) throw new Error("loaded " + result.url);' +
      '  return result;' +
      '}';
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(resolve)}`)});`;
    const hook = `data:text/javascript,${encodeURIComponent(register)}`;
    const main = join('src', 'cli', 'main.ts');
    const goals = await runNode([
      '--import',
      'tsx',
      '--import',
      hook,
      main,
      'evaluate',
      '--experiment',
      'fixtures/examples/test-dimension.experiment.json',
      '--goals',
      'fixtures/examples/test-dimension.goals.csv',
    ]);
    expect([goals.code, withoutSmallSample(goals.stderr)]).toEqual([0, '']);
    // The same hook does catch the SQL module when --events needs it.
    const events = await runNode([
      '--import',
      'tsx',
      '--import',
      hook,
      main,
      'evaluate',
      '--experiment',
      EXPERIMENT,
      '--events',
      EVENTS_CSV,
    ]);
    expect(events.stderr).toContain('loaded file:');
  });
});

describe('ep-stats evaluate --database postgres://', () => {
  const url = postgresTestUrl();
  const table = `cli_demo_events_${process.pid}`;
  let client: PostgresClient | undefined;

  afterAll(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${table}`, []);
    await client?.close();
  });

  it.skipIf(url === '')('reads an events table of PostgreSQL with the numbers of --events', async () => {
    client = await PostgresClient.connect(url);
    await createDemoEventsTable(client, table);
    const [fromPostgres, fromCsv] = await Promise.all([
      evaluate('--database', url, '--table', table, ...json),
      evaluate('--events', EVENTS_CSV, ...json),
    ]);
    expectSameEvaluation(evaluation(fromPostgres), evaluation(fromCsv));
    const byUnit = await evaluate('--by-unit', '--database', url, '--table', table, ...json);
    expect(evaluation(byUnit).exposures.map((row) => row.exposures)).toEqual(demoExposures());
  });
});
