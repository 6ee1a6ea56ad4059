/**
 * Programs that scratch consumers compile against the packed package (see `consumers.test.ts`). Each one
 * uses the API as a user would, pins result types with annotated declarations, and holds lines that must
 * not compile (`// @ts-expect-error`): were a type `any`, those lines would compile, and an unused
 * `@ts-expect-error` is an error, so `any` leaking into the public types fails the compilation.
 *
 * The programs are text, not modules of this repository: they import `ep-stats` by its name, which only
 * resolves in a consumer.
 */

/** `true` for `any` only, so that `const x: IsAny<T> = false` fails to compile exactly when `T` is `any`. */
const IS_ANY = 'type IsAny<T> = 0 extends 1 & T ? true : false;';

/**
 * The core entry, `ep-stats`: runtime-neutral, so compiled with `lib: ["es2022"]` and nothing installed but
 * the package (no `@types/node`, no `@types/ndarray`).
 */
export const CORE_PROGRAM = `import {
  chiSquareGoodnessOfFit,
  DataError,
  EpStatsError,
  type ErrorCode,
  EVALUATION_WARNING_CODES,
  type Evaluation,
  type EvaluationWarning,
  type EvaluationWarningCode,
  Experiment,
  ExpressionError,
  formatWideTable,
  type Matrix,
  Metric,
  type MetricMatrices,
  type MetricRow,
  parseExpression,
  powerFromSampleSizes,
  renderMarkdownTable,
  requiredSampleSizePerVariant,
  requiredSampleSizePerVariantBernoulli,
  SrmCheck,
  toWideTable,
  ValidationError,
  welchTestFromMeans,
} from 'ep-stats';

${IS_ANY}

export function evaluate(): readonly unknown[] {
  const codes: EvaluationWarningCode[] = [];
  const experiment = new Experiment({
    id: 'test-conversion',
    controlVariant: 'a',
    unitType: 'test_unit_type',
    metrics: [
      new Metric({
        id: 1,
        name: 'Click-through Rate',
        nominator: 'count(test_unit_type.unit.click)',
        denominator: 'count(test_unit_type.global.exposure)',
      }),
    ],
    checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' })],
  });
  const row = (variant: string, goal: string, aggType: string, count: number) => ({
    exp_id: 'test-conversion',
    exp_variant_id: variant,
    unit_type: 'test_unit_type',
    agg_type: aggType,
    goal,
    count,
    sum_sqr_count: count,
    sum_value: count,
    sum_sqr_value: count,
    count_unique: count,
  });
  const evaluation: Evaluation = experiment.evaluateAgg(
    [row('a', 'click', 'unit', 5), row('b', 'click', 'unit', 7), row('a', 'exposure', 'global', 21), row('b', 'exposure', 'global', 26)],
    { onWarning: (warning: EvaluationWarning) => void codes.push(warning.code) },
  );
  const byUnit: Evaluation = experiment.evaluateByUnit([]);
  const metric: MetricRow | undefined = evaluation.metrics[1];
  const pValue: number = metric === undefined ? Number.NaN : metric.pValue;
  const significant: boolean | undefined = metric?.significant;
  const matrices: MetricMatrices = evaluation.matrices;
  const matrix: Matrix = matrices.pValue;
  const p: number = evaluation.matrices.pValue.get(0, 0);
  const shape: number[] = matrix.shape;
  const data: Float64Array = matrix.data;
  const column: Matrix = matrix.pick(null, 1);
  const srm: number = evaluation.checks[0]?.value ?? Number.NaN;
  const exposures: number = evaluation.exposures[0]?.exposures ?? 0;
  const known: readonly EvaluationWarningCode[] = EVALUATION_WARNING_CODES;
  const firstCode: EvaluationWarningCode | undefined = evaluation.warnings[0]?.code;
  const perVariant: number = requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2 });
  const bernoulli: number = requiredSampleSizePerVariantBernoulli({ nVariants: 2, minimumEffect: 0.1, mean: 0.2 });
  const power: number = powerFromSampleSizes({ nVariants: 2, sampleSize: 100, requiredSampleSize: 200, confidenceLevel: 0.95 });
  const chiSquare: number = chiSquareGoodnessOfFit([21, 26]).pValue;
  const welch: Float64Array = welchTestFromMeans({
    metricCount: 1,
    variantCount: 2,
    controlIndex: 0,
    mean: Float64Array.of(1, 1.1),
    std: Float64Array.of(1, 1),
    count: Float64Array.of(100, 100),
    sumValue: Float64Array.of(100, 110),
    confidenceLevel: 0.95,
  }).pValue;
  const markdown: string = renderMarkdownTable(formatWideTable(toWideTable(evaluation), experiment.metrics));

  let errorCode: ErrorCode | undefined;
  try {
    parseExpression('count(u.session.click)');
  } catch (error) {
    if (error instanceof ExpressionError) {
      const start: number = error.span.start;
      const excerpt: string = error.excerpt;
      void [start, excerpt];
    } else if (error instanceof ValidationError) {
      const path: readonly (string | number)[] = error.path;
      void path;
    } else if (error instanceof DataError) {
      const rowNumber: number | undefined = error.row;
      void rowNumber;
    }
    if (error instanceof EpStatsError) errorCode = error.code;
  }

  // Lines that must not compile; with \`any\` they would, and the unused directive would fail tsc.
  // @ts-expect-error pValue is a number
  const pValueText: string = evaluation.metrics[0]!.pValue;
  // @ts-expect-error an element of a matrix is a number
  const elementText: string = evaluation.matrices.pValue.get(0, 0);
  // @ts-expect-error Matrix has no such member
  evaluation.matrices.mean.notAMember();
  // @ts-expect-error not a warning code
  const unknownCode: EvaluationWarningCode = 'not-a-warning-code';
  // @ts-expect-error a sample size is a number
  const sizeText: string = requiredSampleSizePerVariant({ nVariants: 2, minimumEffect: 0.1, mean: 0.2, std: 1.2 });
  // @ts-expect-error the method is the literal 'welch-delta'
  const method: 'other' = evaluation.method;
  // @ts-expect-error row.count is a number
  const countText: string = evaluation.metrics[0]!.count;

  const notAny: [
    IsAny<Evaluation>,
    IsAny<MetricRow>,
    IsAny<MetricRow['pValue']>,
    IsAny<Matrix>,
    IsAny<ReturnType<Matrix['get']>>,
    IsAny<EvaluationWarningCode>,
    IsAny<ReturnType<Experiment['evaluateAgg']>>,
    IsAny<ReturnType<Experiment['evaluateByUnit']>>,
    IsAny<Parameters<Experiment['evaluateAgg']>[0]>,
    IsAny<Parameters<Experiment['evaluateByUnit']>[0]>,
  ] = [false, false, false, false, false, false, false, false, false, false];

  return [
    codes, byUnit, pValue, significant, p, shape, data, column, srm, exposures, known, firstCode, perVariant,
    bernoulli, power, chiSquare, welch, markdown, errorCode, pValueText, elementText, unknownCode, sizeText,
    method, countText, notAny,
  ];
}
`;

