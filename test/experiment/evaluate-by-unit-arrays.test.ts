/**
 * `evaluateByUnit` reuses the arrays of its goal table from one evaluation to the next: every evaluation must
 * give what a first one gives, an evaluation started from a callback of another gets arrays of its own, and
 * a check of the caller's own (which gets the table) gets a table of fresh arrays with every column.
 */
import { describe, expect, it } from 'vitest';
import { reusedArrays } from '../../src/goals/unit-arrays.js';
import {
  type AggregatedGoalSource,
  type Check,
  type CheckVariable,
  DataError,
  type Evaluation,
  type EvaluationWarning,
  Experiment,
  type GoalReference,
  Metric,
  parseExpression,
  SimpleSrmCheck,
  SrmCheck,
  SumRatioCheck,
  type UnitGoalRow,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

const denominator = 'count(u.unit.exposure)';
const metrics = [
  new Metric({ id: 1, name: 'Revenue', nominator: 'value(u.unit.conversion)', denominator }),
  new Metric({
    id: 2,
    name: 'Net revenue',
    nominator: 'value(u.unit.conversion) - value(u.unit.refund)',
    denominator,
    outlierUpperPercentile: 5,
  }),
  new Metric({
    id: 3,
    name: 'Per conversion',
    nominator: 'value(u.unit.conversion)',
    denominator: 'count(u.unit.conversion)',
    outlierLowerPercentile: 2,
  }),
  new Metric({ id: 4, name: 'Refunds', nominator: 'count(u.unit.refund) * 2', denominator }),
];
const checks = [
  new SrmCheck({ id: 1, name: 'SRM', denominator }),
  new SumRatioCheck({ id: 2, name: 'Refunds', nominator: 'count(u.unit.refund)', denominator }),
];
const experiment = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics, checks });

/** Rows of `units` units (ids from `first`), with an exposure and some conversions and refunds. */
function unitRows(units: number, first = 0, seed = 3): UnitGoalRow[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const rows: UnitGoalRow[] = [];
  for (let unit = first; unit < first + units; unit++) {
    const common = {
      exp_variant_id: unit % 2 === 0 ? 'a' : 'b',
      unit_type: 'u',
      agg_type: 'unit',
      unit_id: unit,
    };
    rows.push({ ...common, goal: 'exposure', count: 1, sum_value: 1 });
    if (random() < 0.6)
      rows.push({ ...common, goal: 'conversion', count: 1, sum_value: Math.floor(random() * 900) });
    if (random() < 0.2)
      rows.push({ ...common, goal: 'refund', count: 1, sum_value: Math.floor(random() * 90) });
  }
  return rows;
}

/** The rows as column arrays of typed numbers and string ids. */
function columns(rows: readonly UnitGoalRow[]) {
  return {
    exp_variant_id: rows.map((r) => r.exp_variant_id as string),
    unit_type: rows.map((r) => r.unit_type as string),
    agg_type: rows.map((r) => r.agg_type as string),
    goal: rows.map((r) => r.goal as string),
    unit_id: rows.map((r) => String(r.unit_id)),
    count: Float64Array.from(rows, (r) => Number(r.count)),
    sum_value: Float64Array.from(rows, (r) => Number(r.sum_value)),
  };
}

const evaluate = (subject: Experiment, rows: readonly UnitGoalRow[]) =>
  subject.evaluateByUnit(columns(rows), { timestamp: 0 });

