import { describe, expect, it } from 'vitest';
import { EpStatsError } from '../../src/errors/ep-stats-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';
import {
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
} from '../../src/statistics/required-sample-size.js';
import { decodeNumber, type FixtureNumber, readFixture } from '../support/fixtures.js';
import { thrown } from '../support/thrown.js';

type ReferenceRow = Record<string, FixtureNumber | string>;

interface ReferenceCase {
  request: { control_variant: string; metrics: { id: number; minimum_effect: number | null }[] };
  expected: { metrics: ReferenceRow[] };
}

describe('requiredSampleSizePerVariant', () => {
  it('needs 56512 units for a 10 % effect on mean 0.2 with std 1.2 (two variants)', () => {
    expect(requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2 })).toBe(
      56512,
    );
  });

  it('reproduces the reference rows with a minimum effect', () => {
    for (const file of [
      'fixture-test_metric_with_minimum_effect.json',
      'fixture-test_false_positive_risk.json',
    ]) {
      const reference = readFixture<ReferenceCase>(`reference-outputs/${file}`);
      const rows = reference.expected.metrics;
      const variants = new Set(rows.map((row) => row.exp_variant_id)).size;
      for (const row of rows) {
        const expected = decodeNumber(row.required_sample_size);
        if (Number.isNaN(expected)) continue;
        const control = rows.find(
          (candidate) =>
            candidate.metric_id === row.metric_id &&
            candidate.exp_variant_id === reference.request.control_variant,
        )!;
        const actual = requiredSampleSizePerVariant({
          nVariants: variants,
          minimumEffect: decodeNumber(row.minimum_effect),
          mean: decodeNumber(control.mean),
          std: decodeNumber(control.std),
          std2: decodeNumber(row.std),
          confidenceLevel: decodeNumber(row.confidence_level),
        });
        expect(actual, `${file} metric ${row.metric_id} variant ${row.exp_variant_id}`).toBe(expected);
      }
    }
  });

  interface SampleSizeCase {
    nVariants: number;
    minimumEffect: number;
    mean: number;
    std: number;
    std2: number | null;
    confidenceLevel: number;
    power: number;
    expected: FixtureNumber;
  }

  it('equals the formula evaluated with SciPy on random inputs (scripts/generate-statistics-fixtures.py)', () => {
    const { requiredSampleSize } = readFixture<{ requiredSampleSize: SampleSizeCase[] }>('statistics.json');
    const mismatches = requiredSampleSize
      .map(({ std2, expected, ...input }) => ({
        ...input,
        expected: decodeNumber(expected),
        actual: requiredSampleSizePerVariant({ ...input, ...(std2 === null ? {} : { std2 }) }),
      }))
      .filter(({ actual, expected }) => actual !== expected);
    expect(mismatches).toEqual([]);
  });

  it('gives NaN for 0 / 0 and Infinity for x / 0 (zero mean)', () => {
    expect(requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0, std: 0 })).toBeNaN();
    expect(requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0, std: 1 })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('accepts a minimum effect of exactly zero (only negative ones are rejected)', () => {
    expect(requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0, mean: 1, std: 1 })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('keeps the reference degenerate answers: a standard deviation of 0 needs no units', () => {
    expect(requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 0 })).toBe(0);
    expect(
      requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 0, std2: 0 }),
    ).toBe(0);
  });

  it('passes a NaN standard deviation (of degenerate data) through as NaN', () => {
    expect(
      requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: Number.NaN }),
    ).toBeNaN();
  });

  it('rejects a negative minimum effect, naming `minimumEffect` and the value', () => {
    const error = thrown(() =>
      requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: -0.1, mean: 1, std: 1 }),
    ) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(EpStatsError);
    expect(error.code).toBe('validation');
    expect(error.message).toBe(
      '`minimumEffect` must be zero or greater (a relative effect: 0.05 is 5 %), received -0.1.',
    );
    expect(error.path).toEqual(['minimumEffect']);
  });

  it('rejects fewer than two variants, naming `nVariants`', () => {
    const error = thrown(() =>
      requiredSampleSizePerVariant({ nVariants: 1, minimumEffect: 0.1, mean: 1, std: 1 }),
    ) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      '`nVariants` must be at least 2 (the control and one other variant), received 1.',
    );
    expect(error.path).toEqual(['nVariants']);
  });

  it.each([
    ['std', { std: -1.2 }, '`std` must be zero or greater (a standard deviation), received -1.2.'],
    ['std2', { std2: -0.5 }, '`std2` must be zero or greater (a standard deviation), received -0.5.'],
  ])('rejects a negative %s', (field, change, message) => {
    const error = thrown(() =>
      requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2, ...change }),
    ) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect([error.path, error.message]).toEqual([[field], message]);
  });

  it.each([
    ['confidenceLevel', 0],
    ['confidenceLevel', 1],
    ['confidenceLevel', 1.5],
    ['confidenceLevel', Number.NaN],
    ['power', 0],
    ['power', 1],
    ['power', -0.2],
  ])('rejects %s %s (it must be strictly between 0 and 1)', (field, value) => {
    const input = { nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2, [field]: value };
    for (const compute of [
      () => requiredSampleSizePerVariant(input),
      () =>
        requiredSampleSizePerVariantBernoulli({
          nVariants: 2,
          minimumEffect: 0.1,
          mean: 0.2,
          [field]: value,
        }),
    ]) {
      const error = thrown(compute) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.path).toEqual([field]);
      expect(error.message).toBe(`\`${field}\` must be strictly between 0 and 1, received ${String(value)}.`);
    }
  });

  it('rejects an unknown input key, suggesting the closest known one', () => {
    const input = { nVariants: 2, minimumEfect: 0.1, mean: 0.2, std: 1.2 };
    const error = thrown(() => requiredSampleSizePerVariant(input as never)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.path).toEqual(['minimumEfect']);
    expect(error.message).toBe(
      'Unknown option `minimumEfect` of requiredSampleSizePerVariant (did you mean `minimumEffect`?). ' +
        'Known options: nVariants, minimumEffect, mean, std, std2, confidenceLevel, power, alternative, ' +
        'nonInferiorityMargin',
    );
  });
});

