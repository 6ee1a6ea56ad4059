/** Benchmarks of by-unit evaluation: 10,000 and 1,000,000 units with 3 goals each, columnar input. */
import { Experiment, Metric, SrmCheck, type UnitGoals } from '../src/index.js';
import { type Measurement, meanMilliseconds } from './measure.js';

const unitType = 'u';
const denominator = 'count(u.unit.exposure)';
const experiment = new Experiment({
  id: 'bench',
  controlVariant: 'a',
  unitType,
  metrics: [
    new Metric({ id: 1, name: 'Revenue', nominator: 'value(u.unit.conversion)', denominator }),
    new Metric({
      id: 2,
      name: 'Net revenue',
      nominator: 'value(u.unit.conversion) - value(u.unit.refund)',
      denominator,
      outlierUpperPercentile: 1,
    }),
  ],
  checks: [new SrmCheck({ id: 1, name: 'SRM', denominator })],
});

/** Columnar rows: every unit has an exposure, a conversion and a refund row. */
function unitColumns(unitCount: number): UnitGoals {
  const n = unitCount * 3;
  const variant = new Array<string>(n);
  const goal = new Array<string>(n);
  const unitId = new Array<string>(n);
  const count = new Float64Array(n);
  const sumValue = new Float64Array(n);
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let unit = 0; unit < unitCount; unit++) {
    const v = unit % 2 === 0 ? 'a' : 'b';
    ['exposure', 'conversion', 'refund'].forEach((name, g) => {
      const row = unit * 3 + g;
      variant[row] = v;
      goal[row] = name;
      unitId[row] = String(unit);
      count[row] = 1;
      sumValue[row] = name === 'exposure' ? 1 : Math.floor(random() * 100);
    });
  }
  return {
    exp_variant_id: variant,
    unit_type: new Array<string>(n).fill(unitType),
    agg_type: new Array<string>(n).fill('unit'),
    goal,
    unit_id: unitId,
    count,
    sum_value: sumValue,
  };
}

/** `npm run bench` entry. */
export function runByUnitBench(): Measurement[] {
  const results: Measurement[] = [];
  for (const [unitCount, iterations] of [
    [10_000, 20],
    [1_000_000, 3],
  ] as const) {
    const goals = unitColumns(unitCount);
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const ms = meanMilliseconds(() => experiment.evaluateByUnit(goals), 1, iterations);
    const after = process.memoryUsage().heapUsed;
    results.push({
      name: `evaluateByUnit ${unitCount.toLocaleString('en')} units x 3 goals`,
      value: ms,
      unit: 'ms',
    });
    results.push({
      name: `evaluateByUnit ${unitCount.toLocaleString('en')} units: heap growth over the runs`,
      value: (after - before) / 1024 / 1024,
      unit: 'MB',
    });
  }
  return results;
}
