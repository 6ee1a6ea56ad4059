import { format } from 'd3-format';
import { scaleLinear } from 'd3-scale';
import { type Evaluation, escapeMarkup, ValidationError } from '../../index.js';
import { bottomAxis } from './plot-axes.js';
import { PLOT_PALETTE } from './plot-palette.js';
import { sizeOption, svgDocument } from './svg-document.js';
import { svgNumber } from './svg-number.js';

/**
 * Options of {@link renderExposureChart}.
 *
 * @example
 * ```ts
 * import type { ExposureChartOptions } from 'ep-stats/report';
 * const options: ExposureChartOptions = { expectedWeights: { a: 1, b: 1 } };
 * options.expectedWeights?.b; // => 1
 * ```
 * @public
 */
export interface ExposureChartOptions {
  /**
   * The planned split, a non-negative weight per variant (e.g. `{ a: 1, b: 1 }` or `{ a: 0.9, b: 0.1 }`): each
   * weighted variant gets a tick at its expected exposures, the exposures of the weighted variants times its
   * share of their weights. Variants without a weight get no tick and count in neither sum.
   */
  readonly expectedWeights?: Readonly<Record<string, number>>;
  /** Width in pixels (default 720). */
  readonly width?: number;
  /** Height of a bar's row in pixels (default 24). */
  readonly rowHeight?: number;
  /** Width of the variant labels left of the bars in pixels (default 120). */
  readonly labelWidth?: number;
  /** The accessible name, the `<title>` (default `Exposures per variant`). */
  readonly title?: string;
  /** The `<desc>` (default: each variant's exposures, and expected exposures with weights). */
  readonly description?: string;
  /** The `id` of the `<svg>`, also the prefix of its title's and description's ids (default `ep-stats-exposure-chart`). */
  readonly id?: string;
}

const MARGIN_TOP = 8;
/** Room right of the longest bar for its value label. */
const MARGIN_RIGHT = 72;
const AXIS_HEIGHT = 32;
const BAR_SHARE = 2 / 3;
const TICK_SPACING = 80;
const COUNT = format(',');

/**
 * Renders the exposures of each variant as horizontal bars, optionally with the counts a planned split
 * expects, as an SVG.
 *
 * @remarks
 * One bar per variant in the order of {@link Evaluation.exposures}, labelled with the variant left of it and
 * its exposures right of it; each bar is a `<rect class="bar">` with `data-variant` and `data-exposures`. The x
 * axis starts at 0 and ends at the largest count rounded out to a nice tick (d3-scale's `nice`). With
 * `expectedWeights`, a `<line class="expected">` with `data-variant` and `data-expected` crosses each weighted
 * bar at its expected count, `total * w / sum(w)` over the weighted variants: a bar ending away from its tick
 * is what the sample ratio mismatch check tests.
 *
 * The SVG has `role="img"`, a `<title>` and a `<desc>`; all text is escaped, coordinates have at most 2
 * decimals, and the same input always gives the same text.
 *
 * @param evaluation - An evaluation (its `exposures`).
 * @param options - Planned weights, sizes and texts.
 * @returns The SVG document (no XML declaration), lines joined by `\n`.
 * @throws `ValidationError` (of `ep-stats`) for a weight that is negative or not finite, weights of the evaluation's
 *   variants that sum to 0, or a size that is not a positive number.
 *
 * @example
 * ```ts
 * import type { Evaluation } from 'ep-stats';
 * import { renderExposureChart } from 'ep-stats/report';
 * const evaluation = {
 *   exposures: [{ expId: 'e', expVariantId: 'a', exposures: 5100 }, { expId: 'e', expVariantId: 'b', exposures: 4900 }],
 * } as Evaluation;
 * const svg = renderExposureChart(evaluation, { expectedWeights: { a: 1, b: 1 } });
 * svg.match(/data-expected="[0-9.]+"/g); // => ['data-expected="5000"', 'data-expected="5000"']
 * svg.includes('>5,100</text>'); // => true
 * ```
 * @public
 */
