/**
 * The samples of docs/sql.md marked `<!-- check: clickhouse-cluster -->` ("On a distributed engine"), run on
 * the two-shard ClickHouse cluster of `test/sql/clickhouse-cluster-setup.ts`:
 *
 * - the ```sql sample (the DDL): each statement runs where its comment says (`-- on every shard`: on both
 *   shards; `-- on the server(s) the client queries`: on shard 1), with the sample's cluster name
 *   `my_cluster` replaced by the test cluster's; the servers must accept every statement;
 * - the demo events (`fixtures/events/demo-events.csv`) are loaded into the local tables, the units with even
 *   ids on shard 1 and the odd ones on shard 2, and into a plain table on shard 1 holding all of them;
 *   `SqlDao` on the sample's `Distributed` table must return the plain table's goal rows (aggregated and per
 *   unit) for every demo scenario of the equivalence tests, and shard 1's local table alone must not;
 * - the ```ts sample (the program) runs with `CLICKHOUSE_URL` set to shard 1, with its `// =>` assertions.
 *
 * Without the cluster (no ClickHouse binary) the test is skipped with a warning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { samplesChecked } from '../../scripts/site-samples.js';
import { ClickHouseClient, clickhouseDialect, SqlDao, type SqlRow } from '../../src/sql/index.js';
import { clickhouseTestCluster } from '../sql/support/clickhouse-server.js';
import { goalRowDifferences } from '../sql/support/compare.js';
import { demoScenarios } from '../sql/support/scenarios.js';
import { createExampleRunner } from '../support/doc-runner.js';

const samples = samplesChecked('clickhouse-cluster');
const ddl = samples.filter((sample) => sample.lang === 'sql');
const programs = samples.filter((sample) => sample.lang === 'ts');
const cluster = clickhouseTestCluster();
const DIMENSIONS = ['element', 'product', 'country'];
const PLAIN_TABLE = 'docs_cluster_all_events';

/** A statement of the DDL sample and where it runs. */
interface PlacedStatement {
  readonly sql: string;
  readonly everyShard: boolean;
}

/**
 * The statements of a DDL sample (separated by `;` at the end of a line), each placed by the last `--`
 * comment before it: `on every shard`, or else the server the client queries.
 */
function placedStatements(code: string): PlacedStatement[] {
  const statements: PlacedStatement[] = [];
  let everyShard: boolean | undefined;
  let current: string[] = [];
  for (const line of code.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('--')) {
      if (current.length > 0) throw new Error(`a comment inside a statement: ${trimmed}`);
      everyShard = /on every shard/i.test(trimmed);
      continue;
    }
    if (trimmed === '') continue;
    current.push(line);
    if (trimmed.endsWith(';')) {
      if (everyShard === undefined) throw new Error('a statement without a comment saying where it runs');
      statements.push({ sql: current.join('\n').replace(/;\s*$/, ''), everyShard });
      current = [];
    }
  }
  if (current.length > 0) throw new Error(`a statement without its ';': ${current.join(' ')}`);
  return statements;
}

/** The names of the tables a statement creates. */
function createdTable(sql: string): string {
  const match = /^\s*CREATE\s+TABLE\s+(\w+)/i.exec(sql);
  if (match === null) throw new Error(`not a CREATE TABLE: ${sql.slice(0, 60)}`);
  return match[1] as string;
}

/** The demo events file: its header line and its event lines. */
function demoEvents(): { header: string; lines: string[] } {
  const [header = '', ...lines] = readFileSync(
    join(REPOSITORY_ROOT, 'fixtures', 'events', 'demo-events.csv'),
    'utf8',
  )
    .split('\n')
    .filter((line) => line !== '');
  return { header, lines };
}

/** The unit id (fourth column) of an event line of the demo file. */
function unitIdOf(line: string): number {
  return Number(line.split(',')[3]);
}

async function countRows(client: ClickHouseClient, table: string): Promise<number> {
  const rows = (await client.query(`SELECT count() AS n FROM ${table}`, [])) as SqlRow[];
  return Number(rows[0]?.n);
}