describe('evaluateByUnit with reused arrays', () => {
  const large = unitRows(30_000, 0, 5);
  const small = unitRows(2_000, 100, 7);

  it('gives every evaluation what the first gives, after other data of other sizes', () => {
    const first = evaluate(experiment, large);
    const firstSmall = evaluate(experiment, small);
    expect(evaluate(experiment, large)).toEqual(first);
    expect(evaluate(experiment, small)).toEqual(firstSmall);
    expect(evaluate(experiment, large)).toEqual(first);
  });

  it('leaves an earlier evaluation untouched when later ones reuse the arrays', () => {
    const first = evaluate(experiment, large);
    const snapshot = structuredClone({
      metrics: first.metrics,
      checks: first.checks,
      exposures: first.exposures,
    });
    const matrices = Object.values(first.matrices).flatMap((m) =>
      typeof m === 'object' && 'data' in m ? [m] : [],
    );
    const data = matrices.map((m) => Float64Array.from(m.data));
    evaluate(experiment, small);
    evaluate(experiment, unitRows(30_000, 7, 3));
    expect({ metrics: first.metrics, checks: first.checks, exposures: first.exposures }).toEqual(snapshot);
    matrices.forEach((m, i) => {
      expect(m.data).toEqual(data[i]);
    });
  });

  it('gives an evaluation started from a warning of another what it gives alone', () => {
    const alone = evaluate(experiment, small);
    const outerAlone = evaluate(experiment, large);
    // An id in two variants: a warning during the evaluation.
    const ofB = large.find((r) => r.exp_variant_id === 'b')!;
    const withWarning = [...large, { ...ofB, exp_variant_id: 'a' }];
    const expectedOuter = evaluate(experiment, withWarning);
    let inner: Evaluation | undefined;
    const codes: string[] = [];
    const outer = experiment.evaluateByUnit(columns(withWarning), {
      timestamp: 0,
      onWarning: (warning) => {
        codes.push(warning.code);
        inner ??= evaluate(experiment, small);
      },
    });
    expect(codes).toContain('unit-in-several-variants');
    expect(inner).toEqual(alone);
    expect(outer).toEqual(expectedOuter);
    expect(outer).not.toEqual(outerAlone);
  });

  it('gives its arrays back when the data is bad', () => {
    const bad = columns(large);
    bad.goal[20_000] = null as unknown as string;
    expect(thrown(() => experiment.evaluateByUnit(bad))).toBeInstanceOf(DataError);
    const pool = reusedArrays();
    expect(pool.arrays.reused).toBe(true);
    pool.release();
  });

  it('gives each metric what it gets alone, however the metrics share arrays', () => {
    const together = evaluate(experiment, large);
    metrics.forEach((metric) => {
      const alone = evaluate(
        new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics: [metric] }),
        large,
      );
      expect(together.metrics.filter((row) => row.metricId === metric.id)).toEqual(alone.metrics);
    });
  });
});

/** A check of its own: the exposure goal's sums of values and squares, and it keeps its source. */
class ValueCheck implements Check {
  readonly id = 9;
  readonly name = 'Values';
  readonly goals: readonly GoalReference[] = [parseExpression(denominator) as GoalReference];
  source: AggregatedGoalSource | undefined;

  evaluateAgg(source: AggregatedGoalSource): readonly CheckVariable[] {
    this.source = source;
    return this.variables();
  }

  variables(): readonly CheckVariable[] {
    const goal = this.goals[0]!;
    const values = this.source!.column(goal, 'sum_value');
    const squares = this.source!.column(goal, 'sum_sqr_value');
    return [
      { variableId: 'value_b', value: values[1]! },
      { variableId: 'squares_b', value: squares[1]! },
    ];
  }
}

/** The SRM check, reading the exposures' values instead (a subclass of a check of this library). */
class ValueSrmCheck extends SrmCheck {
  override evaluateAgg(source: AggregatedGoalSource): readonly CheckVariable[] {
    return this.fromExposures(source.column(this.goals[0]!, 'sum_value'));
  }
}

describe('evaluateByUnit with checks of their own', () => {
  it("gives a check of the caller's own every column of its goals, in a table that outlives the evaluation", () => {
    const check = new ValueCheck();
    const subject = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics, checks: [check] });
    // Large enough for reused arrays, were they used.
    const evaluation = evaluate(subject, unitRows(20_000));
    const variables = evaluation.checks.filter((row) => row.checkId === 9).map((row) => row.value);
    // Every exposure row has value 1: the units of variant b and their squares.
    expect(variables).toEqual([10_000, 10_000]);
    const other = unitRows(20_000, 1).map((r) => ({ ...r, sum_value: 3 }));
    evaluate(experiment, other);
    expect(check.variables().map((variable) => variable.value)).toEqual(variables);
  });

  it('reads every column of the goals of a subclass of a check of this library', () => {
    const warnings: EvaluationWarning[] = [];
    const srm = new ValueSrmCheck({ id: 5, name: 'SRM', denominator });
    const subject = new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', metrics, checks: [srm] });
    const evaluation = subject.evaluateByUnit(columns(unitRows(3_000)), {
      timestamp: 0,
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.filter((warning) => warning.code === 'check-failed')).toEqual([]);
    const same = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics,
      checks: [new SrmCheck({ id: 5, name: 'SRM', denominator })],
    });
    expect(evaluation.checks).toEqual(evaluate(same, unitRows(3_000)).checks);
  });

  it('evaluates SimpleSrmCheck by unit', () => {
    const simple = new SimpleSrmCheck({ id: 3, name: 'Simple SRM', denominator: 'exposure', unitType: 'u' });
    const subject = new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'u',
      metrics,
      checks: [simple],
    });
    const rows = unitRows(3_000).map((r) => (r.goal === 'exposure' ? { ...r, agg_type: 'global' } : r));
    const warnings: EvaluationWarning[] = [];
    subject.evaluateByUnit(columns(rows), { timestamp: 0, onWarning: (w) => warnings.push(w) });
    expect(warnings.filter((warning) => warning.code === 'check-failed')).toEqual([]);
  });
});
