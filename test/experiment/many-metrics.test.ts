import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  type Evaluation,
  Experiment,
  Metric,
  SrmCheck,
  type UnitGoalRow,
} from '../../src/index.js';

// Many metrics, each reading its own dimension value (or a dimension of its own): every metric's figures
// and warnings must be those of an experiment with that metric alone, over the same rows.

const VARIANTS = ['a', 'b', 'c'];
const srm = new SrmCheck({ id: 'srm', name: 'SRM', denominator: 'count(u.global.exposure)' });

function experimentWith(metrics: readonly Metric[]): Experiment {
  return new Experiment({ id: 'x', controlVariant: 'a', unitType: 'u', metrics, checks: [srm] });
}

/** Deterministic, distinct sums per (variant, goal row). */
function aggregatedRow(
  variant: number,
  index: number,
  goal: string,
  dimensions: Readonly<Record<string, string>>,
): AggregatedGoalRow {
  const count = 1500 + ((index * 37 + variant * 11) % 301);
  const sumValue = count * (0.2 + ((index + 3 * variant) % 13) / 20);
  return {
    exp_id: 'x',
    exp_variant_id: VARIANTS[variant]!,
    unit_type: 'u',
    agg_type: 'unit',
    goal,
    ...dimensions,
    count,
    sum_sqr_count: count * 1.25,
    sum_value: sumValue,
    sum_sqr_value: sumValue * 2.5,
    count_unique: count,
  };
}

function exposureRows(): AggregatedGoalRow[] {
  return VARIANTS.map((variant, v) => ({
    exp_id: 'x',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: 'global',
    goal: 'exposure',
    count: 5000 + 17 * v,
    sum_sqr_count: 5000 + 17 * v,
    sum_value: 5000 + 17 * v,
    sum_sqr_value: 5000 + 17 * v,
    count_unique: 5000 + 17 * v,
  }));
}

/** Each metric's rows equal, exactly, those of the experiment with that metric alone. */
function expectEachAsAlone(
  metrics: readonly Metric[],
  evaluate: (experiment: Experiment) => Evaluation,
): Evaluation {
  const all = evaluate(experimentWith(metrics));
  expect(all.metrics).toHaveLength(metrics.length * VARIANTS.length);
  for (const metric of metrics) {
    const alone = evaluate(experimentWith([metric]));
    expect(all.metrics.filter((row) => row.metricId === metric.id)).toEqual(alone.metrics);
    for (const warning of alone.warnings) {
      if (warning.metricIds !== undefined) expect(all.warnings).toContainEqual(warning);
    }
  }
  return all;
}

describe('an experiment with many metrics of their own dimension values', () => {
  const count = 300;
  const misspelled = 150;
  // metric i reads its own screen (metric 150 a misspelled one); every fifth one also its own element
  const metrics = Array.from({ length: count }, (_, i) => {
    const screen = i === misspelled ? `s${i}x` : `s${i}`;
    const nominator =
      i % 5 === 0
        ? `count(u.unit.view(screen=${screen})) + value(u.unit.click(element=e${i}))`
        : `count(u.unit.view(screen=${screen}))`;
    return new Metric({ id: i, name: `Metric ${i}`, nominator, denominator: 'count(u.global.exposure)' });
  });
  const rows: AggregatedGoalRow[] = [...exposureRows()];
  VARIANTS.forEach((_, v) => {
    for (let i = 0; i < count; i++) {
      rows.push(aggregatedRow(v, i, 'view', { screen: `s${i}` }));
      if (i % 5 === 0) rows.push(aggregatedRow(v, count + i, 'click', { element: `e${i}` }));
    }
  });

  it('evaluates every metric as an experiment with that metric alone does', () => {
    const evaluation = expectEachAsAlone(metrics, (experiment) =>
      experiment.evaluateAgg(rows, { timestamp: 1 }),
    );
    expect(evaluation.checks).toEqual(
      experimentWith(metrics.slice(0, 1)).evaluateAgg(rows, { timestamp: 1 }).checks,
    );
  });

  it('names only the metric with the misspelled dimension value in goal-without-rows', () => {
    const evaluation = experimentWith(metrics).evaluateAgg(rows, { timestamp: 1 });
    const missing = evaluation.warnings.filter((warning) => warning.code === 'goal-without-rows');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.goal).toContain(`screen=s${misspelled}x`);
    expect(missing[0]!.message).toContain(`none with \`screen=s${misspelled}x\``);
    const alone = experimentWith([metrics[misspelled]!]).evaluateAgg(rows, { timestamp: 1 });
    expect(alone.warnings.filter((warning) => warning.code === 'goal-without-rows')).toHaveLength(1);
  });

  it('reads the column arrays of the same rows alike', () => {
    const columns: Record<string, (string | number | null)[]> = {};
    const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    for (const name of names)
      columns[name] = rows.map((row) => (row[name] ?? null) as string | number | null);
    const experiment = experimentWith(metrics);
    expect(experiment.evaluateAgg(columns as never, { timestamp: 1 })).toEqual(
      experiment.evaluateAgg(rows, { timestamp: 1 }),
    );
  });

  it('evaluates wide rows of many goal columns as one metric at a time', () => {
    const wideMetrics = Array.from(
      { length: 120 },
      (_, i) =>
        new Metric({
          id: i,
          name: `Wide ${i}`,
          nominator: `value(u.global.g${i})`,
          denominator: 'value(u.global.units)',
        }),
    );
    const wide = VARIANTS.map((variant, v) => {
      const row: Record<string, string | number> = { exp_id: 'x', exp_variant_id: variant, units: 4000 + v };
      for (let i = 0; i < 120; i++) {
        row[`g${i}`] = 300 + ((i * 7 + v) % 41);
        row[`g${i}_squares`] = 2000 + ((i * 5 + v) % 43);
      }
      return row;
    });
    expectEachAsAlone(wideMetrics, (experiment) => experiment.evaluateWideAgg(wide, { timestamp: 1 }));
  });
});

