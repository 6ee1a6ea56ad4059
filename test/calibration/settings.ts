import type { CalibrationSetting, MetricKind } from './simulate.js';

/** Simulated experiments per setting. */
export const EXPERIMENTS = 2000;

/** Where a setting lies: inside the regime the `small-sample` warning leaves alone, or below it. */
export type Regime = 'calibrated' | 'small-sample';

/** A setting of the calibration table and where it lies. */
export interface TableSetting extends CalibrationSetting {
  readonly regime: Regime;
}

interface Design {
  readonly variants?: number;
  readonly holm?: boolean;
  readonly sequential?: boolean;
  readonly lift?: number;
}

const DESIGNS: readonly Design[] = [
  {},
  { sequential: true },
  { variants: 4, holm: true },
  { variants: 4, holm: false },
  { variants: 4, holm: true, sequential: true },
  { lift: 1.05 },
];

function settings(
  regime: Regime,
  metric: MetricKind,
  unitsPerVariant: number,
  rate: number,
  designs: readonly Design[],
  seed: number,
): TableSetting[] {
  return designs.map((design, index) => ({
    regime,
    metric,
    unitsPerVariant,
    rate,
    variants: design.variants ?? 2,
    holm: design.holm ?? false,
    sequential: design.sequential ?? false,
    lift: design.lift ?? 1,
    experiments: EXPERIMENTS,
    seed: seed + index,
  }));
}

/**
 * Settings inside the calibrated regime (at least 1,000 units and 200 effective units per variant, see
 * `src/experiment/small-sample.ts`), by metric kind: binary at 5% with 4,000 units (200 conversions),
 * log-normal with 1,000 units (about 370 effective units), net revenue with a 20% purchase rate and 4,000
 * units (about 235 effective units).
 */
export const CALIBRATED: Readonly<Record<MetricKind, readonly TableSetting[]>> = {
  binary: settings('calibrated', 'binary', 4000, 0.05, DESIGNS, 100),
  lognormal: settings('calibrated', 'lognormal', 1000, 0, DESIGNS, 200),
  'net-revenue': settings('calibrated', 'net-revenue', 4000, 0.2, DESIGNS, 300),
};

const BELOW_DESIGNS: readonly Design[] = [{}, { sequential: true }, { variants: 4, holm: true }];

/** Settings below the regime, where the `small-sample` warning applies. */
export const SMALL_SAMPLE: readonly TableSetting[] = [
  ...settings('small-sample', 'binary', 200, 0.05, BELOW_DESIGNS, 400),
  ...settings('small-sample', 'binary', 1000, 0.05, BELOW_DESIGNS, 410),
  ...settings('small-sample', 'lognormal', 200, 0, BELOW_DESIGNS, 420),
  ...settings('small-sample', 'lognormal', 500, 0, BELOW_DESIGNS, 430),
  ...settings('small-sample', 'net-revenue', 1000, 0.2, BELOW_DESIGNS, 440),
];
