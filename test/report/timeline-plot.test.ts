/**
 * The timeline plot of ep-stats/report: the cumulative lift of one metric and treatment day by day, on a
 * point scale of the days and a linear percent axis, with its confidence band.
 */
import { describe, expect, it } from 'vitest';
import {
  Experiment,
  evaluateTimeline,
  Metric,
  type Timeline,
  type TimelineGoalRow,
  ValidationError,
} from '../../src/index.js';
import { renderTimelinePlot } from '../../src/report/index.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { elementsOf, numberAttribute, type XmlElement } from '../support/xml-tree.js';
import { axisTicks, expectTwoDecimals, parseSvg, round2 } from './svg-assertions.js';

/** The plot area of the documented default size 720 x 320: margins 64 left, 24 right, 12 top, 36 bottom. */
const LEFT = 64;
const RIGHT = 720 - 24;
const TOP = 12;
const BOTTOM = 320 - 36;

const DAYS = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'];
const metric = (id: number, goal: string, alternative?: 'greater') =>
  new Metric({
    id,
    name: id === 1 ? 'CTR <all>' : 'Refunds',
    nominator: `count(u.unit.${goal})`,
    denominator: 'count(u.global.exposure)',
    ...(alternative === undefined ? {} : { alternative }),
  });
const experiment = new Experiment({
  id: 'e',
  controlVariant: 'a',
  unitType: 'u',
  metrics: [metric(1, 'click'), metric(2, 'refund', 'greater')],
});

/** Cumulative rows: 2,000 more units per variant each day; b clicks 20% more than a, then less so. */
function timelineRows(): TimelineGoalRow[] {
  return DAYS.flatMap((day, index) => {
    const units = 2_000 * (index + 1);
    const clicksB = units * (0.12 - 0.005 * index);
    return [
      ['a', units, units * 0.1, units * 0.03],
      ['b', units, clicksB, units * 0.031],
    ].flatMap(([variant, exposures, clicks, refunds]) => [
      { ...aggregatedGoalRow(String(variant), 'exposure', Number(exposures)), day },
      { ...aggregatedGoalRow(String(variant), 'click', Math.round(Number(clicks))), day },
      { ...aggregatedGoalRow(String(variant), 'refund', Math.round(Number(refunds))), day },
    ]);
  });
}

const timeline = evaluateTimeline(experiment, timelineRows());
const rowsOf = (metricId: number) =>
  timeline.metrics.filter((row) => row.metricId === metricId && row.expVariantId === 'b');

/** The points of an SVG path of M and L commands only. */
function pathPoints(element: XmlElement | undefined): { command: string; x: number; y: number }[] {
  const d = element?.attributes.d ?? '';
  return [...d.matchAll(/([MLZ])([^MLZ]*)/g)].flatMap(([, command = '', coordinates = '']) => {
    if (command === 'Z') return [];
    const [x = Number.NaN, y = Number.NaN] = coordinates.split(',').map(Number);
    return [{ command, x, y }];
  });
}

