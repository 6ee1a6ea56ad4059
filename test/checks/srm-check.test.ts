/**
 * `SrmCheck` with a planned allocation (`expectedWeights`): validation, matching weights to the evaluated
 * variants, and end to end through every evaluation entry point. Expected values are derived by hand next to
 * each assertion (chi-square closed forms: for 1 df `P[X > s] = erfc(sqrt(s / 2))`, for 2 df `exp(-s / 2)`).
 */
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalSource,
  type Evaluation,
  Experiment,
  Metric,
  type MetricSumsRow,
  SimpleSrmCheck,
  SrmCheck,
  type UnitGoalRow,
} from '../../src/index.js';
import { binomialBand } from '../calibration/binomial-band.js';
import { aggregatedGoalRow, unitGoalRow } from '../support/goal-rows.js';
import { thrownValidationError } from '../support/thrown.js';
import { uniform } from '../support/uniform.js';

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

/** The variables of check `checkId` in an evaluation, by variable id. */
function checkVariables(evaluation: Evaluation, checkId: number): Record<string, number> {
  return Object.fromEntries(
    evaluation.checks.filter((row) => row.checkId === checkId).map((row) => [row.variableId, row.value]),
  );
}

/** A source of per-variant exposures, as an evaluation gives a check. */
function exposures(variants: readonly string[] | undefined, counts: readonly number[]): AggregatedGoalSource {
  return {
    variantCount: counts.length,
    ...(variants === undefined ? {} : { variants }),
    column: () => counts,
  };
}

const planned = (denominator: string) =>
  new SrmCheck({ id: 1, name: 'SRM 90/10', denominator, expectedWeights: { a: 90, b: 10 } });
const equalSplit = (denominator: string) => new SrmCheck({ id: 2, name: 'SRM equal', denominator });

/*
 * The rollout: 903 units in control `a`, 97 in `b`, planned 90/10. Expected counts [900, 100]:
 * statistic 3^2 / 900 + 3^2 / 100 = 0.01 + 0.09 = 0.1, p = erfc(sqrt(0.05)) = 0.7518296340458492 (Python's
 * math.erfc; scipy.stats.chisquare([903, 97], [900, 100]) gives the same). Against an equal split, expected
 * [500, 500]: statistic 2 * 403^2 / 500 = 649.636, p = erfc(sqrt(324.818)) = 2.6808593556696306e-143.
 * At the default confidence level 0.999 the check passes when p >= 0.001.
 */
const PLANNED_STATISTIC = 0.1;
const PLANNED_P = 0.7518296340458492;
const EQUAL_STATISTIC = 649.636;
const EQUAL_P = 2.6808593556696306e-143;

function expectRollout(evaluation: Evaluation): void {
  const weighted = checkVariables(evaluation, 1);
  const equal = checkVariables(evaluation, 2);
  expect(Object.keys(weighted)).toEqual(['p_value', 'test_stat', 'confidence_level']);
  expect(relativeError(weighted.test_stat!, PLANNED_STATISTIC)).toBeLessThan(1e-12);
  expect(relativeError(weighted.p_value!, PLANNED_P)).toBeLessThan(1e-12);
  expect(weighted.p_value).toBeGreaterThanOrEqual(1 - weighted.confidence_level!);
  expect(relativeError(equal.test_stat!, EQUAL_STATISTIC)).toBeLessThan(1e-12);
  expect(relativeError(equal.p_value!, EQUAL_P)).toBeLessThan(1e-9);
  expect(equal.p_value).toBeLessThan(1 - equal.confidence_level!);
  expect(evaluation.warnings.filter((warning) => warning.code === 'check-failed')).toEqual([]);
}

