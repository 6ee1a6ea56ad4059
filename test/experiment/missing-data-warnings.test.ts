import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  type EvaluationWarning,
  Experiment,
  type ExperimentOptions,
  Metric,
  SimpleMetric,
  SrmCheck,
} from '../../src/index.js';
import { aggregatedGoalRow, type GoalColumns, unitGoalRow } from '../support/goal-rows.js';

const UNIT = 'test_unit_type';
const exposures = `count(${UNIT}.global.exposure)`;

/** An aggregated row of experiment `e` of unit type `test_unit_type`; `extra` adds or replaces columns. */
const aggRow = (variant: string, goal: string, count: number, extra: GoalColumns = {}) =>
  aggregatedGoalRow(variant, goal, count, { unit_type: UNIT, ...extra });

/** Exposures and purchases (with a product dimension) in variants a and b. */
const purchases: AggregatedGoalRow[] = [
  aggRow('a', 'exposure', 100),
  aggRow('b', 'exposure', 100),
  aggRow('a', 'purchase', 10, { product: 'p1' }),
  aggRow('b', 'purchase', 12, { product: 'p1' }),
  aggRow('a', 'view', 50),
  aggRow('b', 'view', 52),
];

function experiment(nominator: string, options: Partial<ExperimentOptions> = {}): Experiment {
  return new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: UNIT,
    metrics: [new Metric({ id: 1, name: 'Conversion', nominator, denominator: exposures })],
    ...options,
  });
}

/** The warnings of an evaluation except the statistical ones, which other tests cover. */
function dataWarnings(warnings: readonly EvaluationWarning[]): EvaluationWarning[] {
  const statistical = new Set([
    'small-sample',
    'negative-variance',
    'imprecise-variance',
    'evaluated-before-start',
  ]);
  return warnings.filter((warning) => !statistical.has(warning.code));
}

