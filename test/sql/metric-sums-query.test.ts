/**
 * The metric sums statement, and the unit goals statement with pre-period rows, as text: what they reject,
 * bind and write (no database).
 */
import { describe, expect, it } from 'vitest';
import { Experiment, Metric, ValidationError } from '../../src/index.js';
import {
  compileMetricSumsQuery,
  compileUnitGoalsQuery,
  duckdbDialect,
  type SqlDialect,
} from '../../src/sql/index.js';
import { daysBefore } from '../../src/sql/pre-period-sql.js';

describe('daysBefore', () => {
  // Expected days as Python's datetime.date arithmetic gives them.
  it('counts calendar days back across months, leap days, years and two-digit years', () => {
    expect(daysBefore('2024-03-15', 14)).toBe('2024-03-01');
    expect(daysBefore('2024-03-01', 1)).toBe('2024-02-29');
    expect(daysBefore('2023-03-01', 1)).toBe('2023-02-28');
    expect(daysBefore('2024-01-01', 1)).toBe('2023-12-31');
    expect(daysBefore('2024-03-01', 28)).toBe('2024-02-02');
    expect(daysBefore('2030-01-01', 3660)).toBe('2019-12-25');
    expect(daysBefore('0100-01-10', 20)).toBe('0099-12-21');
  });
});

