import { describe, expect, it } from 'vitest';
import { type AggregatedGoalRow, Experiment } from '../../src/index.js';
import { binaryGoalRows, clickThroughRate } from '../support/binary-goals.js';
import { mismatch } from '../support/fixtures.js';

const binaryRows = (variants: [string, number, number][]) =>
  binaryGoalRows(variants, { expId: 'x', unitType: unit });

const unit = 'u';
const ctr = clickThroughRate('u');

const evaluate = (control: string, rows: AggregatedGoalRow[]) =>
  new Experiment({ id: 'x', controlVariant: control, unitType: unit, metrics: [ctr] }).evaluateAgg(rows);

describe('deviations from the reference', () => {
  it('Holm adjusts the treatment rows when the control is not first', () => {
    // Control `b` sits between the treatments `a` and `c`. The raw p-values of each treatment against `b`
    // are those of the two-variant experiments; Holm over k = 2 treatments then gives
    // p_(1) = min(1, 2 p_(1)) and p_(2) = max(p_(1) adjusted, p_(2)).
    const data: [string, number, number][] = [
      ['a', 60, 1000],
      ['b', 50, 1000],
      ['c', 80, 1000],
    ];
    const rawA = evaluate('b', binaryRows([data[0]!, data[1]!])).metrics.find(
      (r) => r.expVariantId === 'a',
    )!.pValue;
    const rawC = evaluate('b', binaryRows([data[1]!, data[2]!])).metrics.find(
      (r) => r.expVariantId === 'c',
    )!.pValue;
    expect(rawC).toBeLessThan(rawA);
    const adjustedC = Math.min(1, 2 * rawC);
    const adjustedA = Math.max(adjustedC, rawA);

    const rows = evaluate('b', binaryRows(data)).metrics;
    expect(rows.map((r) => r.expVariantId)).toEqual(['a', 'b', 'c']);
    expect(mismatch(rows[0]!.pValue, adjustedA, { relative: 1e-12, absolute: 0 })).toBeUndefined();
    expect(rows[1]!.pValue).toBe(1);
    expect(mismatch(rows[2]!.pValue, adjustedC, { relative: 1e-12, absolute: 0 })).toBeUndefined();
    // the control's interval is not widened: it equals the two-variant control interval (0 width, diff 0)
    expect(rows[1]!.confidenceInterval).toBe(
      evaluate('b', binaryRows([data[0]!, data[1]!])).metrics[1]!.confidenceInterval,
    );
  });

  it('reports tiny p-values instead of 0', () => {
    // 10,000 of 100,000 vs 11,300 of 100,000 conversions: t = 8.862749757911573 with 199421 degrees of
    // freedom; SciPy: 2 * scipy.stats.t.sf(8.862749757911573, 199421) = 7.868606206393624e-19, while the
    // reference's 2 * (1 - t.cdf(...)) gives 0.
    const row = evaluate(
      'a',
      binaryRows([
        ['a', 10_000, 100_000],
        ['b', 11_300, 100_000],
      ]),
    ).metrics[1]!;
    expect(row.degreesOfFreedom).toBe(199421);
    expect(mismatch(row.testStat, 8.862749757911573, { relative: 1e-12, absolute: 0 })).toBeUndefined();
    expect(mismatch(row.pValue, 7.868606206393624e-19, { relative: 1e-9, absolute: 0 })).toBeUndefined();
  });
});