describe('SrmCheck expectedWeights: an unequal allocation passes at its plan and fails at an equal split', () => {
  it('evaluateAgg (aggregated goal rows)', () => {
    const denominator = 'count(u.global.exposure)';
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      checks: [planned(denominator), equalSplit(denominator)],
    });
    const evaluation = experiment.evaluateAgg([
      aggregatedGoalRow('a', 'exposure', 903),
      aggregatedGoalRow('b', 'exposure', 97),
    ]);
    expect(evaluation.exposures.map((row) => row.exposures)).toEqual([903, 97]);
    expectRollout(evaluation);
  });

  it('evaluateByUnit (one goal row per unit)', () => {
    const denominator = 'count(u.unit.exposure)';
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      checks: [planned(denominator), equalSplit(denominator)],
    });
    const rows: UnitGoalRow[] = [];
    for (let unit = 0; unit < 1000; unit++)
      rows.push(unitGoalRow(unit < 903 ? 'a' : 'b', `u${unit}`, 'exposure'));
    const evaluation = experiment.evaluateByUnit(rows);
    expect(evaluation.exposures.map((row) => row.exposures)).toEqual([903, 97]);
    expectRollout(evaluation);
  });

  it('evaluateMetricSums (the exposed units of the metric sums)', () => {
    const denominator = 'count(u.global.exposure)';
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [new Metric({ id: 1, name: 'Orders', nominator: 'count(u.unit.order)', denominator })],
      checks: [planned(denominator), equalSplit(denominator)],
    });
    const row = (variant: string, units: number): MetricSumsRow => ({
      exp_id: 'e',
      exp_variant_id: variant,
      metric_id: 1,
      units,
      sum_x: units,
      sum_x2: units,
      sum_y: units,
      sum_y2: units,
      sum_xy: units,
    });
    expectRollout(experiment.evaluateMetricSums([row('a', 903), row('b', 97)]));
  });

  it('evaluateWideAgg with SimpleSrmCheck, which shares the option', () => {
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'test_unit_type',
      checks: [
        new SimpleSrmCheck({
          id: 1,
          name: 'SRM 90/10',
          denominator: 'views',
          expectedWeights: { a: 0.9, b: 0.1 },
        }),
        new SimpleSrmCheck({ id: 2, name: 'SRM equal', denominator: 'views' }),
      ],
    });
    expectRollout(
      experiment.evaluateWideAgg([
        { exp_id: 'e', variant: 'a', views: 903 },
        { exp_id: 'e', variant: 'b', views: 97 },
      ]),
    );
  });

  it('three variants 80/10/10: 7,900 / 1,060 / 1,040 passes (p = exp(-3.225)) and an equal split fails', () => {
    // Expected [8000, 1000, 1000]: 100^2 / 8000 + 60^2 / 1000 + 40^2 / 1000 = 6.45; 2 df: p = exp(-6.45 / 2).
    // Equal split, expected 10000 / 3 each: (7900^2 + 1060^2 + 1040^2) * 3 / 10000 - 10000 = 9384.56.
    const denominator = 'count(u.global.exposure)';
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      checks: [
        new SrmCheck({ id: 1, name: 'SRM', denominator, expectedWeights: { c: 10, b: 10, a: 80 } }),
        equalSplit(denominator),
      ],
    });
    const evaluation = experiment.evaluateAgg([
      aggregatedGoalRow('c', 'exposure', 1040),
      aggregatedGoalRow('a', 'exposure', 7900),
      aggregatedGoalRow('b', 'exposure', 1060),
    ]);
    const weighted = checkVariables(evaluation, 1);
    expect(relativeError(weighted.test_stat!, 6.45)).toBeLessThan(1e-12);
    expect(relativeError(weighted.p_value!, Math.exp(-3.225))).toBeLessThan(1e-12);
    expect(weighted.p_value).toBeGreaterThan(0.001);
    const equal = checkVariables(evaluation, 2);
    expect(relativeError(equal.test_stat!, 9384.56)).toBeLessThan(1e-12);
    expect(equal.p_value).toBe(0);
  });
});

