import { type AggregatedGoalRow, Experiment, Metric } from '../../src/index.js';
import { SeededRandom } from '../../src/sql/seeded-random.js';

/**
 * Simulated A/A and A/B experiments run through the public API (`Experiment.evaluateAgg`), to measure the
 * false positive rate and the interval coverage of the test. Shared by the calibration tests and
 * `scripts/calibration-table.ts`, which prints the table of docs/statistics.md (section Calibration).
 */

/**
 * Kind of simulated metric, each over `count(u.global.exposure)` (units):
 * - `binary`: 0/1 per unit (a conversion with probability `rate`), drawn as the per-variant count of
 *   successes (exact: the sum of squares of 0/1 values is their sum).
 * - `lognormal`: a continuous skewed value per unit, `exp(Z)` with `Z` standard normal (skewness 6.2),
 *   drawn per unit.
 * - `net-revenue`: `value(u.unit.conversion) - value(u.unit.refund)`: a unit purchases with probability
 *   `rate` for `exp(Z)`, and a purchase is refunded in full with probability 0.2; drawn per purchase (a full
 *   refund makes the goal's squared sums exact: `x^2 - x^2 = (x - x)^2`).
 */
export type MetricKind = 'binary' | 'lognormal' | 'net-revenue';

/** One simulated setting: a metric kind, a design and the number of simulated experiments. */
export interface CalibrationSetting {
  readonly metric: MetricKind;
  /** Variants including the control. */
  readonly variants: number;
  readonly unitsPerVariant: number;
  /** Conversion (binary) or purchase (net revenue) probability per unit; unused for `lognormal`. */
  readonly rate: number;
  /**
   * With more than two variants: `true` evaluates all variants together (Holm-Bonferroni applies),
   * `false` evaluates each treatment against the control alone (no correction).
   */
  readonly holm: boolean;
  /** Evaluated on day 8 of a 10-day experiment (O'Brien-Fleming level 0.9716 for 0.95). */
  readonly sequential: boolean;
  /** Every treatment's true mean over the control's (1 for an A/A test). */
  readonly lift: number;
  readonly experiments: number;
  readonly seed: number;
}

/** Counts over the simulated experiments of one setting. */
export interface CalibrationResult {
  readonly setting: CalibrationSetting;
  /** Confidence level the evaluation used (after the sequential adjustment). */
  readonly confidenceLevel: number;
  /** Per treatment comparison: experiments with `pValue < 1 - confidenceLevel`. */
  readonly rejections: readonly number[];
  /** Per treatment comparison: experiments whose interval contains the true relative difference. */
  readonly covered: readonly number[];
  /** Experiments where some comparison rejected. */
  readonly familyRejections: number;
  /** Experiments where every interval contains the true relative difference. */
  readonly familyCovered: number;
}

/** Probability that a purchase is refunded in full (`net-revenue`). */
const REFUND_PROBABILITY = 0.2;
const DATES = { dateFrom: '2024-01-01', dateTo: '2024-01-10', dateFor: '2024-01-08' } as const;
const NOMINATORS: Record<MetricKind, string> = {
  binary: 'count(u.unit.conversion)',
  lognormal: 'value(u.unit.time)',
  'net-revenue': 'value(u.unit.conversion) - value(u.unit.refund)',
};

/** Sums of one goal of one variant. */
interface GoalSums {
  count: number;
  sum: number;
  sumSquares: number;
}

/** Variant ids: `a` (the control), `b`, `c`, ... */
export function variantIds(count: number): string[] {
  return Array.from({ length: count }, (_, v) => String.fromCharCode(97 + v));
}

/** The experiment of a setting, over the given variants. */
function experimentOf(setting: CalibrationSetting, variants: readonly string[]): Experiment {
  return new Experiment({
    id: 'calibration',
    controlVariant: 'a',
    unitType: 'u',
    variants,
    ...(setting.sequential ? DATES : {}),
    metrics: [
      new Metric({
        id: 1,
        name: setting.metric,
        nominator: NOMINATORS[setting.metric],
        denominator: 'count(u.global.exposure)',
      }),
    ],
  });
}

function goalRow(variant: string, aggType: string, goal: string, sums: GoalSums): AggregatedGoalRow {
  return {
    exp_id: 'calibration',
    exp_variant_id: variant,
    unit_type: 'u',
    agg_type: aggType,
    goal,
    count: sums.count,
    sum_sqr_count: sums.count,
    sum_value: sums.sum,
    sum_sqr_value: sums.sumSquares,
    count_unique: sums.count,
  };
}

/**
 * Fills `values[0..count)` with log-normal draws `exp(Z)`, `Z` standard normal by Box-Muller (both values
 * of each pair used), and returns `values`.
 */
function logNormals(values: Float64Array, count: number, random: SeededRandom): Float64Array {
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
    const angle = 2 * Math.PI * random.next();
    values[i] = Math.exp(radius * Math.cos(angle));
    values[i + 1] = Math.exp(radius * Math.sin(angle));
  }
  return values;
}

