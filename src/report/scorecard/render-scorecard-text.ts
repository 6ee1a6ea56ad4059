import type { Scorecard, ScorecardMetric } from './build-scorecard.js';
import { SCORECARD_HEADERS, type ScorecardCells, scorecardCells } from './scorecard-cells.js';
import { scorecardLegend } from './scorecard-legend.js';

/**
 * Options of {@link renderScorecardText}.
 *
 * @example
 * ```ts
 * import type { ScorecardTextOptions } from 'ep-stats/report';
 * const options: ScorecardTextOptions = { format: 'markdown' };
 * options.format; // => 'markdown'
 * ```
 * @public
 */
export interface ScorecardTextOptions {
  /** `'terminal'` (aligned plain text, the default) or `'markdown'`. */
  readonly format?: 'terminal' | 'markdown';
  /**
   * Terminal only: the widest line allowed (default 120). A metric whose table would be wider is written as
   * a list, one block of lines per variant; the legend is wrapped to it.
   */
  readonly width?: number;
  /**
   * Terminal only: colour verdicts with ANSI escapes (better and non-inferior green, worse red, increase and
   * decrease bold). Default false.
   */
  readonly color?: boolean;
  /** Whether to write the legend under the tables (default true). */
  readonly legend?: boolean;
}

type Column = keyof ScorecardCells;
/** The columns of a metric's table, in order. @internal */
export const TABLE_COLUMNS: readonly Column[] = [
  'variant',
  'units',
  'mean',
  'diff',
  'interval',
  'absoluteDiff',
  'absoluteInterval',
  'pValue',
  'level',
  'verdict',
];
const LEFT_ALIGNED: ReadonlySet<Column> = new Set<Column>(['variant', 'verdict']);
const GAP = '  ';
/** Verdict colours: better green, worse red, a significant change without a preferred direction bold. */
const TONES: Readonly<Partial<Record<string, string>>> = {
  better: '\x1b[32m',
  worse: '\x1b[31m',
  increase: '\x1b[1m',
  decrease: '\x1b[1m',
  'non-inferior': '\x1b[32m',
};
const RESET = '\x1b[0m';

/**
 * Writes a {@link Scorecard} as text: per metric a heading (its name, and its test when one-sided or with a
 * margin, its preferred direction when declared) and a table of its variants, then the legend.
 *
 * @remarks
 * Columns: Variant (verbatim; the control marked `(control)`), Units, Mean (in the metric's format), Diff
 * (relative) with its Interval, Abs. diff with its interval, p-value, Level (only when a correction for
 * multiple testing gave some row an interval at a level other than the evaluation's) and Verdict. The
 * control's comparison cells are `—`. In the terminal format, a metric whose table is wider than `width` is
 * written as a list instead (the variant, then its numbers on indented lines), so no line of the tables
 * exceeds `width` unless a single value does. The evaluation's warnings about a metric (a goal without rows,
 * a negative variance, ...) follow its table as `! <code>: <message>` lines, so that a misspelt goal's row of
 * zeros never stands without its explanation.
 *
 * @param scorecard - The scorecard ({@link buildScorecard}).
 * @param options - Format, width, colour, legend.
 * @returns The text, ending with a newline.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { buildScorecard, renderScorecardText } from 'ep-stats/report';
 * const experiment = new Experiment({
 *   id: 'e', controlVariant: 'a', unitType: 'u', variants: ['a', 'b'],
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)', preferredDirection: 'higher' })],
 * });
 * const row = (variant: string, goal: string, count: number) => ({
 *   exp_id: 'e', exp_variant_id: variant, unit_type: 'u', agg_type: goal === 'exposure' ? 'global' : 'unit', goal,
 *   count, sum_sqr_count: count, sum_value: count, sum_sqr_value: count, count_unique: count,
 * });
 * const scorecard = buildScorecard(experiment, experiment.evaluateAgg([
 *   row('a', 'exposure', 1000), row('b', 'exposure', 1000), row('a', 'click', 100), row('b', 'click', 150),
 * ]));
 * const lines = renderScorecardText(scorecard, { legend: false }).split('\n');
 * lines[0]; // => 'CTR (higher is better)'
 * lines[3]; // => 'a (control)  1,000  10.00%       —                 —          —                     —        —  —'
 * lines[4]?.split(/ {2,}/).at(-1); // => 'better'
 * ```
 * @public
 */
export function renderScorecardText(scorecard: Scorecard, options: ScorecardTextOptions = {}): string {
  const markdown = options.format === 'markdown';
  const width = options.width ?? 120;
  const blocks = scorecard.metrics.map((metric) =>
    markdown
      ? markdownMetric(scorecard, metric)
      : terminalMetric(scorecard, metric, width, options.color === true),
  );
  if (options.legend !== false) {
    const title = markdown ? '**Legend**\n\n' : 'Legend\n';
    blocks.push(`${title}${renderLegendText(scorecard, options)}`);
  }
  return `${blocks.join('\n\n')}\n`;
}

/**
 * The legend of a scorecard ({@link scorecardLegend}) as text, without a title: aligned `Term  meaning` lines
 * wrapped to the width for a terminal, a Markdown list otherwise.
 *
 * @param scorecard - The scorecard.
 * @param options - Format and width, as for {@link renderScorecardText}.
 * @returns The legend, without a trailing newline.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { buildScorecard, renderLegendText } from 'ep-stats/report';
 * const experiment = new Experiment({
 *   id: 'e', controlVariant: 'a', unitType: 'u', variants: ['a', 'b'],
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 * });
 * const legend = renderLegendText(buildScorecard(experiment, experiment.evaluateAgg([])), { format: 'markdown' });
 * legend.split('\n')[0]; // => "- **Units**: the metric's denominator: the variant's exposed units, or what a ratio counts (views, orders)"
 * ```
 * @public
 */
