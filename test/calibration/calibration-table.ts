import { binomialBand, type CountBand } from './binomial-band.js';
import { type CalibrationResult, expectedEffectiveUnits } from './simulate.js';

/** Level of the binomial band a calibrated rate stays in. */
export const BAND_LEVEL = 0.999;

/** One count checked against the band: rejections or intervals missing the truth. */
export interface BandCheck {
  readonly label: string;
  readonly count: number;
  /** `inside`: in the band; `above` / `below`: outside it. A family-wise count only has an upper edge. */
  readonly position: 'inside' | 'above' | 'below';
}

/** The verdict on one setting. */
export interface Assessment {
  /** `1 - confidenceLevel` of the evaluation (after the sequential adjustment). */
  readonly nominalRate: number;
  /** 99.9% band of Binomial(experiments, nominalRate). */
  readonly band: CountBand;
  readonly checks: readonly BandCheck[];
  readonly verdict: string;
}

/**
 * Checks a setting's counts against the binomial band around its nominal level.
 *
 * @remarks
 * Without Holm (two variants, or each treatment against the control alone): each comparison's rejections
 * of a true null hypothesis and each interval's misses of the true relative difference lie in the band.
 * With Holm: the experiments with any rejection, and with any interval missing, stay at or below its upper
 * edge. With a true lift only the misses are checked (rejections are then the power).
 */
export function assess(result: CalibrationResult): Assessment {
  const { setting, experiments } = { setting: result.setting, experiments: result.setting.experiments };
  const nominalRate = 1 - result.confidenceLevel;
  const band = binomialBand(experiments, nominalRate, BAND_LEVEL);
  const position = (count: number, familyWise: boolean): BandCheck['position'] =>
    count > band.upper ? 'above' : !familyWise && count < band.lower ? 'below' : 'inside';
  const checks: BandCheck[] = [];
  const holm = setting.holm && setting.variants > 2;
  if (holm) {
    if (setting.lift === 1) {
      checks.push({
        label: 'family-wise rejections',
        count: result.familyRejections,
        position: position(result.familyRejections, true),
      });
    }
    const misses = experiments - result.familyCovered;
    checks.push({
      label: 'experiments with an interval missing',
      count: misses,
      position: position(misses, true),
    });
  } else {
    result.rejections.forEach((count, k) => {
      if (setting.lift === 1)
        checks.push({ label: `rejections of comparison ${k + 1}`, count, position: position(count, false) });
    });
    result.covered.forEach((covered, k) => {
      const misses = experiments - covered;
      checks.push({ label: `misses of interval ${k + 1}`, count: misses, position: position(misses, false) });
    });
  }
  const above = checks.some((check) => check.position === 'above');
  const below = checks.some((check) => check.position === 'below');
  const verdict = above
    ? 'above nominal'
    : below
      ? 'below nominal'
      : holm
        ? 'at or below nominal'
        : 'calibrated';
  return { nominalRate, band, checks, verdict };
}

const percent = (count: number, total: number) => `${((100 * count) / total).toFixed(1)}%`;

function range(counts: readonly number[], total: number): string {
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  return low === high ? percent(low, total) : `${percent(low, total)}–${percent(high, total)}`;
}

const METRIC_NAMES = { binary: 'binary', lognormal: 'log-normal', 'net-revenue': 'net revenue' } as const;

/** The calibration table of docs/statistics.md, one line per setting. */
export function calibrationTable(results: readonly CalibrationResult[]): string {
  const header = [
    'Metric',
    'Variants',
    'Units per variant',
    'Effective units',
    'Holm',
    'Sequential',
    'True lift',
    'Nominal α',
    'Rejections per comparison',
    'Family-wise rejections',
    'Coverage per interval',
    'All intervals cover',
    '99.9% band',
    'Verdict',
  ];
  const lines = results.map((result) => {
    const { setting } = result;
    const n = setting.experiments;
    const { nominalRate, band, verdict } = assess(result);
    const aa = setting.lift === 1;
    const several = setting.variants > 2;
    const rejections = range(result.rejections, n);
    return [
      METRIC_NAMES[setting.metric],
      String(setting.variants),
      setting.unitsPerVariant.toLocaleString('en-US'),
      String(Math.round(expectedEffectiveUnits(setting))),
      several ? (setting.holm ? 'yes' : 'no') : '—',
      setting.sequential ? 'yes' : 'no',
      aa ? '0' : `+${Math.round((setting.lift - 1) * 100)}%`,
      `${(100 * nominalRate).toFixed(2)}%`,
      aa ? rejections : `${rejections} (power)`,
      several ? percent(result.familyRejections, n) : '—',
      range(result.covered, n),
      several ? percent(result.familyCovered, n) : '—',
      `${percent(band.lower, n)}–${percent(band.upper, n)}`,
      verdict,
    ];
  });
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...lines.map(row)].join('\n');
}

/** A short description of a setting's design, e.g. `4 variants, Holm, sequential`. */
export function designName(setting: CalibrationResult['setting']): string {
  const parts = [`${setting.variants} variants`];
  if (setting.variants > 2) parts.push(setting.holm ? 'Holm' : 'no correction');
  if (setting.sequential) parts.push('sequential (day 8 of 10)');
  parts.push(setting.lift === 1 ? 'A/A' : `true lift +${Math.round((setting.lift - 1) * 100)}%`);
  return parts.join(', ');
}
