import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  correctForMultipleTesting,
  DataError,
  Experiment,
  type ExperimentOptions,
  holmBonferroni,
  Metric,
  NO_VALUE_SEGMENT,
  OTHER_SEGMENT,
  type SegmentedEvaluation,
  type SegmentWarning,
  SrmCheck,
  type UnitGoalRow,
} from '../../src/index.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { thrown, thrownValidationError } from '../support/thrown.js';
import { uniform } from '../support/uniform.js';

const ctr = new Metric({
  id: 1,
  name: 'CTR',
  nominator: 'count(u.unit.click)',
  denominator: 'count(u.global.exposure)',
});
const revenue = new Metric({
  id: 2,
  name: 'Revenue',
  nominator: 'value(u.unit.revenue)',
  denominator: 'count(u.global.exposure)',
});
const srm = new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' });

const experiment = (options: Partial<ExperimentOptions> = {}) =>
  new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: 'u',
    metrics: [ctr, revenue],
    checks: [srm],
    breakdowns: ['country', 'platform'],
    breakdownTop: 100,
    ...options,
  });

const COUNTRIES = ['CZ', 'SK', 'DE', 'AT', 'PL'];
const PLATFORMS = ['ios', 'android', 'web'];
const VARIANTS = ['a', 'b', 'c'];

/**
 * Flat goal rows: one per (country, platform, variant, goal) with integer sums (so that summing them in any
 * order is exact) and sums of squares no smaller than the square of the sum over the count.
 */
function flatRows(seed: number): AggregatedGoalRow[] {
  const random = uniform(seed);
  const rows: AggregatedGoalRow[] = [];
  for (const country of COUNTRIES) {
    for (const platform of PLATFORMS) {
      for (const variant of VARIANTS) {
        if (random() < 0.1) continue; // some cells have no rows at all
        const exposures = 1 + Math.floor(random() * 300);
        const clicks = Math.floor(random() * exposures * 0.4);
        const buyers = Math.floor(random() * clicks);
        const revenueSum = buyers * (1 + Math.floor(random() * 50));
        const revenueSquares = buyers === 0 ? 0 : Math.ceil((revenueSum * revenueSum) / buyers) + buyers * 7;
        const cells = { country, platform };
        rows.push(aggregatedGoalRow(variant, 'exposure', exposures, cells));
        rows.push(aggregatedGoalRow(variant, 'click', clicks, cells));
        rows.push(
          aggregatedGoalRow(variant, 'revenue', buyers, {
            ...cells,
            sum_value: revenueSum,
            sum_sqr_value: revenueSquares,
          }),
        );
      }
    }
  }
  return rows;
}

/** The same rows as column arrays, the numbers as typed arrays. */
function toColumns(rows: readonly AggregatedGoalRow[]) {
  const text = (key: string) => rows.map((row) => row[key] as string);
  const numbers = (key: string) => Float64Array.from(rows, (row) => Number(row[key]));
  return {
    exp_id: text('exp_id'),
    exp_variant_id: text('exp_variant_id'),
    unit_type: text('unit_type'),
    agg_type: text('agg_type'),
    goal: text('goal'),
    country: text('country'),
    platform: text('platform'),
    count: numbers('count'),
    sum_sqr_count: numbers('sum_sqr_count'),
    sum_value: numbers('sum_value'),
    sum_sqr_value: numbers('sum_sqr_value'),
    count_unique: numbers('count_unique'),
  };
}

const SUM_COLUMNS = ['count', 'sum_sqr_count', 'sum_value', 'sum_sqr_value', 'count_unique'] as const;

