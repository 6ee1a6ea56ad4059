/**
 * The exposure chart of ep-stats/report: a bar per variant on a linear axis from 0, value labels, and the
 * expected counts of a planned split as ticks.
 */
import { describe, expect, it } from 'vitest';
import { Experiment, Metric, ValidationError } from '../../src/index.js';
import { PLOT_PALETTE, renderExposureChart } from '../../src/report/index.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { elementsOf, numberAttribute } from '../support/xml-tree.js';
import { axisTicks, expectTwoDecimals, parseSvg, round2 } from './svg-assertions.js';

/** The documented defaults: 720 wide, labels 120 wide; 72 px right of the plot area for the value labels. */
const LEFT = 120;
const RIGHT = 720 - 72;

const EXPOSURES: Readonly<Record<string, number>> = { a: 10_200, b: 9_800, 'c&<d>': 20_500 };
const evaluation = new Experiment({
  id: 'e',
  controlVariant: 'a',
  unitType: 'u',
  metrics: [
    new Metric({
      id: 1,
      name: 'CTR',
      nominator: 'count(u.unit.click)',
      denominator: 'count(u.global.exposure)',
    }),
  ],
}).evaluateAgg(
  Object.entries(EXPOSURES).flatMap(([variant, units]) => [
    aggregatedGoalRow(variant, 'exposure', units),
    aggregatedGoalRow(variant, 'click', units / 10),
  ]),
);

describe('renderExposureChart', () => {
  it("draws a bar per variant in the evaluation's order, its length proportional to the exposures", () => {
    const svg = renderExposureChart(evaluation);
    const root = parseSvg(svg);
    expectTwoDecimals(svg);
    const bars = elementsOf(root, 'rect', 'bar');
    expect(bars.map((bar) => bar.attributes['data-variant'])).toEqual(
      evaluation.exposures.map((r) => r.expVariantId),
    );
    expect(bars.map((bar) => bar.attributes['data-variant'])).toEqual(['a', 'b', 'c&<d>']);
    // The axis from 0 to the largest count rounded out to a tick: 20,500 -> at least 20,500 and a step beyond.
    const ticks = axisTicks(root, 'x-axis');
    const high = ticks.at(-1) ?? Number.NaN;
    const step = (ticks[1] ?? Number.NaN) - (ticks[0] ?? Number.NaN);
    expect(ticks[0]).toBe(0);
    expect(high).toBeGreaterThanOrEqual(20_500);
    expect(high).toBeLessThan(20_500 + step);
    expect(high).toBe(25_000);
    for (const bar of bars) {
      const exposures = EXPOSURES[bar.attributes['data-variant'] ?? ''] ?? Number.NaN;
      expect(numberAttribute(bar, 'x')).toBe(LEFT);
      expect(numberAttribute(bar, 'width')).toBe(round2((exposures / high) * (RIGHT - LEFT)));
      expect(bar.attributes.fill).toBe(PLOT_PALETTE.bar);
    }
    // Value labels with thousands separators, right of each bar.
    expect(elementsOf(root, 'text', 'value').map((label) => label.text)).toEqual([
      '10,200',
      '9,800',
      '20,500',
    ]);
    expect(elementsOf(root, 'text', 'label').map((label) => label.text)).toEqual(['a', 'b', 'c&<d>']);
    expect(elementsOf(root, 'line', 'expected')).toHaveLength(0);
  });

  it('marks the expected count of each variant of a planned split: total * w / sum(w)', () => {
    const root = parseSvg(renderExposureChart(evaluation, { expectedWeights: { a: 1, b: 1, 'c&<d>': 2 } }));
    const total = 10_200 + 9_800 + 20_500;
    const expected = { a: total / 4, b: total / 4, 'c&<d>': total / 2 };
    const ticks = axisTicks(root, 'x-axis');
    const high = ticks.at(-1) ?? Number.NaN;
    // The largest count, now the expected 20,250 or the observed 20,500, still fits under 25,000.
    expect(high).toBe(25_000);
    const lines = elementsOf(root, 'line', 'expected');
    expect(lines.map((line) => line.attributes['data-variant'])).toEqual(['a', 'b', 'c&<d>']);
    for (const line of lines) {
      const count = expected[line.attributes['data-variant'] as keyof typeof expected];
      expect(numberAttribute(line, 'data-expected')).toBe(round2(count));
      expect(numberAttribute(line, 'x1')).toBe(round2(LEFT + (count / high) * (RIGHT - LEFT)));
      expect(numberAttribute(line, 'x2')).toBe(numberAttribute(line, 'x1'));
    }
  });

  it('leaves variants without a weight out of the expected counts', () => {
    // Only a and b are weighted, 9:1: their 20,000 units are expected as 18,000 and 2,000.
    const root = parseSvg(renderExposureChart(evaluation, { expectedWeights: { a: 0.9, b: 0.1 } }));
    const lines = elementsOf(root, 'line', 'expected');
    expect(
      lines.map((line) => [line.attributes['data-variant'], numberAttribute(line, 'data-expected')]),
    ).toEqual([
      ['a', 18_000],
      ['b', 2_000],
    ]);
  });

  it('rejects weights that cannot define a split', () => {
    expect(() => renderExposureChart(evaluation, { expectedWeights: { a: -1, b: 1 } })).toThrow(
      ValidationError,
    );
    expect(() => renderExposureChart(evaluation, { expectedWeights: { a: 0, b: 0 } })).toThrow(
      ValidationError,
    );
    expect(() => renderExposureChart(evaluation, { expectedWeights: { a: Number.NaN } })).toThrow(
      ValidationError,
    );
  });

  it('writes the ticks of small counts in fixed notation, never as exponents', () => {
    const small = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u' }).evaluateAgg([
      aggregatedGoalRow('a', 'exposure', 274),
      aggregatedGoalRow('b', 'exposure', 256),
    ]);
    const labels = elementsOf(parseSvg(renderExposureChart(small)), 'g', 'x-axis').flatMap((axis) =>
      elementsOf(axis, 'text').map((text) => text.text),
    );
    expect(labels.length).toBeGreaterThan(2);
    for (const label of labels) expect(label).toMatch(/^\d{1,3}(,\d{3})*(\.\d+)?$/);
    expect(labels).toContain('100');
  });

  it('escapes variant names and is deterministic', () => {
    const svg = renderExposureChart(evaluation, { expectedWeights: { a: 1, b: 1, 'c&<d>': 2 } });
    expect(svg).toContain('data-variant="c&amp;&lt;d&gt;"');
    expect(svg).not.toContain('c&<d>');
    expect(renderExposureChart(evaluation, { expectedWeights: { a: 1, b: 1, 'c&<d>': 2 } })).toBe(svg);
    const root = parseSvg(svg);
    expect(root.children[1]?.text).toBe(
      'Exposed units per variant. a: 10,200 (expected 10,125); b: 9,800 (expected 10,125); c&<d>: 20,500 (expected 20,250).',
    );
  });
});
