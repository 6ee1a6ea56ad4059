/**
 * A notebook-style walk-through: evaluate an experiment from pre-aggregated goals and report its results as
 * a formatted table, for a terminal and as Markdown.
 *
 * Run from the repository root with `npx tsx docs/examples/notebook.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  type AggregatedGoalRow,
  Experiment,
  formatWideTable,
  Metric,
  renderMarkdownTable,
  renderTerminalTable,
  SrmCheck,
  toWideTable,
} from '../../src/index.js';

// 1. Load the goals: one row per (experiment, variant, goal, dimension value), as a warehouse query returns
//    them. The bundled table holds several experiments; keep the rows of the one we evaluate.
const csv = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'ep-stats', 'goals_agg.csv'));
const rows = parse(csv, { columns: true, skip_empty_lines: true }) as AggregatedGoalRow[];
const goals = rows.filter((row) => row.exp_id === 'test-dimension');

// 2. Define the experiment: views of the first button, and of any button, per exposed user.
const exposures = 'count(test_unit_type.global.exposure)';
const experiment = new Experiment({
  id: 'test-dimension',
  controlVariant: 'a',
  variants: ['a', 'b'],
  unitType: 'test_unit_type',
  metrics: [
    new Metric({
      id: 1,
      name: 'Views per User of Screen button-1',
      nominator: 'count(test_unit_type.unit.view(element=button-1))',
      denominator: exposures,
    }),
    new Metric({
      id: 2,
      name: 'Views per User of Screen button-%',
      nominator: 'count(test_unit_type.unit.view(element=button-%))',
      denominator: exposures,
    }),
  ],
  checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: exposures })],
});

// 3. Evaluate: one row per metric and variant, with the difference to the control, its confidence
//    interval and p-value; plus the sample ratio mismatch check.
const evaluation = experiment.evaluateAgg(goals);
const srm = evaluation.checks.find((check) => check.variableId === 'p_value');
console.log(`Sample ratio mismatch check: p-value ${srm?.value.toFixed(3)}`);
console.log(
  `Exposures: ${evaluation.exposures.map((row) => `${row.expVariantId} ${row.exposures}`).join(', ')}`,
);
console.log();

// 4. One row per variant, metrics side by side, formatted with each metric's format; p-values below 0.05
//    are green in a colour terminal.
const table = formatWideTable(toWideTable(evaluation), experiment.metrics);
console.log(renderTerminalTable(table, { color: process.stdout.isTTY === true }));
console.log();

// 5. The same table in Markdown, e.g. for a pull request or a wiki page.
console.log(renderMarkdownTable(table));
