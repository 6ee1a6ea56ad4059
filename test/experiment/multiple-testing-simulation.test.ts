/**
 * The correction for multiple testing by simulation: seeded reports of 40 metrics x 3 treatments evaluated
 * with `Experiment.evaluateMetricSums`, each replicate once per `correction` / `correctionScope`. Checked: the
 * report-wide family-wise error rate of Holm and Bonferroni with scope 'report' stays within the binomial
 * band of alpha while it is far above alpha without a correction (and with the per-metric default); with
 * true effects on a quarter of the metrics, Benjamini-Hochberg's false discovery rate stays below alpha.
 * The table printed is the one of docs/statistics.md, "Multiple testing across the report".
 */
import { describe, expect, it } from 'vitest';
import {
  type CorrectionScope,
  type Evaluation,
  Experiment,
  type MetricSumsRow,
  type MultipleTestingCorrection,
} from '../../src/index.js';
import { binomialBand } from '../calibration/binomial-band.js';
import { standardNormal, uniform } from '../support/uniform.js';
import { valueMetrics } from '../support/value-metrics.js';

const ALPHA = 0.05;
const METRICS = 40;
const VARIANTS = ['a', 'b', 'c', 'd'] as const;
/** Units per arm: at least 1,000 so that no `small-sample` warning is raised. */
const UNITS = 1_000;
/** Replicates of each scenario. */
const REPLICATES = 300;
/** `z` of the one-sided 99.95 % normal quantile (the upper end of a central 99.9 % band). */
const Z_9995 = 3.2905;

/**
 * A Gamma(`shape`, 1) draw by Marsaglia and Tsang's (2000) method, exact for `shape >= 1`: with
 * `d = shape - 1/3`, `c = 1 / sqrt(9 d)`, accept `d v` for `v = (1 + c z)^3` when
 * `log u < z^2 / 2 + d - d v + d log v`.
 */
function gamma(random: () => number, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = standardNormal(random);
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(random()) < (z * z) / 2 + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * The metric sums row of `UNITS` independent normal units of mean `mean` and standard deviation 1, drawn
 * exactly through their sufficient statistics: the sample mean is `N(mean, 1 / n)` and, independently, the
 * sum of squared deviations is chi-square with `n - 1` degrees of freedom, `2 Gamma((n - 1) / 2, 1)`.
 */
function normalArm(random: () => number, variant: string, metricId: number, mean: number): MetricSumsRow {
  const sampleMean = mean + standardNormal(random) / Math.sqrt(UNITS);
  const squaredDeviations = 2 * gamma(random, (UNITS - 1) / 2);
  const sumX = UNITS * sampleMean;
  return {
    exp_variant_id: variant,
    metric_id: metricId,
    units: UNITS,
    sum_x: sumX,
    sum_x2: squaredDeviations + UNITS * sampleMean * sampleMean,
    sum_y: UNITS,
    sum_y2: UNITS,
    sum_xy: sumX,
  };
}

const metrics = valueMetrics(METRICS);

const experiment = (correction: MultipleTestingCorrection, correctionScope: CorrectionScope) =>
  new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics, correction, correctionScope });

const SETTINGS = [
  { label: "'none'", experiment: experiment('none', 'report') },
  { label: "'holm', scope 'metric' (default)", experiment: experiment('holm', 'metric') },
  { label: "'holm', scope 'report'", experiment: experiment('holm', 'report') },
  { label: "'bonferroni', scope 'report'", experiment: experiment('bonferroni', 'report') },
  { label: "'benjamini-hochberg', scope 'report'", experiment: experiment('benjamini-hochberg', 'report') },
] as const;
type Label = (typeof SETTINGS)[number]['label'];

/** Each scenario evaluates the settings its assertions need (an evaluation of 40 metrics takes ~2 ms). */
const NULL_SETTINGS: readonly Label[] = [
  "'none'",
  "'holm', scope 'metric' (default)",
  "'holm', scope 'report'",
  "'bonferroni', scope 'report'",
];
const EFFECT_SETTINGS: readonly Label[] = [
  "'holm', scope 'metric' (default)",
  "'holm', scope 'report'",
  "'bonferroni', scope 'report'",
  "'benjamini-hochberg', scope 'report'",
];

/** Per treatment row of a report: rejected at alpha, and whether its metric has a true effect. */
function rejections(evaluation: Evaluation, hasEffect: (metricId: number) => boolean) {
  let falseRejections = 0;
  let trueRejections = 0;
  for (const row of evaluation.metrics) {
    if (row.expVariantId === 'a' || !(row.pValue <= ALPHA)) continue;
    if (hasEffect(row.metricId as number)) trueRejections += 1;
    else falseRejections += 1;
  }
  return { falseRejections, trueRejections };
}

