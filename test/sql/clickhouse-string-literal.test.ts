import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index.js';
import { ClickHouseClient } from '../../src/sql/clickhouse-client.js';
import { clickhouseDialect } from '../../src/sql/clickhouse-dialect.js';
import { sqlNumberLiteral, sqlStringLiteral } from '../../src/sql/index.js';
import { clickhouseTestUrl } from './support/clickhouse-server.js';

const clickhouseUrl = clickhouseTestUrl();
const backslashes = { backslashEscapes: true } as const;

/** Text without NUL, from the whole of Unicode (surrogate pairs included). */
const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((value) => !value.includes('\u0000'));
const tricky = fc.constantFrom(
  "'",
  "''",
  '\\',
  "\\'",
  "\\\\'",
  '\n',
  '\r',
  '\t',
  '\\n',
  '\\x41',
  '%',
  '_',
  '"',
  '`',
  '’',
  '＇',
  '{p1:String}',
  '?',
  '--',
  '/*',
);
const hostile = fc.array(fc.oneof(text, tricky), { maxLength: 8 }).map((parts) => parts.join(''));

describe('sqlStringLiteral in the ClickHouse style (backslash escapes)', () => {
  it('escapes backslashes and quotes with a backslash, never by doubling', () => {
    expect(sqlStringLiteral("it's", backslashes)).toBe("'it\\'s'");
    expect(sqlStringLiteral('a\\b', backslashes)).toBe("'a\\\\b'");
    expect(sqlStringLiteral("x'); DROP TABLE goals; --", backslashes)).toBe("'x\\'); DROP TABLE goals; --'");
    expect(sqlStringLiteral("%' OR '1'='1", backslashes)).toBe("'%\\' OR \\'1\\'=\\'1'");
    expect(sqlStringLiteral("\\'", backslashes)).toBe("'\\\\\\''");
  });

  it('writes newline, carriage return and tab as escapes and every other character as it is', () => {
    expect(sqlStringLiteral('a\nb\rc\td', backslashes)).toBe("'a\\nb\\rc\\td'");
    expect(sqlStringLiteral('’＇"`{p1:String}?é😀', backslashes)).toBe("'’＇\"`{p1:String}?é😀'");
  });

  it('is what the ClickHouse dialect writes for every value', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        expect(clickhouseDialect.literal(value)).toBe(sqlStringLiteral(value, backslashes));
      }),
    );
    expect(clickhouseDialect.literal(-2.5)).toBe(sqlNumberLiteral(-2.5));
  });

  it('leaves no unescaped quote: every quote inside the literal follows an odd run of backslashes', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const inside = sqlStringLiteral(value, backslashes).slice(1, -1);
        for (const match of inside.matchAll(/(\\*)'/g)) expect((match[1] ?? '').length % 2).toBe(1);
        expect(inside).not.toMatch(/[\n\r\t]/);
      }),
    );
  });

  it('rejects NUL characters with a ValidationError', () => {
    expect(() => sqlStringLiteral('a\u0000b', backslashes)).toThrow(ValidationError);
    expect(() => clickhouseDialect.literal('\u0000')).toThrow(/NUL character \(\\u0000\) at position 0/);
  });
});

describe.skipIf(!clickhouseUrl)('string literals in ClickHouse', () => {
  let client: ClickHouseClient;
  beforeAll(async () => {
    client = await ClickHouseClient.connect(clickhouseUrl);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('reads every backslash-escaped literal back as the original text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const [row] = await client.query(`SELECT ${sqlStringLiteral(value, backslashes)} AS v`, []);
        expect(row?.v).toBe(value);
      }),
      { numRuns: 200 },
    );
  });

  it('would misread standard literals: ClickHouse reads backslashes in them as escapes', async () => {
    const [row] = await client.query(`SELECT ${sqlStringLiteral('a\\tb')} AS v`, []);
    expect(row?.v).toBe('a\tb');
  });

  it('reads numbers back, negative ones in parentheses', async () => {
    const [row] = await client.query(
      `SELECT ${sqlNumberLiteral(-2.5)} AS a, ${sqlNumberLiteral(1e21)} AS b, 3 - ${sqlNumberLiteral(-2)} AS c`,
      [],
    );
    expect([row?.a, row?.b, row?.c]).toEqual([-2.5, 1e21, 5]);
  });
});