describe('goal-without-rows', () => {
  it('suggests the closest goal name of the data for a misspelled goal, which counts as zero', () => {
    const evaluation = experiment(`count(${UNIT}.unit.purchse)`).evaluateAgg(purchases);
    expect(dataWarnings(evaluation.warnings)).toEqual([
      {
        code: 'goal-without-rows',
        message: `No row of goal \`count(${UNIT}.unit.purchse)\`; it counts as zero in every variant (did you mean \`purchase\`?).`,
        goal: `count(${UNIT}.unit.purchse)`,
        suggestion: 'purchase',
        metricIds: [1],
      },
    ]);
    expect(evaluation.metrics.map((row) => row.sumValue)).toEqual([0, 0]);
  });

  it('says that rows of the goal exist with other dimension values', () => {
    const evaluation = experiment(`count(${UNIT}.unit.purchase(product=p2))`).evaluateAgg(purchases);
    expect(dataWarnings(evaluation.warnings)).toEqual([
      {
        code: 'goal-without-rows',
        message: `No row of goal \`count(${UNIT}.unit.purchase(product=p2))\`; it counts as zero in every variant (rows of \`purchase\` exist, but none with \`product=p2\`).`,
        goal: `count(${UNIT}.unit.purchase(product=p2))`,
        metricIds: [1],
      },
    ]);
  });

  it('says that every row of the goal has a value of a dimension the goal leaves empty', () => {
    const both = experiment(`count(${UNIT}.unit.purchase)`, {
      metrics: [
        new Metric({ id: 1, name: 'All', nominator: `count(${UNIT}.unit.purchase)`, denominator: exposures }),
        new Metric({
          id: 2,
          name: 'P1',
          nominator: `count(${UNIT}.unit.purchase(product=p1))`,
          denominator: exposures,
        }),
      ],
    });
    const warnings = dataWarnings(both.evaluateAgg(purchases).warnings);
    expect(warnings.map((w) => w.message)).toEqual([
      `No row of goal \`count(${UNIT}.unit.purchase)\`; it counts as zero in every variant (rows of \`purchase\` exist, but each has a value of \`product\`).`,
    ]);
  });

  it('names the aggregation type or the unit type under which rows of the goal exist', () => {
    const global = experiment(`count(${UNIT}.global.purchase)`).evaluateAgg(purchases);
    expect(dataWarnings(global.warnings).map((w) => w.message)).toEqual([
      `No row of goal \`count(${UNIT}.global.purchase)\`; it counts as zero in every variant (rows of \`purchase\` exist with agg_type \`unit\`).`,
    ]);
    const user = experiment('count(user.unit.view)').evaluateAgg(purchases);
    expect(dataWarnings(user.warnings).map((w) => w.message)).toEqual([
      `No row of goal \`count(user.unit.view)\`; it counts as zero in every variant (rows of \`view\` exist for unit type \`${UNIT}\`).`,
    ]);
  });

  it('falls back to goal names of other unit types and says nothing more when no name is close', () => {
    const rows = [...purchases, aggRow('a', 'click', 3, { unit_type: 'user' })];
    const clck = experiment(`count(${UNIT}.unit.clck)`).evaluateAgg(rows);
    expect(dataWarnings(clck.warnings)).toMatchObject([
      { goal: `count(${UNIT}.unit.clck)`, suggestion: 'click' },
    ]);
    const refund = experiment(`value(${UNIT}.unit.refund)`).evaluateAgg(purchases);
    expect(dataWarnings(refund.warnings)).toEqual([
      {
        code: 'goal-without-rows',
        message: `No row of goal \`value(${UNIT}.unit.refund)\`; it counts as zero in every variant.`,
        goal: `value(${UNIT}.unit.refund)`,
        metricIds: [1],
      },
    ]);
  });

  it('warns once per goal, for goals of checks too, but not for the implicit exposure goal', () => {
    const e = experiment(`count(${UNIT}.unit.purchse) / 2`, {
      metrics: [
        new Metric({ id: 1, name: 'A', nominator: `count(${UNIT}.unit.purchse)`, denominator: exposures }),
        new Metric({ id: 2, name: 'B', nominator: `value(${UNIT}.unit.purchse)`, denominator: exposures }),
      ],
      checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: `count(${UNIT}.unit.viw)` })],
    });
    const warnings = dataWarnings(e.evaluateAgg(purchases).warnings);
    // Each names the metrics reading the goal (both read `purchse`; the check's goal is no metric's).
    expect(warnings.map((w) => [w.code, w.goal, w.suggestion, w.metricIds])).toEqual([
      ['goal-without-rows', `count(${UNIT}.unit.purchse)`, 'purchase', [1, 2]],
      ['goal-without-rows', `count(${UNIT}.unit.viw)`, 'view', undefined],
    ]);
  });

  it('by unit: suggests the goal of the data and says that by-unit data has no global goals', () => {
    const row = (variant: string, unit: string, goal: string) =>
      unitGoalRow(variant, unit, goal, 1, 1, { unit_type: UNIT });
    const rows = [row('a', '1', 'exposure'), row('b', '2', 'exposure'), row('a', '1', 'purchase')];
    const misspelled = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: UNIT,
      metrics: [
        new Metric({
          id: 1,
          name: 'Purchases',
          nominator: `count(${UNIT}.unit.purchse)`,
          denominator: `count(${UNIT}.unit.exposure)`,
        }),
        new Metric({
          id: 2,
          name: 'Global',
          nominator: `count(${UNIT}.unit.purchase)`,
          denominator: exposures,
        }),
      ],
    });
    expect(dataWarnings(misspelled.evaluateByUnit(rows).warnings)).toEqual([
      {
        code: 'goal-without-rows',
        message: `No row of goal \`count(${UNIT}.unit.purchse)\`; it counts as zero in every variant (did you mean \`purchase\`?).`,
        goal: `count(${UNIT}.unit.purchse)`,
        suggestion: 'purchase',
        metricIds: [1],
      },
      {
        code: 'goal-without-rows',
        message: `No row of goal \`${exposures}\`; it counts as zero in every variant (rows of \`exposure\` exist with agg_type \`unit\`; by-unit data has no \`global\` goals).`,
        goal: exposures,
        metricIds: [2],
      },
    ]);
  });

  it('wide input: a metric column that does not exist suggests an existing column', () => {
    const wide = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: UNIT,
      metrics: [new SimpleMetric({ id: 1, name: 'CTR', numerator: 'clcks', denominator: 'views' })],
    });
    const rows = [
      { exp_id: 'e', variant: 'a', views: 1000, clicks: 100 },
      { exp_id: 'e', variant: 'b', views: 1000, clicks: 110 },
    ];
    const evaluation = wide.evaluateWideAgg(rows);
    expect(dataWarnings(evaluation.warnings)).toEqual([
      {
        code: 'goal-without-rows',
        message: `No column \`clcks\` in the wide rows; goal \`value(${UNIT}.global.clcks)\` counts as zero in every variant (did you mean \`clicks\`?).`,
        goal: `value(${UNIT}.global.clcks)`,
        suggestion: 'clicks',
        metricIds: [1],
      },
    ]);
    expect(evaluation.metrics.map((row) => row.mean)).toEqual([0, 0]);
  });

  it('wide input: a metric of another unit type than the experiment is named, and no exposure warning', () => {
    const wide = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'user',
      metrics: [new SimpleMetric({ id: 1, name: 'CTR', numerator: 'clicks', denominator: 'views' })],
    });
    const rows = [
      { exp_id: 'e', variant: 'a', views: 1000, clicks: 100 },
      { exp_id: 'e', variant: 'b', views: 1000, clicks: 110 },
    ];
    const warnings = dataWarnings(wide.evaluateWideAgg(rows).warnings);
    expect(warnings.map((w) => w.message)).toEqual([
      `No row of goal \`value(${UNIT}.global.clicks)\`; it counts as zero in every variant (the columns of wide rows are goals \`user.global.<column>\`, of the experiment's unit type).`,
      `No row of goal \`value(${UNIT}.global.views)\`; it counts as zero in every variant (the columns of wide rows are goals \`user.global.<column>\`, of the experiment's unit type).`,
    ]);
  });
});