/** What a GROUPING SETS ((variant, goal, country), (variant, goal, platform), (variant, goal)) returns. */
function groupedRows(rows: readonly AggregatedGoalRow[]): AggregatedGoalRow[] {
  const groups = new Map<string, Record<string, string | number | null>>();
  for (const row of rows) {
    for (const breakdown of ['country', 'platform', '']) {
      const key = [row.exp_variant_id, row.goal, breakdown, breakdown === '' ? '' : row[breakdown]].join('|');
      let group = groups.get(key);
      if (group === undefined) {
        group = {
          exp_id: 'e',
          exp_variant_id: row.exp_variant_id as string,
          unit_type: 'u',
          agg_type: row.agg_type as string,
          goal: row.goal as string,
          breakdown: breakdown === '' ? null : breakdown,
          country: breakdown === 'country' ? (row.country as string) : null,
          platform: breakdown === 'platform' ? (row.platform as string) : null,
          count: 0,
          sum_sqr_count: 0,
          sum_value: 0,
          sum_sqr_value: 0,
          count_unique: 0,
        };
        groups.set(key, group);
      }
      for (const column of SUM_COLUMNS) (group[column] as number) += Number(row[column]);
    }
  }
  return [...groups.values()] as unknown as AggregatedGoalRow[];
}

