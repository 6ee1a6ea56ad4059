/**
 * Golden statements of the dialects that no engine here can run (BigQuery, Spark SQL): a representative
 * experiment compiled to text, compared with the committed `<dialect>-<case>.sql` and
 * `<dialect>-<case>.parameters.json` of this folder, parsed with node-sql-parser and checked structurally.
 *
 * `UPDATE_GOLDEN=1 npx vitest run test/sql/bigquery-golden.test.ts test/sql/spark-golden.test.ts` rewrites
 * the files; review the difference before committing it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { Experiment, Filter, Metric } from '../../../src/index.js';
import {
  compileAggregatedGoalsQuery,
  compileMetricSumsQuery,
  compileUnitGoalsQuery,
  type EventsSchemaOptions,
  NUMERIC_TEXT_PATTERN,
  type SqlDialect,
  type SqlParameter,
  type SqlStatement,
} from '../../../src/sql/index.js';

const GOLDEN_FOLDER = import.meta.dirname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The events table of the golden statements: qualified, three dimensions, text dates. */
const SCHEMA: EventsSchemaOptions = {
  table: 'analytics.events',
  dimensions: ['element', 'product', 'country'],
};

/**
 * Every dimension operator (`=`, `|` alternatives, `%` pattern, `=^` prefix, `!=`, numeric `>`, text
 * `>=`), a compound nominator, filters of all three scopes (a trigger with and without a dimension), and a
 * sequential date range.
 */
function goldenExperiment(): Experiment {
  const exposures = 'count(user.global.exposure)';
  return new Experiment({
    id: 'golden-exp',
    controlVariant: 'a',
    unitType: 'user',
    dateFrom: '2024-01-02',
    dateTo: '2024-01-09',
    dateFor: '2024-01-08',
    metrics: [
      new Metric({
        id: 1,
        name: 'Clicks on button-1 or link-1',
        nominator: 'count(user.unit.click(element=button-1|link-1))',
        denominator: exposures,
      }),
      new Metric({
        id: 2,
        name: 'Button views of products above 1 per button-% view',
        nominator: 'count(user.unit.view(element=^button, product>1))',
        denominator: 'count(user.unit.view(element=button-%))',
      }),
      new Metric({
        id: 3,
        name: 'Net revenue without p-1 and p_1',
        nominator: 'value(user.unit.conversion(product!=p-1|p_1)) - value(user.unit.refund)',
        denominator: exposures,
      }),
      new Metric({
        id: 4,
        name: 'Clicks on products from p-1 on (text order)',
        nominator: 'count(user.unit.click(product>=p-1))',
        denominator: exposures,
      }),
    ],
    filters: [
      new Filter({ scope: 'goal', dimension: 'product', values: ['1', '2', 'p-1', 10] }),
      new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'US'] }),
      new Filter({ scope: 'trigger', goal: 'view', dimension: 'element', values: ['button-1'] }),
      new Filter({ scope: 'trigger', goal: 'click' }),
    ],
  });
}

/** A plainer experiment on a table whose `date` column is a SQL `DATE`, with only a start date. */
function dateColumnExperiment(): Experiment {
  return new Experiment({
    id: 'golden-dates',
    controlVariant: 'a',
    unitType: 'session',
    dateFrom: '2024-03-01',
    metrics: [
      new Metric({
        id: 1,
        name: 'Clicks per session',
        nominator: 'count(session.unit.click)',
        denominator: 'count(session.global.exposure)',
      }),
    ],
  });
}

/**
 * Metric sums: a ratio metric, a compound nominator with a number, a dimension condition, `unique`, CUPED
 * metrics with two pre-period lengths (and one without CUPED), filters of every scope, a sequential range.
 */