describe('SrmCheck expectedWeights that do not match the evaluated variants', () => {
  const denominator = 'count(u.global.exposure)';
  const rows = [aggregatedGoalRow('a', 'exposure', 903), aggregatedGoalRow('b', 'exposure', 97)];

  it('a variant of the data without a weight fails the check with a check-failed warning naming it', () => {
    const experiment = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      checks: [
        new SrmCheck({ id: 1, name: 'SRM', denominator, expectedWeights: { a: 90 } }),
        equalSplit(denominator),
      ],
    });
    const evaluation = experiment.evaluateAgg(rows);
    expect(checkVariables(evaluation, 1)).toEqual({});
    // The other check is still evaluated: 2 * 403^2 / 500.
    expect(relativeError(checkVariables(evaluation, 2).test_stat!, EQUAL_STATISTIC)).toBeLessThan(1e-12);
    const failed = evaluation.warnings.filter((warning) => warning.code === 'check-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ checkId: 1 });
    expect(failed[0]!.message).toContain("no weight for variant 'b' of the data");
  });

  it('a weighted variant without rows fails the check, naming it, unless the experiment lists it', () => {
    const check = new SrmCheck({ id: 1, name: 'SRM', denominator, expectedWeights: { a: 80, b: 10, c: 10 } });
    const derived = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', checks: [check] });
    const failed = derived.evaluateAgg(rows).warnings.filter((warning) => warning.code === 'check-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toContain("names variant 'c', not among the evaluated variants 'a', 'b'");
    // Listed, `c` is evaluated with 0 exposures: expected [800, 100, 100],
    // 103^2 / 800 + 3^2 / 100 + 100^2 / 100 = 113.35125, 2 df: p = exp(-113.35125 / 2) = 2.4327e-25.
    const listed = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      variants: ['a', 'b', 'c'],
      checks: [check],
    });
    const evaluation = listed.evaluateAgg(rows);
    const variables = checkVariables(evaluation, 1);
    expect(relativeError(variables.test_stat!, 113.35125)).toBeLessThan(1e-12);
    expect(relativeError(variables.p_value!, Math.exp(-113.35125 / 2))).toBeLessThan(1e-12);
    expect(evaluation.warnings.some((warning) => warning.code === 'check-failed')).toBe(false);
  });

  it('evaluateAgg called directly throws the ValidationError with the variant in its path', () => {
    const check = new SrmCheck({ id: 1, name: 'SRM', denominator, expectedWeights: { a: 90, b: 10 } });
    const unweighted = thrownValidationError(() =>
      check.evaluateAgg(exposures(['a', 'b', 'x', 'y'], [1, 2, 3, 4])),
    );
    expect(unweighted.path).toEqual(['expectedWeights', 'x']);
    expect(unweighted.message).toContain("no weight for variants 'x', 'y' of the data");
    const absent = thrownValidationError(() => check.evaluateAgg(exposures(['a'], [5])));
    expect(absent.path).toEqual(['expectedWeights', 'b']);
    const anonymous = thrownValidationError(() => check.evaluateAgg(exposures(undefined, [9000, 1000])));
    expect(anonymous.path).toEqual(['expectedWeights']);
    expect(anonymous.message).toContain('has no `variants`');
    // Without weights the variant ids are not needed, as before.
    expect(equalSplit(denominator).evaluateAgg(exposures(undefined, [21, 26]))[1]!.value).toBeCloseTo(
      12.5 / 23.5,
      14,
    );
  });

  it('matches weights to variants by id, not by position', () => {
    const check = new SrmCheck({ id: 1, name: 'SRM', denominator, expectedWeights: { b: 10, a: 90 } });
    // Variants [b, a] with exposures [1000, 9000] fit the plan exactly: statistic 0, p 1.
    const [pValue, statistic] = check.evaluateAgg(exposures(['b', 'a'], [1000, 9000]));
    expect(statistic!.value).toBe(0);
    expect(pValue!.value).toBe(1);
  });
});