export function renderLegendText(
  scorecard: Scorecard,
  options: Pick<ScorecardTextOptions, 'format' | 'width'> = {},
): string {
  const legend = scorecardLegend(scorecard);
  if (options.format === 'markdown') {
    return legend.map((entry) => `- **${escapeText(entry.term)}**: ${escapeText(entry.meaning)}`).join('\n');
  }
  return legendLines(legend, options.width ?? 120).join('\n');
}

/** The metric's heading: its name, then what is particular about its test. */
export function metricHeading(metric: ScorecardMetric): string {
  const notes: string[] = [];
  if (metric.alternative !== 'two-sided') {
    const margin =
      metric.nonInferiorityMargin === undefined
        ? ''
        : `, non-inferiority margin ${+(metric.nonInferiorityMargin * 100).toPrecision(4)}%`;
    notes.push(`one-sided test${margin}`);
  }
  if (metric.preferredDirection !== undefined) notes.push(`${metric.preferredDirection} is better`);
  return notes.length === 0 ? metric.name : `${metric.name} (${notes.join(', ')})`;
}

/** The columns a metric's table shows: Level only where some row's level differs from the evaluation's. */
function columnsOf(scorecard: Scorecard, metric: ScorecardMetric): Column[] {
  const widened = metric.rows.some(
    (row) => !row.control && row.level !== undefined && row.level !== scorecard.evaluationLevel,
  );
  return TABLE_COLUMNS.filter((column) => column !== 'level' || widened);
}

function terminalMetric(
  scorecard: Scorecard,
  metric: ScorecardMetric,
  width: number,
  color: boolean,
): string {
  const columns = columnsOf(scorecard, metric);
  const cells = metric.rows.map((row) => ({ verdict: row.verdict, cells: scorecardCells(metric, row) }));
  const widths = columns.map((column) =>
    Math.max(SCORECARD_HEADERS[column].length, ...cells.map((row) => row.cells[column].length)),
  );
  const tableWidth = widths.reduce((sum, w) => sum + w, 0) + GAP.length * (columns.length - 1);
  const heading = metricHeading(metric);
  const notes = metric.warnings.map((warning) => `! ${warning.code}: ${warning.message}`);
  if (tableWidth > width) {
    // A list: the variant with units and mean, then the comparison on indented lines.
    const lines = [heading];
    for (const { verdict, cells: c } of cells) {
      lines.push(`  ${c.variant}: ${c.units} units, mean ${c.mean}`);
      if (c.diff === '—') continue;
      lines.push(`    diff ${c.diff} ${c.interval}`);
      lines.push(`    abs. diff ${c.absoluteDiff} ${c.absoluteInterval}`);
      const level = columns.includes('level') ? `, level ${c.level}` : '';
      lines.push(`    p-value ${c.pValue}${level}: ${tone(c.verdict, verdict, color)}`);
    }
    return [...lines, ...notes].join('\n');
  }
  const line = (texts: readonly string[], verdict?: string) =>
    texts
      .map((text, index) => {
        const column = columns[index]!;
        const padded = LEFT_ALIGNED.has(column) ? text.padEnd(widths[index]!) : text.padStart(widths[index]!);
        return column === 'verdict' ? tone(padded, verdict, color) : padded;
      })
      .join(GAP)
      .trimEnd();
  return [
    heading,
    line(columns.map((column) => SCORECARD_HEADERS[column])),
    widths.map((w) => '-'.repeat(w)).join(GAP),
    ...cells.map(({ verdict, cells: c }) =>
      line(
        columns.map((column) => c[column]),
        verdict,
      ),
    ),
    ...notes,
  ].join('\n');
}

function tone(text: string, verdict: string | undefined, color: boolean): string {
  const start = verdict === undefined ? undefined : TONES[verdict];
  return !color || start === undefined ? text : `${start}${text}${RESET}`;
}

function markdownMetric(scorecard: Scorecard, metric: ScorecardMetric): string {
  const columns = columnsOf(scorecard, metric);
  const row = (texts: readonly string[]) => `| ${texts.map(escapeCell).join(' | ')} |`;
  return [
    `### ${escapeText(metricHeading(metric))}`,
    '',
    row(columns.map((column) => SCORECARD_HEADERS[column])),
    `| ${columns.map((column) => (LEFT_ALIGNED.has(column) ? ':--' : '--:')).join(' | ')} |`,
    ...metric.rows.map((r) => {
      const cells = scorecardCells(metric, r);
      return row(columns.map((column) => cells[column]));
    }),
    ...metric.warnings.map(
      (warning) => `\n> **Warning \`${warning.code}\`**: ${escapeText(warning.message)}`,
    ),
  ].join('\n');
}

/** The legend as `  Term  meaning` lines, the meanings wrapped to `width` under their first line. */
function legendLines(entries: readonly { term: string; meaning: string }[], width: number): string[] {
  const termWidth = Math.max(...entries.map((entry) => entry.term.length));
  const indent = ' '.repeat(2 + termWidth + 2);
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  for (const { term, meaning } of entries) {
    const wrapped = wrap(meaning, room);
    lines.push(`  ${term.padEnd(termWidth)}  ${wrapped[0] ?? ''}`);
    for (const more of wrapped.slice(1)) lines.push(`${indent}${more}`);
  }
  return lines;
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

/** Text of a table cell: a `|` would end the cell. */
function escapeCell(text: string): string {
  return escapeText(text).replace(/\|/g, '\\|');
}

/** Markdown text: characters that would start emphasis, code or HTML are escaped. */
function escapeText(text: string): string {
  return text.replace(/[\\*_`<>]/g, (character) => `\\${character}`);
}