function metricSumsExperiment(): Experiment {
  const exposures = 'count(user.unit.exposure)';
  return new Experiment({
    id: 'golden-sums',
    controlVariant: 'a',
    unitType: 'user',
    dateFrom: '2024-01-15',
    dateTo: '2024-01-28',
    dateFor: '2024-01-20',
    metrics: [
      new Metric({
        id: 1,
        name: 'Revenue per order',
        nominator: 'value(user.unit.order)',
        denominator: 'count(user.unit.order)',
        cuped: { preDays: 14 },
      }),
      new Metric({
        id: 2,
        name: 'Net revenue in hundreds',
        nominator: '(value(user.unit.conversion(product!=p-1)) - value(user.unit.refund)) / 100',
        denominator: exposures,
        cuped: { preDays: 7 },
      }),
      new Metric({
        id: 3,
        name: 'Converters',
        nominator: 'unique(user.unit.conversion)',
        denominator: exposures,
        cuped: { preDays: 14 },
      }),
      new Metric({
        id: 'button-clicks',
        name: 'Clicks on buttons',
        nominator: 'count(user.unit.click(element=^button))',
        denominator: 'count(user.global.exposure)',
      }),
    ],
    filters: [
      new Filter({ scope: 'goal', dimension: 'country', values: ['CZ', 'US'] }),
      new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ'] }),
      new Filter({ scope: 'trigger', goal: 'view' }),
    ],
  });
}

/** Metric sums on a table with a `DATE` column: one CUPED metric, no filters. */
function metricSumsDateColumnExperiment(): Experiment {
  return new Experiment({
    id: 'golden-sums-dates',
    controlVariant: 'a',
    unitType: 'session',
    dateFrom: '2024-03-01',
    metrics: [
      new Metric({
        id: 1,
        name: 'Clicks per session',
        nominator: 'count(session.unit.click)',
        denominator: 'count(session.unit.exposure)',
        cuped: { preDays: 28 },
      }),
    ],
  });
}

/** The metric sums golden cases of one dialect. */
export function metricSumsGoldenCases(
  dialect: SqlDialect,
): { readonly name: string; readonly statement: SqlStatement }[] {
  return [
    {
      name: 'metric-sums',
      statement: compileMetricSumsQuery(metricSumsExperiment(), { schema: SCHEMA, dialect }),
    },
    {
      name: 'metric-sums-date-column',
      statement: compileMetricSumsQuery(metricSumsDateColumnExperiment(), {
        schema: { table: 'events', dimensions: [], dateType: 'date' },
        dialect,
      }),
    },
  ];
}

/**
 * Goals per unit with the pre-period rows of CUPED metrics: the metric sums experiment (two pre-period
 * lengths, a goal with a dimension condition, filters of every scope) compiled by `compileUnitGoalsQuery`.
 */
export function unitGoalsCupedGoldenCases(
  dialect: SqlDialect,
): { readonly name: string; readonly statement: SqlStatement }[] {
  return [
    {
      name: 'by-unit-cuped',
      statement: compileUnitGoalsQuery(metricSumsExperiment(), { schema: SCHEMA, dialect }),
    },
  ];
}

/** The golden cases of one dialect. */
function goldenCases(dialect: SqlDialect): { readonly name: string; readonly statement: SqlStatement }[] {
  const experiment = goldenExperiment();
  return [
    { name: 'aggregated', statement: compileAggregatedGoalsQuery(experiment, { schema: SCHEMA, dialect }) },
    { name: 'by-unit', statement: compileUnitGoalsQuery(experiment, { schema: SCHEMA, dialect }) },
    {
      name: 'date-column',
      statement: compileAggregatedGoalsQuery(dateColumnExperiment(), {
        schema: { table: 'events', dimensions: [], dateType: 'date' },
        dialect,
      }),
    },
  ];
}

/** How one dialect's statements are checked. */
export interface GoldenDialect {
  readonly dialect: SqlDialect;
  /** node-sql-parser's `database` option closest to the engine. */
  readonly parserDatabase: string;
  /** The placeholder text of parameter `position` as the parser reports it (prefix and name). */
  readonly placeholderPattern: RegExp;
  /** The statement's parameters as the driver takes them (`{ p1: ..., p2: ... }`). */
  readonly namedParameters: (parameters: readonly SqlParameter[]) => Readonly<Record<string, SqlParameter>>;
  /**
   * Rewrites of the statement that only work around gaps of node-sql-parser (each documented where it is
   * defined); the golden file keeps the statement as compiled.
   */
  readonly forParser: (sql: string) => string;
}