describe('SrmCheck expectedWeights validation', () => {
  const denominator = 'count(u.global.exposure)';
  const build = (expectedWeights: unknown) =>
    new SrmCheck({ id: 1, name: 'SRM', denominator, expectedWeights } as never);

  it('rejects a weight that is not a positive finite number, with the variant in the path', () => {
    for (const bad of [0, -10, Number.NaN, Number.POSITIVE_INFINITY, '10', null]) {
      const error = thrownValidationError(() => build({ a: 90, b: bad }));
      expect(error.path).toEqual(['expectedWeights', 'b']);
      expect(error.message).toContain("`expectedWeights` of variant 'b' must be a positive finite number");
      expect(error.message).toContain(`received ${typeof bad === 'string' ? '"10"' : String(bad)}`);
    }
  });

  it('rejects an empty object, an array and a non-object at path expectedWeights', () => {
    expect(thrownValidationError(() => build({})).message).toContain('names no variant');
    for (const bad of [[90, 10], 90, null]) {
      const error = thrownValidationError(() => build(bad));
      expect(error.path).toEqual(['expectedWeights']);
      expect(error.message).toContain('must be an object of variant id -> planned weight');
    }
  });

  it('SimpleSrmCheck validates the same way, and a misspelled option is named with a suggestion', () => {
    const error = thrownValidationError(
      () => new SimpleSrmCheck({ id: 1, name: 'SRM', denominator: 'views', expectedWeights: { a: -1 } }),
    );
    expect(error.path).toEqual(['expectedWeights', 'a']);
    const typo = thrownValidationError(
      () => new SrmCheck({ id: 1, name: 'SRM', denominator, expectedWeight: { a: 1 } } as never),
    );
    expect(typo.path).toEqual(['expectedWeight']);
    expect(typo.message).toContain('did you mean `expectedWeights`');
  });

  it('keeps a frozen copy: changing the caller object afterwards changes nothing', () => {
    const weights: Record<string, number> = { a: 90, b: 10 };
    const check = new SrmCheck({ id: 1, name: 'SRM', denominator, expectedWeights: weights });
    weights.b = 50;
    expect(check.expectedWeights).toEqual({ a: 90, b: 10 });
    expect(Object.isFrozen(check.expectedWeights)).toBe(true);
    expect(new SrmCheck({ id: 1, name: 'SRM', denominator }).expectedWeights).toBeUndefined();
  });
});

describe('SrmCheck expectedWeights calibration (seeded simulation)', () => {
  it('at a planned 80/10/10 split, rejects at the nominal 5 % rate; an equal-split check rejects every time', () => {
    // 2,000 experiments of 2,000 units each drawn 80/10/10. Under the plan, Pearson's statistic is
    // asymptotically chi-square with 2 df (smallest expected count 200), so the rejections at p < 0.05 are
    // Binomial(2000, 0.05): outside binomialBand(2000, 0.05, 0.999) = [69, 133] with probability <= 0.001.
    // Against an equal split the statistic is about n * sum((p_i - 1/3)^2 / (1/3)) = 2000 * 0.98 = 1960,
    // far beyond the 5 % critical value 5.99, so every experiment is rejected.
    const random = uniform(20_240_614);
    const variants = ['a', 'b', 'c'];
    const weighted = new SrmCheck({
      id: 1,
      name: 'SRM',
      denominator: 'count(u.global.exposure)',
      expectedWeights: { a: 80, b: 10, c: 10 },
    });
    const equal = new SrmCheck({ id: 2, name: 'SRM', denominator: 'count(u.global.exposure)' });
    const experiments = 2000;
    let weightedRejections = 0;
    let equalRejections = 0;
    for (let experiment = 0; experiment < experiments; experiment++) {
      const counts = [0, 0, 0];
      for (let unit = 0; unit < 2000; unit++) {
        const draw = random();
        counts[draw < 0.8 ? 0 : draw < 0.9 ? 1 : 2]! += 1;
      }
      if (weighted.evaluateAgg(exposures(variants, counts))[0]!.value < 0.05) weightedRejections += 1;
      if (equal.evaluateAgg(exposures(variants, counts))[0]!.value < 0.05) equalRejections += 1;
    }
    const band = binomialBand(experiments, 0.05, 0.999);
    expect(band).toEqual({ lower: 69, upper: 133 });
    expect(weightedRejections).toBeGreaterThanOrEqual(band.lower);
    expect(weightedRejections).toBeLessThanOrEqual(band.upper);
    expect(equalRejections).toBe(experiments);
  });
});