/**
 * Successes among `trials` Bernoulli(`probability`) draws, by skipping geometric gaps: the failures before
 * each success are `floor(log(U) / log(1 - p))`, so the cost is one uniform per success.
 */
function successCount(trials: number, probability: number, random: SeededRandom): number {
  const logFailure = Math.log1p(-probability);
  let successes = 0;
  for (let position = 0; ; successes++) {
    position += Math.floor(Math.log(1 - random.next()) / logFailure) + 1;
    if (position > trials) return successes;
  }
}

/** The goal rows of one variant whose true mean is `scale` times the control's. */
function variantRows(
  setting: CalibrationSetting,
  variant: string,
  scale: number,
  random: SeededRandom,
): AggregatedGoalRow[] {
  const n = setting.unitsPerVariant;
  const values = new Float64Array(n + 1);
  const rows = [goalRow(variant, 'global', 'exposure', { count: n, sum: n, sumSquares: n })];
  if (setting.metric === 'binary') {
    const conversions = successCount(n, setting.rate * scale, random);
    rows.push(
      goalRow(variant, 'unit', 'conversion', {
        count: conversions,
        sum: conversions,
        sumSquares: conversions,
      }),
    );
  } else if (setting.metric === 'lognormal') {
    const time = { count: n, sum: 0, sumSquares: 0 };
    logNormals(values, n, random);
    for (let unit = 0; unit < n; unit++) {
      const x = scale * values[unit]!;
      time.sum += x;
      time.sumSquares += x * x;
    }
    rows.push(goalRow(variant, 'unit', 'time', time));
  } else {
    const conversion = { count: 0, sum: 0, sumSquares: 0 };
    const refund = { count: 0, sum: 0, sumSquares: 0 };
    const purchases = successCount(n, setting.rate, random);
    logNormals(values, purchases, random);
    for (let purchase = 0; purchase < purchases; purchase++) {
      const x = scale * values[purchase]!;
      conversion.count++;
      conversion.sum += x;
      conversion.sumSquares += x * x;
      if (random.next() < REFUND_PROBABILITY) {
        refund.count++;
        refund.sum += x;
        refund.sumSquares += x * x;
      }
    }
    rows.push(goalRow(variant, 'unit', 'conversion', conversion), goalRow(variant, 'unit', 'refund', refund));
  }
  return rows;
}

/**
 * Simulates `setting.experiments` experiments and counts rejections and covering intervals.
 *
 * @remarks
 * Treatments get the true mean `lift` times the control's, so the true relative difference is `lift - 1`.
 * A comparison rejects when its (Holm-adjusted) p-value is below `1 - confidenceLevel`; its interval is
 * `[confidenceLower, confidenceUpper]`.
 */
export function simulateSetting(setting: CalibrationSetting): CalibrationResult {
  const variants = variantIds(setting.variants);
  const treatments = variants.slice(1);
  const random = new SeededRandom(setting.seed);
  const truth = setting.lift - 1;
  const together = setting.holm || setting.variants === 2;
  const joint = experimentOf(setting, variants);
  const pairs = new Map(treatments.map((t) => [t, experimentOf(setting, ['a', t])]));
  const rejections = treatments.map(() => 0);
  const covered = treatments.map(() => 0);
  let familyRejections = 0;
  let familyCovered = 0;
  let confidenceLevel = Number.NaN;

  for (let e = 0; e < setting.experiments; e++) {
    const rows = new Map(
      variants.map((v, i) => [v, variantRows(setting, v, i === 0 ? 1 : setting.lift, random)]),
    );
    const evaluations = together
      ? [joint.evaluateAgg([...rows.values()].flat())]
      : treatments.map((t) => pairs.get(t)!.evaluateAgg([...rows.get('a')!, ...rows.get(t)!]));
    let anyRejected = false;
    let allCovered = true;
    for (const evaluation of evaluations) {
      confidenceLevel = evaluation.confidenceLevel;
      for (const row of evaluation.metrics) {
        if (row.expVariantId === 'a') continue;
        const k = treatments.indexOf(row.expVariantId);
        if (row.pValue < 1 - evaluation.confidenceLevel) {
          rejections[k]!++;
          anyRejected = true;
        }
        if (row.confidenceLower <= truth && truth <= row.confidenceUpper) covered[k]!++;
        else allCovered = false;
      }
    }
    if (anyRejected) familyRejections++;
    if (allCovered) familyCovered++;
  }
  return { setting, confidenceLevel, rejections, covered, familyRejections, familyCovered };
}

/**
 * Expected effective units `sum^2 / sum of squares` per variant of the control (`src/experiment/small-sample.ts`):
 * `n p` for binary, `n E[x]^2 / E[x^2] = n / e` for log-normal, `n q (1 - r) / e` for net revenue (purchase
 * probability `q`, refund probability `r`).
 */
export function expectedEffectiveUnits(setting: CalibrationSetting): number {
  const n = setting.unitsPerVariant;
  if (setting.metric === 'binary') return n * setting.rate;
  if (setting.metric === 'lognormal') return n / Math.E;
  return (n * setting.rate * (1 - REFUND_PROBABILITY)) / Math.E;
}
