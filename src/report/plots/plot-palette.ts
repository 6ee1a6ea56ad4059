/**
 * The colours of the plots of `ep-stats/report`, as CSS colour values.
 *
 * @remarks
 * - `better` / `worse`: a significant difference in the direction a metric should move, or against it;
 * - `increase` / `decrease`: a significant increase or decrease of a metric without a declared direction;
 * - `inconclusive`: not significant, and rows that could not be tested;
 * - `bar`: the bars of the exposure chart; `band`: the confidence band of the timeline plot; `line`: its line;
 * - `axis`, `grid`, `zero`, `text`, `muted`: axes, grid lines, the zero line, labels and secondary labels.
 *
 * The pairs `better`/`worse` and `increase`/`decrease` differ in hue as well as in lightness, so that they stay
 * apart for the common colour-vision deficiencies when printed next to each other.
 *
 * @example
 * ```ts
 * import { PLOT_PALETTE } from 'ep-stats/report';
 * PLOT_PALETTE.inconclusive; // => '#6e7781'
 * ```
 * @public
 */
export const PLOT_PALETTE = Object.freeze({
  better: '#1a7f37',
  worse: '#cf222e',
  increase: '#0969da',
  decrease: '#bc4c00',
  inconclusive: '#6e7781',
  bar: '#54aeff',
  band: '#54aeff',
  line: '#0969da',
  axis: '#57606a',
  grid: '#eaeef2',
  zero: '#24292f',
  text: '#24292f',
  muted: '#6e7781',
} as const);

/**
 * The type of {@link PLOT_PALETTE}.
 *
 * @example
 * ```ts
 * import { PLOT_PALETTE, type PlotPalette } from 'ep-stats/report';
 * const palette: PlotPalette = PLOT_PALETTE;
 * palette.better; // => '#1a7f37'
 * ```
 * @public
 */
export type PlotPalette = typeof PLOT_PALETTE;
