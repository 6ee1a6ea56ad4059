/**
 * Many metrics in one experiment, each reading its own dimension value (`count(u.unit.view(screen=s<i>))`),
 * as dashboards of per-screen or per-element metrics do: goal matching and evaluation must cost
 * O(rows + metrics x variants) whatever the dimensions. Times `Experiment.evaluateAgg` at 125 to 4,000
 * metrics (one dimension; two dimensions with filters; a dimension of its own per metric), and
 * `evaluateByUnit` and `evaluateWideAgg` with many metrics. Each figure's name says its goal and whether it
 * is met; `report` marks figures without a goal.
 *
 * Run alone with `npm run bench -- many-metrics`.
 */
import {
  type AggregatedGoalRow,
  Experiment,
  Filter,
  Metric,
  SrmCheck,
  type UnitGoalRow,
} from '../src/index.js';
import { type Measurement, meanMilliseconds, withGoal } from './measure.js';

const SIZES = [125, 250, 500, 1000, 4000] as const;
const VARIANTS = 3;
/** Goal for 1,000 metrics, in milliseconds per evaluation. */
const MAX_MS_1000 = 100;
/** Goal for the time of 4,000 metrics over that of 1,000 (linear growth: 4). */
const MAX_RATIO = 5;

type Shape = 'screen' | 'screen+element' | 'own-dimension';

/** Metric i of a shape: its own screen value; or screen and element values; or a dimension of its own. */
function nominator(shape: Shape, i: number): string {
  if (shape === 'screen') return `count(u.unit.view(screen=s${i}))`;
  if (shape === 'own-dimension') return `count(u.unit.view(d${i}=x))`;
  return i % 2 === 0
    ? `count(u.unit.view(screen=s${i}, element=e${i % 7}))`
    : `value(u.unit.click(element=e${i})) - value(u.unit.click(element=e${i}, screen=^home))`;
}

function variants(): string[] {
  return Array.from({ length: VARIANTS }, (_, v) => `v${v}`);
}

function experimentOf(shape: Shape, metricCount: number): Experiment {
  const metrics = Array.from(
    { length: metricCount },
    (_, i) =>
      new Metric({
        id: i,
        name: `Metric ${i}`,
        nominator: nominator(shape, i),
        denominator: 'count(u.global.exposure)',
      }),
  );
  return new Experiment({
    id: 'bench',
    controlVariant: 'v0',
    unitType: 'u',
    metrics,
    checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' })],
    filters:
      shape === 'screen+element'
        ? [
            new Filter({ scope: 'goal', dimension: 'screen', values: ['s0', 's2', 's4'] }),
            new Filter({ scope: 'exposure', dimension: 'element', values: ['e1'] }),
          ]
        : [],
  });
}

/** One row per (variant, goal of the experiment), with only the goal's non-empty dimension columns. */
function aggregatedRows(experiment: Experiment): AggregatedGoalRow[] {
  const rows: AggregatedGoalRow[] = [];
  variants().forEach((variant, v) => {
    experiment.goals.forEach((goal, g) => {
      const count = 2000 + ((g * 7 + v * 13) % 97);
      const sum = count * (0.3 + ((g + v) % 5) / 10);
      const dimensions = Object.fromEntries(
        goal.dimensions.filter((d) => d.storedValue !== '').map((d) => [d.name, d.storedValue]),
      );
      rows.push({
        exp_id: 'bench',
        exp_variant_id: variant,
        unit_type: goal.unitType,
        agg_type: goal.aggType,
        goal: goal.goal,
        ...dimensions,
        count,
        sum_sqr_count: count * 1.5,
        sum_value: sum,
        sum_sqr_value: sum * 3,
        count_unique: count,
      });
    });
  });
  return rows;
}

/** `units` units per variant, each with its exposure and one row of every other goal of the experiment. */
function unitRows(experiment: Experiment, units: number): UnitGoalRow[] {
  const rows: UnitGoalRow[] = [];
  for (const variant of variants()) {
    for (let unit = 0; unit < units; unit++) {
      const unitId = `${variant}-${unit}`;
      const base = { exp_id: 'bench', exp_variant_id: variant, unit_type: 'u', unit_id: unitId };
      rows.push({ ...base, agg_type: 'unit', goal: 'exposure', count: 1, sum_value: 1 });
      experiment.goals.forEach((goal, g) => {
        if (goal.aggType !== 'unit' || (unit + g) % 4 !== 0) return;
        const dimensions = Object.fromEntries(
          goal.dimensions.filter((d) => d.storedValue !== '').map((d) => [d.name, d.storedValue]),
        );
        rows.push({
          ...base,
          agg_type: 'unit',
          goal: goal.goal,
          ...dimensions,
          count: 1,
          sum_value: 1 + (g % 3),
        });
      });
    }
  }
  return rows;
}

