import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/validation-error.js';
import { powerFromSampleSizes } from '../../src/statistics/power.js';
import { requiredSampleSizePerVariant } from '../../src/statistics/required-sample-size.js';
import { decodeNumber, type FixtureNumber, MismatchLog, readFixture } from '../support/fixtures.js';
import { thrown } from '../support/thrown.js';

type ReferenceRow = Record<string, FixtureNumber | string>;

describe('powerFromSampleSizes', () => {
  it('reproduces the reference rows to 1e-9', () => {
    const log = new MismatchLog();
    for (const file of [
      'fixture-test_metric_with_minimum_effect.json',
      'fixture-test_false_positive_risk.json',
    ]) {
      const rows = readFixture<{ expected: { metrics: ReferenceRow[] } }>(`reference-outputs/${file}`)
        .expected.metrics;
      const variants = new Set(rows.map((row) => row.exp_variant_id)).size;
      for (const row of rows) {
        const expected = decodeNumber(row.power);
        if (Number.isNaN(expected)) continue;
        const actual = powerFromSampleSizes({
          nVariants: variants,
          sampleSize: decodeNumber(row.sample_size),
          requiredSampleSize: decodeNumber(row.required_sample_size),
          confidenceLevel: decodeNumber(row.confidence_level),
        });
        log.check(`${file} metric ${row.metric_id} variant ${row.exp_variant_id}`, actual, expected, {
          relative: 1e-9,
          absolute: 1e-12,
        });
      }
    }
    expect(log.mismatches).toEqual([]);
  });

  interface PowerCase {
    nVariants: number;
    sampleSize: number;
    requiredSampleSize: number;
    confidenceLevel: number;
    expected: FixtureNumber;
  }

  it('equals the formula evaluated with SciPy to 1e-12 (scripts/generate-statistics-fixtures.py)', () => {
    const { power } = readFixture<{ power: PowerCase[] }>('statistics.json');
    const log = new MismatchLog();
    power.forEach(({ expected, ...input }, index) => {
      log.check(`case ${index}`, powerFromSampleSizes(input), decodeNumber(expected), {
        relative: 1e-12,
        absolute: 1e-300,
      });
    });
    expect(log.mismatches).toEqual([]);
  });

  it('returns the target power when the sample size reaches the (unrounded) requirement', () => {
    expect(
      powerFromSampleSizes({
        nVariants: 3,
        sampleSize: 1234,
        requiredSampleSize: 1234,
        confidenceLevel: 0.95,
        power: 0.9,
      }),
    ).toBeCloseTo(0.9, 14);
    const required = requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.05, mean: 1, std: 2 });
    const reached = powerFromSampleSizes({
      nVariants: 2,
      sampleSize: required,
      requiredSampleSize: required,
      confidenceLevel: 0.95,
    });
    expect(reached).toBeCloseTo(0.8, 12);
  });

  it('is NaN with fewer than two variants or a required sample size of 0', () => {
    expect(
      powerFromSampleSizes({ nVariants: 1, sampleSize: 10, requiredSampleSize: 10, confidenceLevel: 0.95 }),
    ).toBeNaN();
    expect(
      powerFromSampleSizes({ nVariants: 2, sampleSize: 10, requiredSampleSize: 0, confidenceLevel: 0.95 }),
    ).toBeNaN();
    expect(
      powerFromSampleSizes({
        nVariants: 2,
        sampleSize: 10,
        requiredSampleSize: Number.NaN,
        confidenceLevel: 0.95,
      }),
    ).toBeNaN();
  });

  it.each([
    ['confidenceLevel', 1],
    ['power', 0],
    ['power', 1.2],
  ])('rejects %s %s, naming it (it must be strictly between 0 and 1)', (field, value) => {
    const input = {
      nVariants: 2,
      sampleSize: 500,
      requiredSampleSize: 500,
      confidenceLevel: 0.95,
      [field]: value,
    };
    const caught = thrown(() => powerFromSampleSizes(input));
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).path).toEqual([field]);
    expect((caught as ValidationError).message).toBe(
      `\`${field}\` must be strictly between 0 and 1, received ${value}.`,
    );
  });

  it('rejects an unknown input key, suggesting the closest known one', () => {
    const input = {
      nVariants: 2,
      sampleSize: 500,
      requiredSampleSize: 500,
      confidenceLevel: 0.95,
      powr: 0.9,
    };
    const caught = thrown(() => powerFromSampleSizes(input));
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).path).toEqual(['powr']);
    expect((caught as ValidationError).message).toBe(
      'Unknown option `powr` of powerFromSampleSizes (did you mean `power`?). ' +
        'Known options: nVariants, sampleSize, requiredSampleSize, confidenceLevel, power, alternative',
    );
  });
});
