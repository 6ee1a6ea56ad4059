import { formatPython, pythonFormatter } from '../../index.js';
import type { ScorecardMetric, ScorecardRow } from './build-scorecard.js';
import type { Verdict } from './verdict.js';

/** What a scorecard writes where a comparison does not apply (the control's row). */
export const NOT_APPLICABLE = '—';
/** What a scorecard writes for a number that could not be computed (NaN). */
export const NOT_COMPUTABLE = 'n/a';
/** The open bounds of one-sided intervals. */
export const OPEN_LOWER = '-inf';
export const OPEN_UPPER = '+inf';

/**
 * The text cells of one scorecard row, in the order of {@link SCORECARD_HEADERS}: variant, units, mean,
 * relative difference, its interval, absolute difference, its interval, p-value, level, verdict.
 * @internal
 */
export interface ScorecardCells {
  readonly variant: string;
  readonly units: string;
  readonly mean: string;
  readonly diff: string;
  readonly interval: string;
  readonly absoluteDiff: string;
  readonly absoluteInterval: string;
  readonly pValue: string;
  readonly level: string;
  readonly verdict: string;
}

/** The column headers of the cells, in order. @internal */
export const SCORECARD_HEADERS: Readonly<Record<keyof ScorecardCells, string>> = {
  variant: 'Variant',
  units: 'Units',
  mean: 'Mean',
  diff: 'Diff',
  interval: 'Interval',
  absoluteDiff: 'Abs. diff',
  absoluteInterval: 'Abs. interval',
  pValue: 'p-value',
  level: 'Level',
  verdict: 'Verdict',
};

/** The cells of a row: numbers in the metric's format, signs on differences, `—` on the control's row. @internal */
export function scorecardCells(metric: ScorecardMetric, row: ScorecardRow): ScorecardCells {
  const mean = formatMean(metric, row.mean);
  const units = Number.isNaN(row.units)
    ? NOT_COMPUTABLE
    : formatPython(Number.isInteger(row.units) ? '{:,.0f}' : '{:,}', row.units);
  if (row.control) {
    return {
      variant: `${row.variant} (control)`,
      units,
      mean,
      diff: NOT_APPLICABLE,
      interval: NOT_APPLICABLE,
      absoluteDiff: NOT_APPLICABLE,
      absoluteInterval: NOT_APPLICABLE,
      pValue: NOT_APPLICABLE,
      level: NOT_APPLICABLE,
      verdict: NOT_APPLICABLE,
    };
  }
  const absolute = (value: number | undefined) => formatAbsolute(metric, value ?? Number.NaN);
  return {
    variant: row.variant,
    units,
    mean,
    diff: formatRelative(row.diff ?? Number.NaN),
    interval: formatInterval(row.diffLower, row.diffUpper, formatRelative),
    absoluteDiff: absolute(row.absoluteDiff),
    absoluteInterval: formatInterval(row.absoluteLower, row.absoluteUpper, absolute),
    pValue: formatPValue(row.pValue ?? Number.NaN),
    level: formatLevel(row.level ?? Number.NaN),
    verdict: row.verdict === undefined ? NOT_APPLICABLE : VERDICT_TEXT[row.verdict],
  };
}

/** How each verdict is written. @internal */
export const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  better: 'better',
  worse: 'worse',
  increase: 'increase',
  decrease: 'decrease',
  'non-inferior': 'non-inferior',
  inconclusive: 'inconclusive',
  untested: 'untested',
};

/** The mean in the metric's format and multiplier, `n/a` for NaN. @internal */
export function formatMean(metric: Pick<ScorecardMetric, 'format' | 'multiplier'>, mean: number): string {
  return Number.isNaN(mean) ? NOT_COMPUTABLE : pythonFormatter(metric.format)(mean * metric.multiplier);
}

/** A relative difference as a signed percentage with one decimal, `+12.3%`. @internal */
export function formatRelative(value: number): string {
  if (Number.isNaN(value)) return NOT_COMPUTABLE;
  if (value === Number.POSITIVE_INFINITY) return OPEN_UPPER;
  if (value === Number.NEGATIVE_INFINITY) return OPEN_LOWER;
  return formatPython('{:+.1%}', value);
}

/**
 * An absolute difference in the metric's format with its sign; a percent format writes percentage points
 * (`+0.49 pp`), since the difference of two percentages is not a percentage of anything.
 * @internal
 */
export function formatAbsolute(
  metric: Pick<ScorecardMetric, 'format' | 'multiplier'>,
  value: number,
): string {
  if (Number.isNaN(value)) return NOT_COMPUTABLE;
  if (value === Number.POSITIVE_INFINITY) return OPEN_UPPER;
  if (value === Number.NEGATIVE_INFINITY) return OPEN_LOWER;
  const magnitude = pythonFormatter(metric.format)(Math.abs(value) * metric.multiplier);
  const text = magnitude.endsWith('%') ? `${magnitude.slice(0, -1)} pp` : magnitude;
  const sign = value > 0 ? '+' : value < 0 ? '-' : '';
  return `${sign}${text}`;
}

/** `[lower, upper]` with each bound written by `format`; `n/a` when both are NaN. @internal */
export function formatInterval(
  lower: number | undefined,
  upper: number | undefined,
  format: (value: number) => string,
): string {
  const low = lower ?? Number.NaN;
  const high = upper ?? Number.NaN;
  if (Number.isNaN(low) && Number.isNaN(high)) return NOT_COMPUTABLE;
  return `[${format(low)}, ${format(high)}]`;
}

/** A p-value with four decimals, `<0.0001` below that. @internal */
export function formatPValue(value: number): string {
  if (Number.isNaN(value)) return NOT_COMPUTABLE;
  return value < 0.0001 ? '<0.0001' : formatPython('{:.4f}', value);
}

/** A confidence level as a percentage with up to four significant digits, `95%`, `98.33%`. @internal */
export function formatLevel(level: number): string {
  if (Number.isNaN(level)) return NOT_COMPUTABLE;
  return `${formatPython('{:.4g}', level * 100)}%`;
}
