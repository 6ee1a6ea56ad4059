import { describe, expect, it } from 'vitest';
import { experimentFromFile } from '../../src/cli/experiment-file.js';
import { ValidationError } from '../../src/index.js';

const definition = {
  id: 'x',
  control_variant: 'a',
  unit_type: 'u',
  metrics: [
    { id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' },
  ],
  checks: [{ id: 1, name: 'SRM', type: 'SRM', denominator: 'count(u.global.exposure)' }],
};

function rejection(file: unknown): ValidationError {
  try {
    experimentFromFile(file);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('experimentFromFile', () => {
  it('rejects an unknown metric field in snake_case, suggesting the closest known field', () => {
    const error = rejection({ ...definition, metrics: [{ ...definition.metrics[0], minimum_efect: 0.1 }] });
    expect(error.path).toEqual(['metrics', 0, 'minimum_efect']);
    expect(error.message).toBe(
      'Unknown field `minimum_efect` of metrics[0] (did you mean `minimum_effect`?). Known fields: id, name, ' +
        'nominator, denominator, minimum_effect, outlier_upper_percentile, outlier_lower_percentile, kind, cuped, ' +
        'alternative, non_inferiority_margin, preferred_direction, metric_format, metric_value_multiplier',
    );
  });

  it('rejects unknown top-level, check and filter fields with the wire spelling of the suggestion', () => {
    const { control_variant: _control, ...withoutControl } = definition;
    const top = rejection({ ...withoutControl, controlVariant: 'a' });
    expect([top.path, top.message.split('. Known')[0]]).toEqual([
      ['controlVariant'],
      'Unknown field `controlVariant` of the experiment file (did you mean `control_variant`?)',
    ]);
    const check = rejection({ ...definition, checks: [{ ...definition.checks[0], denominatr: 'x' }] });
    expect([check.path, check.message.split('. Known')[0]]).toEqual([
      ['checks', 0, 'denominatr'],
      // `denominator` is given, so the closest field not yet given is suggested.
      'Unknown field `denominatr` of checks[0] (did you mean `nominator`?)',
    ]);
    const filter = rejection({ ...definition, filters: [{ scope: 'goal', dimension: 'd', values: ['x'] }] });
    expect([filter.path, filter.message.split('. Known')[0]]).toEqual([
      ['filters', 0, 'values'],
      'Unknown field `values` of filters[0] (did you mean `value`?)',
    ]);
  });

  it('accepts the library options of the file', () => {
    const experiment = experimentFromFile({
      ...definition,
      confidence_level: 0.9,
      metrics: [{ ...definition.metrics[0], metric_format: '{:.1%}', metric_value_multiplier: 100 }],
    });
    expect([experiment.confidenceLevel, experiment.metrics[0]?.metricFormat]).toEqual([0.9, '{:.1%}']);
  });

  it('maps a metric cuped { pre_days } to the option cuped { preDays }, also with display options', () => {
    const cuped = { ...definition.metrics[0], cuped: { pre_days: 14 } };
    const plain = experimentFromFile({ ...definition, date_from: '2024-03-01', metrics: [cuped] });
    expect(plain.metrics[0]?.cuped).toEqual({ preDays: 14 });
    const displayed = experimentFromFile({
      ...definition,
      date_from: '2024-03-01',
      metrics: [{ ...cuped, metric_format: '{:.1%}' }],
    });
    expect([displayed.metrics[0]?.cuped, displayed.metrics[0]?.metricFormat]).toEqual([
      { preDays: 14 },
      '{:.1%}',
    ]);
  });

  it("rejects the library's spelling preDays in cuped, suggesting pre_days", () => {
    const error = rejection({
      ...definition,
      date_from: '2024-03-01',
      metrics: [{ ...definition.metrics[0], cuped: { preDays: 14 } }],
    });
    expect([error.path, error.message]).toEqual([
      ['metrics', 0, 'cuped', 'preDays'],
      'Unknown field `preDays` of metrics[0].cuped (did you mean `pre_days`?). Known fields: pre_days',
    ]);
  });
});
