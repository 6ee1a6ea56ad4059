/**
 * `POST /evaluate` with `breakdowns` and `timeline: 'daily'` on the demo events in DuckDB (a real engine
 * behind a `SqlDao`): every segment of the response equals the response to the same request restricted to
 * that segment's countries by an exposure filter, every timeline day equals the response to the request cut
 * at that day (`date_to` = `date_for` = day) but at the day's O'Brien-Fleming level, warnings are tagged with
 * their segment or day, the statistics threads answer as the event loop, and requests the Dao
 * or the rules cannot serve are 501 / 422 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dao, type DaoFactory, sequentialConfidenceLevel } from '../../src/index.js';
import { buildServer } from '../../src/server/index.js';
import {
  DuckDbClient,
  duckdbDialect,
  type EventsSchema,
  type SqlClient,
  SqlDao,
  type SqlRow,
} from '../../src/sql/index.js';
import { loadDemoCsvIntoDuckDb } from '../sql/support/event-tables.js';
import { DEMO_BODY, DEMO_DAYS, DEMO_EXPOSURES } from '../support/demo-drill-down.js';
import { parsePythonJson, type WireResult } from './support/server-client.js';

const EXPOSURES = DEMO_EXPOSURES;
const BODY = DEMO_BODY;
const DAYS = DEMO_DAYS;

let client: DuckDbClient;
let schema: EventsSchema;
/** The shared DuckDB connection, which the Daos of the requests do not close. */
let shared: SqlClient;

beforeAll(async () => {
  client = await DuckDbClient.open();
  schema = await loadDemoCsvIntoDuckDb(client, 'demo_events');
  shared = {
    query: (sql, parameters): Promise<readonly SqlRow[]> => client.query(sql, parameters),
    close: async () => {},
  };
});

const servers: ReturnType<typeof buildServer>[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await client?.close();
});

/** A factory of SqlDaos over the demo events, optionally without some of their methods. */
function factory(without: readonly (keyof Dao)[] = []): DaoFactory {
  return {
    getDao: async () => {
      const dao = new SqlDao({ client: shared, dialect: duckdbDialect, schema });
      const methods: Dao = {
        getAggGoals: (experiment) => dao.getAggGoals(experiment),
        getUnitGoals: (experiment) => dao.getUnitGoals(experiment),
        getAggGoalSegments: (experiment) => dao.getAggGoalSegments(experiment),
        getTimelineGoals: (experiment) => dao.getTimelineGoals(experiment),
        close: () => dao.close(),
      };
      for (const name of without) delete (methods as unknown as Record<string, unknown>)[name];
      return methods;
    },
  };
}

async function post(payload: unknown, options: { statisticsThreads?: number; without?: (keyof Dao)[] } = {}) {
  const server = buildServer({
    daoFactory: factory(options.without),
    logLevel: 'silent',
    statisticsThreads: options.statisticsThreads ?? 0,
  });
  servers.push(server);
  const response = await server.inject({ method: 'POST', url: '/evaluate', payload: payload as object });
  return { status: response.statusCode, text: response.body };
}

/** The response to a body that must succeed, parsed (NaN as NaN). */
async function evaluated(payload: unknown, options: { statisticsThreads?: number } = {}) {
  const answer = await post(payload, options);
  expect(answer.status, answer.text).toBe(200);
  return { text: answer.text, result: parsePythonJson(answer.text) as WireResult & Record<string, unknown> };
}

interface Block {
  metrics: { id: number; stats: Record<string, number | string | boolean>[] }[];
  checks: { id: number; stats: { variable_id: string; value: number }[] }[];
  exposure: { stats: { exp_variant_id: string; count: number }[] };
}
interface Segment extends Block {
  breakdown: string;
  value: string;
  folded?: string[];
  exposures: number;
}
interface Day extends Block {
  day: string;
}

/** Every statistic of a block's metric rows that the given members name, for a close comparison. */
function statistics(block: Block, members: readonly string[]): number[] {
  return block.metrics.flatMap((metric) =>
    metric.stats.flatMap((stat) => members.map((member) => Number(stat[member]))),
  );
}

/** Expects equal statistics up to the last bits that DuckDB's parallel sums of revenue may change. */
function expectClose(actual: readonly number[], expected: readonly number[], label: string) {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((value, index) => {
    if (Number.isNaN(expected[index]!)) expect(value, label).toBeNaN();
    else expect(value, `${label} [${index}]`).toBeCloseTo(expected[index]!, 10);
  });
}

