import { format } from 'd3-format';

const SIGNED_PERCENT = format('+.2%');

/**
 * A relative difference as a signed percentage with 2 decimals (`+1.25%`, `−0.40%`, d3-format's minus sign),
 * `+∞` / `−∞` for an open bound and `n/a` for NaN. @internal
 */
export function percentText(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (value === Number.POSITIVE_INFINITY) return '+∞';
  if (value === Number.NEGATIVE_INFINITY) return '−∞';
  return SIGNED_PERCENT(value);
}

/** A difference with its interval, e.g. `+1.25% (+0.10% to +2.40%)`. @internal */
export function differenceText(diff: number, lower: number, upper: number): string {
  return `${percentText(diff)} (${percentText(lower)} to ${percentText(upper)})`;
}
