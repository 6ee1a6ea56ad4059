import type { SqlDialect } from './sql-dialect.js';

/**
 * The per-variant sums of every goal `i` over per-unit totals, as `SELECT` list items: `SUM(c)` named
 * `names.count(i)`, `sqr_count_i`, `SUM(v)` named `names.value(i)`, `sqr_value_i`, `unique_i` (units with
 * `c > 0`) and `units_i`, where `c` and `v` are the unit's count and value columns `prefix + 'count_' + i` and
 * `prefix + 'value_' + i`. Squares are of the per-unit totals, so the per-unit totals must be complete (over
 * the whole period that the row stands for) before these sums.
 *
 * @internal
 */
export function variantSumsSql(
  indices: readonly number[],
  dialect: SqlDialect,
  prefix: string,
  names: { readonly count: (index: number) => string; readonly value: (index: number) => string },
): string[] {
  const q = (name: string) => dialect.quoteIdentifier(name);
  return indices.flatMap((index) => {
    const count = q(`${prefix}count_${index}`);
    const value = q(`${prefix}value_${index}`);
    return [
      `SUM(${count}) AS ${names.count(index)}`,
      `SUM(${count} * ${count}) AS ${q(`sqr_count_${index}`)}`,
      `SUM(${value}) AS ${names.value(index)}`,
      `SUM(${value} * ${value}) AS ${q(`sqr_value_${index}`)}`,
      `CAST(SUM(CASE WHEN ${count} > 0 THEN 1 ELSE 0 END) AS ${dialect.doubleType}) AS ${q(`unique_${index}`)}`,
      `COUNT(${count}) AS ${q(`units_${index}`)}`,
    ];
  });
}

/** The names `total_count_i` / `total_value_i` of the per-variant sums of {@link variantSumsSql}. @internal */
export function totalNames(dialect: SqlDialect): {
  readonly count: (index: number) => string;
  readonly value: (index: number) => string;
} {
  return {
    count: (index) => dialect.quoteIdentifier(`total_count_${index}`),
    value: (index) => dialect.quoteIdentifier(`total_value_${index}`),
  };
}