/**
 * node-sql-parser (BigQuery and Hive grammars) rejects a quoted name after `WITH`, which both engines
 * accept: for parsing, the module's own CTE names (`ep_events`, ..., `ep_per_variant`) are unquoted.
 */
export function unquoteCteNames(sql: string): string {
  return sql.replace(
    /`(ep_(?:events|goal_filtered|unit_filtered|matches|per_unit|per_variant|pre_events|pre_goal_filtered|pre_matches|pre_per_unit|unit_rows|metric_units|metric_sums))`/g,
    '$1',
  );
}

/** A node of node-sql-parser's AST, read generically. */
type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every node of a tree, depth first. */
function* walk(value: unknown): Generator<Node> {
  if (Array.isArray(value)) {
    for (const item of value) yield* walk(item);
    return;
  }
  if (!isNode(value)) return;
  yield value;
  for (const child of Object.values(value)) yield* walk(child);
}

/** The name a column reference or alias node carries (`` `x` `` or `x`). */
function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isNode(value)) return undefined;
  if (value.type === 'column_ref') return nameOf(value.column);
  if ('expr' in value && isNode(value.expr)) return nameOf(value.expr);
  return typeof value.value === 'string' ? value.value : undefined;
}

/** The common table expressions of a parsed statement, by name. */
function ctes(ast: Node): Map<string, Node> {
  const entries = (ast.with as Node[] | null) ?? [];
  return new Map(entries.map((entry) => [nameOf(entry.name) ?? '', (entry.stmt as Node).ast as Node]));
}

/** `SUM(a * b)` nodes of a subtree, as [a, b] names. */
function sumsOfProducts(tree: unknown): [string | undefined, string | undefined][] {
  const found: [string | undefined, string | undefined][] = [];
  for (const node of walk(tree)) {
    if (node.type !== 'aggr_func' || String(node.name).toUpperCase() !== 'SUM') continue;
    const argument = (node.args as Node).expr as Node;
    if (argument.type === 'binary_expr' && argument.operator === '*') {
      found.push([nameOf(argument.left), nameOf(argument.right)]);
    }
  }
  return found;
}

/** Names of the `GROUP BY` columns of a select. */
function groupBy(select: Node): (string | undefined)[] {
  const columns = ((select.groupby as Node | null)?.columns as unknown[] | undefined) ?? [];
  return columns.map(nameOf);
}

/** Names of the relations in the `FROM` of a select. */
function fromTables(select: Node): string[] {
  return ((select.from as Node[] | null) ?? []).map((from) => String(from.table));
}

/** Output names (aliases or column names) of a select. */
function outputNames(select: Node): string[] {
  return ((select.columns as Node[] | null) ?? []).map(
    (column) => nameOf(column.as) ?? nameOf(column.expr) ?? '',
  );
}

/** The literals of a tree: strings and numbers written into the statement. */
function literals(tree: unknown): unknown[] {
  const kinds = new Set(['single_quote_string', 'double_quote_string', 'string', 'number', 'bool', 'null']);
  return [...walk(tree)].filter((node) => kinds.has(String(node.type))).map((node) => node.value);
}

/**
 * Checks that every value of a statement is a placeholder, numbered in order, and that the only literals are
 * the module's constants: `''`, 0, 1, NULL and the numeric-text pattern.
 */
