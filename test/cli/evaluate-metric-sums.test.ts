/**
 * `ep-stats evaluate` from per-unit metric sums: `--metric-sums` (or a CUPED metric) with `--events`, and
 * `--metric-sums --goals` with a file of metric sums rows. The events are written by the test, and so are the
 * metric sums the events must give (per unit: the metric's nominator x, denominator y and, for a CUPED metric,
 * both over the 14 days before `date_from`, u and v), so the command's query is checked against the test's own
 * arithmetic.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, parseJsonWithNonFinite, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-cli-metric-sums-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

const EXPOSURES = 'count(user.global.exposure)';
const REVENUE = {
  id: 1,
  name: 'Revenue per user',
  nominator: 'value(user.unit.order)',
  denominator: EXPOSURES,
};
const PER_ORDER = {
  id: 2,
  name: 'Revenue per order',
  nominator: 'value(user.unit.order)',
  denominator: 'count(user.unit.order)',
};
const ORDERS = {
  id: 3,
  name: 'Orders per user',
  nominator: 'count(user.unit.order)',
  denominator: EXPOSURES,
};
const DEFINITION = {
  id: 'shop',
  control_variant: 'a',
  unit_type: 'user',
  date_from: '2024-03-01',
  date_to: '2024-03-14',
  metrics: [REVENUE, PER_ORDER, ORDERS],
  checks: [{ id: 1, name: 'SRM', denominator: EXPOSURES }],
};
const CUPED_DEFINITION = {
  ...DEFINITION,
  metrics: [{ ...REVENUE, cuped: { pre_days: 14 } }, PER_ORDER, ORDERS],
};

/** One unit: its variant, the values of its orders in the experiment and in the 14 days before it. */
interface Unit {
  readonly id: string;
  readonly variant: string;
  readonly exposureDay: number;
  readonly orders: readonly number[];
  readonly preOrders: readonly number[];
}

/** 60 units per variant; the orders of the experiment grow with those before it (the covariate CUPED uses). */
const UNITS: readonly Unit[] = ['a', 'b'].flatMap((variant, v) =>
  Array.from({ length: 60 }, (_, k) => {
    const pre = (k * 7 + v * 3) % 4;
    const preOrders = Array.from({ length: pre }, (_, i) => 10 + ((k * 5 + v + i) % 9) * 2.5);
    const count = pre + ((k * 3 + v) % 2);
    const orders = Array.from(
      { length: count },
      (_, i) => 10 + ((k * 11 + v * 7 + i) % 9) * 2.5 + pre * 5 + v * 2.5,
    );
    return { id: `${variant}${k}`, variant, exposureDay: 1 + (k % 5), orders, preOrders };
  }),
);

