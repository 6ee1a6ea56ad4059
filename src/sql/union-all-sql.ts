import type { SqlDialect } from './sql-dialect.js';

/** One output column of a `SELECT`: an expression over the relation, and its quoted name. @internal */
export interface OutputColumn {
  readonly value: string;
  readonly name: string;
}

/**
 * The `SELECT` per goal (or per metric) over `relation` (what a `FROM` writes to read it), as the dialect
 * unites them: by default `SELECT value AS name, ... FROM relation WHERE where`, joined by `UNION ALL`.
 *
 * @internal
 */
export function unionAllSql(
  dialect: SqlDialect,
  relation: string,
  selects: readonly { readonly columns: readonly OutputColumn[]; readonly where: string }[],
): string {
  const names = (selects[0]?.columns ?? []).map((column) => column.name);
  if (dialect.unionAll !== undefined) {
    const rows = selects.map(({ columns, where }) => ({
      values: columns.map((column) => column.value),
      where,
    }));
    return dialect.unionAll(relation, names, rows);
  }
  return selects
    .map(({ columns, where }) => {
      const list = columns.map(({ value, name }) => (value === name ? name : `${value} AS ${name}`));
      return `SELECT ${list.join(', ')} FROM ${relation} WHERE ${where}`;
    })
    .join('\nUNION ALL\n');
}