describe('no-exposures and variant-without-exposures', () => {
  it('suggests the unit type of the data for a misspelled unit type', () => {
    const misspelled = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'test_unit_typ',
      metrics: [
        new Metric({ id: 1, name: 'Views', nominator: `count(${UNIT}.unit.view)`, denominator: exposures }),
      ],
    });
    const evaluation = misspelled.evaluateAgg(purchases);
    expect(dataWarnings(evaluation.warnings)).toEqual([
      {
        code: 'no-exposures',
        message:
          'No exposure rows for unit type `test_unit_typ` (`count(test_unit_typ.global.exposure)`); every variant has 0 exposures (did you mean `test_unit_type`?).',
        suggestion: 'test_unit_type',
      },
    ]);
    expect(evaluation.exposures.map((row) => row.exposures)).toEqual([0, 0]);
  });

  it('names an explicit variant without exposures, and the control', () => {
    const explicit = experiment(`count(${UNIT}.unit.view)`, { variants: ['a', 'b', 'c'] });
    expect(dataWarnings(explicit.evaluateAgg(purchases).warnings)).toEqual([
      {
        code: 'variant-without-exposures',
        message:
          'No exposures (`count(test_unit_type.global.exposure)`) in variant `c`, while other variants have some; is the variant missing from the data or misspelled? Metrics over exposures are NaN or infinite there.',
        variants: ['c'],
      },
    ]);
    const control = experiment(`count(${UNIT}.unit.view)`, { controlVariant: 'z' });
    expect(dataWarnings(control.evaluateAgg(purchases).warnings)).toMatchObject([
      { code: 'variant-without-exposures', variants: ['z'] },
    ]);
    expect(dataWarnings(control.evaluateAgg(purchases).warnings)[0]!.message).toContain('`z` (the control)');
  });
});

describe('empty-input', () => {
  const e = experiment(`count(${UNIT}.unit.purchse)`, {
    checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: exposures })],
  });

  it('is the only warning about the data for empty input', () => {
    expect(dataWarnings(e.evaluateAgg([]).warnings)).toEqual([
      {
        code: 'empty-input',
        message:
          'No goal rows for experiment `e` (the input has no rows); every goal counts as zero and every variant has 0 exposures.',
      },
    ]);
    expect(dataWarnings(e.evaluateByUnit([]).warnings).map((w) => w.code)).toEqual(['empty-input']);
    expect(dataWarnings(e.evaluateWideAgg([]).warnings).map((w) => w.code)).toEqual(['empty-input']);
  });

  it('counts the ignored rows when every row belongs to another experiment or variant', () => {
    const foreign = purchases.map((row) => ({ ...row, exp_id: 'other' }));
    expect(dataWarnings(e.evaluateAgg(foreign).warnings)).toEqual([
      {
        code: 'empty-input',
        message:
          'No goal rows for experiment `e` (ignored 6 rows of other experiments); every goal counts as zero and every variant has 0 exposures.',
        count: 6,
      },
    ]);
    const explicit = experiment(`count(${UNIT}.unit.view)`, { controlVariant: 'x', variants: ['x', 'y'] });
    expect(dataWarnings(explicit.evaluateAgg(purchases).warnings)).toEqual([
      {
        code: 'empty-input',
        message:
          'No goal rows for experiment `e` (ignored 6 rows of variants other than `x`, `y`); every goal counts as zero and every variant has 0 exposures.',
        count: 6,
      },
    ]);
  });
});