const day = (month: number, date: number) =>
  `2024-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;

/**
 * The events of the units: an exposure, the experiment's orders after it, the pre-period orders (attributed to
 * another experiment, as before an assignment) and, for some units, an order older than the pre-period, which
 * CUPED must not read.
 */
function eventsCsv(): string {
  const lines = ['exp_id,exp_variant_id,unit_type,unit_id,date,goal,count,value'];
  for (const unit of UNITS) {
    lines.push(`shop,${unit.variant},user,${unit.id},${day(3, unit.exposureDay)},exposure,1,0`);
    unit.orders.forEach((value, i) => {
      lines.push(`shop,${unit.variant},user,${unit.id},${day(3, 6 + ((i * 3) % 9))},order,1,${value}`);
    });
    unit.preOrders.forEach((value, i) => {
      lines.push(`earlier,x,user,${unit.id},${day(2, 16 + ((i * 5) % 13))},order,1,${value}`);
    });
    if (unit.id.endsWith('0')) lines.push(`earlier,x,user,${unit.id},${day(1, 10)},order,1,100`);
  }
  return `${lines.join('\n')}\n`;
}

const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);

/** Per unit, a metric's nominator and denominator in the experiment (x, y) and in the pre-period (u, v). */
const PER_UNIT: Readonly<Record<number, (unit: Unit) => readonly [number, number, number, number]>> = {
  [REVENUE.id]: (unit) => [total(unit.orders), 1, total(unit.preOrders), 0],
  [PER_ORDER.id]: (unit) => [
    total(unit.orders),
    unit.orders.length,
    total(unit.preOrders),
    unit.preOrders.length,
  ],
  [ORDERS.id]: (unit) => [unit.orders.length, 1, unit.preOrders.length, 0],
};

/** The metric sums of the units as CSV; pre-period columns in the rows of CUPED metrics, 0 in the others. */
function metricSumsCsv(cupedIds: readonly number[]): string {
  const header =
    'exp_id,exp_variant_id,metric_id,units,sum_x,sum_x2,sum_y,sum_y2,sum_xy,sum_u,sum_u2,sum_v,sum_v2,sum_xu,sum_xv,sum_yu,sum_yv,sum_uv';
  const lines = [header];
  for (const metricId of [REVENUE.id, PER_ORDER.id, ORDERS.id]) {
    for (const variant of ['a', 'b']) {
      const units = UNITS.filter((unit) => unit.variant === variant).map(PER_UNIT[metricId]!);
      const sum = (f: (values: readonly [number, number, number, number]) => number) => total(units.map(f));
      const pre = cupedIds.includes(metricId)
        ? [
            sum(([, , u]) => u),
            sum(([, , u]) => u * u),
            sum(([, , , w]) => w),
            sum(([, , , w]) => w * w),
            sum(([x, , u]) => x * u),
            sum(([x, , , w]) => x * w),
            sum(([, y, u]) => y * u),
            sum(([, y, , w]) => y * w),
            sum(([, , u, w]) => u * w),
          ]
        : [0, 0, 0, 0, 0, 0, 0, 0, 0];
      lines.push(
        [
          'shop',
          variant,
          metricId,
          units.length,
          sum(([x]) => x),
          sum(([x]) => x * x),
          sum(([, y]) => y),
          sum(([, y]) => y * y),
          sum(([x, y]) => x * y),
          ...pre,
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Goal rows per unit of the same units: the exposures (per unit and global), the experiment's orders and, with
 * `pre_days` 14, the orders of the 14 days before `date_from`; the experiment-period rows leave `pre_days`
 * empty.
 */
function unitGoalsCsv(): string {
  const lines = ['exp_id,exp_variant_id,unit_type,agg_type,goal,unit_id,count,sum_value,pre_days'];
  for (const unit of UNITS) {
    const row = (aggType: string, goal: string, values: readonly number[], preDays = '') =>
      `shop,${unit.variant},user,${aggType},${goal},${unit.id},${values.length},${total(values)},${preDays}`;
    lines.push(row('unit', 'exposure', [0]), row('global', 'exposure', [0]));
    if (unit.orders.length > 0) lines.push(row('unit', 'order', unit.orders));
    if (unit.preOrders.length > 0) lines.push(row('unit', 'order', unit.preOrders, '14'));
  }
  return `${lines.join('\n')}\n`;
}

interface JsonEvaluation {
  readonly method: string;
  readonly metrics: readonly Record<string, unknown>[];
  readonly checks: readonly Record<string, unknown>[];
  readonly exposures: readonly Record<string, unknown>[];
  readonly warnings: readonly { readonly code: string }[];
}

/** The JSON report of a run that succeeded (warnings other than `small-sample` fail it). */
function report(result: CliResult): JsonEvaluation {
  expect(result.stderr.replace(/^warning \[small-sample\]: .*\n/gm, ''), result.stderr).toBe('');
  expect(result.code).toBe(0);
  return parseJsonWithNonFinite(result.stdout) as JsonEvaluation;
}

/** Same rows, numbers equal to 1e-12 relative (sums in another order); timestamps ignored. */
function expectSameRows(actual: JsonEvaluation, expected: JsonEvaluation): void {
  const close = (a: unknown, b: unknown, path: string): void => {
    if (typeof b === 'number' && typeof a === 'number') {
      if (Number.isNaN(b)) expect(a, path).toBeNaN();
      else
        expect(Math.abs(a - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(
          1e-12 * Math.max(1, Math.abs(b)),
        );
      return;
    }
    if (typeof b === 'object' && b !== null && typeof a === 'object' && a !== null) {
      const keys = Object.keys(b).filter((key) => key !== 'timestamp');
      expect(
        Object.keys(a).filter((key) => key !== 'timestamp'),
        path,
      ).toEqual(keys);
      for (const key of keys) close((a as never)[key], (b as never)[key], `${path}.${key}`);
      return;
    }
    expect(a, path).toEqual(b);
  };
  close(actual.metrics, expected.metrics, 'metrics');
  close(actual.checks, expected.checks, 'checks');
  close(actual.exposures, expected.exposures, 'exposures');
}

const events = scratchFile('events.csv', eventsCsv());
const experimentFile = scratchFile('shop.json', JSON.stringify(DEFINITION));
const cupedFile = scratchFile('shop-cuped.json', JSON.stringify(CUPED_DEFINITION));
const json = ['--format', 'json'];
const evaluate = (experiment: string, ...args: string[]) =>
  runCli(['evaluate', '--experiment', experiment, ...args, ...json]);

describe.concurrent('ep-stats evaluate from metric sums', () => {
  it('--metric-sums with --events equals --metric-sums with --goals on the sums computed in the test', async () => {
    const sums = scratchFile('sums.csv', metricSumsCsv([]));
    const [fromEvents, fromFile] = await Promise.all([
      evaluate(experimentFile, '--metric-sums', '--events', events).then(report),
      evaluate(experimentFile, '--metric-sums', '--goals', sums).then(report),
    ]);
    expectSameRows(fromEvents, fromFile);
    expect(fromEvents.exposures.map((row) => row.exposures)).toEqual([60, 60]);
  });

  it('gives mean metrics the numbers of goals per variant; the ratio metric its delta-method variance', async () => {
    const [sums, goals] = await Promise.all([
      evaluate(experimentFile, '--metric-sums', '--events', events).then(report),
      evaluate(experimentFile, '--events', events).then(report),
    ]);
    const rows = (evaluation: JsonEvaluation, metricId: number) =>
      ({
        ...evaluation,
        metrics: evaluation.metrics.filter((row) => row.metric_id === metricId),
      }) as JsonEvaluation;
    for (const metricId of [REVENUE.id, ORDERS.id])
      expectSameRows(rows(sums, metricId), rows(goals, metricId));
    // Revenue per order: the same mean, another standard error (units vary in their number of orders).
    const perOrder = (evaluation: JsonEvaluation) => rows(evaluation, PER_ORDER.id).metrics[1]!;
    expect(perOrder(sums).mean).toBeCloseTo(perOrder(goals).mean as number, 12);
    expect(perOrder(sums).p_value).not.toBe(perOrder(goals).p_value);
  });

  it('evaluates a CUPED metric from metric sums by default, with its pre-period', async () => {
    const sums = scratchFile('sums-cuped.csv', metricSumsCsv([REVENUE.id]));
    const [fromEvents, fromFile, unadjusted] = await Promise.all([
      evaluate(cupedFile, '--events', events).then(report),
      evaluate(cupedFile, '--metric-sums', '--goals', sums).then(report),
      evaluate(experimentFile, '--metric-sums', '--events', events).then(report),
    ]);
    expectSameRows(fromEvents, fromFile);
    const revenue = fromEvents.metrics.filter((row) => row.metric_id === REVENUE.id);
    for (const row of revenue) {
      expect(row).toHaveProperty('cuped_theta');
      expect(row).toHaveProperty('variance_reduction');
    }
    expect(revenue[1]!.variance_reduction as number).toBeGreaterThan(0);
    // The mean stays, the interval narrows; the other metrics are those of the run without CUPED.
    const plain = unadjusted.metrics.filter((row) => row.metric_id === REVENUE.id);
    expect(revenue[1]!.mean).toBe(plain[1]!.mean);
    expect(revenue[1]!.confidence_interval as number).toBeLessThan(plain[1]!.confidence_interval as number);
    for (const metricId of [PER_ORDER.id, ORDERS.id]) {
      const pick = (evaluation: JsonEvaluation) =>
        evaluation.metrics.filter((row) => row.metric_id === metricId);
      expect(pick(fromEvents)[0]).not.toHaveProperty('cuped_theta');
      expectSameRows(
        { ...fromEvents, metrics: pick(fromEvents) },
        { ...unadjusted, metrics: pick(unadjusted) },
      );
    }
  });

  it('--by-unit gives a CUPED metric its pre-period from events (pre_days rows) and from a file of unit rows', async () => {
    const units = scratchFile('unit-goals-cuped.csv', unitGoalsCsv());
    const [fromEvents, fromFile, fromSums] = await Promise.all([
      evaluate(cupedFile, '--by-unit', '--events', events).then(report),
      evaluate(cupedFile, '--by-unit', '--goals', units).then(report),
      evaluate(cupedFile, '--events', events).then(report),
    ]);
    expectSameRows(fromEvents, fromFile);
    // Every unit is exposed once and the ratio metric's goals match alike: the numbers of metric sums.
    expectSameRows(fromEvents, fromSums);
    const revenue = fromEvents.metrics.filter((row) => row.metric_id === REVENUE.id);
    expect(revenue[1]!.variance_reduction as number).toBeGreaterThan(0);
    expect(fromEvents.warnings.map((warning) => warning.code)).not.toContain('cuped-without-pre-period');
  });

  it('prints theta and the variance reduction of CUPED rows in the scorecard', async () => {
    const [table, data] = await Promise.all([
      runCli(['evaluate', '--experiment', cupedFile, '--events', events]),
      evaluate(cupedFile, '--events', events).then(report),
    ]);
    expect(table.code).toBe(0);
    const section = table.stdout.split('CUPED variance reduction\n')[1]?.split('\n\n')[0]?.split('\n') ?? [];
    expect(section[0]).toMatch(/^Metric +Variant +Theta +Variance reduction$/);
    const revenue = data.metrics.filter((row) => row.metric_id === REVENUE.id);
    expect(section.slice(2)).toHaveLength(revenue.length);
    revenue.forEach((row, index) => {
      const theta = Number((row.cuped_theta as number).toPrecision(4));
      const reduction = `${(100 * (row.variance_reduction as number)).toFixed(1)}%`;
      const cells = section[index + 2]!.split(/ {2,}/);
      expect([Number(cells[2]), cells[3]]).toEqual([theta, reduction]);
    });
  });

  it("honours the experiment file's evaluate_from: 'metric_sums' as --metric-sums", async () => {
    const file = scratchFile(
      'shop-from-sums.json',
      JSON.stringify({ ...DEFINITION, evaluate_from: 'metric_sums' }),
    );
    const [fromFile, fromFlag] = await Promise.all([
      evaluate(file, '--events', events).then(report),
      evaluate(experimentFile, '--metric-sums', '--events', events).then(report),
    ]);
    expectSameRows(fromFile, fromFlag);
    const conflict = await evaluate(file, '--by-unit', '--events', events);
    expect([conflict.code, conflict.stderr]).toEqual([
      1,
      `error: ${file}: evaluate_from: 'metric_sums' cannot be used with --by-unit; leave out one of them\n`,
    ]);
  });

  it('reports a metric sums file cell that is not a number with its line and column', async () => {
    const [header, first, ...rest] = metricSumsCsv([]).trim().split('\n');
    const bad = scratchFile(
      'bad-sums.csv',
      [header, first!.replace(/^shop,a,1,60,/, 'shop,a,1,sixty,'), ...rest].join('\n'),
    );
    const result = await evaluate(experimentFile, '--metric-sums', '--goals', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 2, column \`units\`: .*sixty`),
    );
  });
});

