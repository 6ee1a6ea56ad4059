import { escapeMarkup } from '../../index.js';
import { PLOT_PALETTE } from './plot-palette.js';
import { svgNumber } from './svg-number.js';

/** One labelled tick of an axis, at a position in SVG coordinates. @internal */
export interface AxisTick {
  readonly position: number;
  readonly label: string;
}

/**
 * A horizontal axis at `y` from `left` to `right` (class `x-axis`): its line, a tick mark and a label under it
 * per tick, and light grid lines from `gridTop` down to the axis. @internal
 */
export function bottomAxis(
  ticks: readonly AxisTick[],
  left: number,
  right: number,
  y: number,
  gridTop: number,
): string[] {
  const lines = ['<g class="x-axis">'];
  for (const tick of ticks) {
    const x = svgNumber(tick.position);
    lines.push(
      `<line class="grid" x1="${x}" y1="${svgNumber(gridTop)}" x2="${x}" y2="${svgNumber(y)}" stroke="${PLOT_PALETTE.grid}"/>`,
      `<line class="tick" x1="${x}" y1="${svgNumber(y)}" x2="${x}" y2="${svgNumber(y + 4)}" stroke="${PLOT_PALETTE.axis}"/>`,
      `<text class="tick-label" x="${x}" y="${svgNumber(y + 16)}" text-anchor="middle" fill="${PLOT_PALETTE.axis}">${escapeMarkup(tick.label)}</text>`,
    );
  }
  lines.push(
    `<line class="domain" x1="${svgNumber(left)}" y1="${svgNumber(y)}" x2="${svgNumber(right)}" y2="${svgNumber(y)}" stroke="${PLOT_PALETTE.axis}"/>`,
    '</g>',
  );
  return lines;
}

/**
 * A vertical axis at `x` from `top` to `bottom` (class `y-axis`): its line, a tick mark and a label left of it
 * per tick, and light grid lines from the axis to `gridRight`. @internal
 */
export function leftAxis(
  ticks: readonly AxisTick[],
  top: number,
  bottom: number,
  x: number,
  gridRight: number,
): string[] {
  const lines = ['<g class="y-axis">'];
  for (const tick of ticks) {
    const y = svgNumber(tick.position);
    lines.push(
      `<line class="grid" x1="${svgNumber(x)}" y1="${y}" x2="${svgNumber(gridRight)}" y2="${y}" stroke="${PLOT_PALETTE.grid}"/>`,
      `<line class="tick" x1="${svgNumber(x - 4)}" y1="${y}" x2="${svgNumber(x)}" y2="${y}" stroke="${PLOT_PALETTE.axis}"/>`,
      `<text class="tick-label" x="${svgNumber(x - 6)}" y="${y}" dy="0.32em" text-anchor="end" fill="${PLOT_PALETTE.axis}">${escapeMarkup(tick.label)}</text>`,
    );
  }
  lines.push(
    `<line class="domain" x1="${svgNumber(x)}" y1="${svgNumber(top)}" x2="${svgNumber(x)}" y2="${svgNumber(bottom)}" stroke="${PLOT_PALETTE.axis}"/>`,
    '</g>',
  );
  return lines;
}
