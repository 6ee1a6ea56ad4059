import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/validation-error.js';
import { falsePositiveRisk } from '../../src/statistics/false-positive-risk.js';
import { decodeNumber, type FixtureNumber, readFixture } from '../support/fixtures.js';
import { thrown } from '../support/thrown.js';

type ReferenceRow = Record<string, FixtureNumber | string>;

describe('falsePositiveRisk', () => {
  it('reproduces the reference rows (null hypothesis rate 0.1) to 1e-9', () => {
    const reference = readFixture<{
      request: { null_hypothesis_rate: number };
      expected: { metrics: ReferenceRow[] };
    }>('reference-outputs/fixture-test_false_positive_risk.json');
    for (const row of reference.expected.metrics) {
      const expected = decodeNumber(row.false_positive_risk);
      const actual = falsePositiveRisk({
        pValue: decodeNumber(row.p_value),
        power: decodeNumber(row.power),
        nullHypothesisRate: reference.request.null_hypothesis_rate,
        confidenceLevel: decodeNumber(row.confidence_level),
      });
      const label = `metric ${row.metric_id} variant ${row.exp_variant_id}`;
      if (Number.isNaN(expected)) {
        expect(actual, label).toBeNaN();
      } else {
        expect(Math.abs(actual - expected) / expected, label).toBeLessThan(1e-9);
      }
    }
  });

  it('is p pi / (p pi + power (1 - pi)) for a significant result', () => {
    // 0.01 * 0.5 / (0.01 * 0.5 + 0.8 * 0.5) = 0.005 / 0.405
    expect(
      falsePositiveRisk({ pValue: 0.01, power: 0.8, nullHypothesisRate: 0.5, confidenceLevel: 0.95 }),
    ).toBeCloseTo(0.005 / 0.405, 15);
  });

  it('is NaN without a null hypothesis rate or for a result that is not significant', () => {
    for (const nullHypothesisRate of [undefined, null, Number.NaN]) {
      expect(
        falsePositiveRisk({ pValue: 0.01, power: 0.8, nullHypothesisRate, confidenceLevel: 0.95 }),
      ).toBeNaN();
    }
    expect(
      falsePositiveRisk({ pValue: 0.06, power: 0.8, nullHypothesisRate: 0.5, confidenceLevel: 0.95 }),
    ).toBeNaN();
  });

  it('is NaN, not an error, when the denominator is 0 (deviation from the reference)', () => {
    expect(
      falsePositiveRisk({ pValue: 0.01, power: 0, nullHypothesisRate: 0, confidenceLevel: 0.95 }),
    ).toBeNaN();
    expect(
      falsePositiveRisk({ pValue: 0, power: 0, nullHypothesisRate: 0.5, confidenceLevel: 0.95 }),
    ).toBeNaN();
  });

  it('rejects an unknown input key, suggesting the closest known one', () => {
    const input = { pvalue: 0.01, power: 0.8, nullHypothesisRate: 0.5, confidenceLevel: 0.95 };
    const caught = thrown(() => falsePositiveRisk(input as never));
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).path).toEqual(['pvalue']);
    expect((caught as ValidationError).message).toBe(
      'Unknown option `pvalue` of falsePositiveRisk (did you mean `pValue`?). ' +
        'Known options: pValue, power, nullHypothesisRate, confidenceLevel',
    );
  });
});