/** Per setting: replicates with a false rejection, mean false discovery proportion, mean true rejections. */
function simulate(
  seed: number,
  labels: readonly Label[],
  meanOf: (metricId: number, variant: number) => number,
): ReadonlyMap<Label, SimulatedRates> {
  const random = uniform(seed);
  const hasEffect = (metricId: number) => meanOf(metricId, 1) !== meanOf(metricId, 0);
  const settings = SETTINGS.filter((setting) => labels.includes(setting.label));
  const totals = settings.map(() => ({ familyErrors: 0, falseDiscoveryProportion: 0, trueRejections: 0 }));
  for (let replicate = 0; replicate < REPLICATES; replicate++) {
    const rows = metrics.flatMap((_, m) =>
      VARIANTS.map((variant, v) => normalArm(random, variant, m + 1, meanOf(m + 1, v))),
    );
    settings.forEach((setting, s) => {
      const { falseRejections, trueRejections } = rejections(
        setting.experiment.evaluateMetricSums(rows),
        hasEffect,
      );
      const total = totals[s]!;
      if (falseRejections > 0) total.familyErrors += 1;
      total.falseDiscoveryProportion += falseRejections / Math.max(falseRejections + trueRejections, 1);
      total.trueRejections += trueRejections;
    });
  }
  return new Map(
    totals.map((total, s) => [
      settings[s]!.label,
      {
        familyWiseErrorRate: total.familyErrors / REPLICATES,
        familyErrors: total.familyErrors,
        falseDiscoveryRate: total.falseDiscoveryProportion / REPLICATES,
        trueRejections: total.trueRejections / REPLICATES,
      },
    ]),
  );
}

interface SimulatedRates {
  readonly familyWiseErrorRate: number;
  readonly familyErrors: number;
  readonly falseDiscoveryRate: number;
  readonly trueRejections: number;
}

const percent = (value: number) => `${(100 * value).toFixed(1)} %`;

/** Effects on metrics 1-10 (all three treatments +1.5 %, a z of about 3.4); metrics 11-40 have none. */
const EFFECT_METRICS = 10;
const LIFT = 0.015;

describe('multiple testing by simulation (40 metrics x 3 treatments)', () => {
  const nulls = simulate(20_260_301, NULL_SETTINGS, () => 10);
  const effects = simulate(20_260_302, EFFECT_SETTINGS, (metricId, variant) =>
    metricId <= EFFECT_METRICS && variant > 0 ? 10 * (1 + LIFT) : 10,
  );
  const rates = (results: ReadonlyMap<Label, SimulatedRates>, label: Label) => results.get(label)!;

  it('prints the table of docs/statistics.md', () => {
    const cell = (results: ReadonlyMap<Label, SimulatedRates>, label: Label, key: keyof SimulatedRates) => {
      const value = results.get(label)?.[key];
      if (value === undefined) return '-';
      return key === 'trueRejections' ? value.toFixed(1) : percent(value);
    };
    const lines = [
      '| correction | FWER, all null | FWER, 30 null metrics | FDR, 30 null metrics | true rejections of 30 |',
      '| --- | --- | --- | --- | --- |',
      ...SETTINGS.map(
        ({ label }) =>
          `| ${label} | ${cell(nulls, label, 'familyWiseErrorRate')} | ${cell(effects, label, 'familyWiseErrorRate')} | ` +
          `${cell(effects, label, 'falseDiscoveryRate')} | ${cell(effects, label, 'trueRejections')} |`,
      ),
    ];
    console.info(lines.join('\n'));
    expect(lines).toHaveLength(SETTINGS.length + 2);
  });

  it("keeps the report-wide family-wise error rate of Holm and Bonferroni with scope 'report' within alpha", () => {
    // A family-wise error is a Bernoulli event of probability at most alpha (Holm, Bonferroni: any
    // dependence, also with true effects elsewhere); the count over the replicates must not exceed the upper
    // end of the exact central 99.9 % band of Binomial(REPLICATES, alpha) (29 of 300).
    const { upper } = binomialBand(REPLICATES, ALPHA, 0.999);
    for (const results of [nulls, effects]) {
      expect(rates(results, "'holm', scope 'report'").familyErrors).toBeLessThanOrEqual(upper);
      expect(rates(results, "'bonferroni', scope 'report'").familyErrors).toBeLessThanOrEqual(upper);
    }
  });

  it('leaves it far above alpha without a correction, and with the per-metric default', () => {
    // The 40 metrics are independent. Without a correction, a metric has no false rejection with probability
    // at most that of its first treatment, 1 - alpha (0.96 allows a test level down to 4 %): the report has
    // one with probability at least 1 - 0.96^40 = 0.80. With Holm per metric, a metric has a false rejection
    // at least when its first treatment's p-value is below alpha / 3: at least 1 - (1 - 0.04 / 3)^40 = 0.42.
    // The counts must reach the lower ends of the exact central 99.9 % bands: 218 and 97 of 300.
    const none = binomialBand(REPLICATES, 1 - 0.96 ** METRICS, 0.999).lower;
    const perMetric = binomialBand(REPLICATES, 1 - (1 - 0.04 / 3) ** METRICS, 0.999).lower;
    expect(rates(nulls, "'none'").familyErrors).toBeGreaterThanOrEqual(none);
    expect(rates(nulls, "'holm', scope 'metric' (default)").familyErrors).toBeGreaterThanOrEqual(perMetric);
  });

  it("keeps Benjamini-Hochberg's false discovery rate with true effects below alpha", () => {
    // The false discovery proportion V / max(R, 1) lies in [0, 1], so its variance is at most its mean, the
    // FDR (<= alpha): the mean over the replicates must stay below alpha + 3.29 sqrt(alpha / REPLICATES).
    const bound = ALPHA + Z_9995 * Math.sqrt(ALPHA / REPLICATES);
    const bh = rates(effects, "'benjamini-hochberg', scope 'report'");
    expect(bh.falseDiscoveryRate).toBeLessThanOrEqual(bound);
    // BH rejects every hypothesis Holm rejects (its adjusted p-values are never larger), here more.
    expect(bh.trueRejections).toBeGreaterThan(rates(effects, "'holm', scope 'report'").trueRejections);
  });
});