describe('Experiment.evaluateAggSegments', () => {
  it('evaluates each segment exactly as its filtered rows alone, and the overall block as all rows', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rows = flatRows(seed);
      const definition = experiment();
      const result = definition.evaluateAggSegments(rows, { timestamp: 0 });
      expect(result.overall).toEqual(definition.evaluateAgg(rows, { timestamp: 0 }));
      const seen = result.segments.map((segment) => `${segment.breakdown}=${segment.value}`).sort();
      expect(seen).toEqual(
        [...COUNTRIES.map((c) => `country=${c}`), ...PLATFORMS.map((p) => `platform=${p}`)].sort(),
      );
      for (const segment of result.segments) {
        const alone = rows.filter((row) => row[segment.breakdown] === segment.value);
        expect(segment.evaluation).toEqual(definition.evaluateAgg(alone, { timestamp: 0 }));
        const exposed = alone
          .filter((row) => row.goal === 'exposure')
          .reduce((sum, row) => sum + Number(row.count), 0);
        expect(segment.exposures).toBe(exposed);
      }
    }
  });

  it('gives the same blocks for row objects and typed column arrays', () => {
    const rows = flatRows(7);
    const definition = experiment();
    const fromRows = definition.evaluateAggSegments(rows, { timestamp: 0 });
    const fromColumns = definition.evaluateAggSegments(toColumns(rows), { timestamp: 0 });
    expect(fromColumns).toEqual(fromRows);
  });

  it('reads grouped rows (a `breakdown` marker, totals with an empty one) as the flat rows they sum', () => {
    for (const seed of [11, 12, 13]) {
      const rows = flatRows(seed);
      const definition = experiment();
      const flat = definition.evaluateAggSegments(rows, { timestamp: 0 });
      const grouped = definition.evaluateAggSegments(groupedRows(rows), { timestamp: 0 });
      // Integer sums: the grouped sums equal the flat ones exactly, so every statistic is identical.
      expect(grouped.overall).toEqual(flat.overall);
      const byKey = (r: typeof flat) =>
        Object.fromEntries(r.segments.map((s) => [`${s.breakdown}=${s.value}`, s.evaluation]));
      expect(byKey(grouped)).toEqual(byKey(flat));
    }
  });

  it('ranks segments by exposed units and folds those beyond the top N into (other)', () => {
    const rows = [
      // CZ: 100 vs 80 exposures. SRM: expected 90 each, chi2 = 2 * 10^2 / 90 = 2.2222, one degree of freedom,
      // p = erfc(sqrt(chi2 / 2)) = 0.1360371281 (math.erfc).
      aggregatedGoalRow('a', 'exposure', 100, { country: 'CZ' }),
      aggregatedGoalRow('b', 'exposure', 80, { country: 'CZ' }),
      aggregatedGoalRow('a', 'click', 10, { country: 'CZ' }),
      aggregatedGoalRow('b', 'click', 12, { country: 'CZ' }),
      aggregatedGoalRow('a', 'exposure', 60, { country: 'SK' }),
      aggregatedGoalRow('b', 'exposure', 60, { country: 'SK' }),
      aggregatedGoalRow('a', 'exposure', 20, { country: 'DE' }),
      aggregatedGoalRow('b', 'exposure', 25, { country: 'DE' }),
      aggregatedGoalRow('a', 'click', 4, { country: 'DE' }),
      aggregatedGoalRow('a', 'exposure', 30, { country: 'AT' }),
      aggregatedGoalRow('b', 'exposure', 15, { country: 'AT' }),
      aggregatedGoalRow('b', 'click', 3, { country: 'AT' }),
      aggregatedGoalRow('a', 'exposure', 5, { country: null }),
      aggregatedGoalRow('b', 'exposure', 5, { country: null }),
    ];
    const definition = experiment({ breakdowns: ['country'], breakdownTop: 2, metrics: [ctr] });
    const result = definition.evaluateAggSegments(rows, { timestamp: 0 });
    expect(result.segments.map((s) => [s.value, s.exposures, s.folded])).toEqual([
      ['CZ', 180, undefined],
      ['SK', 120, undefined],
      // DE and AT tie at 45 exposures; the folded rest is DE + AT + the rows without a country.
      [OTHER_SEGMENT, 100, ['(none)', 'AT', 'DE']],
    ]);
    const cz = result.segments[0]!.evaluation;
    expect(cz.checks[0]!.value).toBeCloseTo(0.1360371281, 9);
    expect(cz.metrics.map((r) => r.mean)).toEqual([10 / 100, 12 / 80]);
    const other = rows.filter((row) => !['CZ', 'SK'].includes(row.country as string));
    expect(result.segments[2]!.evaluation).toEqual(definition.evaluateAgg(other, { timestamp: 0 }));
    // The folded rest: 55 vs 45 exposures, chi2 = 2 * 5^2 / 50 = 1, p = erfc(sqrt(1/2)) = 0.3173105079.
    expect(result.segments[2]!.evaluation.checks[0]!.value).toBeCloseTo(0.3173105079, 9);

    const wide = experiment({ breakdowns: ['country'], breakdownTop: 5, metrics: [ctr] });
    const all = wide.evaluateAggSegments(rows, { timestamp: 0 });
    // Ties in exposures are ordered by value: AT before DE.
    expect(all.segments.map((s) => s.value)).toEqual(['CZ', 'SK', 'AT', 'DE', NO_VALUE_SEGMENT]);
    const none = rows.filter((row) => row.country === null);
    expect(all.segments[4]!.evaluation).toEqual(wide.evaluateAgg(none, { timestamp: 0 }));
  });

  it('tags every warning with its segment, in the result and in the callback', () => {
    const rows = [
      aggregatedGoalRow('a', 'exposure', 50, { country: 'CZ' }),
      aggregatedGoalRow('b', 'exposure', 50, { country: 'CZ' }),
      aggregatedGoalRow('a', 'click', 5, { country: 'CZ' }),
      aggregatedGoalRow('a', 'exposure', 40, { country: 'SK' }),
      aggregatedGoalRow('a', 'click', 4, { country: 'SK' }),
    ];
    const definition = experiment({ breakdowns: ['country'], variants: ['a', 'b'], metrics: [ctr] });
    const seen: SegmentWarning[] = [];
    const result = definition.evaluateAggSegments(rows, { timestamp: 0, onWarning: (w) => seen.push(w) });
    expect(seen).toEqual(result.warnings);
    const sk = result.warnings.filter((w) => w.segment?.value === 'SK').map((w) => [w.code, w.variants]);
    expect(sk).toContainEqual(['variant-without-exposures', ['b']]);
    expect(result.warnings.filter((w) => w.segment === undefined)).toEqual([...result.overall.warnings]);
    for (const segment of result.segments) {
      expect(result.warnings.filter((w) => w.segment?.value === segment.value).length).toBe(
        segment.evaluation.warnings.length,
      );
    }
    // The segment's own evaluation is untagged: equal to evaluating its rows alone.
    expect(result.segments[1]!.evaluation.warnings).toEqual(
      definition.evaluateAgg(rows.slice(3), { timestamp: 0 }).warnings,
    );
  });

  describe("with correctionScope 'report'", () => {
    const METHODS = ['holm', 'bonferroni', 'benjamini-hochberg'] as const;
    /** Every block of a result: the overall one, then the segments in result order. */
    const blocks = (result: SegmentedEvaluation) => [
      result.overall,
      ...result.segments.map((s) => s.evaluation),
    ];
    const treatments = (result: SegmentedEvaluation) =>
      blocks(result).flatMap((evaluation) => evaluation.metrics.filter((row) => row.expVariantId !== 'a'));

    for (const correction of METHODS) {
      it(`${correction}: corrects every treatment of every metric of every block as one family`, () => {
        const rows = flatRows(21);
        // breakdownTop 3: the two smallest countries fold into (other), which is one block of the family.
        const options = { breakdownTop: 3 };
        const raw = experiment({ ...options, correction: 'none' }).evaluateAggSegments(rows, {
          timestamp: 0,
        });
        const result = experiment({ ...options, correction, correctionScope: 'report' }).evaluateAggSegments(
          rows,
          { timestamp: 0 },
        );
        const rawCells = treatments(raw);
        // 1 overall + 4 country + 3 platform blocks, 2 metrics x 2 treatments each.
        expect(rawCells.length).toBe(8 * 2 * 2);
        const expected = correctForMultipleTesting({
          correction,
          pValues: rawCells.map((row) => row.pValue),
          standardErrors: rawCells.map((row) => row.standardError),
          degreesOfFreedom: rawCells.map((row) => row.degreesOfFreedom),
          confidenceLevel: 0.95,
        });
        const cells = treatments(result);
        expect(cells.map((row) => row.pValue)).toEqual([...expected.pValues]);
        expect(cells.map((row) => row.confidenceInterval)).toEqual([...expected.confidenceIntervals]);
        for (const row of cells) {
          expect(row.confidenceLower).toBe(row.diff - row.confidenceInterval);
          expect(row.significant).toBe(row.pValue < 0.05);
        }
        // Everything but the corrected cells is each block's own: means, exposures, checks, segments.
        expect(result.segments.map((s) => [s.breakdown, s.value, s.exposures, s.folded])).toEqual(
          raw.segments.map((s) => [s.breakdown, s.value, s.exposures, s.folded]),
        );
        blocks(result).forEach((evaluation, b) => {
          const before = blocks(raw)[b]!;
          expect(evaluation.checks).toEqual(before.checks);
          expect(evaluation.metrics.map((row) => [row.mean, row.diff, row.standardError])).toEqual(
            before.metrics.map((row) => [row.mean, row.diff, row.standardError]),
          );
          expect(evaluation.metrics.filter((row) => row.expVariantId === 'a')).toEqual(
            before.metrics.filter((row) => row.expVariantId === 'a'),
          );
        });
      });
    }

    it('adjusts more than correcting each block alone; the default scope keeps each block its own', () => {
      const rows = flatRows(22);
      const raw = treatments(experiment({ correction: 'none' }).evaluateAggSegments(rows, { timestamp: 0 }));
      const perBlock = experiment({ correction: 'bonferroni' }).evaluateAggSegments(rows, { timestamp: 0 });
      const report = treatments(
        experiment({ correction: 'bonferroni', correctionScope: 'report' }).evaluateAggSegments(rows, {
          timestamp: 0,
        }),
      );
      // 1 + 5 + 3 blocks x 2 metrics x 2 treatments = 36 tests; per metric of a block, 2.
      raw.forEach((row, i) => {
        expect(treatments(perBlock)[i]!.pValue).toBe(Math.min(1, 2 * row.pValue));
        expect(report[i]!.pValue).toBe(Math.min(1, 36 * row.pValue));
      });
      const definition = experiment({ correction: 'bonferroni' });
      for (const segment of perBlock.segments) {
        const alone = rows.filter((row) => row[segment.breakdown] === segment.value);
        expect(segment.evaluation).toEqual(definition.evaluateAgg(alone, { timestamp: 0 }));
      }
    });
  });

  it('returns the overall block alone without breakdowns', () => {
    const rows = flatRows(3);
    const definition = experiment({ breakdowns: [] });
    const result = definition.evaluateAggSegments(rows, { timestamp: 0 });
    expect(result.segments).toEqual([]);
    expect(result.overall).toEqual(definition.evaluateAgg(rows, { timestamp: 0 }));
  });

  it('rejects a marker that names no breakdown, naming the row and column', () => {
    const rows = [
      aggregatedGoalRow('a', 'exposure', 5, { breakdown: null }),
      aggregatedGoalRow('a', 'exposure', 5, { breakdown: 'city', country: 'CZ' }),
    ];
    const error = thrown(() => experiment({ breakdowns: ['country'] }).evaluateAggSegments(rows));
    expect(error).toBeInstanceOf(DataError);
    expect([(error as DataError).row, (error as DataError).column]).toEqual([1, 'breakdown']);
    expect((error as DataError).message).toContain('`city` is not a breakdown');
  });

  it('rejects a breakdown column that no row has, suggesting the close one (no silent all-(none) drill-down)', () => {
    const rows = flatRows(5);
    for (const goals of [rows, toColumns(rows)]) {
      const error = thrown(() => experiment({ breakdowns: ['contry'] }).evaluateAggSegments(goals));
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).column).toBe('contry');
      expect((error as DataError).message).toContain(
        'no goal row has the column of the breakdown `contry` (did you mean `country`?)',
      );
    }
    // No rows at all: nothing to split, the evaluation warns `empty-input` instead.
    const empty = experiment({ breakdowns: ['contry'] }).evaluateAggSegments([]);
    expect(empty.overall.warnings.map((warning) => warning.code)).toContain('empty-input');
    expect(empty.segments).toEqual([]);
  });

  it('rejects unknown options and CUPED metrics', () => {
    const unknown = thrownValidationError(() =>
      experiment().evaluateAggSegments([], { onWarnings: () => {} } as never),
    );
    expect(unknown.message).toContain('onWarning');
    const cuped = new Metric({
      id: 3,
      name: 'Revenue',
      nominator: 'value(u.unit.revenue)',
      denominator: 'count(u.global.exposure)',
      cuped: { preDays: 14 },
    });
    expect(
      thrownValidationError(() => experiment({ metrics: [cuped] }).evaluateAggSegments([])).path,
    ).toEqual(['metrics', 0, 'cuped']);
  });
});