function expectOnlyPlaceholders(golden: GoldenDialect, statement: SqlStatement, ast: Node): void {
  const { dialect } = golden;
  // In the text, the placeholders are numbered in order, one per parameter; the parser finds each of them
  // as a parameter node (whose name it reports without the prefix).
  const expected = statement.parameters.map((_, index) => dialect.placeholder(index + 1));
  expect(statement.sql.match(golden.placeholderPattern)).toEqual(expected);
  const names = [...walk(ast)].filter((node) => node.type === 'param').map((node) => String(node.value));
  expect(names.sort()).toEqual(expected.map((placeholder) => placeholder.slice(1)).sort());
  const constants = new Set<unknown>(['', 0, 1, null, NUMERIC_TEXT_PATTERN]);
  expect(literals(ast).filter((literal) => !constants.has(literal))).toEqual([]);
  // In the text: outside identifiers and placeholders, no quoted literal but '' and the pattern, and none of
  // the definition's words.
  const bare = statement.sql
    .replace(/`[^`]*`/g, '`_`')
    .replace(golden.placeholderPattern, '?')
    .replaceAll(`'${NUMERIC_TEXT_PATTERN}'`, 'PATTERN');
  expect(bare.match(/'[^']*'/g)?.filter((literal) => literal !== "''") ?? []).toEqual([]);
  for (const value of statement.parameters) {
    if (typeof value === 'string' && /^[A-Za-z][\w-]{2,}$/.test(value)) {
      expect(bare, value).not.toMatch(new RegExp(`\\b${value}\\b`));
    }
  }
  expect(Object.keys(golden.namedParameters(statement.parameters))).toHaveLength(statement.parameters.length);
}

/** Writes (with UPDATE_GOLDEN=1) or compares the golden SQL and parameters files of a statement. */
function expectGolden(golden: GoldenDialect, name: string, statement: SqlStatement): void {
  const { dialect } = golden;
  const base = join(GOLDEN_FOLDER, `${dialect.name}-${name}`);
  const sqlText = `${statement.sql}\n`;
  const parametersText = `${JSON.stringify(golden.namedParameters(statement.parameters), null, 2)}\n`;
  if (UPDATE) {
    writeFileSync(`${base}.sql`, sqlText);
    writeFileSync(`${base}.parameters.json`, parametersText);
  }
  const hint = `missing: run UPDATE_GOLDEN=1 npx vitest run test/sql/${dialect.name}-golden.test.ts`;
  expect(existsSync(`${base}.sql`), `${base}.sql ${hint}`).toBe(true);
  expect(sqlText).toBe(readFileSync(`${base}.sql`, 'utf8'));
  expect(parametersText).toBe(readFileSync(`${base}.parameters.json`, 'utf8'));
}

/**
 * Registers the golden tests of one dialect: golden text and parameters, syntax (node-sql-parser), the
 * two-level aggregation, squares of per-unit sums, and values only as placeholders.
 */
export function describeGoldenStatements(golden: GoldenDialect): void {
  const { dialect } = golden;
  describe(`${dialect.name} golden statements`, () => {
    for (const { name, statement } of goldenCases(dialect)) {
      describe(name, () => {
        const parsed = () => {
          const ast = new sqlParser.Parser().astify(golden.forParser(statement.sql), {
            database: golden.parserDatabase,
          });
          expect(Array.isArray(ast)).toBe(false);
          return ast as unknown as Node;
        };

        it('is the committed golden SQL and parameters (UPDATE_GOLDEN=1 rewrites them)', () => {
          expectGolden(golden, name, statement);
        });

        it(`parses with node-sql-parser (${golden.parserDatabase}) as one WITH ... UNION ALL query`, () => {
          const ast = parsed();
          expect(ast.type).toBe('select');
          const names = [...ctes(ast).keys()];
          expect(names[0]).toBe('ep_events');
          expect(names).toContain('ep_per_unit');
          // node-sql-parser chains the SELECTs of a set operation through `_next`, each with its `set_op`.
          let selects = 1;
          for (let select = ast; isNode(select._next); select = select._next) {
            selects += 1;
            expect(String(select.set_op).toLowerCase()).toBe('union all');
          }
          // One SELECT per goal (the by-unit query also reads the unit exposure goal).
          expect(selects).toBe(statement.sql.split('\nUNION ALL\n').length);
        });

        it('aggregates per unit first (GROUP BY variant, unit type, unit id), then per variant', () => {
          const ast = parsed();
          const all = ctes(ast);
          const perUnit = all.get('ep_per_unit') as Node;
          expect(groupBy(perUnit)).toEqual(['exp_variant_id', 'unit_type', 'unit_id']);
          expect(fromTables(perUnit)).toEqual(['ep_matches']);
          // The per-unit totals sum the raw event columns `count` and `value`, and square nothing.
          expect(sumsOfProducts(perUnit)).toEqual([]);
          const perUnitColumns = outputNames(perUnit);
          if (name === 'by-unit') {
            expect(all.has('ep_per_variant')).toBe(false);
            expect(fromTables(ast)).toEqual(['ep_per_unit']);
            expect(outputNames(ast)).toContain('unit_id');
            return;
          }
          const perVariant = all.get('ep_per_variant') as Node;
          expect(groupBy(perVariant)).toEqual(['exp_variant_id']);
          expect(fromTables(perVariant)).toEqual(['ep_per_unit']);
          expect(fromTables(ast)).toEqual(['ep_per_variant']);
          // Squares of the per-unit sums: SUM(count_i * count_i) over ep_per_unit's columns, never of raw
          // `count` or `value`.
          const squares = sumsOfProducts(perVariant);
          const goals = statement.sql.split('\nUNION ALL\n').length;
          expect(squares).toHaveLength(2 * goals);
          for (const [left, right] of squares) {
            expect(left).toBe(right);
            expect(left).toMatch(/^(count|value)_\d+$/);
            expect(perUnitColumns).toContain(left);
          }
          expect(sumsOfProducts({ ...ast, with: null })).toEqual([]);
        });

        it('binds every value of the experiment: placeholders in order, no literal from the definition', () => {
          expectOnlyPlaceholders(golden, statement, parsed());
        });
      });
    }
  });
}

/**
 * Registers the golden tests of one dialect's metric sums statements: golden text and parameters, syntax
 * (node-sql-parser), the per-unit `GROUP BY` (variant, unit id), the pre-period `GROUP BY` unit id joined to
 * the exposed units, the per-variant sums, one `SELECT` per metric, and values only as placeholders.
 */
export function describeMetricSumsGolden(golden: GoldenDialect): void {
  const { dialect } = golden;
  describe(`${dialect.name} metric sums golden statements`, () => {
    for (const { name, statement } of metricSumsGoldenCases(dialect)) {
      describe(name, () => {
        const parsed = () => {
          const ast = new sqlParser.Parser().astify(golden.forParser(statement.sql), {
            database: golden.parserDatabase,
          });
          expect(Array.isArray(ast)).toBe(false);
          return ast as unknown as Node;
        };

        it('is the committed golden SQL and parameters (UPDATE_GOLDEN=1 rewrites them)', () => {
          expectGolden(golden, name, statement);
        });

        it('totals per unit, joins the pre-period per unit id, sums per variant, one SELECT per metric', () => {
          const ast = parsed();
          const all = ctes(ast);
          expect([...all.keys()]).toEqual(
            expect.arrayContaining([
              'ep_events',
              'ep_per_unit',
              'ep_pre_events',
              'ep_pre_per_unit',
              'ep_metric_units',
              'ep_metric_sums',
            ]),
          );
          expect(groupBy(all.get('ep_per_unit') as Node)).toEqual(['exp_variant_id', 'unit_id']);
          expect(groupBy(all.get('ep_pre_per_unit') as Node)).toEqual(['unit_id']);
          const units = all.get('ep_metric_units') as Node;
          expect(fromTables(units)).toEqual(['ep_per_unit', 'ep_pre_per_unit']);
          expect(((units.from as Node[])[1] as Node).join).toBe('LEFT JOIN');
          const sums = all.get('ep_metric_sums') as Node;
          expect(groupBy(sums)).toEqual(['exp_variant_id']);
          expect(fromTables(sums)).toEqual(['ep_metric_units']);
          // Squares and products only of the per-unit values x, y, u, v of one metric.
          for (const [left, right] of sumsOfProducts(sums)) {
            expect(left).toMatch(/^[xyuv]_\d+$/);
            expect(right?.replace(/^[xyuv]/, '')).toBe(left?.replace(/^[xyuv]/, ''));
          }
          let selects = 1;
          for (let select = ast; isNode(select._next); select = select._next) selects += 1;
          expect(selects).toBe(statement.sql.split('\nUNION ALL\n').length);
          expect(fromTables(ast)).toEqual(['ep_metric_sums']);
        });

        it('binds every value of the experiment: placeholders in order, no literal from the definition', () => {
          expectOnlyPlaceholders(golden, statement, parsed());
        });
      });
    }
  });
}

/**
 * Registers the golden tests of one dialect's unit goals statement with CUPED pre-period rows: golden text
 * and parameters, syntax (node-sql-parser), the per-unit `GROUP BY` (variant, unit type, unit id), the
 * pre-period `GROUP BY` unit id joined in `ep_unit_rows`, one `SELECT` per goal with `pre_days` 0 and one per
 * pre-period goal restricted to exposed units, and values only as placeholders.
 */
export function describeUnitGoalsCupedGolden(golden: GoldenDialect): void {
  const { dialect } = golden;
  describe(`${dialect.name} unit goals with pre-period golden statements`, () => {
    for (const { name, statement } of unitGoalsCupedGoldenCases(dialect)) {
      describe(name, () => {
        const parsed = () => {
          const ast = new sqlParser.Parser().astify(golden.forParser(statement.sql), {
            database: golden.parserDatabase,
          });
          expect(Array.isArray(ast)).toBe(false);
          return ast as unknown as Node;
        };

        it('is the committed golden SQL and parameters (UPDATE_GOLDEN=1 rewrites them)', () => {
          expectGolden(golden, name, statement);
        });

        it('totals per unit, joins the pre-period per unit id, one SELECT per goal and per pre-period goal', () => {
          const ast = parsed();
          const all = ctes(ast);
          expect([...all.keys()]).toEqual(
            expect.arrayContaining([
              'ep_events',
              'ep_per_unit',
              'ep_pre_events',
              'ep_pre_per_unit',
              'ep_unit_rows',
            ]),
          );
          expect(groupBy(all.get('ep_per_unit') as Node)).toEqual(['exp_variant_id', 'unit_type', 'unit_id']);
          expect(groupBy(all.get('ep_pre_per_unit') as Node)).toEqual(['unit_id']);
          const rows = all.get('ep_unit_rows') as Node;
          expect(fromTables(rows)).toEqual(['ep_per_unit', 'ep_pre_per_unit']);
          expect(((rows.from as Node[])[1] as Node).join).toBe('LEFT JOIN');
          expect(groupBy(rows)).toEqual([]);
          let selects = 0;
          for (let select: unknown = ast; isNode(select); select = select._next) {
            selects += 1;
            expect(fromTables(select)).toEqual(['ep_unit_rows']);
            expect(outputNames(select)).toEqual([
              'exp_id',
              'exp_variant_id',
              'unit_type',
              'agg_type',
              'goal',
              'unit_id',
              ...metricSumsExperiment().dimensions,
              'count',
              'sum_value',
              'pre_days',
            ]);
          }
          const parts = statement.sql.split('\nUNION ALL\n');
          expect(selects).toBe(parts.length);
          // The experiment period: 0 days. The pre-period (order over 14 days; conversion(product!=p-1),
          // refund and exposure over 7; conversion and exposure over 14): exposed units with such events.
          const experimentPeriod = parts.filter((part) => part.includes(`CAST(0 AS ${dialect.integerType})`));
          const prePeriod = parts.filter((part) => /pre_count_\d+` IS NOT NULL$/.test(part));
          expect(prePeriod).toHaveLength(6);
          expect(experimentPeriod).toHaveLength(parts.length - 6);
          for (const part of prePeriod) expect(part).toMatch(/WHERE `count_\d+` > 0 AND `pre_count_\d+`/);
        });

        it('binds every value of the experiment: placeholders in order, no literal from the definition', () => {
          expectOnlyPlaceholders(golden, statement, parsed());
        });
      });
    }
  });
}
