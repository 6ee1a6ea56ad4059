import { scaleLinear } from 'd3-scale';
import {
  type Evaluation,
  escapeMarkup,
  type Metric,
  type MetricRow,
  type SegmentedEvaluation,
  ValidationError,
} from '../../index.js';
import { VERDICTS, type Verdict, verdictOf } from '../scorecard/verdict.js';
import { VERDICT_COLORS } from './forest-verdict.js';
import { differenceText } from './percent-text.js';
import { bottomAxis } from './plot-axes.js';
import { PLOT_PALETTE } from './plot-palette.js';
import { sizeOption, svgDocument } from './svg-document.js';
import { svgNumber } from './svg-number.js';

/**
 * Options of {@link renderForestPlot}.
 *
 * @example
 * ```ts
 * import type { ForestPlotOptions } from 'ep-stats/report';
 * const options: ForestPlotOptions = { controlVariant: 'a', width: 640 };
 * options.width; // => 640
 * ```
 * @public
 */
export interface ForestPlotOptions {
  /** The experiment's control variant: its rows are not drawn. */
  readonly controlVariant: string;
  /**
   * The experiment's metrics, for the verdict of each row ({@link verdictOf}: by the metric's
   * `preferredDirection` and `nonInferiorityMargin`). Without them, no metric has a declared direction.
   */
  readonly metrics?: readonly Metric[];
  /** Width in pixels (default 720). */
  readonly width?: number;
  /** Height of a row in pixels (default 24). */
  readonly rowHeight?: number;
  /** Width of the labels left of the plot area in pixels (default 240). */
  readonly labelWidth?: number;
  /**
   * The range of relative differences shown, exactly, e.g. `[-0.1, 0.1]` (the same axis for several plots);
   * bounds beyond it are drawn as open. Default: from the smallest to the largest finite `diff` and bound,
   * and 0, rounded out to nice ticks.
   */
  readonly domain?: readonly [number, number];
  /** The accessible name, the `<title>` (default `Relative differences to the control`). */
  readonly title?: string;
  /** The `<desc>` (default: the number of comparisons and of each verdict). */
  readonly description?: string;
  /** The `id` of the `<svg>`, also the prefix of its title's and description's ids (default `ep-stats-forest-plot`). */
  readonly id?: string;
}

const MARGIN_TOP = 8;
const MARGIN_RIGHT = 24;
const AXIS_HEIGHT = 32;
const POINT_RADIUS = 4;
const ARROW_LENGTH = 7;
const ARROW_HALF_WIDTH = 4;
/** Horizontal space per tick of the axis, in pixels. */
const TICK_SPACING = 80;
/** The domain around a single value (e.g. only zeros), as a relative difference. */
const MINIMUM_HALF_SPAN = 0.01;

type PlotLine =
  | { readonly kind: 'heading'; readonly text: string; readonly breakdown?: string; readonly value?: string }
  | { readonly kind: 'row'; readonly row: MetricRow; readonly verdict: Verdict };

/**
 * Renders the relative differences of the treatments to the control with their confidence intervals as an
 * SVG forest plot.
 *
 * @remarks
 * One row per metric and treatment in the evaluation's order (metrics, then variants), labelled
 * `metric — variant`: a point at `diff` and a line from `confidenceLower` to `confidenceUpper`; an open bound
 * (±Infinity, a one-sided test) or a bound beyond `options.domain` is drawn as an arrow to the edge of the
 * plot area. A row whose `diff` is NaN shows `n/a` and no mark. Each row is a `<g class="row">` with
 * `data-metric-id`, `data-variant` and `data-verdict` (a {@link Verdict}), coloured by its verdict
 * ({@link PLOT_PALETTE}), with a `<title>` giving the numbers as a tooltip.
 *
 * A vertical line marks 0 (when in the domain), the x axis below has percent ticks. By default the domain
 * spans every finite `diff` and bound and 0, rounded out to nice ticks (d3-scale's `nice`). With a
 * {@link SegmentedEvaluation}, the overall rows come first under the heading `Overall`, then the rows of each
 * segment under a heading `breakdown = value` (`<g class="heading">` with `data-breakdown` and `data-value`).
 *
 * The SVG has `role="img"`, a `<title>` and a `<desc>`; all text is escaped, coordinates have at most 2
 * decimals, and the same input always gives the same text.
 *
 * @param input - An evaluation, or an evaluation overall and by segment.
 * @param options - The control variant, which way metrics should move, sizes and texts.
 * @returns The SVG document (no XML declaration), lines joined by `\n`.
 * @throws `ValidationError` (of `ep-stats`) for a size that is not a positive number or a domain that is not an
 *   increasing pair of finite numbers.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { renderForestPlot } from 'ep-stats/report';
 * const ctr = new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)', preferredDirection: 'higher' });
 * const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [ctr] });
 * const row = (variant: string, goal: string, count: number) => ({
 *   exp_id: 'e', exp_variant_id: variant, unit_type: 'u', agg_type: goal === 'exposure' ? 'global' : 'unit', goal,
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * });
 * const evaluation = experiment.evaluateAgg([
 *   row('a', 'exposure', 5000), row('b', 'exposure', 5000), row('a', 'click', 500), row('b', 'click', 600),
 * ]);
 * const svg = renderForestPlot(evaluation, { controlVariant: 'a', metrics: [ctr] });
 * svg.match(/data-verdict="[a-z]+"/g); // => ['data-verdict="better"']
 * svg.includes('>CTR — b</text>'); // => true
 * ```
 * @public
 */