describe('Experiment.evaluateByUnitSegments', () => {
  /** Unit rows: each unit in one country and platform (its exposure's), with clicks and revenue. */
  function unitRows(seed: number): UnitGoalRow[] {
    const random = uniform(seed);
    const rows: UnitGoalRow[] = [];
    for (let unit = 0; unit < 400; unit++) {
      const variant = VARIANTS[Math.floor(random() * VARIANTS.length)]!;
      const cells = {
        exp_id: 'e',
        exp_variant_id: variant,
        unit_type: 'u',
        agg_type: 'unit',
        unit_id: String(unit),
        country: COUNTRIES[Math.floor(random() * 3)]!,
        platform: PLATFORMS[Math.floor(random() * PLATFORMS.length)]!,
      };
      rows.push({ ...cells, goal: 'exposure', count: 1, sum_value: 1 });
      if (random() < 0.5)
        rows.push({ ...cells, goal: 'click', count: 1 + Math.floor(random() * 3), sum_value: 1 });
      if (random() < 0.3)
        rows.push({ ...cells, goal: 'revenue', count: 1, sum_value: Math.round(random() * 1000) / 10 });
    }
    return rows;
  }

  const unitMetrics = [
    new Metric({
      id: 1,
      name: 'Clicks',
      nominator: 'count(u.unit.click)',
      denominator: 'count(u.unit.exposure)',
    }),
    new Metric({
      id: 2,
      name: 'Revenue',
      nominator: 'value(u.unit.revenue)',
      denominator: 'count(u.unit.exposure)',
      outlierUpperPercentile: 0.9,
    }),
  ];
  const unitSrm = new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.unit.exposure)' });

  const unitTreatments = (result: SegmentedEvaluation) =>
    [result.overall, ...result.segments.map((s) => s.evaluation)].flatMap((evaluation) =>
      evaluation.metrics.filter((row) => row.expVariantId !== 'a'),
    );

  it("with correctionScope 'report': one family over the blocks of unit rows", () => {
    const rows = unitRows(23);
    const options = { metrics: unitMetrics, breakdowns: ['platform'] };
    const raw = experiment({ ...options, correction: 'none' }).evaluateByUnitSegments(rows, { timestamp: 0 });
    const result = experiment({ ...options, correctionScope: 'report' }).evaluateByUnitSegments(rows, {
      timestamp: 0,
    });
    const family = unitTreatments(raw).map((row) => row.pValue);
    // 1 overall + 3 platform blocks, 2 metrics x 2 treatments each.
    expect(family.length).toBe(4 * 2 * 2);
    expect(unitTreatments(result).map((row) => row.pValue)).toEqual([...holmBonferroni(family)]);
  });

  it('evaluates each segment exactly as its filtered unit rows alone', () => {
    for (const seed of [21, 22]) {
      const rows = unitRows(seed);
      const definition = experiment({ metrics: unitMetrics, checks: [unitSrm] });
      const result = definition.evaluateByUnitSegments(rows, { timestamp: 0 });
      expect(result.overall).toEqual(definition.evaluateByUnit(rows, { timestamp: 0 }));
      expect(result.segments.length).toBe(3 + PLATFORMS.length);
      for (const segment of result.segments) {
        const alone = rows.filter((row) => row[segment.breakdown] === segment.value);
        expect(segment.evaluation).toEqual(definition.evaluateByUnit(alone, { timestamp: 0 }));
        const units = alone.filter((row) => row.goal === 'exposure').length;
        expect(segment.exposures).toBe(units);
      }
      // Each unit is in one segment of each breakdown: the segments' exposures add up to the units.
      const countries = result.segments.filter((s) => s.breakdown === 'country');
      expect(countries.reduce((sum, s) => sum + s.exposures, 0)).toBe(400);
    }
  });
});

