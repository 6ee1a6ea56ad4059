import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVENTS_FILE_MEMORY_LIMIT,
  eventsFileDuckDbOptions,
  openEventsTable,
} from '../../src/cli/event-goals.js';
import {
  type EventRecord,
  eventsToCsv,
  generateEvents,
  SYNTHETIC_DIMENSIONS,
  writeEventsParquet,
} from '../../src/sql/index.js';
import { parseJsonWithNonFinite, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-cli-events-paths-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EXPERIMENT = {
  id: 'paths',
  control_variant: 'a',
  variants: ['a', 'b'],
  unit_type: 'user',
  metrics: [
    {
      id: 1,
      name: 'Clicks',
      nominator: 'count(user.unit.click)',
      denominator: 'count(user.global.exposure)',
    },
  ],
  checks: [{ id: 1, name: 'SRM', type: 'SRM', denominator: 'count(user.global.exposure)' }],
};
const experiment = join(scratch, 'paths.json');

/** The events of `units` users, with unit ids prefixed by `tag` so that files never share a unit. */
function events(units: number, tag: string): EventRecord[] {
  return generateEvents({
    seed: units,
    units,
    days: 3,
    expId: 'paths',
    variants: [{ id: 'a' }, { id: 'b' }],
  }).map((event) => ({ ...event, unit_id: `${tag}-${event.unit_id}` }));
}

/** Writes a CSV file of `units` users (each file's own units). */
function csvFile(path: string, units: number): string {
  writeFileSync(path, eventsToCsv(events(units, path), SYNTHETIC_DIMENSIONS));
  return path;
}

/** The exposed units `evaluate` found in the events the options name (exit code 0 expected). */
async function exposedUnits(...args: string[]): Promise<number> {
  const { code, stdout, stderr } = await runCli(
    ['evaluate', '--experiment', experiment, ...args, '--format', 'json'],
    {},
  );
  expect([code, stderr.replace(/^warning \[[a-z-]+\]: .*\n/gm, '')], args.join(' ')).toEqual([0, '']);
  const report = parseJsonWithNonFinite(stdout) as { exposures: { exposures: number }[] };
  return report.exposures.reduce((sum, row) => sum + row.exposures, 0);
}

beforeAll(async () => {
  writeFileSync(experiment, JSON.stringify(EXPERIMENT));
  mkdirSync(join(scratch, 'run[1]'));
  mkdirSync(join(scratch, 'run1'));
  csvFile(join(scratch, 'run[1]', 'events.csv'), 40);
  csvFile(join(scratch, 'run1', 'events.csv'), 60);
  csvFile(join(scratch, 'ev*.csv'), 30);
  csvFile(join(scratch, 'ev1.csv'), 50);
  csvFile(join(scratch, 'q?.csv'), 20);
  csvFile(join(scratch, 'qa.csv'), 70);
  mkdirSync(join(scratch, 'glob'));
  csvFile(join(scratch, 'glob', 'day1.csv'), 25);
  csvFile(join(scratch, 'glob', 'day2.csv'), 35);
  await writeEventsParquet(events(15, 'p'), join(scratch, 'p[1].parquet'), SYNTHETIC_DIMENSIONS);
  await writeEventsParquet(events(45, 'p'), join(scratch, 'p1.parquet'), SYNTHETIC_DIMENSIONS);
});

describe.concurrent('--events takes the path literally; --events-glob takes a pattern', () => {
  it('--events "run[1]/events.csv" reads that file, not run1/events.csv', async () => {
    expect(await exposedUnits('--events', join(scratch, 'run[1]', 'events.csv'))).toBe(40);
    expect(await exposedUnits('--events', join(scratch, 'run1', 'events.csv'))).toBe(60);
  });

  it('a file named ev*.csv (or q?.csv) next to ev1.csv (qa.csv) reads only itself', async () => {
    expect(await exposedUnits('--events', join(scratch, 'ev*.csv'))).toBe(30);
    expect(await exposedUnits('--events', join(scratch, 'q?.csv'))).toBe(20);
  });

  it('the same for Parquet: p[1].parquet next to p1.parquet', async () => {
    expect(await exposedUnits('--events', join(scratch, 'p[1].parquet'))).toBe(15);
  });

  it('a relative path with glob characters is read from the current folder', async () => {
    const { code, stderr } = await runCli(['evaluate', '--experiment', experiment, '--events', 'ev*.csv']);
    // Run from the repository root: there is no file named ev*.csv there, and no pattern is tried.
    expect(code).toBe(2);
    expect(stderr).toBe('error: cannot read the --events file "ev*.csv": no such file\n');
  });

  it('names a missing --events path with glob characters', async () => {
    const missing = join(scratch, 'run[2]', 'events.csv');
    const { code, stdout, stderr } = await runCli([
      'evaluate',
      '--experiment',
      experiment,
      '--events',
      missing,
    ]);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(`error: cannot read the --events file ${JSON.stringify(missing)}: no such file\n`);
  });

  it.skipIf(process.platform === 'win32')(
    'refuses, naming it, a path with a backslash and glob characters (DuckDB cannot read it as one file)',
    async () => {
      const odd = csvFile(join(scratch, 'b\\s[1].csv'), 10);
      const { code, stderr } = await runCli(['evaluate', '--experiment', experiment, '--events', odd]);
      expect(code).toBe(2);
      expect(stderr).toContain(
        `error: cannot read the --events file ${JSON.stringify(odd)}: DuckDB cannot read`,
      );
    },
  );

  it('--events-glob reads every file the pattern matches', async () => {
    expect(await exposedUnits('--events-glob', join(scratch, 'glob', '*.csv'))).toBe(60);
    expect(await exposedUnits('--events-glob', join(scratch, 'run*', 'events.csv'))).toBe(100);
    expect(await exposedUnits('--events-glob', join(scratch, 'p*.parquet'))).toBe(60);
  });

  it('usage errors (exit 2): both options, a pattern without matches, a pattern of another format', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--events', join(scratch, 'ev1.csv'), '--events-glob', join(scratch, '*.csv')],
        /option '--events <file>' cannot be used with option '--events-glob <pattern>'/,
      ],
      [
        ['--goals', join(scratch, 'ev1.csv'), '--events-glob', join(scratch, '*.csv')],
        /option '--goals <file>' cannot be used with option '--events-glob <pattern>'/,
      ],
      [
        ['--events-glob', join(scratch, 'none', '*.csv')],
        /^error: no file matches the --events-glob pattern ".*none/,
      ],
      [
        ['--events-glob', join(scratch, '*.json')],
        /^error: the --events-glob pattern ".*\*\.json" must end with/,
      ],
      [
        [],
        /one of --goals <file>, --events <file>, --events-glob <pattern> or --database <target> is required/,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runCli(['evaluate', '--experiment', experiment, ...args]);
      expect([code, stdout], args.join(' ')).toEqual([2, '']);
      expect(stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe('an --events file is queried on disk, through a view, within a memory limit', () => {
  /** The events the open table's view reads now. */
  const countEvents = async (table: Awaited<ReturnType<typeof openEventsTable>>) =>
    Number((await table.client.query('SELECT COUNT(*) AS n FROM events', []))[0]?.n);

  it('the catalog holds a view over read_parquet of the file and no table', async () => {
    const path = join(scratch, 'p1.parquet');
    const table = await openEventsTable({ kind: 'file', path });
    try {
      const objects = await table.client.query(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'",
        [],
      );
      expect(objects).toEqual([{ table_name: 'events', table_type: 'VIEW' }]);
      const [view] = await table.client.query(
        "SELECT sql FROM duckdb_views() WHERE view_name = 'events'",
        [],
      );
      expect(String(view?.sql)).toContain(`read_parquet('${path}')`);
    } finally {
      await table.client.close();
    }
  });

  it('a query sees the Parquet file replaced, and lines appended to a CSV file, after opening', async () => {
    const parquet = join(scratch, 'replaced.parquet');
    await writeEventsParquet(events(5, 'r'), parquet, SYNTHETIC_DIMENSIONS);
    const csv = csvFile(join(scratch, 'appended.csv'), 5);
    const parquetTable = await openEventsTable({ kind: 'file', path: parquet });
    const csvTable = await openEventsTable({ kind: 'file', path: csv });
    try {
      expect(await countEvents(parquetTable)).toBe(events(5, 'r').length);
      await writeEventsParquet(events(9, 'r'), parquet, SYNTHETIC_DIMENSIONS);
      expect(await countEvents(parquetTable)).toBe(events(9, 'r').length);
      const before = await countEvents(csvTable);
      appendFileSync(csv, 'paths,a,user,extra,2024-01-01,exposure,1,0,,,CZ\n');
      expect(await countEvents(csvTable)).toBe(before + 1);
    } finally {
      await parquetTable.client.close();
      await csvTable.client.close();
    }
  });

  it(`runs DuckDB with memory_limit ${EVENTS_FILE_MEMORY_LIMIT} and a temporary folder of its own`, async () => {
    const options = eventsFileDuckDbOptions();
    expect(options.memoryLimit).toBe(EVENTS_FILE_MEMORY_LIMIT);
    expect(dirname(options.tempDirectory ?? '')).toBe(tmpdir());
    expect(eventsFileDuckDbOptions().tempDirectory).not.toBe(options.tempDirectory);
    const table = await openEventsTable({ kind: 'file', path: join(scratch, 'p1.parquet') });
    let folder = '';
    try {
      const [settings] = await table.client.query(
        "SELECT current_setting('memory_limit') AS memory, current_setting('temp_directory') AS folder",
        [],
      );
      expect(settings?.memory).toBe('953.6 MiB'); // 1 GB = 10^9 bytes
      folder = String(settings?.folder);
      expect(dirname(folder)).toBe(tmpdir());
      expect(folder).toMatch(/ep-stats-duckdb-\d+-[0-9a-f]{8}$/);
    } finally {
      await table.client.close();
    }
    expect(existsSync(folder)).toBe(false);
  });
});