describe('the ClickHouse cluster samples of docs/sql.md', () => {
  it('finds the DDL and the program', () => {
    expect(samples.map((sample) => sample.page)).toEqual(['docs/sql.md', 'docs/sql.md']);
    expect(ddl).toHaveLength(1);
    expect(programs).toHaveLength(1);
    const statements = placedStatements(ddl[0]?.code ?? '');
    expect(statements.map((statement) => statement.everyShard)).toEqual([true, false]);
    expect(ddl[0]?.code).toContain('Distributed(my_cluster, ');
  });

  describe.skipIf(cluster.shardUrls.length === 0)('on two shards', () => {
    const { header, lines } = demoEvents();
    let shards: ClickHouseClient[] = [];
    let created: string[] = [];
    let localTable = '';
    let distributedTable = '';
    beforeAll(async () => {
      shards = await Promise.all(
        cluster.shardUrls.map((url) => ClickHouseClient.connect({ url, timeout: 60_000 })),
      );
      const statements = placedStatements(ddl[0]?.code ?? '');
      created = statements.map((statement) => createdTable(statement.sql));
      [localTable = '', distributedTable = ''] = created;
      for (const shard of shards) {
        for (const table of [...created].reverse()) await shard.query(`DROP TABLE IF EXISTS ${table}`, []);
      }
      for (const statement of statements) {
        const sql = statement.sql.replace(/\bmy_cluster\b/g, cluster.name);
        for (const shard of statement.everyShard ? shards : shards.slice(0, 1)) await shard.query(sql, []);
      }
      await Promise.all(
        shards.map((shard, index) => {
          const part = lines.filter((line) => unitIdOf(line) % 2 === index);
          return shard.query(
            `INSERT INTO ${localTable} FORMAT CSVWithNames\n${header}\n${part.join('\n')}\n`,
            [],
          );
        }),
      );
      const initiator = shards[0] as ClickHouseClient;
      await initiator.query(`DROP TABLE IF EXISTS ${PLAIN_TABLE}`, []);
      await initiator.query(`CREATE TABLE ${PLAIN_TABLE} AS ${localTable}`, []);
      await initiator.query(
        `INSERT INTO ${PLAIN_TABLE} FORMAT CSVWithNames\n${header}\n${lines.join('\n')}\n`,
        [],
      );
    });
    afterAll(async () => {
      for (const shard of shards) await shard.close();
    });

    /** `SqlDao` on shard 1 over `table`. */
    const dao = (table: string) =>
      new SqlDao({
        client: shards[0] as ClickHouseClient,
        dialect: clickhouseDialect,
        schema: { table, dimensions: DIMENSIONS, dateType: 'date' },
      });

    it('creates the local table on every shard and the Distributed table over both', async () => {
      const [first, second] = shards as [ClickHouseClient, ClickHouseClient];
      const onFirst = await countRows(first, localTable);
      const onSecond = await countRows(second, localTable);
      expect(onFirst).toBeGreaterThan(0);
      expect(onSecond).toBeGreaterThan(0);
      expect(onFirst + onSecond).toBe(lines.length);
      expect(await countRows(first, distributedTable)).toBe(lines.length);
      const [engine] = (await first.query(
        `SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = '${distributedTable}'`,
        [],
      )) as SqlRow[];
      expect(engine?.engine).toBe('Distributed');
    });

    it("differs from the plain table on shard 1's local table alone", async () => {
      const [scenario] = demoScenarios;
      const differences = await goalRowDifferences(dao(localTable), dao(PLAIN_TABLE), scenario!.experiment);
      expect(differences.length).toBeGreaterThan(0);
    });

    for (const { name, experiment } of demoScenarios) {
      it(`returns the goal rows of a plain table of the same events: ${name}`, async () => {
        expect(await goalRowDifferences(dao(distributedTable), dao(PLAIN_TABLE), experiment)).toEqual([]);
      });
    }

    it('runs the program on the Distributed table', async () => {
      const program = programs[0]!;
      expect(program.code).toContain('process.env.CLICKHOUSE_URL');
      expect(program.code).toContain(`table: '${distributedTable}'`);
      const runner = createExampleRunner();
      const saved = process.env.CLICKHOUSE_URL;
      process.env.CLICKHOUSE_URL = cluster.shardUrls[0];
      try {
        await runner.run({
          name: `${program.page} sample ${program.index}`,
          symbol: program.page,
          index: program.index,
          code: program.code,
          file: program.page,
          line: program.line,
        });
      } finally {
        if (saved === undefined) delete process.env.CLICKHOUSE_URL;
        else process.env.CLICKHOUSE_URL = saved;
        runner.dispose();
      }
    });
  });
});