describe('requiredSampleSizePerVariantBernoulli', () => {
  it('needs 9489 units per variant for a 5 % lift of a 40 % rate with two variants, 11492 with three', () => {
    expect(requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 0.4 })).toBe(
      9489,
    );
    expect(requiredSampleSizePerVariantBernoulli({ nVariants: 3, minimumEffect: 0.05, mean: 0.4 })).toBe(
      11492,
    );
  });

  it('uses the Bernoulli deviations of the control rate and of the rate to detect', () => {
    const p = 0.4;
    const p2 = p * 1.05;
    expect(
      requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: p, power: 0.9 }),
    ).toBe(
      requiredSampleSizePerVariant({
        nVariants: 2,
        minimumEffect: 0.05,
        mean: p,
        std: Math.sqrt(p * (1 - p)),
        std2: Math.sqrt(p2 * (1 - p2)),
        power: 0.9,
      }),
    );
  });

  it('keeps the reference answer NaN for a rate of 0 or 1 (no variance)', () => {
    expect(requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 0 })).toBeNaN();
    expect(requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 1 })).toBeNaN();
  });

  it('rejects a rate outside [0, 1], naming `mean` and the value', () => {
    const message = (mean: number) =>
      (
        thrown(() =>
          requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean }),
        ) as Error
      ).message;
    const expected = (received: string) =>
      `\`mean\` must be a conversion rate between 0 and 1 (no \`std\` is given), received ${received}.`;
    expect(message(1.4)).toBe(expected('1.4'));
    expect(message(-0.5)).toBe(expected('-0.5'));
    expect(message(Number.NaN)).toBe(expected('NaN'));
    const error = thrown(() =>
      requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.05, mean: 1.4 }),
    ) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.path).toEqual(['mean']);
  });
});