/**
 * The Node.js entries, `ep-stats/testing`, `ep-stats/server`, `ep-stats/sql` and `ep-stats/report`, with the
 * core: compiled
 * with `@types/node` and the server's peers installed (not `pg` nor `@duckdb/node-api`, which the package
 * loads only when used). Values from one entry are passed to another, so that the entries must share their
 * declarations (an `Experiment` of `ep-stats` is the `Experiment` of `ep-stats/sql`).
 */
export const NODE_PROGRAM = `import {
  type AggregatedGoalRow,
  type AggregatedGoals,
  type Dao,
  type DaoFactory,
  type Evaluation,
  Experiment,
  Metric,
  SrmCheck,
} from 'ep-stats';
import {
  buildServer,
  createEvaluationService,
  type EvaluateOutcome,
  type EvaluateResponse,
  type EvaluationService,
  type RunningServer,
  type SampleSizeOutcome,
  startServer,
  stringifyPythonJson,
  toEvaluateResponse,
  validateEvaluateRequest,
} from 'ep-stats/server';
import {
  compileAggregatedGoalsQuery,
  DuckDbClient,
  duckdbDialect,
  generateEvents,
  PostgresClient,
  type SqlClient,
  SqlDao,
  type SqlDialect,
  type SqlRow,
  type SqlStatement,
  type SyntheticEvent,
} from 'ep-stats/sql';
import {
  buildScorecard,
  type HtmlReportInput,
  renderForestPlot,
  renderHtmlReport,
  type Scorecard,
  type Verdict,
} from 'ep-stats/report';
import { assertEvaluation, type ExpectedEvaluations, TestDao, TestDaoFactory, TestData } from 'ep-stats/testing';
import type { FastifyInstance } from 'fastify';

${IS_ANY}

export async function main(): Promise<readonly unknown[]> {
  const experiment = new Experiment({
    id: 'test-conversion',
    controlVariant: 'a',
    unitType: 'test_unit_type',
    metrics: [
      new Metric({
        id: 1,
        name: 'Click-through Rate',
        nominator: 'count(test_unit_type.unit.click)',
        denominator: 'count(test_unit_type.global.exposure)',
      }),
    ],
    checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' })],
  });

  // ep-stats/testing
  const factory: DaoFactory = new TestDaoFactory();
  const testDao: TestDao = await new TestDaoFactory().getDao();
  const dao: Dao = await factory.getDao();
  const goals: AggregatedGoals = await dao.getAggGoals(experiment);
  const rows: AggregatedGoalRow[] = await testDao.getAggGoals(experiment);
  const evaluation: Evaluation = experiment.evaluateAgg(goals);
  const expected: ExpectedEvaluations = TestData.loadEvaluations(experiment.id);
  assertEvaluation(evaluation, expected);

  // ep-stats/server
  const response: EvaluateResponse = toEvaluateResponse(experiment, evaluation);
  const pValue: number = response.metrics[0]!.stats[0]!.p_value;
  const service: EvaluationService = createEvaluationService({ daoFactory: factory });
  const outcome: EvaluateOutcome = await service.evaluate({ id: 'test-conversion' });
  const evaluated: Evaluation | undefined = outcome.ok ? outcome.evaluation : undefined;
  const sampleSize: SampleSizeOutcome = service.sampleSize({ n_variants: 2, minimum_effect: 0.1, mean: 0.2 });
  const perVariant: number | undefined = sampleSize.ok ? sampleSize.response.sample_size_per_variant : undefined;
  const request = validateEvaluateRequest({});
  const requestId: string | undefined = request.ok ? request.value.id : undefined;
  const server: FastifyInstance = buildServer({ daoFactory: factory });
  const start: (options: { daoFactory: DaoFactory }) => Promise<RunningServer> = startServer;
  const json: string = stringifyPythonJson(response);

  // ep-stats/sql
  const client: SqlClient = {
    query: async (_sql: string, _parameters: readonly (string | number)[]): Promise<readonly SqlRow[]> => [],
    close: async () => {},
  };
  const dialect: SqlDialect = duckdbDialect;
  const sqlDao: Dao = new SqlDao({ client, dialect, schema: { table: 'events' } });
  const statement: SqlStatement = compileAggregatedGoalsQuery(experiment, { dialect, schema: { table: 'events' } });
  const fromSql: Evaluation = experiment.evaluateByUnit(await sqlDao.getUnitGoals(experiment));
  const events: SyntheticEvent[] = generateEvents({ seed: 1, units: 10, days: 2, variants: [{ id: 'a' }, { id: 'b' }] });
  const openDuckDb: () => Promise<DuckDbClient> = () => DuckDbClient.open();
  const connectPostgres: (url: string) => Promise<PostgresClient> = (url) => PostgresClient.connect(url);

  // ep-stats/report: an evaluation of ep-stats is the report's input
  const scorecard: Scorecard = buildScorecard(experiment, evaluation);
  const verdict: Verdict | undefined = scorecard.metrics[0]!.rows[1]?.verdict;
  const input: HtmlReportInput = { experiment, evaluation };
  const html: string = renderHtmlReport(input, { generator: 'consumer' });
  const svg: string = renderForestPlot(evaluation, { controlVariant: 'a', metrics: experiment.metrics });

  // Lines that must not compile; with \`any\` they would, and the unused directive would fail tsc.
  // @ts-expect-error p_value is a number
  const pValueText: string = response.metrics[0]!.stats[0]!.p_value;
  // @ts-expect-error a statement's sql is text
  const sqlNumber: number = statement.sql;
  // @ts-expect-error an event's count is a number
  const countText: string = events[0]!.count;
  // @ts-expect-error buildServer needs a daoFactory
  buildServer({});
  // @ts-expect-error the outcome's status is a number
  const statusText: string = outcome.status;
  // @ts-expect-error a verdict is one of the Verdict words
  const badVerdict: Verdict = 'great';

  const notAny: [
    IsAny<EvaluateResponse>,
    IsAny<EvaluateOutcome>,
    IsAny<FastifyInstance>,
    IsAny<ExpectedEvaluations>,
    IsAny<SqlStatement>,
    IsAny<ReturnType<typeof TestData.loadGoalsAgg>>,
    IsAny<ReturnType<typeof validateEvaluateRequest>>,
    IsAny<Scorecard>,
  ] = [false, false, false, false, false, false, false, false];

  return [
    rows, pValue, evaluated, perVariant, requestId, server, start, json, fromSql, openDuckDb, connectPostgres,
    pValueText, sqlNumber, countText, statusText, notAny, verdict, html, svg, badVerdict,
  ];
}
`;