export function renderForestPlot(
  input: Evaluation | SegmentedEvaluation,
  options: ForestPlotOptions,
): string {
  const width = sizeOption(options.width, 720, 'width');
  const rowHeight = sizeOption(options.rowHeight, 24, 'rowHeight');
  const labelWidth = sizeOption(options.labelWidth, 240, 'labelWidth');
  const left = labelWidth;
  const right = Math.max(left + 1, width - MARGIN_RIGHT);
  const lines = plotLines(input, options);
  const rows = lines.flatMap((line) => (line.kind === 'row' ? [line] : []));
  const tickCount = Math.max(2, Math.floor((right - left) / TICK_SPACING));
  const x = scaleLinear().domain(domainOf(rows, options.domain)).range([left, right]);
  if (options.domain === undefined) x.nice(tickCount);
  const [domainLow, domainHigh] = x.domain() as [number, number];
  const top = MARGIN_TOP;
  const axisY = top + lines.length * rowHeight;
  const height = axisY + AXIS_HEIGHT;
  const xOf = (value: number) => svgNumber(x(value));
  const tickFormat = x.tickFormat(tickCount, '%');
  const ticks = x.ticks(tickCount).map((tick) => ({ position: x(tick), label: tickFormat(tick) }));

  const body = [...bottomAxis(ticks, left, right, axisY, top)];
  if (domainLow <= 0 && domainHigh >= 0) {
    body.push(
      `<line class="zero" x1="${xOf(0)}" y1="${svgNumber(top)}" x2="${xOf(0)}" y2="${svgNumber(axisY)}" stroke="${PLOT_PALETTE.zero}"/>`,
    );
  }
  lines.forEach((line, index) => {
    const y = top + (index + 0.5) * rowHeight;
    if (line.kind === 'heading') {
      const data =
        line.breakdown === undefined
          ? ' data-overall="true"'
          : ` data-breakdown="${escapeMarkup(line.breakdown)}" data-value="${escapeMarkup(line.value ?? '')}"`;
      body.push(
        `<g class="heading"${data}><text x="8" y="${svgNumber(y)}" dy="0.32em" font-weight="600" fill="${PLOT_PALETTE.text}">${escapeMarkup(line.text)}</text></g>`,
      );
      return;
    }
    body.push(
      ...rowElements(line.row, line.verdict, y, { left, right, low: domainLow, high: domainHigh, x }),
    );
  });

  return svgDocument({
    id: options.id ?? 'ep-stats-forest-plot',
    className: 'ep-stats-forest-plot',
    width,
    height,
    title: options.title ?? 'Relative differences to the control',
    description: options.description ?? describe(rows, options.controlVariant),
    body,
  });
}

interface RowGeometry {
  readonly left: number;
  readonly right: number;
  readonly low: number;
  readonly high: number;
  readonly x: (value: number) => number;
}

/**
 * A label cut to about `width` pixels (12 px system fonts average under 7 px a character), with an ellipsis;
 * the row's `<title>` keeps it whole.
 */
function fitLabel(label: string, width: number): string {
  const characters = Math.max(4, Math.floor(width / 7));
  return label.length <= characters ? label : `${label.slice(0, characters - 1)}…`;
}

