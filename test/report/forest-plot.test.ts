/**
 * The forest plot of ep-stats/report: a row per metric and treatment with its point and interval on a
 * linear, nice()d percent axis, verdict colours, open bounds drawn to the edge, segment headings, escaping,
 * and well-formed SVG.
 */
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  Experiment,
  Metric,
  type MetricOptions,
  type MetricRow,
  ValidationError,
} from '../../src/index.js';
import { PLOT_PALETTE, renderForestPlot } from '../../src/report/index.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { elementsOf, numberAttribute, type XmlElement } from '../support/xml-tree.js';
import { axisTicks, expectTwoDecimals, parseSvg, round2 } from './svg-assertions.js';

/** The documented defaults: 720 wide, labels 240 wide; the plot area ends 24 px before the right edge. */
const LEFT = 240;
const RIGHT = 720 - 24;
const ROW_HEIGHT = 24;

const metric = (id: number, name: string, goal: string, options: Partial<MetricOptions> = {}) =>
  new Metric({
    id,
    name,
    nominator: `count(u.unit.${goal})`,
    denominator: 'count(u.global.exposure)',
    ...options,
  });

const CLICKS = metric(1, 'Clicks <&">', 'click');
/** One-sided: only an increase is tested, so the upper bound of the interval is +Infinity. */
const REFUNDS = metric(2, 'Refunds', 'refund', { alternative: 'greater' });

/** 10,000 units per variant: b clicks 15% more than the control a, c 12% less, d 1% more (not significant). */
const CLICKS_BY_VARIANT: Readonly<Record<string, number>> = { a: 1000, b: 1150, c: 880, d: 1010 };
const REFUNDS_BY_VARIANT: Readonly<Record<string, number>> = { a: 300, b: 310, c: 290, d: 300 };

function goalRows(columns: Readonly<Record<string, string>> = {}, scale = 1): AggregatedGoalRow[] {
  return Object.keys(CLICKS_BY_VARIANT).flatMap((variant) => [
    aggregatedGoalRow(variant, 'exposure', 10_000 * scale, columns),
    aggregatedGoalRow(variant, 'click', (CLICKS_BY_VARIANT[variant] ?? 0) * scale, columns),
    aggregatedGoalRow(variant, 'refund', (REFUNDS_BY_VARIANT[variant] ?? 0) * scale, columns),
  ]);
}

const experiment = new Experiment({
  id: 'e',
  controlVariant: 'a',
  unitType: 'u',
  metrics: [CLICKS, REFUNDS],
});
const evaluation = experiment.evaluateAgg(goalRows());
const treatmentRows = evaluation.metrics.filter((row) => row.expVariantId !== 'a');

const rowsOf = (root: XmlElement) => elementsOf(root, 'g', 'row');
const rowOf = (root: XmlElement, metricId: number, variant: string): XmlElement => {
  const row = rowsOf(root).find(
    (element) =>
      element.attributes['data-metric-id'] === String(metricId) &&
      element.attributes['data-variant'] === variant,
  );
  if (row === undefined) throw new Error(`no row ${metricId} ${variant}`);
  return row;
};
const metricRow = (metricId: number, variant: string): MetricRow => {
  const row = evaluation.metrics.find((r) => r.metricId === metricId && r.expVariantId === variant);
  if (row === undefined) throw new Error(`no metric row ${metricId} ${variant}`);
  return row;
};

