import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { buildOpenApiDocument, type RunningServer } from '../../src/server/index.js';
import { CONVERSION_REQUEST as BODY } from './support/conversion-request.js';
import { get, post, startTestServer } from './support/server-client.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function expectHealthy(): Promise<void> {
  const health = await get(server, '/health');
  expect(health.status).toBe(200);
  expect(JSON.parse(health.text)).toEqual({ message: 'ep-stats-api is ready' });
}

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

describe('malformed requests get 4xx and the server keeps serving', () => {
  it.each([
    ['truncated JSON', '{"id": "test-conversion", "metrics": [', 400],
    ['not JSON at all', 'id=test-conversion', 400],
    ['an empty body', '', 400],
    ['prototype poisoning', '{"__proto__": {"polluted": true}}', 400],
    ['a JSON string', '"evaluate"', 422],
    ['null', 'null', 422],
  ])('%s -> %d', async (_name, body, status) => {
    const response = await post(server, '/evaluate', body);
    expect(response.status).toBe(status);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(typeof JSON.parse(response.text).detail).not.toBe('undefined');
    expectNoStack(response.text);
    await expectHealthy();
  });

  it('a 10 MB body -> 413', async () => {
    const body = JSON.stringify({ ...BODY, padding: 'x'.repeat(10 * 1024 * 1024) });
    const response = await post(server, '/evaluate', body);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toEqual({
      detail: 'Request body is too large',
      error: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    await expectHealthy();
  });

  it('a content type other than JSON -> 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await post(server, '/evaluate', JSON.stringify(BODY), { 'content-type': contentType });
      expect(response.status).toBe(415);
      expect(JSON.parse(response.text).error).toBe('FST_ERR_CTP_INVALID_MEDIA_TYPE');
    }
    await expectHealthy();
  });

  it('wrong types -> 422 listing every problem', async () => {
    const response = await post(server, '/evaluate', {
      ...BODY,
      metrics: [{ id: 'one', name: 2, nominator: [], denominator: {} }],
      checks: null,
    });
    expect(response.status).toBe(422);
    expect(
      JSON.parse(response.text).problems.map((problem: { path: unknown[] }) => problem.path.join('.')),
    ).toEqual(['metrics.0.id', 'metrics.0.name', 'metrics.0.nominator', 'metrics.0.denominator', 'checks']);
    await expectHealthy();
  });

  it('deeply nested arrays -> 422, in the body and inside a field', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect((await post(server, '/evaluate', deep)).status).toBe(422);
    const nestedInMetrics = JSON.stringify(BODY).replace(
      '"metrics":[',
      `"metrics":[${'['.repeat(50_000)}${']'.repeat(50_000)},`,
    );
    const response = await post(server, '/evaluate', nestedInMetrics);
    expect(response.status).toBe(422);
    expect(JSON.parse(response.text).problems[0]).toEqual({
      path: ['metrics', 0],
      message: 'Input should be a valid object',
      type: 'dict_type',
    });
    await expectHealthy();
  });

  it('an unknown route -> 404 with a JSON detail', async () => {
    const response = await get(server, '/evaluate/now');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text)).toEqual({ detail: 'Not Found: GET /evaluate/now' });
  });

  it('still evaluates after all of that', async () => {
    expect((await post(server, '/evaluate', BODY)).status).toBe(200);
  });
});

describe('GET /metrics', () => {
  const counter = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

  it('exposes the reference metrics of this server and counts evaluations', async () => {
    const before = await get(server, '/metrics');
    expect(before.status).toBe(200);
    expect(before.contentType).toMatch(/^text\/plain/);
    for (const name of [
      'ep_stats_evaluation_requests_total',
      'ep_stats_evaluation_successes_total',
      'ep_stats_evaluation_errors_total',
      'ep_stats_check_evaluation_errors_total',
    ]) {
      expect(before.text).toContain(`# TYPE ${name} counter`);
    }
    for (const name of [
      'ep_stats_evaluation_duration_seconds',
      'ep_stats_query_duration_seconds',
      'ep_stats_stats_computation_duration_seconds',
    ]) {
      expect(before.text).toContain(`# TYPE ${name} summary`);
    }
    await post(server, '/evaluate', BODY);
    await post(server, '/evaluate', { ...BODY, query_parameters: { is_performance_test: true } });
    await post(server, '/evaluate', { ...BODY, metrics: 3 });
    const after = await get(server, '/metrics');
    const delta = (name: string) => counter(after.text, name) - counter(before.text, name);
    expect(delta('ep_stats_evaluation_requests_total')).toBe(2);
    expect(delta('ep_stats_evaluation_successes_total')).toBe(2);
    expect(delta('ep_stats_evaluation_errors_total')).toBe(0);
    expect(after.text).toMatch(
      /^ep_stats_evaluation_duration_seconds_count\{exp_id="test-conversion",is_performance_test="True"\} 1$/m,
    );
    expect(after.text).toMatch(
      /^ep_stats_query_duration_seconds_sum\{exp_id="test-conversion",is_performance_test="False"\} [\d.e-]+$/m,
    );
  });

  it('counts failed evaluations', async () => {
    const other = await startTestServer({
      daoFactory: {
        getDao: async () => ({
          getAggGoals: async () => {
            throw new Error('down');
          },
          getUnitGoals: async () => [],
          close: async () => {},
        }),
      },
    });
    try {
      await post(other, '/evaluate', BODY);
      const text = (await get(other, '/metrics')).text;
      expect(counter(text, 'ep_stats_evaluation_requests_total')).toBe(1);
      expect(counter(text, 'ep_stats_evaluation_errors_total')).toBe(1);
      expect(counter(text, 'ep_stats_evaluation_successes_total')).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('each server has its own registry', async () => {
    const fresh = await startTestServer();
    try {
      expect(counter((await get(fresh, '/metrics')).text, 'ep_stats_evaluation_requests_total')).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});

describe('documentation routes', () => {
  it('GET /openapi.json is an OpenAPI 3 document with the two POST routes', async () => {
    const response = await get(server, '/openapi.json');
    expect(response.status).toBe(200);
    const document = JSON.parse(response.text);
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/evaluate', '/sample-size-calculation', '/health']),
    );
    expect(document.paths['/evaluate'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Experiment',
    });
    expect(document.components.schemas.Experiment.required).toEqual([
      'id',
      'control_variant',
      'unit_type',
      'metrics',
      'checks',
    ]);
    expect(document.components.schemas.SampleSizeCalculationData.properties.confidence_level.default).toBe(
      0.95,
    );
  });

  it("the document's info.version is the package's version", async () => {
    expect(packageJson.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(JSON.parse((await get(server, '/openapi.json')).text).info.version).toBe(packageJson.version);
    expect(JSON.parse((await get(server, '/docs/json')).text).info.version).toBe(packageJson.version);
    expect(buildOpenApiDocument().info.version).toBe(packageJson.version);
  });

  it('GET /docs is the Swagger UI page, with its assets served locally', async () => {
    const page = await get(server, '/docs');
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/<script[^>]+src="https?:/);
    const bundle = await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
  });
});
