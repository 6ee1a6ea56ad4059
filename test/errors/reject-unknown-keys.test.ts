import { describe, expect, it } from 'vitest';
import { optionKeys, rejectUnknownKeys } from '../../src/errors/reject-unknown-keys.js';
import {
  Experiment,
  Filter,
  Metric,
  SimpleMetric,
  SimpleSrmCheck,
  SrmCheck,
  SumRatioCheck,
} from '../../src/index.js';
import { thrownValidationError } from '../support/thrown.js';

const ctr = {
  id: 1,
  name: 'CTR',
  nominator: 'count(u.unit.click)',
  denominator: 'count(u.global.exposure)',
};
const experiment = new Experiment({
  id: 'e',
  controlVariant: 'a',
  unitType: 'u',
  metrics: [new Metric(ctr)],
});

describe('rejectUnknownKeys', () => {
  const known = optionKeys<{ id: number; minimumEffect?: number }>({ id: true, minimumEffect: true });

  it('accepts an object whose keys are all known, also with undefined values', () => {
    expect(rejectUnknownKeys({ id: 1, minimumEffect: undefined }, known, 'Thing')).toBeUndefined();
  });

  it('names the first unknown key, the owner, the closest known key and every known key', () => {
    const error = thrownValidationError(() =>
      rejectUnknownKeys({ id: 1, minimumEfect: 0.1, other: 2 }, known, 'Thing'),
    );
    expect(error.message).toBe(
      'Unknown option `minimumEfect` of Thing (did you mean `minimumEffect`?). Known options: id, minimumEffect',
    );
    expect(error.path).toEqual(['minimumEfect']);
  });

  it('suggests only known keys the object does not already have', () => {
    expect(thrownValidationError(() => rejectUnknownKeys({ id: 1, ids: 2 }, known, 'Thing')).message).toBe(
      'Unknown option `ids` of Thing. Known options: id, minimumEffect',
    );
  });

  it('leaves the suggestion out when no known key is close', () => {
    expect(thrownValidationError(() => rejectUnknownKeys({ colour: 'red' }, known, 'Thing')).message).toBe(
      'Unknown option `colour` of Thing. Known options: id, minimumEffect',
    );
  });

  it('uses the caller’s noun and prefixes the path', () => {
    const error = thrownValidationError(() =>
      rejectUnknownKeys({ ide: 1 }, known, 'metrics[2]', { noun: 'field', path: ['metrics', 2] }),
    );
    expect(error.message).toBe(
      'Unknown field `ide` of metrics[2] (did you mean `id`?). Known fields: id, minimumEffect',
    );
    expect(error.path).toEqual(['metrics', 2, 'ide']);
  });

  it('ignores inherited keys and values that are not objects', () => {
    const inherited = Object.create({ stray: true }) as object;
    expect(rejectUnknownKeys(inherited, known, 'Thing')).toBeUndefined();
    expect(rejectUnknownKeys(undefined, known, 'Thing')).toBeUndefined();
  });
});

describe('every options object of the public API rejects unknown keys', () => {
  it.each<[string, () => unknown, string, string]>([
    ['Metric', () => new Metric({ ...ctr, minimumEfect: 0.1 } as never), 'minimumEfect', 'minimumEffect'],
    [
      'SimpleMetric',
      () => new SimpleMetric({ id: 1, name: 'CTR', nominator: 'clicks', denominator: 'views' } as never),
      'nominator',
      'numerator',
    ],
    [
      'SrmCheck',
      () =>
        new SrmCheck({
          id: 1,
          name: 'SRM',
          denominator: 'count(u.global.exposure)',
          confidence: 0.99,
        } as never),
      'confidence',
      '',
    ],
    [
      'SimpleSrmCheck',
      () => new SimpleSrmCheck({ id: 1, name: 'SRM', denominator: 'views', unittype: 'u' } as never),
      'unittype',
      'unitType',
    ],
    [
      'SumRatioCheck',
      () =>
        new SumRatioCheck({
          id: 1,
          name: 'SumRatio',
          nominator: 'count(u.global.bad)',
          denominator: 'count(u.global.exposure)',
          maxSumRation: 0.02,
        } as never),
      'maxSumRation',
      'maxSumRatio',
    ],
    [
      'Filter',
      () => new Filter({ scope: 'exposure', dimension: 'd', value: ['x'] } as never),
      'value',
      'values',
    ],
    [
      'Experiment',
      () => new Experiment({ id: 'e', controlVariant: 'a', unitType: 'u', datefor: '2024-01-01' } as never),
      'datefor',
      'dateFor',
    ],
    [
      'Experiment.evaluateAgg',
      () => experiment.evaluateAgg([], { timestmp: 0 } as never),
      'timestmp',
      'timestamp',
    ],
    [
      'Experiment.evaluateByUnit',
      () => experiment.evaluateByUnit([], { onwarning: () => {} } as never),
      'onwarning',
      'onWarning',
    ],
    ['Experiment.evaluateWideAgg', () => experiment.evaluateWideAgg([], { time: 0 } as never), 'time', ''],
  ])('%s', (owner, build, key, suggestion) => {
    const error = thrownValidationError(build);
    expect(error.path).toEqual([key]);
    const hint = suggestion === '' ? '' : ` (did you mean \`${suggestion}\`?)`;
    expect(error.message.startsWith(`Unknown option \`${key}\` of ${owner}${hint}. Known options: `)).toBe(
      true,
    );
  });

  it('lists the known options of Metric in definition order', () => {
    expect(thrownValidationError(() => new Metric({ ...ctr, minimumEfect: 0.1 } as never)).message).toBe(
      'Unknown option `minimumEfect` of Metric (did you mean `minimumEffect`?). Known options: id, name, ' +
        'nominator, denominator, metricFormat, metricValueMultiplier, minimumEffect, outlierUpperPercentile, ' +
        'outlierLowerPercentile, kind, cuped, alternative, nonInferiorityMargin, preferredDirection',
    );
  });
});
