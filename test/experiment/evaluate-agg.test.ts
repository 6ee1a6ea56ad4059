import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  type Check,
  DataError,
  type EvaluationWarning,
  Experiment,
  Metric,
  SrmCheck,
} from '../../src/index.js';
import { binaryGoalRows, clickThroughRate, README_VARIANTS } from '../support/binary-goals.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';
import { thrownValidationError } from '../support/thrown.js';

const ctr = clickThroughRate('u');
const srm = new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' });

const readme = binaryGoalRows(README_VARIANTS, { expId: 'x', unitType: 'u' });

const experiment = (options: Partial<ConstructorParameters<typeof Experiment>[0]> = {}) =>
  new Experiment({ id: 'x', controlVariant: 'a', unitType: 'u', metrics: [ctr], checks: [srm], ...options });

describe('Experiment.evaluateAgg', () => {
  it("reproduces the reference README's example", () => {
    const evaluation = experiment().evaluateAgg(readme);
    const b = evaluation.metrics[1]!;
    // The README's figures (10 significant digits); the degrees of freedom 43.5401 are truncated to 43.
    expect(b.diff).toBeCloseTo(0.1307692308, 10);
    expect(b.pValue).toBeCloseTo(0.8244735669, 10);
    expect(b.degreesOfFreedom).toBe(43);
    expect(evaluation.checks[0]).toMatchObject({ variableId: 'p_value' });
    expect(evaluation.checks[0]!.value).toBeCloseTo(0.465803, 6);
    expect(evaluation.exposures.map((row) => row.exposures)).toEqual([21, 26]);
  });

  it('fills a missing variant with zeros', () => {
    const evaluation = experiment({ variants: ['a', 'b', 'c'] }).evaluateAgg(readme);
    const c = evaluation.metrics[2]!;
    expect([c.expVariantId, c.count, c.sumValue]).toEqual(['c', 0, 0]);
    expect(c.mean).toBeNaN();
    expect(evaluation.exposures.map((row) => row.exposures)).toEqual([21, 26, 0]);
  });

  it('orders variants by id whatever the order of the explicit list', () => {
    const evaluation = experiment({ variants: ['b', 'a'] }).evaluateAgg(readme);
    expect(evaluation.metrics.map((row) => row.expVariantId)).toEqual(['a', 'b']);
  });

  it('drops rows of variants outside the explicit list', () => {
    const evaluation = experiment({ variants: ['a'] }).evaluateAgg(readme);
    expect(evaluation.metrics.map((row) => row.expVariantId)).toEqual(['a']);
  });

  it('ignores rows of other experiments and warns', () => {
    const warnings: EvaluationWarning[] = [];
    const evaluation = experiment().evaluateAgg(
      [...readme, aggregatedGoalRow('z', 'click', 1000, { exp_id: 'other' })],
      {
        onWarning: (warning) => warnings.push(warning),
      },
    );
    expect(evaluation.metrics.map((row) => row.expVariantId)).toEqual(['a', 'b']);
    expect(evaluation.metrics[1]!.pValue).toBeCloseTo(0.8244735669, 10);
    expect(warnings.map((w) => w.code)).toEqual(['foreign-experiment-rows', 'small-sample']);
    expect(evaluation.warnings).toEqual(warnings);
  });

  it('ignores rows of other experiments when the first row has an empty exp_id', () => {
    const first = { ...readme[0]!, exp_id: null } as AggregatedGoalRow;
    const rows = [first, ...readme.slice(1), aggregatedGoalRow('a', 'click', 1000, { exp_id: 'other' })];
    const evaluation = experiment().evaluateAgg(rows);
    expect(evaluation.metrics[1]!.pValue).toBeCloseTo(0.8244735669, 10);
    expect(evaluation.warnings.map((w) => w.code)).toContain('foreign-experiment-rows');
  });

  it('rejects a first row without exp_id when other rows have it', () => {
    const { exp_id: _, ...first } = readme[0]!;
    expect(() => experiment().evaluateAgg([first as AggregatedGoalRow, ...readme.slice(1)])).toThrow(
      'Row 0, column `exp_id`: required column is missing from this row (other rows have it)',
    );
  });

  it('gives the same result for columnar input', () => {
    const columns = Object.fromEntries(
      Object.keys(readme[0]!).map((key) => [key, readme.map((row) => row[key])]),
    ) as never;
    const fromRows = experiment().evaluateAgg(readme, { timestamp: 1 });
    expect(experiment().evaluateAgg(columns, { timestamp: 1 })).toEqual(fromRows);
  });

  it('skips a failing check with a warning and evaluates the rest', () => {
    const broken: Check = {
      id: 7,
      name: 'Broken',
      goals: [],
      evaluateAgg: () => {
        throw new Error('boom');
      },
    };
    const evaluation = experiment({ checks: [broken, srm] }).evaluateAgg(readme);
    expect(evaluation.checks.map((row) => row.checkId)).toEqual([1, 1, 1]);
    expect(evaluation.warnings.filter((warning) => warning.code !== 'small-sample')).toEqual([
      {
        code: 'check-failed',
        message: 'Cannot evaluate check [7] in experiment [x] because of boom',
        checkId: 7,
      },
    ]);
  });

  it('returns frozen rows and (metrics x variants) matrices', () => {
    const evaluation = experiment().evaluateAgg(readme);
    expect(Object.isFrozen(evaluation.metrics[0])).toBe(true);
    expect(Object.isFrozen(evaluation.metrics)).toBe(true);
    expect(evaluation.matrices.pValue.shape).toEqual([1, 2]);
    expect(evaluation.matrices.pValue.get(0, 1)).toBe(evaluation.metrics[1]!.pValue);
    expect(evaluation.matrices.variants).toEqual(['a', 'b']);
  });

  it('names row and column of a malformed goal cell', () => {
    const bad = [...readme, aggregatedGoalRow('a', 'click', 1, { exp_id: 'x', sum_value: 'n/a' })];
    expect(() => experiment().evaluateAgg(bad)).toThrow(
      new DataError('expected a number, received `n/a` (text)', { row: 4, column: 'sum_value' }),
    );
  });
});

