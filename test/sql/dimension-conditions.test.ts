import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DimensionOperator } from '../../src/index.js';
import {
  compileUnitGoalsQuery,
  type EventRecord,
  type EventsSchema,
  type SqlDialect,
} from '../../src/sql/index.js';
import { clickhouseTestUrl, openClickHouse } from './support/clickhouse-server.js';
import { createTable, openDuckDb, openPostgres, type TestDatabase } from './support/event-tables.js';
import { handMadeExperiment, handMadeGoal, type WrittenCondition } from './support/hand-made-goals.js';
import { postgresTestUrl } from './support/postgres.js';
import { conditionHolds } from './support/reference-unit-goals.js';

const postgresUrl = postgresTestUrl();
const clickhouseUrl = clickhouseTestUrl();
const DIMENSIONS = ['product'];

/** Unit `i + 1` has one `view` whose product is `PRODUCTS[i]` (null for unit 11). */
const PRODUCTS = ['1', '2', '10', '1.5', '-3', 'p-1', 'p_1', '', 'abc', '007', null];
const EVENTS: EventRecord[] = PRODUCTS.map((product, index) => ({
  exp_id: 'dims',
  exp_variant_id: 'a',
  unit_type: 'user',
  unit_id: String(index + 1),
  date: '2024-01-01',
  goal: 'view',
  count: 1,
  value: 0,
  product,
}));

/**
 * Expected units per condition, derived by hand from docs/sql.md: numbers compare as numbers when both the
 * value and the cell are numeric text (`007` is 7), everything else by code points; empty cells match
 * nothing.
 */
const CASES: [DimensionOperator, string, number[]][] = [
  ['=', '1', [1]],
  ['=', '1|10', [1, 3]],
  ['=', 'p_%', [7]], // `_` is literal
  ['=', 'p%', [6, 7]],
  ['=', '%', [1, 2, 3, 4, 5, 6, 7, 9, 10]], // any non-empty value
  ['=', 'x|', []],
  ['=', '|', []],
  ['=^', 'p', [6, 7]],
  ['=^', '1', [1, 3, 4]],
  ['=^', '0|-', [5, 10]],
  ['!=', '1', [2, 3, 4, 5, 6, 7, 9, 10]],
  ['!=', '1|p%', [2, 3, 4, 5, 9, 10]],
  ['>', '1', [2, 3, 4, 6, 7, 9, 10]], // 2, 10, 1.5, 007 numerically; p-1, p_1, abc as text
  ['<=', '2', [1, 2, 4, 5]],
  ['>=', 'p-1', [6, 7]], // text: '_' (0x5f) > '-' (0x2d)
  ['<', 'a', [1, 2, 3, 4, 5, 10]],
  ['>', '-5', [1, 2, 3, 4, 5, 6, 7, 9, 10]],
  ['<', '.5', [5]],
  ['>=', '7.', [3, 6, 7, 9, 10]], // 10 and 007 numerically; p-1, p_1, abc as text ('p' > '7')
];

/** The units whose view matches a condition, by running the unit goals query. */
async function matchingUnits(
  database: TestDatabase,
  schema: EventsSchema,
  dialect: SqlDialect,
  conditions: readonly WrittenCondition[],
): Promise<number[]> {
  const experiment = handMadeExperiment('dims', [handMadeGoal('view', conditions, DIMENSIONS)], DIMENSIONS);
  const { sql, parameters } = compileUnitGoalsQuery(experiment, { schema, dialect });
  const rows = await database.client.query(sql, parameters);
  return rows
    .filter((row) => row.goal === 'view')
    .map((row) => Number(row.unit_id))
    .sort((a, b) => a - b);
}

function conditionSuite(title: string, open: () => Promise<TestDatabase>): void {
  describe(title, () => {
    let database: TestDatabase;
    let schema: EventsSchema;
    beforeAll(async () => {
      database = await open();
      await database.client.query('DROP TABLE IF EXISTS dimension_events', []);
      schema = await createTable(database, 'dimension_events', EVENTS, DIMENSIONS);
    });
    afterAll(async () => {
      await database?.client.close();
    });

    for (const [operator, value, units] of CASES) {
      it(`product${operator}${value} matches units ${JSON.stringify(units)}`, async () => {
        const condition = { name: 'product', operator, value };
        expect(await matchingUnits(database, schema, database.dialect, [condition])).toEqual(units);
        const inline = { ...database.dialect, parameterStyle: 'inline' as const };
        expect(await matchingUnits(database, schema, inline, [condition])).toEqual(units);
      });
    }

    it('agrees with the in-memory semantics on random values and conditions (property)', async () => {
      const piece = fc.constantFrom(
        '1',
        '2',
        '10',
        '0',
        '.',
        '-',
        'p',
        '_',
        '%',
        '|',
        'a',
        'B',
        ' ',
        'é',
        '’',
      );
      const word = fc.array(piece, { minLength: 0, maxLength: 4 }).map((parts) => parts.join(''));
      const operator = fc.constantFrom<DimensionOperator>('=', '=^', '!=', '<', '<=', '>', '>=');
      await fc.assert(
        fc.asyncProperty(operator, word, async (op, value) => {
          const condition = { name: 'product', operator: op, value, storedValue: '' };
          const expected = EVENTS.flatMap((event, index) =>
            conditionHolds(String(event.product ?? ''), condition) ? [index + 1] : [],
          );
          expect(await matchingUnits(database, schema, database.dialect, [condition])).toEqual(expected);
        }),
        { numRuns: 120 },
      );
    });
  });
}

describe('the documented examples hold in memory too', () => {
  for (const [operator, value, units] of CASES) {
    it(`product${operator}${value}`, () => {
      const condition = { name: 'product', operator, value, storedValue: '' };
      const matched = EVENTS.flatMap((event, index) =>
        conditionHolds(String(event.product ?? ''), condition) ? [index + 1] : [],
      );
      expect(matched).toEqual(units);
    });
  }
});

conditionSuite('dimension conditions in DuckDB', openDuckDb);

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  conditionSuite('dimension conditions in PostgreSQL', () => openPostgres(postgresUrl));
});

describe.skipIf(!clickhouseUrl)('ClickHouse', () => {
  conditionSuite('dimension conditions in ClickHouse', () => openClickHouse(clickhouseUrl));
});