const ALL_MEMBERS = [
  'mean',
  'std',
  'sum_value',
  'diff',
  'p_value',
  'confidence_interval',
  'confidence_level',
  'confidence_lower',
  'confidence_upper',
  'absolute_diff',
  'sample_size',
];

describe('POST /evaluate with breakdowns', () => {
  const drillDown = { ...BODY, breakdowns: ['country'], breakdown_top: 3 };

  it('answers the overall block as before and one block per segment, each the filtered request', async () => {
    const { result } = await evaluated(drillDown);
    const plain = (await evaluated(BODY)).result;
    expectClose(
      statistics(result as unknown as Block, ALL_MEMBERS),
      statistics(plain as unknown as Block, ALL_MEMBERS),
      'overall',
    );
    const segments = result.segments as Segment[];
    // The three countries with the most exposed users, then the rest folded (the ranking the drill-down guide
    // counts from the CSV); each user is in one country, so the segments' users add up to all users.
    expect(segments.map((segment) => [segment.breakdown, segment.value, segment.folded])).toEqual([
      ['country', 'CZ', undefined],
      ['country', 'DE', undefined],
      ['country', 'US', undefined],
      ['country', '(other)', ['FR', 'SK']],
    ]);
    const kept = segments.slice(0, 3).map((segment) => segment.exposures);
    expect(kept).toEqual([...kept].sort((x, y) => y - x));
    const users = (block: Block) => block.exposure.stats.reduce((sum, stat) => sum + stat.count, 0);
    expect(segments.reduce((sum, segment) => sum + segment.exposures, 0)).toBe(
      users(plain as unknown as Block),
    );
    for (const segment of segments) {
      const countries = segment.folded ?? [segment.value];
      const filtered = (
        await evaluated({ ...BODY, filters: [{ scope: 'exposure', dimension: 'country', value: countries }] })
      ).result as unknown as Block;
      expectClose(statistics(segment, ALL_MEMBERS), statistics(filtered, ALL_MEMBERS), segment.value);
      expect(segment.checks).toEqual(filtered.checks.map((check) => ({ ...check, name: 'SRM' })));
      expect(segment.exposure).toEqual(filtered.exposure);
      expect(users(segment)).toBe(segment.exposures);
    }
  });

  it("corrects every block together with correction_scope 'report'", async () => {
    const raw = (await evaluated({ ...drillDown, correction: 'none' })).result;
    const report = (await evaluated({ ...drillDown, correction: 'bonferroni', correction_scope: 'report' }))
      .result;
    const blocks = (result: Record<string, unknown>) => [
      result as unknown as Block,
      ...(result.segments as Segment[]),
    ];
    const treatments = (result: Record<string, unknown>) =>
      blocks(result).flatMap((block) =>
        block.metrics.flatMap((metric) => metric.stats.filter((stat) => stat.exp_variant_id !== 'a')),
      );
    const rawP = treatments(raw).map((stat) => Number(stat.p_value));
    // 5 blocks x 2 metrics x 2 treatments: Bonferroni multiplies each p-value by 20.
    expect(rawP.length).toBe(20);
    expectClose(
      treatments(report).map((stat) => Number(stat.p_value)),
      rawP.map((p) => Math.min(1, 20 * p)),
      'bonferroni',
    );
  });

  it('tags the warnings of a segment with it: a misspelled goal warns in every block', async () => {
    const typo = { id: 3, name: 'Typo', nominator: 'count(user.unit.conversoin)', denominator: EXPOSURES };
    const { result } = await evaluated({ ...drillDown, metrics: [...BODY.metrics, typo] });
    const warnings = (
      result.warnings as { code: string; segment?: { value: string }; suggestion?: string }[]
    ).filter((warning) => warning.code === 'goal-without-rows');
    expect(warnings.map((warning) => warning.segment?.value)).toEqual([
      undefined,
      'CZ',
      'DE',
      'US',
      '(other)',
    ]);
    for (const warning of warnings) expect(warning.suggestion).toBe('conversion');
  });

  it('answers from the statistics threads as from the event loop', async () => {
    const body = { ...drillDown, timeline: 'daily' };
    const onLoop = await evaluated(body);
    const onThreads = await evaluated(body, { statisticsThreads: 2 });
    const parsed = [onLoop, onThreads].map(({ result }) => result);
    expectClose(
      (parsed[1]!.segments as Segment[]).flatMap((segment) => statistics(segment, ALL_MEMBERS)),
      (parsed[0]!.segments as Segment[]).flatMap((segment) => statistics(segment, ALL_MEMBERS)),
      'threads',
    );
    expect((parsed[1]!.timeline as Day[]).map((day) => day.day)).toEqual(DAYS);
  });

  it('rejects with 422 what the rules forbid, naming the field', async () => {
    const problems = async (payload: unknown) => {
      const answer = await post(payload);
      expect(answer.status, answer.text).toBe(422);
      return (JSON.parse(answer.text) as { detail: { loc: (string | number)[]; msg: string }[] }).detail.map(
        (problem) => [problem.loc.join('.'), problem.msg],
      );
    };
    expect(await problems({ ...BODY, breakdown_top: 5 })).toEqual([
      ['body.breakdown_top', expect.stringContaining('breakdown_top applies only to a drill-down')],
    ]);
    expect(await problems({ ...BODY, breakdowns: ['goal'] })).toEqual([
      ['body.breakdowns.0', expect.stringContaining('is a column of the goal rows')],
    ]);
    expect(await problems({ ...BODY, breakdowns: ['country'], breakdown_top: 0 })).toEqual([
      ['body.breakdown_top', expect.any(String)],
    ]);
    expect(await problems({ ...BODY, breakdowns: ['country'], evaluate_from: 'metric_sums' })).toEqual([
      ['body.breakdowns', expect.stringContaining("evaluate_from is 'metric_sums'")],
    ]);
    const cuped = { ...BODY.metrics[1]!, cuped: { pre_days: 7 } };
    expect(await problems({ ...BODY, metrics: [cuped], timeline: 'daily' })).toEqual([
      ['body.timeline', expect.stringContaining("metric 'Revenue per user' asks for CUPED")],
    ]);
    const { date_from: _from, date_for: _for, ...undated } = BODY;
    expect(await problems({ ...undated, timeline: 'daily' })).toEqual([
      ['body.timeline', expect.stringContaining('starts on date_from')],
    ]);
    expect((await problems({ ...BODY, timeline: 'weekly' }))[0]![0]).toBe('body.timeline');
  });

  it('answers a misspelt breakdown with an error naming it, not with one segment of every unit', async () => {
    const answer = await post({ ...BODY, breakdowns: ['contry'] });
    expect(answer.status, answer.text).toBe(502);
    // The data source knows its dimension columns: SqlDao names the breakdown and the declared ones.
    expect(JSON.parse(answer.text).detail).toContain(
      'The dimension "contry" of the experiment is not a declared dimension column of table `demo_events` (declared: element, product, country)',
    );
  });

  it('answers 501 when the Dao cannot load segments or a timeline', async () => {
    const segments = await post(drillDown, { without: ['getAggGoalSegments'] });
    expect(segments.status).toBe(501);
    expect(JSON.parse(segments.text)).toMatchObject({
      error: 'segments-not-supported',
      experiment_id: 'demo',
      detail: expect.stringContaining('has no getAggGoalSegments; leave breakdowns out'),
    });
    const timeline = await post({ ...BODY, timeline: 'daily' }, { without: ['getTimelineGoals'] });
    expect(timeline.status).toBe(501);
    expect(JSON.parse(timeline.text)).toMatchObject({ error: 'timeline-not-supported' });
  });
});

