import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index.js';
import { duckdbDialect, EventsSchema, isSafeIdentifier, postgresDialect } from '../../src/sql/index.js';

describe('isSafeIdentifier', () => {
  it('accepts letters, digits and _ starting with a letter or _, up to 63 characters', () => {
    for (const name of ['events', 'exp_id', '_x1', 'A', 'a'.repeat(63)])
      expect(isSafeIdentifier(name), name).toBe(true);
  });

  it('rejects everything else', () => {
    for (const name of [
      '',
      '1x',
      'a-b',
      'a b',
      'a.b',
      'x"; DROP TABLE goals; --',
      'é',
      'a'.repeat(64),
      'a\u0000',
    ]) {
      expect(isSafeIdentifier(name), name).toBe(false);
    }
  });
});

describe('EventsSchema', () => {
  it('defaults every column name and the text date', () => {
    const schema = new EventsSchema({ table: 'events' });
    expect(schema.table).toEqual(['events']);
    expect(schema.columns).toEqual({
      exp_id: 'exp_id',
      exp_variant_id: 'exp_variant_id',
      unit_type: 'unit_type',
      unit_id: 'unit_id',
      date: 'date',
      goal: 'goal',
      count: 'count',
      value: 'value',
    });
    expect(schema.dimensions).toEqual([]);
    expect(schema.dateType).toBe('text');
  });

  it('takes qualified table names, renamed columns and declared dimensions', () => {
    const schema = new EventsSchema({
      table: 'warehouse.analytics.events',
      columns: { unit_id: 'user_id', date: 'day' },
      dimensions: ['element', 'product'],
      dateType: 'date',
    });
    expect(schema.table).toEqual(['warehouse', 'analytics', 'events']);
    expect([schema.columns.unit_id, schema.columns.date, schema.columns.goal]).toEqual([
      'user_id',
      'day',
      'goal',
    ]);
  });

  it.each([
    [
      { table: 'events; DROP TABLE goals' },
      ['table'],
      /Table name "events; DROP TABLE goals" is not a safe SQL table name/,
    ],
    [{ table: 'a..b' }, ['table'], /not a safe SQL table name/],
    [
      { table: 'events', columns: { goal: 'goal name' } },
      ['columns', 'goal'],
      /Column name for `goal` "goal name"/,
    ],
    [
      { table: 'events', columns: { color: 'c' } as never },
      ['columns', 'color'],
      /Unknown events column `color`/,
    ],
    [
      { table: 'events', dimensions: ['ok', 'bad-name'] },
      ['dimensions', 1],
      /Dimension "bad-name" is not a safe SQL identifier/,
    ],
    [
      { table: 'events', dimensions: ['count'] },
      ['dimensions', 0],
      /Dimension `count` clashes with a column/,
    ],
    [{ table: 'events', dimensions: ['a', 'a'] }, ['dimensions', 1], /Dimension `a` is declared twice/],
    [
      { table: 'events', dateType: 'timestamp' as never },
      ['dateType'],
      /`dateType` must be 'text' or 'date'/,
    ],
  ])('rejects %j with a ValidationError at its path', (options, path, message) => {
    let caught: unknown;
    try {
      new EventsSchema(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).path).toEqual(path);
    expect((caught as ValidationError).message).toMatch(message);
  });

  it('names the declared dimensions when one is missing', () => {
    const schema = new EventsSchema({ table: 'events', dimensions: ['element', 'product'] });
    expect(() =>
      schema.requireDimension('country', ['filters', 0, 'dimension'], 'the exposure filter'),
    ).toThrow(
      'The dimension "country" of the exposure filter is not a declared dimension column of table `events` ' +
        "(declared: element, product); declare it in the events schema's `dimensions`",
    );
  });
});

describe('dialects', () => {
  it('quote identifiers and number placeholders', () => {
    for (const dialect of [duckdbDialect, postgresDialect]) {
      expect(dialect.quoteIdentifier('exp_id')).toBe('"exp_id"');
      expect(dialect.quoteIdentifier('a"b')).toBe('"a""b"');
      expect([dialect.placeholder(1), dialect.placeholder(12)]).toEqual(['$1', '$12']);
      expect(dialect.parameterStyle).toBe('numbered');
    }
  });

  it('spell casts, regular expressions, LIKE and binary text comparison per engine', () => {
    expect(duckdbDialect.castToDouble('x')).toBe('TRY_CAST(x AS DOUBLE)');
    expect(postgresDialect.castToDouble('x')).toBe('CAST(x AS double precision)');
    expect(duckdbDialect.matchesRegex('x', '^a$')).toBe("regexp_full_match(x, '^a$')");
    expect(postgresDialect.matchesRegex('x', '^a$')).toBe("(x ~ '^a$')");
    expect(duckdbDialect.like('x', '$1')).toBe("x LIKE $1 ESCAPE '\\'");
    expect(postgresDialect.like('x', '$1')).toBe('x LIKE $1');
    expect(postgresDialect.binaryText('x')).toBe('x COLLATE "C"');
    expect(duckdbDialect.literal("it's")).toBe("'it''s'");
    expect(postgresDialect.literal(-1)).toBe('(-1)');
  });
});