describe('an experiment whose metrics each read a dimension of their own', () => {
  // more dimensions than the row scan reads one by one: row objects are read by their own keys
  const count = 60;
  const metricsOver = (denominator: string) =>
    Array.from(
      { length: count },
      (_, i) =>
        new Metric({
          id: `m${i}`,
          name: `Metric ${i}`,
          nominator: i % 3 === 0 ? `value(u.unit.view(d${i}=x, d${i + 1}=y))` : `count(u.unit.view(d${i}=x))`,
          denominator,
        }),
    );
  const metrics = metricsOver('count(u.global.exposure)');
  const rows: AggregatedGoalRow[] = [...exposureRows()];
  VARIANTS.forEach((_, v) => {
    for (let i = 0; i < count; i++) {
      rows.push(aggregatedRow(v, i, 'view', { [`d${i}`]: 'x' }));
      if (i % 3 === 0) rows.push(aggregatedRow(v, count + i, 'view', { [`d${i}`]: 'x', [`d${i + 1}`]: 'y' }));
      // rows of other dimension values and with empty cells of other dimensions match what they did
      rows.push(aggregatedRow(v, 2 * count + i, 'view', { [`d${i}`]: 'z', [`d${i + 2}`]: '' }));
    }
  });

  it('evaluates every metric as an experiment with that metric alone does', () => {
    const evaluation = expectEachAsAlone(metrics, (experiment) =>
      experiment.evaluateAgg(rows, { timestamp: 1 }),
    );
    expect(evaluation.warnings.filter((warning) => warning.code === 'goal-without-rows')).toEqual([]);
  });

  it('does not count a row with another non-empty dimension for a goal without it', () => {
    const extra = VARIANTS.map((_, v) => aggregatedRow(v, 999, 'view', { d1: 'x', d7: 'q' }));
    const experiment = experimentWith(metrics);
    const base = experiment.evaluateAgg(rows, { timestamp: 1 });
    const withExtra = experiment.evaluateAgg([...rows, ...extra], { timestamp: 1 });
    expect(withExtra.metrics).toEqual(base.metrics);
  });

  it('reads row objects with a null prototype and class instances alike', () => {
    const experiment = experimentWith(metrics);
    const plain = experiment.evaluateAgg(rows, { timestamp: 1 });
    const nullPrototype = rows.map((row) => Object.assign(Object.create(null) as object, row));
    class Row {
      constructor(values: AggregatedGoalRow) {
        Object.assign(this, values);
      }
    }
    const instances = rows.map((row) => new Row(row));
    expect(experiment.evaluateAgg(nullPrototype as never, { timestamp: 1 })).toEqual(plain);
    expect(experiment.evaluateAgg(instances as never, { timestamp: 1 })).toEqual(plain);
  });

  it('evaluates by unit as an experiment with that metric alone does', () => {
    const unitRows: UnitGoalRow[] = [];
    VARIANTS.forEach((variant, v) => {
      for (let unit = 0; unit < 40; unit++) {
        const base = { exp_id: 'x', exp_variant_id: variant, unit_type: 'u', unit_id: `${v}-${unit}` };
        unitRows.push({ ...base, agg_type: 'unit', goal: 'exposure', count: 1, sum_value: 1 });
        for (let i = 0; i < count; i++) {
          if ((unit + i + v) % 4 !== 0) continue;
          const dimensions =
            i % 3 === 0 && unit % 2 === 0 ? { [`d${i}`]: 'x', [`d${i + 1}`]: 'y' } : { [`d${i}`]: 'x' };
          unitRows.push({
            ...base,
            agg_type: 'unit',
            goal: 'view',
            ...dimensions,
            count: 1,
            sum_value: 1 + (unit % 3),
          });
        }
      }
    });
    expectEachAsAlone(metricsOver('count(u.unit.exposure)'), (experiment) =>
      experiment.evaluateByUnit(unitRows, { timestamp: 1 }),
    );
  });
});