describe('Experiment breakdown options', () => {
  it('defaults to no breakdowns and the top 20', () => {
    const definition = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u' });
    expect([definition.breakdowns, definition.breakdownTop]).toEqual([[], 20]);
  });

  it.each([
    [{ breakdowns: 'country' }, ['breakdowns'], 'must be an array'],
    [{ breakdowns: ['country', 'bad name'] }, ['breakdowns', 1], 'not a dimension name'],
    [{ breakdowns: [7] }, ['breakdowns', 0], 'not a dimension name'],
    [{ breakdowns: ['goal'] }, ['breakdowns', 0], 'is a column of the goal rows'],
    [{ breakdowns: ['breakdown'] }, ['breakdowns', 0], 'is a column of the goal rows'],
    [{ breakdowns: ['country', 'platform', 'country'] }, ['breakdowns', 2], 'given twice'],
    [{ breakdownTop: 0 }, ['breakdownTop'], 'at least 1'],
    [{ breakdownTop: 2.5 }, ['breakdownTop'], 'whole number'],
  ])('rejects %j with the path of the field', (options, path, message) => {
    const error = thrownValidationError(() => experiment(options as Partial<ExperimentOptions>));
    expect(error.path).toEqual(path);
    expect(error.message).toContain(message);
  });

  it('rejects a breakdown that a goal of the experiment constrains', () => {
    const byElement = new Metric({
      id: 1,
      name: 'Clicks in CZ',
      nominator: 'count(u.unit.click(country=CZ))',
      denominator: 'count(u.global.exposure)',
    });
    const error = thrownValidationError(() => experiment({ metrics: [byElement] }));
    expect(error.path).toEqual(['breakdowns', 0]);
    expect(error.message).toContain('`country` is a dimension a goal of the experiment constrains');
  });

  it('rejects an unknown option key next to the breakdowns', () => {
    const error = thrownValidationError(() => experiment({ breakdownsTop: 3 } as Partial<ExperimentOptions>));
    expect(error.message).toContain('breakdownTop');
  });
});
