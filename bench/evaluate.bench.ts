/**
 * Benchmarks of the evaluation: expression evaluation over a goal table and `Experiment.evaluateAgg`.
 */
import type { AggregatedGoalRow } from '../src/index.js';
import { LIBRARY_LABEL, library } from './library.js';
import { type Measurement, meanMilliseconds, medianMilliseconds, withGoal } from './measure.js';

const { AggregatedGoalTable, Experiment, evaluateAggregated, Metric, SrmCheck } = library;

/** A synthetic experiment: metric i reads goal `g<i>` (every third one also a dimensional and a compound). */
export function syntheticExperiment(metricCount: number, variantCount: number) {
  const metrics = Array.from({ length: metricCount }, (_, i) => {
    const nominator =
      i % 3 === 0
        ? `value(u.unit.g${i}) - value(u.unit.g${i}(product=p_1))`
        : i % 3 === 1
          ? `count(u.unit.g${i}(element=^button))`
          : `value(u.unit.g${i})`;
    return new Metric({ id: i, name: `Metric ${i}`, nominator, denominator: 'count(u.global.exposure)' });
  });
  const variants = Array.from({ length: variantCount }, (_, v) => `v${String(v).padStart(2, '0')}`);
  const experiment = new Experiment({
    id: 'bench',
    controlVariant: variants[0]!,
    unitType: 'u',
    metrics,
    checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' })],
  });
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const rows: AggregatedGoalRow[] = [];
  for (const variant of variants) {
    for (const goal of experiment.goals) {
      const count = 1000 + Math.floor(random() * 100);
      const sum = count * (1 + random());
      const dimensions = Object.fromEntries(goal.dimensions.map((d) => [d.name, d.storedValue]));
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
    }
  }
  return { experiment, rows, variants };
}

/** `npm run bench` entry: evaluation of expressions and of whole experiments. */
export function runEvaluateBench(): Measurement[] {
  const results: Measurement[] = [];

  const { experiment, rows, variants } = syntheticExperiment(1000, 5);
  const table = AggregatedGoalTable.fromRows(rows, {
    variants,
    goals: experiment.goals,
    dimensions: experiment.dimensions,
  });
  const tableMs = meanMilliseconds(
    () =>
      AggregatedGoalTable.fromRows(rows, {
        variants,
        goals: experiment.goals,
        dimensions: experiment.dimensions,
      }),
    5,
    50,
  );
  results.push({
    name: `goal table build, ${rows.length} rows (1,000 metrics x 5 variants)`,
    value: tableMs,
    unit: 'ms',
  });
  const expressionsMs = meanMilliseconds(
    () => {
      for (const metric of experiment.metrics) {
        evaluateAggregated(metric.nominatorExpression, table);
        evaluateAggregated(metric.denominatorExpression, table);
      }
    },
    5,
    50,
  );
  results.push({
    name: 'evaluate 1,000 metric expression pairs over 5 variants',
    value: expressionsMs,
    unit: 'ms',
  });

  // Goals of issue "performance and scale-out": medians of warm runs of the bundled library.
  for (const [metricCount, variantCount, goalMs] of [
    [1, 2, 0.2],
    [100, 5, 3],
    [1000, 10, 20],
  ] as const) {
    const synthetic = syntheticExperiment(metricCount, variantCount);
    const iterations = Math.max(1, Math.round(2_000 / synthetic.rows.length));
    const ms = medianMilliseconds(() => synthetic.experiment.evaluateAgg(synthetic.rows), 31, iterations);
    const label = `evaluateAgg ${metricCount} metrics x ${variantCount} variants (${synthetic.rows.length} rows, median, ${LIBRARY_LABEL})`;
    results.push({ name: withGoal(label, ms, goalMs, 'ms'), value: ms, unit: 'ms/evaluation' });
    results.push({ name: `${label} throughput`, value: synthetic.rows.length / (ms / 1000), unit: 'rows/s' });
  }
  return results;
}