describe("POST /evaluate with timeline: 'daily'", () => {
  it('answers every day as the request cut at that day, at the O’Brien-Fleming level of the day', async () => {
    const { result } = await evaluated({ ...BODY, timeline: 'daily' });
    const days = result.timeline as Day[];
    expect(days.map((day) => day.day)).toEqual(DAYS);
    for (const day of days) {
      const cut = (await evaluated({ ...BODY, date_to: day.day, date_for: day.day }))
        .result as unknown as Block;
      // Same data, so the same estimates and (level-free) p-values; the level is that of day N of 10.
      const members = ['mean', 'std', 'sum_value', 'diff', 'p_value', 'absolute_diff', 'sample_size'];
      expectClose(statistics(day, members), statistics(cut, members), day.day);
      expect(day.exposure).toEqual(cut.exposure);
      const level = sequentialConfidenceLevel(0.95, '2024-01-01', '2024-01-10', day.day);
      for (const metric of day.metrics) {
        for (const stat of metric.stats) expect(stat.confidence_level).toBe(level);
      }
    }
    // The last day is the whole experiment: the response's own rows.
    expectClose(
      statistics(days.at(-1)!, ALL_MEMBERS),
      statistics(result as unknown as Block, ALL_MEMBERS),
      'last day',
    );
  });

  it('keeps the reference layout without the new fields', async () => {
    const { result } = await evaluated(BODY);
    expect(Object.keys(result)).toEqual(['id', 'metrics', 'checks', 'exposure', 'warnings']);
  });
});