describe('Experiment validation', () => {
  it('rejects duplicate metric ids with the reference message', () => {
    const error = thrownValidationError(() => experiment({ metrics: [ctr, ctr] }));
    expect(error.message).toBe('Metric ids must be unique. Id=1 found more than once.');
    expect(error.path).toEqual(['metrics', 1, 'id']);
  });

  it.each([0, 1, -0.5, 1.5, Number.NaN])('rejects the confidence level %s', (confidenceLevel) => {
    expect(thrownValidationError(() => experiment({ confidenceLevel })).path).toEqual(['confidenceLevel']);
  });

  it.each(['20200101', '2020-1-01', '2020-13-01', '2021-02-29', 'today'])('rejects the date %s', (date) => {
    expect(thrownValidationError(() => experiment({ dateFrom: date, dateTo: '2022-01-01' })).path).toEqual([
      'dateFrom',
    ]);
  });

  it('rejects dateFor before dateFrom and dateFrom after dateTo', () => {
    expect(
      thrownValidationError(() =>
        experiment({ dateFrom: '2020-01-10', dateTo: '2020-01-20', dateFor: '2020-01-09' }),
      ).message,
    ).toBe(
      '`dateFor` (2020-01-09) must not be before `dateFrom` (2020-01-10); leave `dateFor` out to evaluate on the day the evaluation runs',
    );
    expect(
      thrownValidationError(() => experiment({ dateFrom: '2020-01-10', dateTo: '2020-01-09' })).path,
    ).toEqual(['dateFrom']);
  });

  it('rejects explicit variants without the control', () => {
    expect(thrownValidationError(() => experiment({ variants: ['b', 'c'] })).message).toBe(
      'Unknown control variant `a`: it is not among the variants ["b","c"]',
    );
  });

  it('rejects a null hypothesis rate outside [0, 1]', () => {
    expect(thrownValidationError(() => experiment({ nullHypothesisRate: 1.2 })).path).toEqual([
      'nullHypothesisRate',
    ]);
  });

  it('reports an unparsable nominator with its field and position', () => {
    const error = thrownValidationError(
      () =>
        new Metric({
          id: 1,
          name: 'm',
          nominator: 'count(u.unit.click',
          denominator: 'count(u.global.exposure)',
        }),
    );
    expect(error.path).toEqual(['nominator']);
    expect(error.message).toMatch(/^`nominator`: .*\(at character 18\)/);
    expect(error.cause).toMatchObject({ name: 'ExpressionError', span: { start: 18, end: 18 } });
  });

  it('completes every goal with every dimension of the experiment', () => {
    const dimensional = new Metric({
      id: 2,
      name: 'Button views',
      nominator: 'count(u.unit.view(element=button-1))',
      denominator: 'count(u.global.exposure)',
    });
    const definition = experiment({ metrics: [ctr, dimensional] });
    expect(definition.dimensions).toEqual(['element']);
    expect(definition.goals.map((goal) => goal.dimensions.map((d) => `${d.name}=${d.storedValue}`))).toEqual([
      ['element='],
      ['element='],
      ['element=button-1'],
    ]);
  });
});
