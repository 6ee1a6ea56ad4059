/**
 * A finite coordinate or length as written into an SVG: rounded to 2 decimals (as d3-path rounds with
 * `digits(2)`), without a negative zero, e.g. `'12.35'` for 12.3456. @internal
 */
export function svgNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** The number of decimals of every coordinate of the plots (d3-shape's `digits`). @internal */
export const SVG_DIGITS = 2;
