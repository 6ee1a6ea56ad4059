/**
 * The events file of bench/sql-scale.bench.ts: 1,000,000 units of `generateEvents` (about 10 million
 * events) as one Parquet file, cached under node_modules/.cache/ep-stats-bench by the generator's
 * parameters, as generating it takes minutes.
 *
 * The units are generated in chunks (chunk `i` with seed `seed + i`, its unit ids shifted past the earlier
 * chunks) and appended to a CSV file, which DuckDB then copies into Parquet with the column types of
 * `writeEventsParquet` (text ids and date, `BIGINT` count, `DOUBLE` value): 10 million events never sit in
 * this process's memory at once.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DuckDbClient,
  EVENT_COLUMNS,
  eventsToCsv,
  generateEvents,
  SYNTHETIC_DIMENSIONS,
  sqlStringLiteral,
} from '../src/sql/index.js';

/** The generator's parameters: what the cached file is keyed by. */
export const SCALE_EVENTS = {
  /** Bump when the way the file is written changes. */
  format: 1,
  seed: 20240101,
  units: 1_000_000,
  chunkUnits: 50_000,
  days: 21,
  expId: 'scale',
  variants: [
    { id: 'a' },
    { id: 'b', effects: { clicks: 0.05, conversions: 0.03 } },
    { id: 'c', effects: { value: 0.05 } },
  ],
} as const;

const CACHE = fileURLToPath(new URL('../node_modules/.cache/ep-stats-bench/', import.meta.url));

/** The events file and how long making it took (0 when it came from the cache). */
export interface ScaleEventsFile {
  readonly path: string;
  readonly events: number;
  readonly bytes: number;
  readonly generateMilliseconds: number;
  readonly cached: boolean;
}

/** The cached file of {@link SCALE_EVENTS}, generated first when it is not there. */
export async function scaleEventsFile(): Promise<ScaleEventsFile> {
  const key = createHash('sha256').update(JSON.stringify(SCALE_EVENTS)).digest('hex').slice(0, 16);
  const path = join(CACHE, `sql-scale-${key}.parquet`);
  let generateMilliseconds = 0;
  const cached = existsSync(path);
  if (!cached) {
    mkdirSync(CACHE, { recursive: true });
    const start = performance.now();
    await writeScaleEvents(path);
    generateMilliseconds = performance.now() - start;
  }
  const client = await DuckDbClient.open();
  try {
    const [row] = await client.query('SELECT COUNT(*) AS n FROM read_parquet($1)', [path]);
    return { path, events: Number(row?.n), bytes: statSync(path).size, generateMilliseconds, cached };
  } finally {
    await client.close();
  }
}

async function writeScaleEvents(path: string): Promise<void> {
  const csv = `${path}.${process.pid}.csv`;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(csv, '');
    const { units, chunkUnits } = SCALE_EVENTS;
    for (let first = 0, chunk = 0; first < units; first += chunkUnits, chunk++) {
      const events = generateEvents({
        seed: SCALE_EVENTS.seed + chunk,
        units: Math.min(chunkUnits, units - first),
        days: SCALE_EVENTS.days,
        expId: SCALE_EVENTS.expId,
        variants: SCALE_EVENTS.variants,
      }).map((event) => ({ ...event, unit_id: String(first + Number(event.unit_id)) }));
      const text = eventsToCsv(events, SYNTHETIC_DIMENSIONS);
      appendFileSync(csv, chunk === 0 ? text : text.slice(text.indexOf('\n') + 1));
    }
    const types = [...EVENT_COLUMNS, ...SYNTHETIC_DIMENSIONS].map((name) => {
      const type = name === 'count' ? 'BIGINT' : name === 'value' ? 'DOUBLE' : 'VARCHAR';
      return `${sqlStringLiteral(name)}: ${sqlStringLiteral(type)}`;
    });
    const client = await DuckDbClient.open();
    try {
      await client.query(
        `COPY (SELECT * FROM read_csv(${sqlStringLiteral(csv)}, header = true, columns = {${types.join(', ')}})) ` +
          `TO ${sqlStringLiteral(temporary)} (FORMAT PARQUET)`,
        [],
      );
    } finally {
      await client.close();
    }
    renameSync(temporary, path);
  } finally {
    rmSync(csv, { force: true });
    rmSync(temporary, { force: true });
  }
}
