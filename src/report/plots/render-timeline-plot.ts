import { scaleLinear, scalePoint } from 'd3-scale';
import { area, line } from 'd3-shape';
import { type DefinitionId, type Timeline, type TimelineRow, ValidationError } from '../../index.js';
import { differenceText } from './percent-text.js';
import { bottomAxis, leftAxis } from './plot-axes.js';
import { PLOT_PALETTE } from './plot-palette.js';
import { sizeOption, svgDocument } from './svg-document.js';
import { SVG_DIGITS, svgNumber } from './svg-number.js';

/**
 * Options of {@link renderTimelinePlot}: which metric and treatment to draw, sizes and texts.
 *
 * @example
 * ```ts
 * import type { TimelinePlotOptions } from 'ep-stats/report';
 * const options: TimelinePlotOptions = { metricId: 1, variant: 'b', height: 240 };
 * options.variant; // => 'b'
 * ```
 * @public
 */
export interface TimelinePlotOptions {
  /** The metric drawn. */
  readonly metricId: DefinitionId;
  /** The treatment drawn (its difference to the control). */
  readonly variant: string;
  /** Width in pixels (default 720). */
  readonly width?: number;
  /** Height in pixels (default 320). */
  readonly height?: number;
  /** The accessible name, the `<title>` (default `<metric name> — <variant>: cumulative relative difference`). */
  readonly title?: string;
  /** The `<desc>` (default: the days and the last day's difference with its interval). */
  readonly description?: string;
  /** The `id` of the `<svg>`, also the prefix of its title's and description's ids (default `ep-stats-timeline-plot`). */
  readonly id?: string;
}

const MARGIN = { top: 12, right: 24, bottom: 36, left: 64 } as const;
const TICK_SPACING_X = 72;
const TICK_SPACING_Y = 48;
const MINIMUM_HALF_SPAN = 0.01;

/**
 * Renders the cumulative relative difference of one metric of one treatment, day by day, as an SVG line
 * with its confidence band.
 *
 * @remarks
 * The x axis has a point per day of the timeline (d3-scale's `scalePoint`, labels thinned to fit); the y
 * axis the relative difference in percent, over every finite `diff` and bound and 0, rounded out to nice
 * ticks. The line (`<path class="line">`, d3-shape's `line`) runs through each day's `diff`, leaving a gap
 * at a NaN; the band (`<path class="band">`, d3-shape's `area`) between `confidenceLower` and
 * `confidenceUpper` is drawn to the edge of the plot area where a bound is open (±Infinity) and leaves out
 * days with a NaN bound. A horizontal line marks 0.
 *
 * The SVG has `role="img"`, a `<title>` and a `<desc>`; all text is escaped, coordinates have at most 2
 * decimals, and the same input always gives the same text.
 *
 * @param timeline - A timeline (from `evaluateTimeline` or `Experiment.evaluateTimeline`).
 * @param options - The metric and treatment, sizes and texts.
 * @returns The SVG document (no XML declaration), lines joined by `\n`.
 * @throws `ValidationError` (of `ep-stats`) when the timeline has no row of the metric and variant, or for a size that is
 *   not a positive number.
 *
 * @example
 * ```ts
 * import type { Timeline, TimelineRow } from 'ep-stats';
 * import { renderTimelinePlot } from 'ep-stats/report';
 * const row = (day: string, diff: number) =>
 *   ({ day, metricId: 1, metricName: 'CTR', expVariantId: 'b', diff, confidenceLower: diff - 0.1, confidenceUpper: diff + 0.1 }) as TimelineRow;
 * const timeline = {
 *   days: ['2024-01-01', '2024-01-02', '2024-01-03'],
 *   metrics: [row('2024-01-01', 0.2), row('2024-01-02', 0.1), row('2024-01-03', 0.05)],
 * } as Timeline;
 * const svg = renderTimelinePlot(timeline, { metricId: 1, variant: 'b' });
 * /<path class="line" d="M[^"]*"/.exec(svg)?.[0].split(/[ML]/).length; // => 4
 * ```
 * @public
 */