describe('renderTimelinePlot', () => {
  it('draws a line through the diff of every day, on a point scale of the days', () => {
    expect(timeline.days).toEqual(DAYS);
    const svg = renderTimelinePlot(timeline, { metricId: 1, variant: 'b' });
    const root = parseSvg(svg);
    expectTwoDecimals(svg);
    const [line] = elementsOf(root, 'path', 'line');
    const points = pathPoints(line);
    expect(points).toHaveLength(DAYS.length);
    expect(points.map((point) => point.command).join('')).toBe('MLLL');
    // Point scale with padding 0.5: day i at the middle of the i-th of n equal slots.
    const xOf = (index: number) => round2(LEFT + ((index + 0.5) / DAYS.length) * (RIGHT - LEFT));
    expect(points.map((point) => point.x)).toEqual(DAYS.map((_, index) => xOf(index)));
    // A linear y axis over the nice()d domain read off its ticks, bottom to top.
    const ticks = axisTicks(root, 'y-axis');
    const low = ticks[0] ?? Number.NaN;
    const high = ticks.at(-1) ?? Number.NaN;
    const rows = rowsOf(1);
    const values = rows.flatMap((row) => [row.diff, row.confidenceLower, row.confidenceUpper]);
    expect(low).toBeLessThanOrEqual(Math.min(0, ...values));
    expect(high).toBeGreaterThanOrEqual(Math.max(0, ...values));
    const yOf = (value: number) => round2(BOTTOM - ((value - low) / (high - low)) * (BOTTOM - TOP));
    expect(points.map((point) => point.y)).toEqual(rows.map((row) => yOf(row.diff)));
    const [zero] = elementsOf(root, 'line', 'zero');
    expect(numberAttribute(zero, 'y1')).toBe(yOf(0));
    expect([numberAttribute(zero, 'x1'), numberAttribute(zero, 'x2')]).toEqual([LEFT, RIGHT]);
    // The x axis labels the days, each at its point.
    const dayLabels = elementsOf(elementsOf(root, 'g', 'x-axis')[0] ?? root, 'text', 'tick-label');
    expect(dayLabels.map((label) => [label.text, numberAttribute(label, 'x')])).toEqual(
      DAYS.map((day, index) => [day, xOf(index)]),
    );
  });

  it('fills the band between the bounds, to the top of the plot area for an open upper bound', () => {
    const twoSided = parseSvg(renderTimelinePlot(timeline, { metricId: 1, variant: 'b' }));
    const band = pathPoints(elementsOf(twoSided, 'path', 'band')[0]);
    // An area: along the upper bounds, then back along the lower bounds.
    expect(band).toHaveLength(2 * DAYS.length);
    const ticks = axisTicks(twoSided, 'y-axis');
    const low = ticks[0] ?? Number.NaN;
    const high = ticks.at(-1) ?? Number.NaN;
    const yOf = (value: number) => round2(BOTTOM - ((value - low) / (high - low)) * (BOTTOM - TOP));
    const rows = rowsOf(1);
    expect(band.slice(0, DAYS.length).map((point) => point.y)).toEqual(
      rows.map((row) => yOf(row.confidenceUpper)),
    );
    expect(band.slice(DAYS.length).map((point) => point.y)).toEqual(
      rows.map((row) => yOf(row.confidenceLower)).reverse(),
    );

    const oneSidedRows = rowsOf(2);
    expect(oneSidedRows.every((row) => row.confidenceUpper === Number.POSITIVE_INFINITY)).toBe(true);
    const oneSided = parseSvg(renderTimelinePlot(timeline, { metricId: 2, variant: 'b' }));
    const open = pathPoints(elementsOf(oneSided, 'path', 'band')[0]);
    expect(open.slice(0, DAYS.length).map((point) => point.y)).toEqual(DAYS.map(() => TOP));
    expect(open.slice(DAYS.length).every((point) => point.y > TOP && point.y <= BOTTOM)).toBe(true);
  });

  it('leaves a gap in the line at a day whose diff is NaN', () => {
    const withGap: Timeline = {
      ...timeline,
      metrics: timeline.metrics.map((row) =>
        row.day === DAYS[1] && row.metricId === 1 && row.expVariantId === 'b'
          ? { ...row, diff: Number.NaN }
          : row,
      ),
    };
    const root = parseSvg(renderTimelinePlot(withGap, { metricId: 1, variant: 'b' }));
    const points = pathPoints(elementsOf(root, 'path', 'line')[0]);
    // Day 1 alone (a lone M), then days 3 and 4.
    expect(points.map((point) => point.command).join('')).toBe('MML');
  });

  it('names the metric and variant, escaped, and rejects a metric or variant without rows', () => {
    const svg = renderTimelinePlot(timeline, { metricId: 1, variant: 'b' });
    expect(svg).toContain('CTR &lt;all&gt; — b');
    expect(parseSvg(svg).children[0]?.text).toBe('CTR <all> — b: cumulative relative difference');
    expect(
      renderTimelinePlot(evaluateTimeline(experiment, timelineRows()), { metricId: 1, variant: 'b' }),
    ).toBe(svg);
    expect(() => renderTimelinePlot(timeline, { metricId: 3, variant: 'b' })).toThrow(ValidationError);
    expect(() => renderTimelinePlot(timeline, { metricId: 1, variant: 'x' })).toThrow(ValidationError);
  });
});
