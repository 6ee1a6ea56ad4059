import { describe, expect, it } from 'vitest';
import { smallSampleCells } from '../../src/experiment/small-sample.js';
import { Experiment } from '../../src/index.js';
import { binaryGoalRows, clickThroughRate } from '../support/binary-goals.js';

/** One metric of two variants (control first): `[count, sumValue, sumSqrValue]` per variant. */
function flags(control: readonly number[], treatment: readonly number[], countsUnits = true): number[] {
  return [
    ...smallSampleCells({
      variantCount: 2,
      controlIndex: 0,
      count: Float64Array.of(control[0]!, treatment[0]!),
      sumValue: Float64Array.of(control[1]!, treatment[1]!),
      sumSqrValue: Float64Array.of(control[2]!, treatment[2]!),
      countsUnits: [countsUnits],
    }),
  ];
}

describe('smallSampleCells', () => {
  it('passes a binary comparison with 1,000 units and 200 conversions and 800 non-conversions', () => {
    expect(flags([1000, 200, 200], [1000, 800, 800])).toEqual([0, 0]);
  });

  it('flags a binary treatment with 199 conversions', () => {
    expect(flags([1000, 200, 200], [1000, 199, 199])).toEqual([0, 1]);
  });

  it('flags a binary treatment with 199 non-conversions (801 of 1,000 units converted)', () => {
    expect(flags([1000, 200, 200], [1000, 801, 801])).toEqual([0, 1]);
  });

  it('flags every treatment when the control has 999 units', () => {
    expect(flags([999, 500, 500], [5000, 2500, 2500])).toEqual([0, 1]);
  });

  it('reads effective units sumValue^2 / sumSqrValue of a continuous metric: 1000^2 / 5000 = 200 passes', () => {
    expect(flags([1000, 1000, 5000], [1000, 1000, 5000])).toEqual([0, 0]);
    // 1000^2 / 5001 = 199.96
    expect(flags([1000, 1000, 5001], [1000, 1000, 5000])).toEqual([0, 1]);
  });

  it('flags a comparison whose nominator is all zeros (effective units 0 / 0)', () => {
    expect(flags([5000, 0, 0], [5000, 300, 300])).toEqual([0, 1]);
  });

  it('skips the units and non-conversion rules when the denominator does not count units', () => {
    // count 10 is a value sum, not units; 1000^2 / 2000 = 500 effective units
    expect(flags([10, 1000, 2000], [10, 1000, 2000], false)).toEqual([0, 0]);
    // 0/1 nominator with a value denominator: 300 conversions, count - sumValue is not read
    expect(flags([250, 300, 300], [250, 300, 300], false)).toEqual([0, 0]);
  });

  it('flags per metric and treatment, never the control column', () => {
    // 2 metrics x 3 variants, control in column 1
    const cells = smallSampleCells({
      variantCount: 3,
      controlIndex: 1,
      count: Float64Array.of(2000, 2000, 500, 2000, 2000, 2000),
      sumValue: Float64Array.of(400, 400, 100, 400, 150, 400),
      sumSqrValue: Float64Array.of(400, 400, 100, 400, 150, 400),
      countsUnits: [true, true],
    });
    expect([...cells]).toEqual([0, 0, 1, 1, 0, 1]);
  });
});

const ctr = clickThroughRate();

const conversion = new Experiment({
  id: 'test-conversion',
  controlVariant: 'a',
  unitType: 'test_unit_type',
  metrics: [ctr],
});

describe('small-sample warning', () => {
  it('evaluateAgg warns once per metric, listing the treatments below the regime', () => {
    const evaluation = conversion.evaluateAgg(
      binaryGoalRows([
        ['a', 300, 3000],
        ['b', 150, 3000],
        ['c', 310, 3000],
        ['d', 290, 900],
      ]),
    );
    const warnings = evaluation.warnings.filter((warning) => warning.code === 'small-sample');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ metricIds: [1], variants: ['b', 'd'] });
    expect(warnings[0]?.message).toBe(
      "Metric 'CTR': the comparisons of variants b, d with the control a have fewer than 1,000 units or fewer " +
        'than 200 effective units (conversions, for a 0/1 metric) in a variant; below that the false positive ' +
        'rate is above nominal (see https://github.com/ep-stats/ep-stats-ts/blob/main/docs/statistics.md, Calibration).',
    );
  });

  it('evaluateAgg does not warn with 1,000 units and 200 conversions in every variant', () => {
    const evaluation = conversion.evaluateAgg(
      binaryGoalRows([
        ['a', 200, 1000],
        ['b', 210, 1000],
      ]),
    );
    expect(evaluation.warnings.map((warning) => warning.code)).not.toContain('small-sample');
  });
});
