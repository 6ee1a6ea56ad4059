/**
 * Compound nominators `a - b` (net revenue: conversions minus refunds): the variance that goals summed per
 * variant imply, against the variance of the per-unit net values.
 *
 * `evaluateAgg` sees each goal summed per variant. For `value(u.unit.conversion) - value(u.unit.refund)` it
 * takes `sum_value = sum a - sum b` and, because `evaluateAggregated` applies `-` to the goals' squared sums
 * too, `sum_sqr_value = sum a^2 - sum b^2`. The squares of the per-unit net values sum to
 * `sum (a - b)^2 = sum a^2 - 2 sum ab + sum b^2`, so the goal-level sum of squares exceeds the exact one by
 * `2 sum ab - 2 sum b^2 = 2 sum b (a - b)`: never negative while `0 <= b <= a` for every unit, and large when
 * a refund is a share of its conversion. `evaluateByUnit` forms `a - b` per unit before squaring: exact.
 *
 * Checked twice: on a small hand-made data set to the last digits, and by simulation of seeded A/A
 * experiments (the table of docs/statistics.md, "Compound metrics: why by-unit variances are exact").
 */
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  Experiment,
  Metric,
  type MetricRow,
  type UnitGoals,
} from '../../src/index.js';
import { binomialBand } from '../calibration/binomial-band.js';
import { standardNormal, uniform } from '../support/uniform.js';

const experiment = new Experiment({
  id: 'e',
  controlVariant: 'a',
  unitType: 'u',
  variants: ['a', 'b'],
  metrics: [
    new Metric({
      id: 1,
      name: 'Net revenue',
      nominator: 'value(u.unit.conversion) - value(u.unit.refund)',
      denominator: 'count(u.unit.exposure)',
    }),
  ],
});

/** One unit: its conversion value `a` and refund value `b` (`undefined` for a unit without the goal). */
interface Unit {
  readonly conversion?: number;
  readonly refund?: number;
}

/** Unit goal rows in columns (one event per row), as a warehouse would return them for `evaluateByUnit`. */
class UnitColumns {
  readonly #variant: string[] = [];
  readonly #goal: string[] = [];
  readonly #unitId: number[] = [];
  readonly #value: number[] = [];

  push(variant: string, unitId: number, goal: string, value: number): void {
    this.#variant.push(variant);
    this.#goal.push(goal);
    this.#unitId.push(unitId);
    this.#value.push(value);
  }