describe('compileMetricSumsQuery', () => {
  const schema = { table: 'events', dimensions: ['element', 'country'] };
  const withMetric = (nominator: string, denominator: string, cuped = false) =>
    new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'user',
      dateFrom: '2024-03-15',
      metrics: [
        new Metric({
          id: 9,
          name: 'Per unit',
          nominator,
          denominator,
          ...(cuped ? { cuped: { preDays: 3 } } : {}),
        }),
      ],
    });
  const compile = (experiment: Experiment) =>
    compileMetricSumsQuery(experiment, { schema, dialect: duckdbDialect });

  it('rejects a per-unit division by a goal, naming the metric and the divisor', () => {
    const error = (() => {
      try {
        compile(withMetric('value(user.unit.order) / count(user.unit.order)', 'count(user.unit.exposure)'));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toEqual(['metrics', 0, 'nominator']);
    expect((error as ValidationError).message).toBe(
      "Metric 'Per unit' (id 9): its nominator `value(user.unit.order) / count(user.unit.order)` divides per unit by " +
        '`count(user.unit.order)`, which can be 0 for a unit (a unit without that goal counts it as 0), making metric ' +
        'sums infinite or NaN; divide at the metric level (nominator / denominator) instead, or by a non-zero number ' +
        'or by the unit exposures',
    );
    expect(() =>
      compile(withMetric('count(user.unit.order)', 'count(user.unit.exposure) / (1 - 1)')),
    ).toThrow(/its denominator .* divides per unit by `1 - 1`/);
  });

  it('accepts a division by a non-zero number or by the unit exposures, which every exposed unit has', () => {
    expect(
      compile(withMetric('value(user.unit.order) / -4', 'count(user.unit.exposure)')).parameters,
    ).toContain(-4);
    compile(withMetric('value(user.unit.order) / count(user.unit.exposure)', 'unique(user.global.exposure)'));
    compile(
      withMetric('value(user.unit.order) / (2 * unique(user.unit.exposure))', 'count(user.unit.exposure)'),
    );
    // A dimensioned exposure goal may be 0 for an exposed unit; in the pre-period no exposure need exist.
    expect(() =>
      compile(
        withMetric(
          'value(user.unit.order) / count(user.unit.exposure(country=CZ))',
          'count(user.unit.exposure)',
        ),
      ),
    ).toThrow(ValidationError);
    expect(() =>
      compile(
        withMetric('value(user.unit.order) / count(user.unit.exposure)', 'count(user.unit.exposure)', true),
      ),
    ).toThrow(/can be 0 for a unit in the pre-period \(CUPED\)/);
  });

  it('rejects an experiment without metrics', () => {
    expect(() => compile(new Experiment({ id: 'e', controlVariant: 'a', unitType: 'user' }))).toThrow(
      "Experiment 'e' has no metrics, and metric sums have one row per metric and variant; add a metric",
    );
  });

  it('binds numbers and every value of the definition, and writes the pre-period start as a date', () => {
    const { sql, parameters } = compile(
      withMetric('value(user.unit.order(element=x)) * 3', 'count(user.unit.exposure)', true),
    );
    expect(parameters).toEqual(expect.arrayContaining([3, 'x', '2024-03-12', '2024-03-15', 'e', '9']));
    expect(sql.replace(/\$\d+/g, '?')).not.toMatch(/\b3\b|'x'|2024/);
    expect(sql).toContain('LEFT JOIN "ep_pre_per_unit" USING ("unit_id")');
  });
});

describe('compileUnitGoalsQuery with CUPED metrics', () => {
  const schema = { table: 'events', dimensions: ['element', 'pre_days'] };
  const experiment = (options: { cuped?: boolean; dateFrom?: string; dimension?: string } = {}) =>
    new Experiment({
      id: 'e',
      controlVariant: 'a',
      unitType: 'user',
      ...(options.dateFrom === undefined ? {} : { dateFrom: options.dateFrom }),
      metrics: [
        new Metric({
          id: 1,
          name: 'Orders',
          nominator: `count(user.unit.order(${options.dimension ?? 'element'}=x))`,
          denominator: 'count(user.unit.exposure)',
          ...(options.cuped === false ? {} : { cuped: { preDays: 3 } }),
        }),
        new Metric({
          id: 2,
          name: 'Revenue per order',
          nominator: 'value(user.unit.order)',
          denominator: 'count(user.unit.order)',
          ...(options.cuped === false ? {} : { cuped: { preDays: 10 } }),
        }),
      ],
    });
  const compile = (subject: Experiment, dialect: SqlDialect = duckdbDialect) =>
    compileUnitGoalsQuery(subject, { schema, dialect });

  it('is the statement of an experiment without metrics when no metric asks for CUPED', () => {
    const plain = compile(experiment({ cuped: false, dateFrom: '2024-03-15' }));
    expect(plain.sql).not.toContain('pre_days');
    const { metrics: _, ...withoutMetrics } = experiment({ cuped: false, dateFrom: '2024-03-15' });
    const bare = Object.assign(Object.create(Experiment.prototype), withoutMetrics) as Experiment;
    expect(compile(bare)).toEqual(plain);
  });

  it('binds each pre-period length and its start, after the pre-period events and in placeholder order', () => {
    const { sql, parameters } = compile(experiment({ dateFrom: '2024-03-15' }));
    // The longest window's start and dateFrom, then 3 and 10 days in the pre-period SELECTs.
    expect(parameters).toEqual(expect.arrayContaining(['2024-03-05', '2024-03-12', '2024-03-15', 3, 10]));
    expect(parameters.filter((value) => typeof value === 'number')).toEqual([3, 3, 10]);
    const positions = [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
    expect(positions).toEqual(parameters.map((_, index) => index + 1));
    expect(sql.match(/CAST\(0 AS BIGINT\) AS "pre_days"/g)).toHaveLength(4);
    expect(sql.match(/CAST\(\$\d+ AS BIGINT\) AS "pre_days"/g)).toHaveLength(3);
    expect(sql).toContain('FROM "ep_per_unit" LEFT JOIN "ep_pre_per_unit" USING ("unit_id")');
  });

  it('rejects a CUPED metric without dateFrom, and a dimension named pre_days, before any SQL', () => {
    const undated = (() => {
      try {
        compile(experiment());
      } catch (caught) {
        return caught as ValidationError;
      }
    })();
    expect(undated).toBeInstanceOf(ValidationError);
    expect(undated?.path).toEqual(['dateFrom']);
    expect(undated?.message).toBe(
      "Metric 'Orders' (id 1) asks for CUPED, whose pre-period is the 3 days before `dateFrom`, but the experiment has no `dateFrom`; set it",
    );
    const clash = (() => {
      try {
        compile(experiment({ dateFrom: '2024-03-15', dimension: 'pre_days' }));
      } catch (caught) {
        return caught as ValidationError;
      }
    })();
    expect(clash).toBeInstanceOf(ValidationError);
    expect(clash?.path).toEqual(['dimensions', 0]);
    expect(clash?.message).toMatch(/^The experiment's dimension `pre_days` has the name of the column/);
    // Without CUPED a dimension may be called pre_days.
    expect(compile(experiment({ cuped: false, dimension: 'pre_days' })).sql).toContain('"pre_days"');
  });
});