export function renderTimelinePlot(timeline: Timeline, options: TimelinePlotOptions): string {
  const width = sizeOption(options.width, 720, 'width');
  const height = sizeOption(options.height, 320, 'height');
  const rows = timeline.metrics.filter(
    (row) => row.metricId === options.metricId && row.expVariantId === options.variant,
  );
  const first = rows[0];
  if (first === undefined) {
    throw new ValidationError(
      `The timeline has no row of metric ${String(options.metricId)} and variant ${options.variant}`,
      ['metricId'],
    );
  }
  const left = MARGIN.left;
  const right = Math.max(left + 1, width - MARGIN.right);
  const top = MARGIN.top;
  const bottom = Math.max(top + 1, height - MARGIN.bottom);
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const days = timeline.days;
  const x = scalePoint<string>().domain(days).range([left, right]).padding(0.5);
  const xOf = (row: TimelineRow) => x(row.day) ?? left;
  const yTickCount = Math.max(2, Math.floor((bottom - top) / TICK_SPACING_Y));
  const y = scaleLinear().domain(domainOf(rows)).nice(yTickCount).range([bottom, top]);
  const yOf = (value: number) => {
    if (value === Number.POSITIVE_INFINITY) return top;
    if (value === Number.NEGATIVE_INFINITY) return bottom;
    return y(value);
  };
  const series = days.map((day) => byDay.get(day));
  const path = line<TimelineRow | undefined>()
    .defined((row) => row !== undefined && Number.isFinite(row.diff))
    .x((row) => xOf(row as TimelineRow))
    .y((row) => y((row as TimelineRow).diff))
    .digits(SVG_DIGITS)(series);
  const band = area<TimelineRow | undefined>()
    .defined(
      (row) => row !== undefined && !Number.isNaN(row.confidenceLower) && !Number.isNaN(row.confidenceUpper),
    )
    .x((row) => xOf(row as TimelineRow))
    .y0((row) => yOf((row as TimelineRow).confidenceLower))
    .y1((row) => yOf((row as TimelineRow).confidenceUpper))
    .digits(SVG_DIGITS)(series);

  const yFormat = y.tickFormat(yTickCount, '%');
  const yTicks = y.ticks(yTickCount).map((tick) => ({ position: y(tick), label: yFormat(tick) }));
  const every = Math.max(
    1,
    Math.ceil(days.length / Math.max(1, Math.floor((right - left) / TICK_SPACING_X))),
  );
  const xTicks = days
    .filter((_, index) => index % every === 0)
    .map((day) => ({ position: x(day) ?? left, label: day }));

  const body = [
    ...leftAxis(yTicks, top, bottom, left, right),
    ...bottomAxis(xTicks, left, right, bottom, top),
    `<path class="band" d="${band ?? ''}" fill="${PLOT_PALETTE.band}" fill-opacity="0.25" stroke="none"/>`,
    `<line class="zero" x1="${svgNumber(left)}" y1="${svgNumber(y(0))}" x2="${svgNumber(right)}" y2="${svgNumber(y(0))}" stroke="${PLOT_PALETTE.zero}"/>`,
    `<path class="line" d="${path ?? ''}" fill="none" stroke="${PLOT_PALETTE.line}" stroke-width="2"/>`,
  ];
  const label = `${first.metricName} — ${options.variant}`;
  return svgDocument({
    id: options.id ?? 'ep-stats-timeline-plot',
    className: 'ep-stats-timeline-plot',
    width,
    height,
    title: options.title ?? `${label}: cumulative relative difference`,
    description: options.description ?? describe(label, days, byDay),
    body,
  });
}

function domainOf(rows: readonly TimelineRow[]): [number, number] {
  let low = 0;
  let high = 0;
  for (const row of rows) {
    for (const value of [row.diff, row.confidenceLower, row.confidenceUpper]) {
      if (!Number.isFinite(value)) continue;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  return low === high ? [low - MINIMUM_HALF_SPAN, high + MINIMUM_HALF_SPAN] : [low, high];
}

function describe(label: string, days: readonly string[], byDay: ReadonlyMap<string, TimelineRow>): string {
  const firstDay = days[0];
  const lastDay = days.at(-1);
  if (firstDay === undefined || lastDay === undefined) return `${label}: no days.`;
  const last = byDay.get(lastDay);
  const final =
    last === undefined
      ? ''
      : ` On ${lastDay}: ${differenceText(last.diff, last.confidenceLower, last.confidenceUpper)}.`;
  return `Cumulative relative difference of ${label} to the control with its confidence band, ${days.length} days from ${firstDay} to ${lastDay}.${final}`;
}