function rowElements(row: MetricRow, verdict: Verdict, y: number, geometry: RowGeometry): string[] {
  const label = `${row.metricName} — ${row.expVariantId}`;
  const color = VERDICT_COLORS[verdict];
  const yText = svgNumber(y);
  const elements = [
    `<g class="row" data-metric-id="${escapeMarkup(String(row.metricId))}" data-variant="${escapeMarkup(row.expVariantId)}" data-verdict="${verdict}">`,
    `<title>${escapeMarkup(`${label}: ${differenceText(row.diff, row.confidenceLower, row.confidenceUpper)}`)}</title>`,
    `<text class="label" x="${svgNumber(geometry.left - 8)}" y="${yText}" dy="0.32em" text-anchor="end" fill="${PLOT_PALETTE.text}">${escapeMarkup(fitLabel(label, geometry.left - 16))}</text>`,
  ];
  if (Number.isNaN(row.diff)) {
    elements.push(
      `<text class="na" x="${svgNumber(geometry.left + 4)}" y="${yText}" dy="0.32em" fill="${PLOT_PALETTE.muted}">n/a</text>`,
      '</g>',
    );
    return elements;
  }
  const { low, high, x } = geometry;
  const lowerOpen = !(row.confidenceLower >= low);
  const upperOpen = !(row.confidenceUpper <= high);
  if (!Number.isNaN(row.confidenceLower) && !Number.isNaN(row.confidenceUpper)) {
    const x1 = lowerOpen ? geometry.left : x(row.confidenceLower);
    const x2 = upperOpen ? geometry.right : x(row.confidenceUpper);
    elements.push(
      `<line class="interval" x1="${svgNumber(x1)}" y1="${yText}" x2="${svgNumber(x2)}" y2="${yText}" stroke="${color}" stroke-width="2"/>`,
    );
    if (lowerOpen) elements.push(arrow('lower', geometry.left, y, color));
    if (upperOpen) elements.push(arrow('upper', geometry.right, y, color));
  }
  const cx = Math.min(Math.max(x(row.diff), geometry.left), geometry.right);
  elements.push(
    `<circle class="point" cx="${svgNumber(cx)}" cy="${yText}" r="${POINT_RADIUS}" fill="${color}"/>`,
    '</g>',
  );
  return elements;
}

/** An arrowhead whose tip is at (`tipX`, `y`), pointing left (`lower`) or right (`upper`). */
function arrow(side: 'lower' | 'upper', tipX: number, y: number, color: string): string {
  const baseX = side === 'lower' ? tipX + ARROW_LENGTH : tipX - ARROW_LENGTH;
  const points = [
    `${svgNumber(tipX)},${svgNumber(y)}`,
    `${svgNumber(baseX)},${svgNumber(y - ARROW_HALF_WIDTH)}`,
    `${svgNumber(baseX)},${svgNumber(y + ARROW_HALF_WIDTH)}`,
  ];
  return `<polygon class="open-bound" data-bound="${side}" points="${points.join(' ')}" fill="${color}"/>`;
}

function plotLines(input: Evaluation | SegmentedEvaluation, options: ForestPlotOptions): PlotLine[] {
  const rowsOf = (evaluation: Evaluation): PlotLine[] =>
    evaluation.metrics
      .filter((row) => row.expVariantId !== options.controlVariant)
      .map((row) => ({
        kind: 'row',
        row,
        verdict: verdictOf(
          row,
          options.metrics?.find((metric) => metric.id === row.metricId),
        ),
      }));
  if (!('overall' in input)) return rowsOf(input);
  if (input.segments.length === 0) return rowsOf(input.overall);
  const lines: PlotLine[] = [{ kind: 'heading', text: 'Overall' }, ...rowsOf(input.overall)];
  for (const segment of input.segments) {
    lines.push(
      {
        kind: 'heading',
        text: `${segment.breakdown} = ${segment.value}`,
        breakdown: segment.breakdown,
        value: segment.value,
      },
      ...rowsOf(segment.evaluation),
    );
  }
  return lines;
}

function domainOf(
  rows: readonly { readonly row: MetricRow }[],
  domain: readonly [number, number] | undefined,
): [number, number] {
  if (domain !== undefined) {
    const [low, high] = domain;
    if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
      throw new ValidationError('`domain` must be two finite numbers, the lower first', ['domain']);
    }
    return [low, high];
  }
  let low = 0;
  let high = 0;
  for (const { row } of rows) {
    for (const value of [row.diff, row.confidenceLower, row.confidenceUpper]) {
      if (!Number.isFinite(value)) continue;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  return low === high ? [low - MINIMUM_HALF_SPAN, high + MINIMUM_HALF_SPAN] : [low, high];
}

function describe(rows: readonly { readonly verdict: Verdict }[], controlVariant: string): string {
  const counts = new Map<Verdict, number>();
  for (const { verdict } of rows) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  const parts = VERDICTS.flatMap((verdict) => {
    const count = counts.get(verdict);
    return count === undefined ? [] : [`${count} ${verdict}`];
  });
  const comparisons = rows.length === 1 ? 'comparison' : 'comparisons';
  const summary = parts.length > 0 ? `: ${parts.join(', ')}` : '';
  return `Relative difference of each metric to the control ${controlVariant} with its confidence interval, ${rows.length} ${comparisons}${summary}.`;
}
