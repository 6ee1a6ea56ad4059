import type { Evaluation } from '../../../src/index.js';
import { type RunningServer, type ServerOptions, startServer } from '../../../src/server/index.js';
import { TestDaoFactory } from '../../../src/testing/index.js';

/** A response read as text, with its status and content type. */
export interface TextResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

/**
 * Starts the real server on a free loopback port, silent, over the bundled reference test data
 * (`TestDaoFactory`, the tests' choice: the server itself has no default) unless `daoFactory` is given.
 */
export function startTestServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  return startServer({
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    ...options,
    daoFactory: options.daoFactory ?? new TestDaoFactory(),
  });
}

/** POSTs a body (objects as JSON) and reads the answer as text. */
export async function post(
  server: RunningServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<TextResponse> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

/** GETs a path and reads the answer as text. */
export async function get(server: RunningServer, path: string): Promise<TextResponse> {
  const response = await fetch(`${server.url}${path}`);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

const SENTINEL = '\u0000non-finite:';

/**
 * Parses JSON that may hold the bare tokens `NaN`, `Infinity` and `-Infinity` outside strings (what Python's
 * `json.loads` accepts), for assertions on the default wire format.
 */
export function parsePythonJson(text: string): unknown {
  let output = '';
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (inString) {
      output += character;
      if (character === '\\') {
        output += text[index + 1] ?? '';
        index++;
      } else if (character === '"') {
        inString = false;
      }
      continue;
    }
    if (character === '"') {
      inString = true;
      output += character;
      continue;
    }
    const token = ['NaN', 'Infinity', '-Infinity'].find((candidate) => text.startsWith(candidate, index));
    if (token !== undefined) {
      output += JSON.stringify(SENTINEL + token);
      index += token.length - 1;
      continue;
    }
    output += character;
  }
  return JSON.parse(output, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(SENTINEL) ? Number(value.slice(SENTINEL.length)) : value,
  );
}

interface WireMetricStat {
  exp_variant_id: string;
  diff: number;
  mean: number;
  std: number;
  sum_value: number;
  p_value: number;
  confidence_interval: number;
  confidence_level: number;
  sample_size: number;
  required_sample_size: number;
  power: number;
  false_positive_risk: number;
  confidence_lower: number;
  confidence_upper: number;
  absolute_diff: number;
  absolute_diff_lower: number;
  absolute_diff_upper: number;
  significant: boolean;
}

/** A warning of the `POST /evaluate` response. */
export interface WireWarning {
  code: string;
  message: string;
  metric_ids?: (number | string)[];
  check_id?: number | string;
  variants?: string[];
  goal?: string;
  suggestion?: string;
  count?: number;
}

/** The `POST /evaluate` response as parsed from the wire. */
export interface WireResult {
  id: string;
  metrics: { id: number; name: string; stats: WireMetricStat[] }[];
  checks: { id: number; name: string; stats: { variable_id: string; value: number }[] }[];
  exposure: { unit_type: string; stats: { exp_variant_id: string; count: number }[] };
  warnings: WireWarning[];
}

/**
 * The rows of an evaluation rebuilt from a wire response, enough for the testing kit's `assertMetrics`,
 * `assertChecks` and `assertExposures` (which read only these fields).
 */
export function evaluationOfResponse(result: WireResult): Evaluation {
  const expId = result.id;
  return {
    expId,
    metrics: result.metrics.flatMap((metric) =>
      metric.stats.map((stat) => ({
        expId,
        metricId: metric.id,
        metricName: metric.name,
        expVariantId: stat.exp_variant_id,
        diff: stat.diff,
        mean: stat.mean,
        std: stat.std,
        sumValue: stat.sum_value,
        pValue: stat.p_value,
        confidenceInterval: stat.confidence_interval,
        confidenceLevel: stat.confidence_level,
        sampleSize: stat.sample_size,
        requiredSampleSize: stat.required_sample_size,
        power: stat.power,
        falsePositiveRisk: stat.false_positive_risk,
      })),
    ),
    checks: result.checks.flatMap((check) =>
      check.stats.map((stat) => ({
        expId,
        checkId: check.id,
        checkName: check.name,
        variableId: stat.variable_id,
        value: stat.value,
      })),
    ),
    exposures: result.exposure.stats.map((stat) => ({
      expId,
      expVariantId: stat.exp_variant_id,
      exposures: stat.count,
    })),
  } as unknown as Evaluation;
}

/** The metric columns of the wire format that the reference's API tests compare. */
export const WIRE_METRIC_COLUMNS: readonly string[] = [
  'sum_value',
  'diff',
  'mean',
  'p_value',
  'confidence_interval',
  'confidence_level',
  'sample_size',
  'required_sample_size',
  'power',
  'false_positive_risk',
];