/**
 * Milliseconds per call: the median of 5 rounds (each after a garbage collection, when exposed), each
 * round as many calls as fit in about `roundMs` (at least 2), after a warm-up.
 */
function timed(run: () => void, roundMs = 300): number {
  const start = performance.now();
  run();
  const first = performance.now() - start;
  const iterations = Math.max(2, Math.min(50, Math.round(roundMs / Math.max(first, 0.1))));
  const collectGarbage = (globalThis as { gc?: () => void }).gc;
  const rounds = Array.from({ length: 5 }, () => {
    collectGarbage?.();
    return meanMilliseconds(run, 1, iterations);
  }).sort((a, b) => a - b);
  return rounds[2]!;
}

/** Figures of one shape over the sizes: ms per evaluation and per metric, the goal at 1,000, the ratio. */
function aggregatedSeries(shape: Shape, sizes: readonly number[]): Measurement[] {
  const results: Measurement[] = [];
  const ms = new Map<number, number>();
  for (const metricCount of sizes) {
    const experiment = experimentOf(shape, metricCount);
    const rows = aggregatedRows(experiment);
    const evaluation = experiment.evaluateAgg(rows, { timestamp: 0 });
    if (evaluation.metrics.length !== metricCount * VARIANTS) throw new Error('unexpected evaluation');
    const time = timed(() => experiment.evaluateAgg(rows, { timestamp: 0 }));
    ms.set(metricCount, time);
    const label = `evaluateAgg ${shape}, ${metricCount} metrics x ${VARIANTS} variants (${rows.length} rows)`;
    results.push({
      name: metricCount === 1000 ? withGoal(label, time, MAX_MS_1000, 'ms') : `${label} (report)`,
      value: time,
      unit: 'ms/evaluation',
    });
    results.push({
      name: `${label}, per metric (report)`,
      value: time / metricCount,
      unit: 'ms/metric',
    });
  }
  const at1000 = ms.get(1000);
  const at4000 = ms.get(4000);
  if (at1000 !== undefined && at4000 !== undefined) {
    const ratio = at4000 / at1000;
    results.push({
      name: withGoal(`evaluateAgg ${shape}, time of 4,000 metrics / time of 1,000`, ratio, MAX_RATIO, ''),
      value: ratio,
      unit: 'ratio',
    });
  }
  return results;
}

/** `npm run bench` entry: evaluations of experiments with many metrics of their own dimension values. */
export function runManyMetricsBench(): Measurement[] {
  const results: Measurement[] = [
    ...aggregatedSeries('screen', SIZES),
    ...aggregatedSeries('screen+element', SIZES),
    // A dimension of its own per metric: `experiment.goals` holds metrics x dimensions conditions, so the
    // Experiment itself grows quadratically; the evaluation does not.
    ...aggregatedSeries('own-dimension', SIZES),
  ];

  for (const metricCount of [250, 1000]) {
    const experiment = experimentOf('screen', metricCount);
    const rows = unitRows(experiment, 200);
    const time = timed(() => experiment.evaluateByUnit(rows, { timestamp: 0 }));
    results.push({
      name: `evaluateByUnit screen, ${metricCount} metrics x ${VARIANTS} variants (${rows.length} rows) (report)`,
      value: time,
      unit: 'ms/evaluation',
    });
  }

  for (const metricCount of [1000, 4000]) {
    const goals = Array.from({ length: metricCount }, (_, i) => `g${i}`);
    const metrics = goals.map(
      (goal, i) =>
        new Metric({
          id: i,
          name: `Metric ${i}`,
          nominator: `value(u.global.${goal})`,
          denominator: 'value(u.global.units)',
        }),
    );
    const experiment = new Experiment({ id: 'bench', controlVariant: 'v0', unitType: 'u', metrics });
    const rows = variants().map((variant, v) => {
      const row: Record<string, string | number> = {
        exp_id: 'bench',
        exp_variant_id: variant,
        units: 5000 + v,
      };
      goals.forEach((goal, g) => {
        row[goal] = 100 + ((g + v) % 50);
        row[`${goal}_squares`] = 300 + ((g + v) % 50);
      });
      return row;
    });
    const time = timed(() => experiment.evaluateWideAgg(rows, { timestamp: 0 }));
    results.push({
      name: `evaluateWideAgg ${metricCount} metrics x ${VARIANTS} variants (${2 * metricCount + 1} goal columns) (report)`,
      value: time,
      unit: 'ms/evaluation',
    });
  }
  return results;
}
