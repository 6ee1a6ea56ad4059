/**
 * Runs every ```ts program of the documentation site's pages (check `run`, see `scripts/site-samples.ts`)
 * with the annotations of `test/support/doc-runner.ts`.
 *
 * Programs that talk to a database read its address from the environment, as a deployment would:
 * `DATABASE_URL` is the PostgreSQL test database and `CLICKHOUSE_URL` the ClickHouse test server of the
 * global setups (a program that needs one that is not running is skipped with the reason).
 * `@google-cloud/bigquery` is replaced by `test/docs/support/bigquery-stand-in.ts`, which runs the
 * BigQuery statements on DuckDB (no BigQuery here).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { extractPageExamples } from '../../scripts/site-samples.js';
import { clickhouseTestUrl } from '../sql/support/clickhouse-server.js';
import { postgresTestUrl } from '../sql/support/postgres.js';
import { createExampleRunner } from '../support/doc-runner.js';

const STAND_INS = new Map([
  ['@google-cloud/bigquery', join(REPOSITORY_ROOT, 'test', 'docs', 'support', 'bigquery-stand-in.ts')],
]);

/** The environment variables a program reads, and where the test's value comes from. */
const SERVICES = [
  { variable: 'DATABASE_URL', url: postgresTestUrl },
  { variable: 'CLICKHOUSE_URL', url: clickhouseTestUrl },
] as const;

const runner = createExampleRunner(STAND_INS);
const saved = new Map<string, string | undefined>();
const urls = new Map<string, string>();

beforeAll(() => {
  for (const { variable, url } of SERVICES) {
    saved.set(variable, process.env[variable]);
    const value = url();
    urls.set(variable, value);
    if (value) process.env[variable] = value;
    else delete process.env[variable];
  }
});

afterAll(() => {
  runner.dispose();
  for (const [variable, value] of saved) {
    if (value === undefined) delete process.env[variable];
    else process.env[variable] = value;
  }
});

describe('the programs of the documentation site', () => {
  for (const example of extractPageExamples()) {
    const needs = SERVICES.filter(({ variable }) => example.code.includes(`process.env.${variable}`));
    it(example.name, async (context) => {
      const missing = needs.find(({ variable }) => !urls.get(variable));
      if (missing !== undefined) {
        console.warn(`${example.name} skipped: ${missing.variable} has no test server`);
        context.skip();
      }
      await runner.run(example);
    });
  }
});
