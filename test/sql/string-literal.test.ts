import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index.js';
import { sqlNumberLiteral, sqlStringLiteral } from '../../src/sql/index.js';
import { openDuckDb, openPostgres, type TestDatabase } from './support/event-tables.js';
import { postgresTestUrl } from './support/postgres.js';

const postgresUrl = postgresTestUrl();

/** Text without NUL, from the whole of Unicode (surrogate pairs included). */
const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((value) => !value.includes('\u0000'));
const tricky = fc.constantFrom(
  "'",
  "''",
  '\\',
  "\\'",
  '\n',
  '\r',
  '\t',
  '%',
  '_',
  '"',
  '’',
  '＇',
  '$1',
  '?',
  '--',
  '/*',
);
const hostile = fc.array(fc.oneof(text, tricky), { maxLength: 8 }).map((parts) => parts.join(''));

describe('sqlStringLiteral', () => {
  it('doubles single quotes (standard SQL)', () => {
    expect(sqlStringLiteral("it's")).toBe("'it''s'");
    expect(sqlStringLiteral("x'); DROP TABLE goals; --")).toBe("'x''); DROP TABLE goals; --'");
    expect(sqlStringLiteral('a\\b')).toBe("'a\\b'");
  });

  it('escapes backslashes, quotes, newlines, carriage returns and tabs with backslashes when the engine reads them', () => {
    expect(sqlStringLiteral("\\'", { backslashEscapes: true })).toBe("'\\\\\\''");
    expect(sqlStringLiteral('a\nb\rc\td', { backslashEscapes: true })).toBe("'a\\nb\\rc\\td'");
  });

  it('rejects NUL characters with a ValidationError', () => {
    expect(() => sqlStringLiteral('a\u0000b')).toThrow(ValidationError);
    expect(() => sqlStringLiteral('a\u0000b', { backslashEscapes: true })).toThrow(
      /NUL character \(\\u0000\) at position 1/,
    );
  });

  it('writes finite numbers, negative ones in parentheses, and rejects NaN and infinities', () => {
    expect(sqlNumberLiteral(1.5)).toBe('1.5');
    expect(sqlNumberLiteral(-2)).toBe('(-2)');
    expect(sqlNumberLiteral(1e21)).toBe('1e+21');
    expect(() => sqlNumberLiteral(Number.NaN)).toThrow(ValidationError);
    expect(() => sqlNumberLiteral(Number.POSITIVE_INFINITY)).toThrow(/only finite numbers/);
  });
});

function roundTripSuite(title: string, open: () => Promise<TestDatabase>, backslashPrefix?: string): void {
  describe(title, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await open();
    });
    afterAll(async () => {
      await database?.client.close();
    });

    it('reads every standard literal back as the original text (property)', async () => {
      await fc.assert(
        fc.asyncProperty(hostile, async (value) => {
          const [row] = await database.client.query(`SELECT ${sqlStringLiteral(value)} AS v`, []);
          expect(row?.v).toBe(value);
        }),
        { numRuns: 150 },
      );
    });

    if (backslashPrefix !== undefined) {
      it('reads every backslash-escaped literal back as the original text (property, escape strings)', async () => {
        await fc.assert(
          fc.asyncProperty(hostile, async (value) => {
            const literal = sqlStringLiteral(value, { backslashEscapes: true });
            const [row] = await database.client.query(`SELECT ${backslashPrefix}${literal} AS v`, []);
            expect(row?.v).toBe(value);
          }),
          { numRuns: 150 },
        );
      });
    }

    it('reads numbers back', async () => {
      const [row] = await database.client.query(
        `SELECT ${sqlNumberLiteral(-2.5)} AS a, ${sqlNumberLiteral(1e21)} AS b, 3 - ${sqlNumberLiteral(-2)} AS c`,
        [],
      );
      expect([Number(row?.a), Number(row?.b), Number(row?.c)]).toEqual([-2.5, 1e21, 5]);
    });
  });
}

roundTripSuite('string literals in DuckDB', openDuckDb);

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  // PostgreSQL's E'...' strings read backslash escapes as ClickHouse, BigQuery and Spark SQL do.
  roundTripSuite('string literals in PostgreSQL', () => openPostgres(postgresUrl), 'E');
});
