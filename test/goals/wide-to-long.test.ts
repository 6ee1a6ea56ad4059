import { describe, expect, it } from 'vitest';
import { DataError, wideToLongGoals } from '../../src/index.js';
import { thrown } from '../support/thrown.js';

describe('wideToLongGoals', () => {
  it('reads the goal columns of every row: a column the first row lacks is an error naming that row', () => {
    const caught = thrown(() =>
      wideToLongGoals(
        [
          { exp: 'e', variant: 'a', views: 10 },
          { exp: 'e', variant: 'b', views: 12, clicks: 3 },
        ],
        'u',
      ),
    );
    expect(caught).toBeInstanceOf(DataError);
    expect([(caught as DataError).row, (caught as DataError).column]).toEqual([0, 'clicks']);
    expect((caught as DataError).message).toBe(
      'Row 0, column `clicks`: required column is missing from this row',
    );
  });

  it('converts every column of the rows in the order first seen', () => {
    const long = wideToLongGoals(
      [
        { exp: 'e', variant: 'a', views: 10, clicks: 1 },
        { exp: 'e', variant: 'b', clicks: 2, views: 12 },
      ],
      'u',
    );
    expect(long.map((row) => [row.exp_variant_id, row.goal, row.sum_value])).toEqual([
      ['a', 'views', 10],
      ['a', 'clicks', 1],
      ['b', 'views', 12],
      ['b', 'clicks', 2],
    ]);
  });
});