export function renderExposureChart(evaluation: Evaluation, options: ExposureChartOptions = {}): string {
  const width = sizeOption(options.width, 720, 'width');
  const rowHeight = sizeOption(options.rowHeight, 24, 'rowHeight');
  const labelWidth = sizeOption(options.labelWidth, 120, 'labelWidth');
  const left = labelWidth;
  const right = Math.max(left + 1, width - MARGIN_RIGHT);
  const rows = evaluation.exposures;
  const expected = expectedCounts(evaluation, options.expectedWeights);
  const largest = Math.max(
    0,
    ...rows.map((row) => (Number.isFinite(row.exposures) ? row.exposures : 0)),
    ...expected.values(),
  );
  const tickCount = Math.max(2, Math.floor((right - left) / TICK_SPACING));
  const x = scaleLinear()
    .domain([0, largest > 0 ? largest : 1])
    .nice(tickCount)
    .range([left, right]);
  const top = MARGIN_TOP;
  const axisY = top + rows.length * rowHeight;
  // `~f`: fixed notation without trailing zeros (100, 2.5), never 1e+2.
  const tickFormat = x.tickFormat(tickCount, ',~f');
  const ticks = x.ticks(tickCount).map((tick) => ({ position: x(tick), label: tickFormat(tick) }));
  const barHeight = rowHeight * BAR_SHARE;

  const body = [...bottomAxis(ticks, left, right, axisY, top)];
  rows.forEach((row, index) => {
    const rowTop = top + index * rowHeight;
    const y = rowTop + rowHeight / 2;
    const variant = escapeMarkup(row.expVariantId);
    const exposures = Number.isFinite(row.exposures) ? Math.max(row.exposures, 0) : 0;
    const end = x(exposures);
    body.push(
      `<g class="variant" data-variant="${variant}">`,
      `<text class="label" x="${svgNumber(left - 8)}" y="${svgNumber(y)}" dy="0.32em" text-anchor="end" fill="${PLOT_PALETTE.text}">${variant}</text>`,
      `<rect class="bar" data-variant="${variant}" data-exposures="${row.exposures}" x="${svgNumber(left)}" y="${svgNumber(y - barHeight / 2)}" ` +
        `width="${svgNumber(end - left)}" height="${svgNumber(barHeight)}" fill="${PLOT_PALETTE.bar}"/>`,
      `<text class="value" x="${svgNumber(end + 4)}" y="${svgNumber(y)}" dy="0.32em" fill="${PLOT_PALETTE.text}">${escapeMarkup(COUNT(row.exposures))}</text>`,
    );
    const count = expected.get(row.expVariantId);
    if (count !== undefined) {
      const xExpected = svgNumber(x(count));
      body.push(
        `<line class="expected" data-variant="${variant}" data-expected="${svgNumber(count)}" x1="${xExpected}" y1="${svgNumber(rowTop + 1)}" ` +
          `x2="${xExpected}" y2="${svgNumber(rowTop + rowHeight - 1)}" stroke="${PLOT_PALETTE.zero}" stroke-width="2"/>`,
      );
    }
    body.push('</g>');
  });

  return svgDocument({
    id: options.id ?? 'ep-stats-exposure-chart',
    className: 'ep-stats-exposure-chart',
    width,
    height: axisY + AXIS_HEIGHT,
    title: options.title ?? 'Exposures per variant',
    description: options.description ?? describe(evaluation, expected),
    body,
  });
}

/** The expected exposures of each weighted variant of the evaluation. */
function expectedCounts(
  evaluation: Evaluation,
  weights: Readonly<Record<string, number>> | undefined,
): Map<string, number> {
  const expected = new Map<string, number>();
  if (weights === undefined) return expected;
  for (const [variant, weight] of Object.entries(weights)) {
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new ValidationError(`The weight of variant ${variant} must be a non-negative finite number`, [
        'expectedWeights',
        variant,
      ]);
    }
  }
  const weighted = evaluation.exposures.filter((row) => Object.hasOwn(weights, row.expVariantId));
  if (weighted.length === 0) return expected;
  const weightOf = (variant: string) => weights[variant] ?? 0;
  const totalWeight = weighted.reduce((sum, row) => sum + weightOf(row.expVariantId), 0);
  if (totalWeight === 0) {
    throw new ValidationError("The weights of the evaluation's variants sum to 0", ['expectedWeights']);
  }
  const total = weighted.reduce((sum, row) => sum + row.exposures, 0);
  for (const row of weighted)
    expected.set(row.expVariantId, (total * weightOf(row.expVariantId)) / totalWeight);
  return expected;
}

function describe(evaluation: Evaluation, expected: ReadonlyMap<string, number>): string {
  const parts = evaluation.exposures.map((row) => {
    const count = expected.get(row.expVariantId);
    const planned = count === undefined ? '' : ` (expected ${COUNT(Math.round(count))})`;
    return `${row.expVariantId}: ${COUNT(row.exposures)}${planned}`;
  });
  return `Exposed units per variant. ${parts.join('; ')}.`;
}