  goals(): UnitGoals {
    const length = this.#goal.length;
    return {
      exp_id: new Array<string>(length).fill('e'),
      exp_variant_id: this.#variant,
      unit_type: new Array<string>(length).fill('u'),
      agg_type: new Array<string>(length).fill('unit'),
      goal: this.#goal,
      unit_id: Float64Array.from(this.#unitId),
      count: new Float64Array(length).fill(1),
      sum_value: Float64Array.from(this.#value),
    };
  }
}

/** Per-variant sums of one goal over the units that have it (one event each). */
interface GoalSums {
  count: number;
  sum: number;
  sumSquares: number;
}

const emptySums = (): GoalSums => ({ count: 0, sum: 0, sumSquares: 0 });

function addTo(sums: GoalSums, value: number): void {
  sums.count += 1;
  sums.sum += value;
  sums.sumSquares += value * value;
}

/** The aggregated goal rows of one variant: exposures (global and unit), conversions and refunds. */
function aggregatedRows(variant: string, units: number, conversion: GoalSums, refund: GoalSums) {
  const row = (aggType: string, goal: string, sums: GoalSums): AggregatedGoalRow => ({
    exp_id: 'e',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: aggType,
    goal,
    count: sums.count,
    sum_sqr_count: sums.count,
    sum_value: sums.sum,
    sum_sqr_value: sums.sumSquares,
    count_unique: sums.count,
  });
  const exposure = { count: units, sum: units, sumSquares: units };
  return [
    row('global', 'exposure', exposure),
    row('unit', 'exposure', exposure),
    row('unit', 'conversion', conversion),
    row('unit', 'refund', refund),
  ];
}

/** Both inputs of the same units of variants `a` and `b`: unit goal rows and goals summed per variant. */
function goalData(arms: Readonly<Record<'a' | 'b', readonly Unit[]>>) {
  const columns = new UnitColumns();
  const rows: AggregatedGoalRow[] = [];
  let unitId = 0;
  for (const variant of ['a', 'b'] as const) {
    const conversion = emptySums();
    const refund = emptySums();
    for (const unit of arms[variant]) {
      columns.push(variant, unitId, 'exposure', 1);
      if (unit.conversion !== undefined) {
        columns.push(variant, unitId, 'conversion', unit.conversion);
        addTo(conversion, unit.conversion);
      }
      if (unit.refund !== undefined) {
        columns.push(variant, unitId, 'refund', unit.refund);
        addTo(refund, unit.refund);
      }
      unitId++;
    }
    rows.push(...aggregatedRows(variant, arms[variant].length, conversion, refund));
  }
  return { unitGoals: columns.goals(), aggregatedGoals: rows };
}

/** Evaluates the same units both ways; returns the metric rows of `a` and `b` of each. */
function evaluateBothWays(arms: Readonly<Record<'a' | 'b', readonly Unit[]>>) {
  const { unitGoals, aggregatedGoals } = goalData(arms);
  const byUnit = experiment.evaluateByUnit(unitGoals, { timestamp: 0 }).metrics;
  const goalLevel = experiment.evaluateAgg(aggregatedGoals, { timestamp: 0 }).metrics;
  expect(byUnit.map((row) => row.expVariantId)).toEqual(['a', 'b']);
  expect(goalLevel.map((row) => row.expVariantId)).toEqual(['a', 'b']);
  return { byUnit: byUnit as [MetricRow, MetricRow], goalLevel: goalLevel as [MetricRow, MetricRow] };
}

const netOf = (unit: Unit) => (unit.conversion ?? 0) - (unit.refund ?? 0);

function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Sample variance (divisor `length - 1`), two passes. */
function sampleVariance(values: ArrayLike<number>): number {
  const mean = meanOf(values);
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return squares / (values.length - 1);
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Variance of a row's mean as the evaluation reports it: `std^2 / count`. */
const varianceOfMean = (row: MetricRow) => row.std ** 2 / row.count;

describe('compound metric a - b: exact per-unit variance against goal sums (hand-made data)', () => {
  // Integer values, so that every sum below is exact in floating point. Unit (a, b); a unit without a goal
  // has no row of it. Net values x = a - b: variant a 0, 6, 8, 8, 15; variant b 6, 0, 15, 5, 10, 0.
  const arms: Record<'a' | 'b', Unit[]> = {
    a: [
      {},
      { conversion: 10, refund: 4 },
      { conversion: 20, refund: 12 },
      { conversion: 8 },
      { conversion: 30, refund: 15 },
    ],
    b: [
      { conversion: 12, refund: 6 },
      {},
      { conversion: 25, refund: 10 },
      { conversion: 5 },
      { conversion: 40, refund: 30 },
      { conversion: 3, refund: 3 },
    ],
  };

  it('by unit: the sample standard deviation of the per-unit net values', () => {
    const { byUnit } = evaluateBothWays(arms);
    for (const row of byUnit) {
      const net = arms[row.expVariantId as 'a' | 'b'].map(netOf);
      // Variant a: mean 37 / 5 = 7.4, sum of squared deviations 389 - 37^2 / 5 = 115.2, variance 28.8.
      expect(row.count).toBe(net.length);
      expect(relativeError(row.mean, meanOf(net))).toBeLessThan(1e-12);
      expect(relativeError(row.std, Math.sqrt(sampleVariance(net)))).toBeLessThan(1e-12);
    }
    expect(relativeError(byUnit[0].std, Math.sqrt(28.8))).toBeLessThan(1e-12);
  });

  it('by goal sums: the squared sums of a - b are sum a^2 - sum b^2, dropping the cross term', () => {
    const { byUnit, goalLevel } = evaluateBothWays(arms);
    for (const [index, row] of goalLevel.entries()) {
      const units = arms[row.expVariantId as 'a' | 'b'];
      const n = units.length;
      const sum = (f: (a: number, b: number) => number) =>
        units.reduce((total, unit) => total + f(unit.conversion ?? 0, unit.refund ?? 0), 0);
      // evaluateAggregated: sum_value = sum a - sum b; sum_sqr_value = sum a^2 - sum b^2 (`-` applied to the
      // goals' squared sums); count = n. The moments of docs/statistics.md then give
      //   var_goal = (sum a^2 - sum b^2 - (sum a - sum b)^2 / n) / (n - 1).
      // The exact sum of squares is sum (a - b)^2 = sum a^2 - 2 sum ab + sum b^2, so
      //   sum a^2 - sum b^2 = sum (a - b)^2 + 2 sum b (a - b)   and
      //   var_goal = var_exact + 2 sum b (a - b) / (n - 1).
      // Variant a: sum a^2 = 1464, sum b^2 = 385, sum a - sum b = 37: var_goal = (1079 - 273.8) / 4 = 201.3;
      // 2 sum b (a - b) = 2 (4 * 6 + 12 * 8 + 15 * 15) = 690 and 28.8 + 690 / 4 = 201.3.
      const sumValue = sum((a, b) => a - b);
      const goalVariance = (sum((a) => a * a) - sum((_, b) => b * b) - sumValue ** 2 / n) / (n - 1);
      const crossTerm = 2 * sum((a, b) => b * (a - b));
      expect(row.count).toBe(n);
      expect(relativeError(row.mean, sumValue / n)).toBeLessThan(1e-12);
      expect(relativeError(row.std, Math.sqrt(goalVariance))).toBeLessThan(1e-12);
      expect(relativeError(row.std ** 2, byUnit[index]!.std ** 2 + crossTerm / (n - 1))).toBeLessThan(1e-12);
    }
    expect(relativeError(goalLevel[0].std, Math.sqrt(201.3))).toBeLessThan(1e-12);
  });

  it('reports the interval of the absolute difference from std^2 / count of both rows', () => {
    const { byUnit } = evaluateBothWays(arms);
    const [control, treatment] = byUnit;
    // se_abs = sqrt(std_a^2 / n_a + std_b^2 / n_b); half-width = se_abs * t quantile, the quantile being the
    // one of the relative interval (confidenceInterval / standardError).
    const standardError = Math.sqrt(varianceOfMean(control) + varianceOfMean(treatment));
    const quantile = treatment.confidenceInterval / treatment.standardError;
    const halfWidth = (treatment.absoluteDiffUpper - treatment.absoluteDiffLower) / 2;
    expect(relativeError(halfWidth, standardError * quantile)).toBeLessThan(1e-12);
  });
});

/**
 * Simulated A/A experiments. Per unit: a conversion with probability 0.3, of value
 * `a = 50 exp(0.5 Z)`; a converted unit asks for a refund with probability 0.5, of value
 * `b = min(a, max(0, 0.6 a + 5 Z'))` (`Z`, `Z'` standard normal): `0 <= b <= a` and b follows a closely.
 */
const EXPERIMENTS = 5_000;
const UNITS_PER_ARM = 500;
const SEED = 20_260_311;
const CONVERSION_RATE = 0.3;
const REFUND_RATE = 0.5;
const REFUND_SHARE = 0.6;
const REFUND_NOISE = 5;

function drawArm(random: () => number): Unit[] {
  return Array.from({ length: UNITS_PER_ARM }, (): Unit => {
    if (random() >= CONVERSION_RATE) return {};
    const conversion = 50 * Math.exp(0.5 * standardNormal(random));
    if (random() >= REFUND_RATE) return { conversion };
    const refund = Math.min(
      conversion,
      Math.max(0, REFUND_SHARE * conversion + REFUND_NOISE * standardNormal(random)),
    );
    return { conversion, refund };
  });
}

/**
 * `mean(estimates) / sampleVariance(draws)`, the average variance an evaluation reports over the variance
 * the draws show, with its standard error. With `d_j = (draw_j - mean)^2 N / (N - 1)` the ratio is
 * `r = mean(v) / mean(d)`, a ratio of two means over the N replications, whose first-order (delta-method)
 * variance is `sum (v_j - r d_j)^2 / (N (N - 1)) / mean(d)^2` (the shared mean of the draws is an O(1 / N)
 * correction). It includes the spread of the estimates and their correlation with the squared deviations.
 */
function varianceRatio(estimates: Float64Array, draws: Float64Array) {
  const n = draws.length;
  const center = meanOf(draws);
  const squares = draws.map((draw) => ((draw - center) ** 2 * n) / (n - 1));
  const ratio = meanOf(estimates) / meanOf(squares);
  let residuals = 0;
  for (let j = 0; j < n; j++) residuals += (estimates[j]! - ratio * squares[j]!) ** 2;
  const standardError = Math.sqrt(residuals / (n * (n - 1))) / meanOf(squares);
  return { empirical: meanOf(squares), estimate: meanOf(estimates), ratio, standardError };
}

/** `z` of the two-sided 99.9 % normal band. */
const Z_999 = 3.2905;

const percent = (value: number, digits = 1) => `${(100 * value).toFixed(digits)} %`;

/** Lines of a Markdown table of text cells, the first row its header, every column padded to its widest cell. */
function textTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(rows[0]!), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(1).map(line)];
}

describe('compound metric a - b by simulation (A/A, refunds a share of their conversion)', () => {
  it('by unit, the variance estimate matches the empirical variance and the interval covers; by goal sums it overstates', () => {
    const random = uniform(SEED);
    const armCount = 2 * EXPERIMENTS;
    const armMeans = new Float64Array(armCount);
    const armUnitVariance = new Float64Array(armCount);
    const armGoalVariance = new Float64Array(armCount);
    const differences = new Float64Array(EXPERIMENTS);
    const differenceUnitVariance = new Float64Array(EXPERIMENTS);
    const differenceGoalVariance = new Float64Array(EXPERIMENTS);
    let unitCovered = 0;
    let goalCovered = 0;
    let goalBelowUnit = 0;
    let meansDisagree = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const { byUnit, goalLevel } = evaluateBothWays({ a: drawArm(random), b: drawArm(random) });
      for (let v = 0; v < 2; v++) {
        const unitRow = byUnit[v]!;
        const goalRow = goalLevel[v]!;
        armMeans[2 * e + v] = unitRow.mean;
        armUnitVariance[2 * e + v] = varianceOfMean(unitRow);
        armGoalVariance[2 * e + v] = varianceOfMean(goalRow);
        if (relativeError(goalRow.mean, unitRow.mean) > 1e-12) meansDisagree++;
        // 0 <= b <= a per unit: the dropped 2 sum b (a - b) is never negative (the tolerance is rounding).
        if (goalRow.std < unitRow.std * (1 - 1e-12)) goalBelowUnit++;
      }
      // The difference of the means, its variance reported as se_abs^2 = std_a^2 / n_a + std_b^2 / n_b.
      differences[e] = byUnit[1].absoluteDiff;
      differenceUnitVariance[e] = varianceOfMean(byUnit[0]) + varianceOfMean(byUnit[1]);
      differenceGoalVariance[e] = varianceOfMean(goalLevel[0]) + varianceOfMean(goalLevel[1]);
      // A/A: the true difference is 0.
      if (byUnit[1].absoluteDiffLower <= 0 && 0 <= byUnit[1].absoluteDiffUpper) unitCovered++;
      if (goalLevel[1].absoluteDiffLower <= 0 && 0 <= goalLevel[1].absoluteDiffUpper) goalCovered++;
    }
    const armUnit = varianceRatio(armUnitVariance, armMeans);
    const armGoal = varianceRatio(armGoalVariance, armMeans);
    const differenceUnit = varianceRatio(differenceUnitVariance, differences);
    const differenceGoal = varianceRatio(differenceGoalVariance, differences);
    const band = binomialBand(EXPERIMENTS, 0.95, 0.999);
    const unitCoverage = unitCovered / EXPERIMENTS;
    const goalCoverage = goalCovered / EXPERIMENTS;

    const cells = (ratio: ReturnType<typeof varianceRatio>) => [
      ratio.estimate.toFixed(4),
      `${ratio.ratio.toFixed(3)} ± ${ratio.standardError.toFixed(3)}`,
    ];
    const table = [
      ['', 'empirical', 'by unit', 'ratio ± se', 'goal sums', 'ratio ± se'],
      ['variance of an arm mean', armUnit.empirical.toFixed(4), ...cells(armUnit), ...cells(armGoal)],
      [
        'variance of the difference of means',
        differenceUnit.empirical.toFixed(4),
        ...cells(differenceUnit),
        ...cells(differenceGoal),
      ],
      [
        'coverage of the 95 % interval of the difference',
        '',
        percent(unitCoverage, 2),
        '',
        percent(goalCoverage, 2),
        '',
      ],
    ];
    console.info(
      [
        `Compound metric value(conversion) - value(refund) per unit, ${EXPERIMENTS.toLocaleString('en')} A/A experiments of 2 x ${UNITS_PER_ARM} units (seed ${SEED}):`,
        ...textTable(table),
        `99.9 % binomial band of the coverage: [${percent(band.lower / EXPERIMENTS, 2)}, ${percent(band.upper / EXPERIMENTS, 2)}]`,
      ].join('\n'),
    );

    expect(meansDisagree).toBe(0);
    // By unit: the ratio of the average reported variance to the empirical variance is 1 up to simulation
    // noise. Its standard error (varianceRatio) is about sqrt((2 + k / n + c) / N) for N replications:
    // the empirical variance of N draws of a nearly normal mean has relative variance 2 / (N - 1) (a
    // chi-square with N - 1 degrees of freedom over N - 1), plus k / (n N) for the excess kurtosis k of a
    // mean of n units (k ~ 11 for x here, so k / n ~ 0.02); each std^2 / n estimate has relative variance
    // c = 2 / (n - 1) + k / n ~ 0.026, averaged over the N replications. For N = 10,000 arm means that is
    // sqrt(2.05 / 10,000) = 0.0143, and the two-sided 99.9 % band (z = 3.29) is +-4.7 %: inside +-5 %.
    // For the N = 5,000 differences of means (k and c halve), sqrt(2.02 / 5,000) = 0.020, +-6.6 %: inside
    // +-7 %. The standard errors measured on the data confirm these bounds before the ratios are held to them.
    expect(Z_999 * armUnit.standardError).toBeLessThan(0.05);
    expect(Math.abs(armUnit.ratio - 1)).toBeLessThan(0.05);
    expect(Z_999 * differenceUnit.standardError).toBeLessThan(0.07);
    expect(Math.abs(differenceUnit.ratio - 1)).toBeLessThan(0.07);
    // By goal sums: an overestimate in every arm of every experiment (the dropped term is >= 0 here), and
    // on average by more than 30 %, six times the +-5 % the simulation can resolve. With these parameters
    // (4,000,000 units drawn once) E[x] = 11.9, E[x^2] = 719 and E[a^2 - b^2] = 1,008 per unit, so
    // Var(x) = 578 against 866 by goal sums: +50 %.
    expect(goalBelowUnit).toBe(0);
    expect(armGoal.ratio).toBeGreaterThan(1.3);
    expect(differenceGoal.ratio).toBeGreaterThan(1.3);
    // Coverage by unit: within the exact central 99.9 % band of Binomial(5,000, 0.95), [93.9 %, 96.0 %]
    // approximately (0.95 +- 3.29 sqrt(0.95 * 0.05 / 5,000)). In A/A the difference of two means of the same
    // distribution is symmetric, so the skewness of x does not tilt the interval.
    expect(unitCovered).toBeGreaterThanOrEqual(band.lower);
    expect(unitCovered).toBeLessThanOrEqual(band.upper);
    // Goal sums: only reported; its intervals are wider, so it covers at least as often.
    expect(goalCoverage).toBeGreaterThanOrEqual(unitCoverage);
    expect(goalCoverage).toBeLessThanOrEqual(1);
  });
});
