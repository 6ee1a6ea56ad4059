import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { post, startTestServer } from './support/server-client.js';

// The reference's tests/epstats/server/test_req.py (status, `detail[i].loc` and `type` as FastAPI reports
// them) and every request rule of the REST API, with our paths and the reference's messages.

const UNIT = 'test_unit_type';
const EXPOSURES = `count(${UNIT}.global.exposure)`;
const CTR = {
  id: 1,
  name: 'Click-through Rate',
  nominator: `count(${UNIT}.unit.click)`,
  denominator: EXPOSURES,
};
const BASE = { id: 'test-conversions', control_variant: 'a', unit_type: UNIT, metrics: [], checks: [] };

interface Detail {
  loc: (string | number)[];
  msg: string;
  type: string;
}
interface Problem {
  path: (string | number)[];
  message: string;
  type: string;
}

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function evaluate(body: unknown): Promise<{ status: number; detail: Detail[]; problems: Problem[] }> {
  const response = await post(server, '/evaluate', body);
  const parsed = response.status === 422 ? JSON.parse(response.text) : { detail: [], problems: [] };
  return { status: response.status, detail: parsed.detail, problems: parsed.problems };
}

async function problemsOf(body: unknown): Promise<[string, string][]> {
  const { status, problems } = await evaluate(body);
  expect(status).toBe(422);
  return problems.map((problem) => [problem.path.join('.'), problem.message]);
}

describe('request validation replays the reference tests', () => {
  it('a missing control_variant', async () => {
    const { status, detail } = await evaluate({
      id: 'test-conversions',
      controlvariant: 'a',
      metrics: [CTR],
      checks: [],
    });
    expect(status).toBe(422);
    expect(detail[0]?.loc[1]).toBe('control_variant');
    expect(detail[0]?.type).toBe('missing');
    expect(detail[1]).toEqual({ loc: ['body', 'unit_type'], msg: 'Field required', type: 'missing' });
  });

  it('a missing metric nominator', async () => {
    const { nominator: _nominator, ...metric } = CTR;
    const { status, detail } = await evaluate({
      ...BASE,
      id: 'test-binary',
      metrics: [{ ...metric, nnominator: CTR.nominator }],
    });
    expect(status).toBe(422);
    expect(detail[0]).toEqual({
      loc: ['body', 'metrics', 0, 'nominator'],
      msg: 'Field required',
      type: 'missing',
    });
  });

  it('a missing metric denominator', async () => {
    const { denominator: _denominator, ...metric } = CTR;
    const { status, detail } = await evaluate({ ...BASE, metrics: [{ ...metric, ddenominator: EXPOSURES }] });
    expect(status).toBe(422);
    expect(detail[0]?.loc[3]).toBe('denominator');
    expect(detail[0]?.type).toBe('missing');
  });

  it('the check type defaults to SRM', async () => {
    const { status } = await evaluate({ ...BASE, checks: [{ id: 1, name: 'SRM', denominator: EXPOSURES }] });
    expect(status).toBe(200);
  });

  it('a SumRatio check without nominator', async () => {
    const { status, detail } = await evaluate({
      ...BASE,
      checks: [{ id: 1, name: 'SumRatio', type: 'SumRatio', denominator: EXPOSURES }],
    });
    expect(status).toBe(422);
    expect(detail).toEqual([
      {
        loc: ['body', 'checks', 0, 'nominator'],
        msg: 'Value error, we expect nominator to be non-empty',
        type: 'value_error',
      },
    ]);
  });

  it('a metric that does not parse', async () => {
    const { status, detail } = await evaluate({
      ...BASE,
      metrics: [{ ...CTR, denominator: `fce(${UNIT}.global.exposure)` }],
    });
    expect(status).toBe(422);
    expect(detail[0]?.loc[1]).toBe('metrics');
    expect(detail[0]?.type).toBe('value_error');
  });

  it('dates: a valid range is accepted, malformed dates are reported each', async () => {
    const valid = await evaluate({
      ...BASE,
      date_from: '2020-01-01',
      date_to: '2020-01-14',
      date_for: '2020-01-10',
    });
    expect(valid.status).toBe(200);
    const { status, detail } = await evaluate({ ...BASE, date_from: '2020-01-40', date_to: '2020-01-' });
    expect(status).toBe(422);
    expect(detail.map((entry) => [entry.loc[1], entry.type])).toEqual([
      ['date_from', 'value_error'],
      ['date_to', 'value_error'],
    ]);
  });

  it('date_to before date_from', async () => {
    const { status, detail } = await evaluate({ ...BASE, date_from: '2020-01-02', date_to: '2020-01-01' });
    expect(status).toBe(422);
    expect(detail[0]?.loc[0]).toBe('body');
    expect(detail[0]?.type).toBe('value_error');
  });

  it('date_for without date_to or without date_from', async () => {
    for (const dates of [
      { date_from: '2020-01-01', date_for: '2020-01-10' },
      { date_for: '2020-01-01', date_to: '2020-01-10' },
    ]) {
      const { status, detail } = await evaluate({ ...BASE, ...dates });
      expect(status).toBe(422);
      expect(detail[0]?.loc[0]).toBe('body');
      expect(detail[0]?.type).toBe('value_error');
    }
  });

  it('date_for outside [date_from, date_to]', async () => {
    for (const dates of [
      { date_from: '2020-01-01', date_to: '2020-01-05', date_for: '2020-01-10' },
      { date_from: '2020-01-05', date_to: '2020-01-10', date_for: '2020-01-01' },
    ]) {
      const { status, detail } = await evaluate({ ...BASE, ...dates });
      expect(status).toBe(422);
      expect(detail[0]?.type).toBe('value_error');
    }
  });

  it('a trigger filter without goal', async () => {
    const { status, detail } = await evaluate({
      ...BASE,
      id: 'test-trigger',
      variants: ['a', 'b'],
      filters: [{ dimension: 'element', value: ['button-1'], scope: 'trigger' }],
    });
    expect(status).toBe(422);
    expect(detail[0]?.loc[0]).toBe('body');
    expect(detail[0]?.type).toBe('value_error');
  });

  it('a trigger filter needs no dimension', async () => {
    const { status } = await evaluate({
      ...BASE,
      id: 'test-trigger',
      variants: ['a', 'b'],
      filters: [{ dimension: null, value: [], scope: 'trigger', goal: 'view' }],
    });
    expect(status).toBe(200);
  });

  it('an exposure filter without dimension', async () => {
    const { status, detail } = await evaluate({
      ...BASE,
      id: 'test-trigger',
      variants: ['a', 'b'],
      filters: [{ dimension: null, value: [], scope: 'exposure' }],
    });
    expect(status).toBe(422);
    expect(detail[0]?.loc[0]).toBe('body');
    expect(detail[0]?.type).toBe('value_error');
  });
});

