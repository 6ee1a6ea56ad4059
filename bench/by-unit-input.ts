/** The experiment and the inputs of the by-unit benchmarks, in every input shape `evaluateByUnit` accepts. */
import type { UnitGoalRow, UnitGoals } from '../src/index.js';
import { library } from './library.js';

const { Experiment, Metric, SrmCheck } = library;

const unitType = 'u';
const denominator = 'count(u.unit.exposure)';

/** Two metrics (one winsorized, with a compound nominator) and an SRM check over 3 goals per unit. */
export const experiment = new Experiment({
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

/**
 * Input shapes: column arrays (text columns as arrays of strings, numbers as `Float64Array`) with unit ids
 * as strings, as a `Float64Array` or as a `BigInt64Array`; or row objects with string or number unit ids.
 */
export const SHAPES = [
  'columns, string ids',
  'columns, Float64Array ids',
  'columns, BigInt64Array ids',
  'rows, string ids',
  'rows, number ids',
] as const;
export type Shape = (typeof SHAPES)[number];

/** Every unit has an exposure, a conversion and a refund row, in this order; units alternate variants. */
export function unitGoals(unitCount: number, shape: Shape): UnitGoals {
  const n = unitCount * 3;
  const variant = new Array<string>(n);
  const goal = new Array<string>(n);
  const stringIds = shape.includes('string') ? new Array<string>(n) : undefined;
  const numberIds = new Float64Array(n);
  const count = new Float64Array(n);
  const sumValue = new Float64Array(n);
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const names = ['exposure', 'conversion', 'refund'];
  for (let unit = 0; unit < unitCount; unit++) {
    const id = String(unit);
    for (let g = 0; g < 3; g++) {
      const row = unit * 3 + g;
      variant[row] = unit % 2 === 0 ? 'a' : 'b';
      goal[row] = names[g]!;
      if (stringIds !== undefined) stringIds[row] = id;
      numberIds[row] = unit;
      count[row] = 1;
      sumValue[row] = g === 0 ? 1 : Math.floor(random() * 100);
    }
  }
  if (shape.startsWith('rows')) {
    return Array.from(
      { length: n },
      (_, row): UnitGoalRow => ({
        exp_variant_id: variant[row]!,
        unit_type: unitType,
        agg_type: 'unit',
        goal: goal[row]!,
        unit_id: stringIds?.[row] ?? numberIds[row]!,
        count: count[row]!,
        sum_value: sumValue[row]!,
      }),
    );
  }
  return {
    exp_variant_id: variant,
    unit_type: new Array<string>(n).fill(unitType),
    agg_type: new Array<string>(n).fill('unit'),
    goal,
    unit_id:
      stringIds ?? (shape.includes('BigInt64Array') ? BigInt64Array.from(numberIds, BigInt) : numberIds),
    count,
    sum_value: sumValue,
  };
}