describe.concurrent('ep-stats evaluate: what metric sums and CUPED refuse', () => {
  it('--metric-sums with --by-unit or --wide is a usage error (exit 2)', async () => {
    const byUnit = await evaluate(experimentFile, '--metric-sums', '--by-unit', '--events', events);
    expect(byUnit.code).toBe(2);
    expect(byUnit.stderr).toContain("option '--metric-sums' cannot be used with option '--by-unit'");
    const wide = await evaluate(experimentFile, '--metric-sums', '--wide', '--goals', events);
    expect(wide.code).toBe(2);
    expect(wide.stderr).toContain("option '--metric-sums' cannot be used with option '--wide'");
  });

  it('a CUPED metric with goal rows per variant, or wide rows, names its field', async () => {
    const goals = scratchFile(
      'goals.csv',
      'exp_id,exp_variant_id,unit_type,agg_type,goal,count,sum_sqr_count,sum_value,sum_sqr_value,count_unique\n',
    );
    const advice =
      'evaluate it from events (--events, --events-glob or --database), from a file of metric sums with pre-period columns (--metric-sums --goals <file>) or from goal rows per unit with pre-period rows (--by-unit --goals <file>)';
    const aggregated = await evaluate(cupedFile, '--goals', goals);
    expect([aggregated.code, aggregated.stderr]).toEqual([
      1,
      `error: ${cupedFile}: metrics[0].cuped: metric 'Revenue per user' asks for CUPED, which needs per-unit values with their pre-period, and goal rows aggregated per variant have none; ${advice}\n`,
    ]);
    const wide = await evaluate(cupedFile, '--wide', '--goals', goals);
    expect([wide.code, wide.stderr]).toEqual([
      1,
      `error: ${cupedFile}: metrics[0].cuped: metric 'Revenue per user' asks for CUPED, which needs per-unit values with their pre-period, and wide rows (--wide) have none; ${advice}\n`,
    ]);
  });

  it('rejects a misspelt or invalid cuped in the experiment file, and a CUPED metric without date_from', async () => {
    const camel = scratchFile(
      'camel.json',
      JSON.stringify({ ...DEFINITION, metrics: [{ ...REVENUE, cuped: { preDays: 14 } }] }),
    );
    const misspelt = await evaluate(camel, '--events', events);
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toMatch(
      /^error: .*camel\.json: metrics\[0\]\.cuped\.preDays: Unknown field `preDays` of metrics\[0\]\.cuped \(did you mean `pre_days`\?\)/,
    );
    const zero = scratchFile(
      'zero.json',
      JSON.stringify({ ...DEFINITION, metrics: [{ ...REVENUE, cuped: { pre_days: 0 } }] }),
    );
    const invalid = await evaluate(zero, '--events', events);
    expect([invalid.code, invalid.stderr]).toEqual([
      1,
      `error: ${zero}: metrics[0].cuped.pre_days: Input should be greater than or equal to 1\n`,
    ]);
    const undated = scratchFile(
      'undated.json',
      JSON.stringify({ ...CUPED_DEFINITION, date_from: null, date_to: null }),
    );
    const noDate = await evaluate(undated, '--events', events);
    expect([noDate.code, noDate.stderr]).toEqual([
      1,
      `error: ${undated}: date_from: metric 'Revenue per user' asks for CUPED, whose pre-period is the 14 days before date_from; set date_from\n`,
    ]);
  });

  it('documents --metric-sums in --help', async () => {
    const { code, stdout } = await runCli(['evaluate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--metric-sums\s+evaluate from per-unit metric sums \(ratio metrics get/);
    expect(stdout).toContain('"cuped": {"pre_days": 14}');
  });
});