describe('request validation names the field and says what is wrong', () => {
  it('a missing control variant', async () => {
    const { control_variant: _control, ...body } = BASE;
    expect(await problemsOf(body)).toEqual([['control_variant', 'Field required']]);
  });

  it('empty nominator and denominator', async () => {
    expect(await problemsOf({ ...BASE, metrics: [{ ...CTR, nominator: '', denominator: '' }] })).toEqual([
      ['metrics.0.nominator', 'we expect nominator to be non-empty'],
      ['metrics.0.denominator', 'we expect denominator to be non-empty'],
    ]);
  });

  it('unparsable nominator, quoting both expressions and the parser error with its position', async () => {
    const metric = { ...CTR, nominator: `count(${UNIT}.session.click)` };
    expect(await problemsOf({ ...BASE, metrics: [metric] })).toEqual([
      [
        'metrics.0.nominator',
        `Cannot parse nominator 'count(${UNIT}.session.click)' or '${EXPOSURES}' because of ` +
          "'Only `unit` and `global` aggregation types are supported but `session` received. (at character 21)'",
      ],
    ]);
  });

  it('a metric without any goal', async () => {
    expect(await problemsOf({ ...BASE, metrics: [{ ...CTR, nominator: '1', denominator: '2' }] })).toEqual([
      ['metrics.0', 'We expect the metric to have at least one goal in nominator and denominator'],
    ]);
  });

  it('check expressions: empty, unparsable, without goal', async () => {
    const checks = [
      { id: 1, name: 'SRM', denominator: '' },
      { id: 2, name: 'SRM', denominator: 'count(' },
      { id: 3, name: 'EVA', type: 'SumRatio', nominator: '5', denominator: EXPOSURES },
    ];
    const problems = await problemsOf({ ...BASE, checks });
    expect(problems[0]).toEqual(['checks.0.denominator', 'we expect denominator to be non-empty']);
    expect(problems[1]?.[0]).toBe('checks.1.denominator');
    expect(problems[1]?.[1]).toMatch(/^Cannot parse 'count\(' because of '.+ \(at character \d+\)'$/);
    expect(problems[2]).toEqual([
      'checks.2.nominator',
      'We expect the check to have at least one goal in nominator',
    ]);
  });

  it('an SRM check ignores a nominator', async () => {
    const checks = [
      { id: 1, name: 'SRM', type: 'SRM', nominator: 'not an expression', denominator: EXPOSURES },
    ];
    expect((await evaluate({ ...BASE, checks })).status).toBe(200);
  });

  it('a SumRatio check with a null nominator', async () => {
    const checks = [{ id: 1, name: 'EVA', type: 'SumRatio', nominator: null, denominator: EXPOSURES }];
    expect(await problemsOf({ ...BASE, checks })).toEqual([
      ['checks.0.nominator', 'we expect nominator to be non-empty'],
    ]);
  });

  it('date formats', async () => {
    expect(
      await problemsOf({ ...BASE, date_from: '2020-6-15', date_to: '2020-02-30', date_for: '15.06.2020' }),
    ).toEqual([
      ['date_from', 'we expect date_from to be in `2020-06-15` format'],
      ['date_to', 'we expect date_to to be in `2020-06-15` format'],
      ['date_for', 'we expect date_for to be in `2020-06-15` format'],
    ]);
  });

  it('date order', async () => {
    expect(await problemsOf({ ...BASE, date_from: '2020-01-10', date_to: '2020-01-01' })).toEqual([
      ['date_to', 'we expect date_to to be greater or equal to date_from'],
    ]);
    expect(
      await problemsOf({ ...BASE, date_from: '2020-01-05', date_to: '2020-01-10', date_for: '2020-01-01' }),
    ).toEqual([['date_for', 'we expect date_for to be greater or equal to date_from']]);
    expect(
      await problemsOf({ ...BASE, date_from: '2020-01-01', date_to: '2020-01-05', date_for: '2020-01-10' }),
    ).toEqual([['date_for', 'we expect date_for to be less or equal to date_to']]);
  });

  it('date_for without a range', async () => {
    expect(await problemsOf({ ...BASE, date_for: '2020-01-10' })).toEqual([
      ['date_for', 'date_for requires date_from and date_to to be present as well'],
    ]);
  });

  it('filters: trigger without goal, exposure and goal scopes without dimension or values', async () => {
    const filters = [
      { scope: 'trigger', dimension: 'element', value: ['button-1'] },
      { scope: 'exposure', value: ['FR'] },
      { scope: 'goal', dimension: 'element', value: [] },
      { scope: 'session', dimension: 'element', value: ['x'] },
    ];
    expect(await problemsOf({ ...BASE, filters })).toEqual([
      ['filters.3.scope', "Input should be 'exposure', 'goal' or 'trigger'"],
      ['filters.0.goal', "Goal is required for scope 'trigger'"],
      ['filters.1.dimension', 'Dimension and value are required for this scope'],
      ['filters.2.value', 'Dimension and value are required for this scope'],
    ]);
  });

  it('wrong types, unknown check types, duplicate ids, control outside the variants, a bad rate', async () => {
    const body = {
      ...BASE,
      id: 7,
      variants: ['b', 'c'],
      metrics: [CTR, { ...CTR, minimum_effect: -0.1 }],
      checks: [{ id: '1', name: 'X', type: 'Chi2', denominator: EXPOSURES }],
      null_hypothesis_rate: 1.5,
    };
    expect(await problemsOf(body)).toEqual([
      ['id', 'Input should be a valid string'],
      ['checks.0.id', 'Input should be a valid integer'],
      ['checks.0.type', "Input should be 'SRM' or 'SumRatio'"],
      ['control_variant', 'control_variant `a` is not among the variants ["b","c"]'],
      ['metrics.1.minimum_effect', 'minimum_effect must be greater than zero.'],
      ['metrics.1.id', 'Metric ids must be unique. Id=1 found more than once.'],
      ['null_hypothesis_rate', 'null_hypothesis_rate must be between 0 and 1, received 1.5'],
    ]);
  });

  it('reports structure and rule problems of one body together, in field paths', async () => {
    const body = {
      id: 'x',
      control_variant: 'a',
      metrics: [{ id: 1, name: 'CTR', nominator: '', denominator: EXPOSURES, outlier_upper_percentile: 60 }],
      checks: 'none',
      date_from: '2020-13-01',
    };
    expect(await problemsOf(body)).toEqual([
      ['unit_type', 'Field required'],
      ['metrics.0.outlier_upper_percentile', 'Input should be less than 50'],
      ['checks', 'Input should be a valid list'],
      ['date_from', 'we expect date_from to be in `2020-06-15` format'],
      ['metrics.0.nominator', 'we expect nominator to be non-empty'],
    ]);
  });

  it('a body that is not an object', async () => {
    expect(await problemsOf([1, 2])).toEqual([['', 'Input should be a valid object']]);
  });

  it('accepts an experiment that starts after today (the default date_for) and warns that it has not started', async () => {
    const response = await post(server, '/evaluate', { ...BASE, metrics: [CTR], date_from: '2999-01-01' });
    expect(response.status).toBe(200);
    expect(response.text).toContain('"evaluated-before-start"');
    expect(response.text).toContain('before the experiment starts on 2999-01-01');
  });
});