describe('renderForestPlot', () => {
  it('draws one row per metric and treatment, the control left out, each with a point and an interval', () => {
    const svg = renderForestPlot(evaluation, { controlVariant: 'a' });
    const root = parseSvg(svg);
    const rows = rowsOf(root);
    // 2 metrics x 3 treatments.
    expect(rows).toHaveLength(2 * 3);
    expect(
      rows.map((row) => `${row.attributes['data-metric-id']}/${row.attributes['data-variant']}`),
    ).toEqual(['1/b', '1/c', '1/d', '2/b', '2/c', '2/d']);
    expect(elementsOf(root, 'circle', 'point')).toHaveLength(6);
    expect(elementsOf(root, 'line', 'interval')).toHaveLength(6);
    // Rows of 24 px from the top margin of 8 px, then the axis: the height is 8 + 6 * 24 + 32.
    expect(numberAttribute(root, 'height')).toBe(8 + 6 * ROW_HEIGHT + 32);
    expect(numberAttribute(root, 'width')).toBe(720);
    expectTwoDecimals(svg);
  });

  it('places points and bounds on the linear scale of a given domain, and the zero line at 0', () => {
    const root = parseSvg(renderForestPlot(evaluation, { controlVariant: 'a', domain: [-0.5, 0.5] }));
    const xOf = (value: number) => round2(LEFT + ((value - -0.5) / (0.5 - -0.5)) * (RIGHT - LEFT));
    // The domain is used as given (not rounded out): ticks every 20% inside it, each at its x.
    const ticks = axisTicks(root, 'x-axis');
    expect(ticks).toEqual([-0.4, -0.2, 0, 0.2, 0.4]);
    const tickLines = elementsOf(root, 'line', 'tick');
    expect(tickLines.map((tick) => numberAttribute(tick, 'x1'))).toEqual(ticks.map(xOf));
    const [zero] = elementsOf(root, 'line', 'zero');
    expect(numberAttribute(zero, 'x1')).toBe(round2(LEFT + 0.5 * (RIGHT - LEFT)));
    expect(numberAttribute(zero, 'x2')).toBe(numberAttribute(zero, 'x1'));
    for (const [variant, row] of [
      ['b', metricRow(1, 'b')],
      ['c', metricRow(1, 'c')],
    ] as const) {
      const element = rowOf(root, 1, variant);
      const [point] = elementsOf(element, 'circle', 'point');
      const [interval] = elementsOf(element, 'line', 'interval');
      expect(numberAttribute(point, 'cx')).toBe(xOf(row.diff));
      expect(numberAttribute(interval, 'x1')).toBe(xOf(row.confidenceLower));
      expect(numberAttribute(interval, 'x2')).toBe(xOf(row.confidenceUpper));
    }
    // b's lift is 0.15: 240 + 0.65 * 456.
    const [pointB] = elementsOf(rowOf(root, 1, 'b'), 'circle', 'point');
    expect(numberAttribute(pointB, 'cx')).toBeCloseTo(240 + 0.65 * 456, 2);
  });

  it('by default spans every finite diff and bound and 0, rounded out to its ticks', () => {
    const root = parseSvg(renderForestPlot(evaluation, { controlVariant: 'a' }));
    const ticks = axisTicks(root, 'x-axis');
    const low = ticks[0] ?? Number.NaN;
    const high = ticks.at(-1) ?? Number.NaN;
    const step = (ticks[1] ?? Number.NaN) - low;
    const values = treatmentRows
      .flatMap((row) => [row.diff, row.confidenceLower, row.confidenceUpper])
      .filter(Number.isFinite);
    const smallest = Math.min(0, ...values);
    const largest = Math.max(0, ...values);
    // The domain covers the values, ends on whole steps, and not a step beyond them (what nice() promises).
    expect(low).toBeLessThanOrEqual(smallest);
    expect(high).toBeGreaterThanOrEqual(largest);
    expect(low).toBeGreaterThan(smallest - step);
    expect(high).toBeLessThan(largest + step);
    expect(Math.abs(low / step - Math.round(low / step))).toBeLessThan(1e-9);
    expect(Math.abs(high / step - Math.round(high / step))).toBeLessThan(1e-9);
    // With these data, from c's lower bound (about -20.2%) to b's upper bound (about +25.5%): -30% to +30%.
    expect([low, high]).toEqual([-0.3, 0.3]);
    const xOf = (value: number) => round2(LEFT + ((value - low) / (high - low)) * (RIGHT - LEFT));
    for (const row of treatmentRows) {
      const [point] = elementsOf(rowOf(root, row.metricId as number, row.expVariantId), 'circle', 'point');
      expect(numberAttribute(point, 'cx')).toBe(xOf(row.diff));
    }
    const [zero] = elementsOf(root, 'line', 'zero');
    expect(numberAttribute(zero, 'x1')).toBe(xOf(0));
    const [domain] = elementsOf(root, 'line', 'domain');
    expect([numberAttribute(domain, 'x1'), numberAttribute(domain, 'x2')]).toEqual([LEFT, RIGHT]);
  });

  it('colours rows by verdict: significant increase, significant decrease, inconclusive', () => {
    // Two proportions of 10,000 units each: b 11.5% vs 10%, z = 0.015 / sqrt(0.1 * 0.9 / 10^4 + 0.115 * 0.885 /
    // 10^4) ~ 3.4; c 8.8%, z ~ -2.9; d 10.1%, z ~ 0.24 (inconclusive at 95%).
    expect([
      metricRow(1, 'b').significant,
      metricRow(1, 'c').significant,
      metricRow(1, 'd').significant,
    ]).toEqual([true, true, false]);
    const root = parseSvg(renderForestPlot(evaluation, { controlVariant: 'a' }));
    const verdictAndColor = (variant: string) => {
      const row = rowOf(root, 1, variant);
      const [point] = elementsOf(row, 'circle', 'point');
      const [interval] = elementsOf(row, 'line', 'interval');
      expect(interval?.attributes.stroke).toBe(point?.attributes.fill);
      return [row.attributes['data-verdict'], point?.attributes.fill];
    };
    expect(verdictAndColor('b')).toEqual(['increase', PLOT_PALETTE.increase]);
    expect(verdictAndColor('c')).toEqual(['decrease', PLOT_PALETTE.decrease]);
    expect(verdictAndColor('d')).toEqual(['inconclusive', PLOT_PALETTE.inconclusive]);
    expect(new Set([PLOT_PALETTE.increase, PLOT_PALETTE.decrease, PLOT_PALETTE.inconclusive]).size).toBe(3);
  });

  it('says better or worse by the direction a metric should move', () => {
    const lowerClicks = metric(1, 'Clicks <&">', 'click', { preferredDirection: 'lower' });
    const lower = renderForestPlot(evaluation, { controlVariant: 'a', metrics: [lowerClicks] });
    const root = parseSvg(lower);
    const verdict = (variant: string) => rowOf(root, 1, variant).attributes['data-verdict'];
    // Fewer clicks are better here: b's significant increase is worse, c's significant decrease better.
    expect([verdict('b'), verdict('c'), verdict('d')]).toEqual(['worse', 'better', 'inconclusive']);
    const [pointB] = elementsOf(rowOf(root, 1, 'b'), 'circle', 'point');
    const [pointC] = elementsOf(rowOf(root, 1, 'c'), 'circle', 'point');
    expect([pointB?.attributes.fill, pointC?.attributes.fill]).toEqual([
      PLOT_PALETTE.worse,
      PLOT_PALETTE.better,
    ]);
    const higherClicks = metric(1, 'Clicks <&">', 'click', { preferredDirection: 'higher' });
    const higher = parseSvg(renderForestPlot(evaluation, { controlVariant: 'a', metrics: [higherClicks] }));
    expect(rowOf(higher, 1, 'b').attributes['data-verdict']).toBe('better');
    expect(rowOf(higher, 1, 'c').attributes['data-verdict']).toBe('worse');
  });

  it('escapes names: the label reads back as written and the raw text has no unescaped character', () => {
    const svg = renderForestPlot(evaluation, { controlVariant: 'a', title: 'Lifts of <e> & "more"' });
    const root = parseSvg(svg);
    const [label] = elementsOf(rowOf(root, 1, 'b'), 'text', 'label');
    expect(label?.text).toBe('Clicks <&"> — b');
    expect(svg).not.toContain('Clicks <');
    expect(svg).toContain('Clicks &lt;&amp;&quot;&gt; — b');
    expect(root.children[0]?.text).toBe('Lifts of <e> & "more"');
  });

  it('draws an open bound of a one-sided metric as an arrow to the edge of the plot area', () => {
    const row = metricRow(2, 'b');
    expect(row.confidenceUpper).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(row.confidenceLower)).toBe(true);
    const root = parseSvg(renderForestPlot(evaluation, { controlVariant: 'a', domain: [-0.5, 0.5] }));
    const element = rowOf(root, 2, 'b');
    const [interval] = elementsOf(element, 'line', 'interval');
    expect(numberAttribute(interval, 'x2')).toBe(RIGHT);
    expect(numberAttribute(interval, 'x1')).toBe(round2(LEFT + (row.confidenceLower + 0.5) * (RIGHT - LEFT)));
    const arrows = elementsOf(element, 'polygon', 'open-bound');
    expect(arrows.map((arrow) => arrow.attributes['data-bound'])).toEqual(['upper']);
    // The arrow's tip (its first point) is on the edge, at the row's height.
    const [tip] = (arrows[0]?.attributes.points ?? '').split(' ');
    expect(tip).toBe(`${RIGHT},${interval?.attributes.y1}`);
    // Two-sided rows have no arrow; a finite bound beyond the given domain is an open one too.
    expect(elementsOf(rowOf(root, 1, 'b'), 'polygon', 'open-bound')).toHaveLength(0);
    const narrow = parseSvg(renderForestPlot(evaluation, { controlVariant: 'a', domain: [-0.1, 0.1] }));
    const bArrows = elementsOf(rowOf(narrow, 1, 'b'), 'polygon', 'open-bound');
    // b: +4.5% to +25.5%: the upper bound is beyond +10%.
    expect(bArrows.map((arrow) => arrow.attributes['data-bound'])).toEqual(['upper']);
    // A domain without 0 has no zero line.
    const positive = parseSvg(renderForestPlot(evaluation, { controlVariant: 'a', domain: [0.05, 0.3] }));
    expect(elementsOf(positive, 'line', 'zero')).toHaveLength(0);
  });

  it('groups the rows of each segment under a heading after the overall rows', () => {
    const segmented = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [CLICKS],
      breakdowns: ['country'],
    }).evaluateAggSegments([...goalRows({ country: 'CZ' }, 2), ...goalRows({ country: 'SK' })]);
    const root = parseSvg(renderForestPlot(segmented, { controlVariant: 'a' }));
    // Rows and headings in drawing order.
    const lines = findRowsAndHeadings(root);
    expect(lines).toEqual([
      'heading Overall',
      'row 1/b',
      'row 1/c',
      'row 1/d',
      'heading country = CZ',
      'row 1/b',
      'row 1/c',
      'row 1/d',
      'heading country = SK',
      'row 1/b',
      'row 1/c',
      'row 1/d',
    ]);
    const headings = elementsOf(root, 'g', 'heading');
    expect(
      headings.slice(1).map((h) => [h.attributes['data-breakdown'], h.attributes['data-value']]),
    ).toEqual([
      ['country', 'CZ'],
      ['country', 'SK'],
    ]);
    // Each line takes one row height, in order from the top margin.
    const centres = elementsOf(root, 'text').filter(
      (t) => t.attributes.class === 'label' || t.attributes['font-weight'],
    );
    expect(centres.map((t) => numberAttribute(t, 'y'))).toEqual(
      lines.map((_, index) => 8 + (index + 0.5) * ROW_HEIGHT),
    );
  });

  it('lists a row whose diff is NaN as n/a, without a mark', () => {
    const withEmptyVariant = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [CLICKS],
      variants: ['a', 'b', 'e'],
    }).evaluateAgg(goalRows().filter((row) => row.exp_variant_id === 'a' || row.exp_variant_id === 'b'));
    const empty = withEmptyVariant.metrics.find((row) => row.expVariantId === 'e');
    expect(empty?.diff).toBeNaN();
    const root = parseSvg(renderForestPlot(withEmptyVariant, { controlVariant: 'a' }));
    const element = rowOf(root, 1, 'e');
    expect(element.attributes['data-verdict']).toBe('untested');
    expect(elementsOf(element, 'text', 'na').map((t) => t.text)).toEqual(['n/a']);
    expect(elementsOf(element, 'circle')).toHaveLength(0);
    expect(elementsOf(element, 'line')).toHaveLength(0);
    expect(elementsOf(rowOf(root, 1, 'b'), 'circle')).toHaveLength(1);
  });

  it('cuts a label longer than the label column, keeping it whole in the row title', () => {
    const long = metric(1, 'Net revenue per user after refunds and cancellations', 'click');
    const named = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [long] });
    const root = parseSvg(renderForestPlot(named.evaluateAgg(goalRows()), { controlVariant: 'a' }));
    const row = rowOf(root, 1, 'b');
    const [label] = elementsOf(row, 'text', 'label');
    // 240 px of labels less 16 px of margin, at 7 px a character: 32 characters, the last an ellipsis.
    expect(label?.text).toBe('Net revenue per user after refu…');
    expect(elementsOf(row, 'title')[0]?.text).toContain(
      'Net revenue per user after refunds and cancellations — b',
    );
  });

  it('is deterministic and validates its options', () => {
    expect(renderForestPlot(evaluation, { controlVariant: 'a' })).toBe(
      renderForestPlot(experiment.evaluateAgg(goalRows(), { timestamp: 1 }), { controlVariant: 'a' }),
    );
    expect(() => renderForestPlot(evaluation, { controlVariant: 'a', domain: [0.1, -0.1] })).toThrow(
      ValidationError,
    );
    expect(() => renderForestPlot(evaluation, { controlVariant: 'a', width: 0 })).toThrow(ValidationError);
    const custom = parseSvg(renderForestPlot(evaluation, { controlVariant: 'a', id: 'lifts', width: 900 }));
    expect(custom.attributes.id).toBe('lifts');
    expect(custom.children[0]?.attributes.id).toBe('lifts-title');
    expect(custom.attributes.viewBox?.startsWith('0 0 900 ')).toBe(true);
  });
});

function findRowsAndHeadings(root: XmlElement): string[] {
  return root.children.flatMap((child) => {
    if (child.name !== 'g') return [];
    if (child.attributes.class === 'heading') return [`heading ${child.children[0]?.text ?? ''}`];
    if (child.attributes.class === 'row') {
      return [`row ${child.attributes['data-metric-id']}/${child.attributes['data-variant']}`];
    }
    return [];
  });
}
