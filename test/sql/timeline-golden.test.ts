/**
 * Golden statements of the timeline query for the dialects that no engine here can run (BigQuery, Spark
 * SQL): compared with the committed `golden/<dialect>-timeline.sql` and `.parameters.json`, parsed with
 * node-sql-parser and checked structurally. `UPDATE_GOLDEN=1 npx vitest run test/sql/timeline-golden.test.ts`
 * rewrites the files; review the difference before committing it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { Experiment, Filter, Metric } from '../../src/index.js';
import { bigqueryDialect, bigqueryNamedParameters } from '../../src/sql/bigquery-dialect.js';
import { compileTimelineGoalsQuery, type SqlDialect, type SqlParameter } from '../../src/sql/index.js';
import { sparkDialect, sparkNamedParameters } from '../../src/sql/spark-dialect.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Three days (2024-01-02 to 2024-01-04, evaluated before dateTo), a dimension condition, every filter scope. */
function timelineExperiment(): Experiment {
  const exposures = 'count(user.global.exposure)';
  return new Experiment({
    id: 'golden-timeline',
    controlVariant: 'a',
    unitType: 'user',
    dateFrom: '2024-01-02',
    dateTo: '2024-01-09',
    dateFor: '2024-01-04',
    metrics: [
      new Metric({
        id: 1,
        name: 'Clicks on button-1',
        nominator: 'count(user.unit.click(element=button-1))',
        denominator: exposures,
      }),
      new Metric({
        id: 2,
        name: 'Revenue',
        nominator: 'value(user.unit.conversion)',
        denominator: exposures,
      }),
    ],
    filters: [
      new Filter({ scope: 'goal', dimension: 'product', values: ['1', '2'] }),
      new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'US'] }),
      new Filter({ scope: 'trigger', goal: 'view' }),
    ],
  });
}

/** node-sql-parser rejects a quoted name after `WITH` (BigQuery and Hive grammars): unquoted for parsing. */
function unquoteNames(sql: string): string {
  return sql.replace(/`(ep_[a-z_]+)` AS \(/g, '$1 AS (').replace(/(FROM|JOIN) `(ep_[a-z_]+)`/g, '$1 $2');
}

interface Golden {
  readonly dialect: SqlDialect;
  readonly parserDatabase: string;
  readonly placeholder: RegExp;
  readonly named: (parameters: readonly SqlParameter[]) => Readonly<Record<string, SqlParameter>>;
  readonly forParser: (sql: string) => string;
}

const GOLDENS: readonly Golden[] = [
  {
    dialect: bigqueryDialect,
    parserDatabase: 'BigQuery',
    placeholder: /@p\d+/g,
    named: bigqueryNamedParameters,
    forParser: unquoteNames,
  },
  {
    dialect: sparkDialect,
    parserDatabase: 'Hive',
    placeholder: /:p\d+/g,
    named: sparkNamedParameters,
    // The Hive grammar lacks TRY_CAST (Spark has it since 3.2): read as CAST for parsing.
    forParser: (sql) => unquoteNames(sql).replaceAll('TRY_CAST(', 'CAST('),
  },
];

for (const { dialect, parserDatabase, placeholder, named, forParser } of GOLDENS) {
  describe(`${dialect.name} timeline golden statement`, () => {
    const statement = compileTimelineGoalsQuery(timelineExperiment(), {
      schema: { table: 'analytics.events', dimensions: ['element', 'product', 'country'] },
      dialect,
    });

    it('is the committed golden SQL and parameters (UPDATE_GOLDEN=1 rewrites them)', () => {
      const base = join(import.meta.dirname, 'golden', `${dialect.name}-timeline`);
      const sqlText = `${statement.sql}\n`;
      const parametersText = `${JSON.stringify(named(statement.parameters), null, 2)}\n`;
      if (UPDATE) {
        writeFileSync(`${base}.sql`, sqlText);
        writeFileSync(`${base}.parameters.json`, parametersText);
      }
      expect(existsSync(`${base}.sql`)).toBe(true);
      expect(sqlText).toBe(readFileSync(`${base}.sql`, 'utf8'));
      expect(parametersText).toBe(readFileSync(`${base}.parameters.json`, 'utf8'));
    });

    it('parses, binds every value, has one calendar day per day and squares cumulative totals only', () => {
      const ast = new sqlParser.Parser().astify(forParser(statement.sql), { database: parserDatabase });
      expect(Array.isArray(ast)).toBe(false);
      const names = ((ast as unknown as { with: { name: { value: string } }[] }).with ?? []).map(
        (entry) => entry.name.value,
      );
      expect(names).toEqual([
        'ep_events',
        'ep_goal_filtered',
        'ep_matches',
        'ep_per_unit',
        'ep_calendar',
        'ep_unit_entry',
        'ep_entered',
        'ep_unit_days',
        'ep_per_variant',
      ]);
      expect(new Set(statement.sql.match(placeholder)).size).toBe(statement.parameters.length);
      for (const value of ['golden-timeline', 'button-1', 'CZ', 'view']) {
        expect(statement.parameters).toContain(value);
        expect(statement.sql).not.toContain(`'${value}'`);
      }
      // The calendar: 2024-01-02, 2024-01-03, 2024-01-04 (dateFor before dateTo).
      const calendar = /`ep_calendar` AS \((.*?)\),\n/.exec(statement.sql)?.[1] ?? '';
      expect(calendar.split(' UNION ALL ')).toHaveLength(3);
      expect(statement.parameters.filter((value) => /^2024-01-0[234]$/.test(String(value)))).toEqual(
        expect.arrayContaining(['2024-01-02', '2024-01-03', '2024-01-04']),
      );
      // Every product in a sum is the square of a cumulative per-unit total.
      const products = [...statement.sql.matchAll(/SUM\(([^()]*?) \* ([^()]*?)\)/g)];
      // Three goals (exposure, click with a condition, conversion), two squares each.
      expect(products.length).toBe(6);
      for (const [, left, right] of products) {
        expect(left).toBe(right);
        expect(left).toMatch(/^`cum_(count|value)_\d+`$/);
      }
    });
  });
}
