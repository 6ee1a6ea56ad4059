/**
 * The samples marked `<!-- check: events-view -->` (docs/sql.md, "Large event files") are excerpts of the
 * `CREATE VIEW` statement that `ep-stats evaluate --events events.parquet` runs (`openEventsTable` of
 * `src/cli/event-goals.ts`): the test opens the demo events, copied to `events.parquet` in a temporary
 * folder made the working directory, records the statements sent to DuckDB, and checks that the sample's
 * pieces, split at `...` (a gap of any length) and compared with runs of white space as one space, occur in
 * that order in the `CREATE VIEW` statement, the first at its start and the last at its end (unless the
 * sample starts or ends with `...`).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { samplesChecked } from '../../scripts/site-samples.js';
import { openEventsTable } from '../../src/cli/event-goals.js';
import { DuckDbClient } from '../../src/sql/index.js';

const samples = samplesChecked('events-view');

/** Runs of white space as one space, trimmed. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * What is wrong with `excerpt` as an excerpt of `statement` (`[]` when each piece between `...` gaps is
 * found in order, anchored at the ends the excerpt does not elide).
 */
function excerptProblems(excerpt: string, statement: string): string[] {
  const text = normalize(statement);
  const whole = normalize(excerpt);
  const pieces = whole
    .split('...')
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
  const problems: string[] = [];
  if (pieces.length === 0) return ['the excerpt is empty'];
  if (!whole.startsWith('...') && !text.startsWith(pieces[0] as string)) {
    problems.push(`the statement does not start with ${JSON.stringify(pieces[0])}`);
  }
  if (!whole.endsWith('...') && !text.endsWith(pieces[pieces.length - 1] as string)) {
    problems.push(`the statement does not end with ${JSON.stringify(pieces[pieces.length - 1])}`);
  }
  let from = 0;
  for (const piece of pieces) {
    const at = text.indexOf(piece, from);
    if (at < 0) {
      problems.push(`${JSON.stringify(piece)} is not in the statement after position ${from}`);
      continue;
    }
    from = at + piece.length;
  }
  return problems;
}

describe('excerpts of the events file view', () => {
  let folder = '';
  let previous = '';
  let statements: string[] = [];
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ep-stats-events-view-'));
    copyFileSync(
      join(REPOSITORY_ROOT, 'fixtures', 'events', 'demo-events.parquet'),
      join(folder, 'events.parquet'),
    );
    previous = process.cwd();
    process.chdir(folder);
    const query = vi.spyOn(DuckDbClient.prototype, 'query');
    try {
      const table = await openEventsTable({ kind: 'file', path: 'events.parquet' });
      await table.client.close();
    } finally {
      process.chdir(previous);
      statements = query.mock.calls.map(([sql]) => sql);
      query.mockRestore();
    }
  });
  afterAll(() => {
    if (folder !== '') rmSync(folder, { recursive: true, force: true });
  });

  it('has samples, each an excerpt with gaps', () => {
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) expect(sample.code, sample.name).toContain('...');
  });

  it('records the one CREATE VIEW statement of an events file', () => {
    expect(statements.filter((sql) => /^CREATE VIEW/.test(sql))).toHaveLength(1);
  });

  it('finds the problems of a wrong excerpt', () => {
    const view = statements.find((sql) => /^CREATE VIEW/.test(sql)) ?? '';
    expect(
      excerptProblems('CREATE VIEW "events" AS ... FROM read_csv(\'events.parquet\')', view),
    ).not.toEqual([]);
    expect(excerptProblems('... CAST("count" AS DOUBLE) ..., CAST("date" AS DATE) ...', view)).not.toEqual(
      [],
    );
  });

  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line}) is an excerpt of the statement`, () => {
      const view = statements.find((sql) => /^CREATE VIEW/.test(sql)) ?? '';
      expect(excerptProblems(sample.code, view), view).toEqual([]);
    });
  }
});
