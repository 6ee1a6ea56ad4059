/**
 * The readable scorecard of ep-stats/report: variants verbatim in the experiment's order, the control row
 * with its units and mean and `—` for the comparisons, verdicts by the metric's preferred direction, the
 * level of each interval where the correction changed it, absolute differences in percentage points, the
 * terminal width respected, and a legend that explains what the scorecard shows.
 */
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  Experiment,
  type ExperimentOptions,
  holmBonferroni,
  Metric,
  type MetricOptions,
  sequentialConfidenceLevel,
} from '../../src/index.js';
import {
  buildScorecard,
  renderHtmlReport,
  renderScorecardText,
  scorecardLegend,
  VERDICTS,
  verdictOf,
} from '../../src/report/index.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';

const metric = (id: number, options: Partial<MetricOptions> = {}) =>
  new Metric({
    id,
    name: `Clicks ${id}`,
    nominator: 'count(u.unit.click)',
    denominator: 'count(u.global.exposure)',
    ...options,
  });
const experiment = (options: Partial<ExperimentOptions>) =>
  new Experiment({ id: 'e', controlVariant: 'z-control', unitType: 'u', metrics: [metric(1)], ...options });

/** Exposures and clicks per variant: `[variant, exposed units, clicking units]`. */
function rows(arms: readonly (readonly [string, number, number])[]): AggregatedGoalRow[] {
  return arms.flatMap(([variant, units, clicks]) => [
    aggregatedGoalRow(variant, 'exposure', units),
    aggregatedGoalRow(variant, 'click', clicks),
  ]);
}

const ARMS = [
  ['z-control', 10_000, 1_000],
  ['iOS variant', 10_000, 1_150],
  ['new-checkout_blue', 10_000, 1_010],
] as const;

describe('buildScorecard', () => {
  it("keeps variant names verbatim, in the experiment's order, with the control's comparisons empty", () => {
    const definition = experiment({ variants: ['z-control', 'new-checkout_blue', 'iOS variant'] });
    const scorecard = buildScorecard(definition, definition.evaluateAgg(rows(ARMS)));
    const [clicks] = scorecard.metrics;
    expect(clicks!.rows.map((row) => row.variant)).toEqual(['z-control', 'new-checkout_blue', 'iOS variant']);
    expect(clicks!.rows[0]).toEqual({ variant: 'z-control', control: true, units: 10_000, mean: 0.1 });
    // Without explicit variants: the control first, then the evaluation's order (sorted).
    const implicit = experiment({});
    expect(buildScorecard(implicit, implicit.evaluateAgg(rows(ARMS))).variants).toEqual([
      'z-control',
      'iOS variant',
      'new-checkout_blue',
    ]);
  });

  it('gives each treatment the level of its interval: Holm widens them with three variants', () => {
    const definition = experiment({});
    const evaluation = definition.evaluateAgg(rows(ARMS));
    const raw = experiment({ correction: 'none' }).evaluateAgg(rows(ARMS));
    const rawP = raw.metrics.filter((row) => row.expVariantId !== 'z-control').map((row) => row.pValue);
    const adjusted = holmBonferroni(rawP);
    const levels = buildScorecard(definition, evaluation)
      .metrics[0]!.rows.filter((row) => !row.control)
      .map((row) => row.level);
    // Holm's interval of a cell is read at alpha * p / p_adj.
    expect(levels).toEqual(rawP.map((p, k) => 1 - (0.05 * p) / adjusted[k]!));
    expect(levels[0]).toBeGreaterThan(0.95);
  });
});

describe('warnings beside the numbers', () => {
  it('puts the warning of a misspelt goal under its metric, in text, Markdown and HTML', () => {
    const definition = experiment({
      metrics: [metric(1, { name: 'Clicks', nominator: 'count(u.unit.clck)' }), metric(2, { name: 'Fine' })],
    });
    const evaluation = definition.evaluateAgg(rows(ARMS));
    const scorecard = buildScorecard(definition, evaluation);
    // The goal has no rows: its metric reads zero everywhere, and says why.
    expect(scorecard.metrics[0]!.rows.map((row) => row.mean)).toEqual([0, 0, 0]);
    const codes = scorecard.metrics.map((m) => m.warnings.map((w) => w.code));
    expect(codes[0]).toContain('goal-without-rows');
    expect(codes[1]).not.toContain('goal-without-rows');
    const text = renderScorecardText(scorecard, { legend: false, width: 200 });
    const clicks = text.split('\nFine')[0]!;
    expect(clicks).toMatch(
      /\n! goal-without-rows: No row of goal `count\(u\.unit\.clck\)`.*did you mean `click`/,
    );
    expect(renderScorecardText(scorecard, { format: 'markdown' })).toContain(
      '> **Warning `goal-without-rows`**: ',
    );
    const html = renderHtmlReport({ experiment: definition, evaluation });
    expect(html).toContain('<p class="metric-warning" data-code="goal-without-rows">');
    expect(html).toMatch(/<p class="notice">The evaluation raised \d+ warnings?: <a href="#warnings">/);
  });

  it('says so when the input is empty, and shows no verdict', () => {
    const definition = experiment({ variants: ['z-control', 'b'] });
    const evaluation = definition.evaluateAgg([]);
    expect(evaluation.warnings.map((w) => w.code)).toContain('empty-input');
    const scorecard = buildScorecard(definition, evaluation);
    expect(scorecard.metrics[0]!.rows.map((row) => row.verdict)).toEqual([undefined, 'untested']);
    expect(renderHtmlReport({ experiment: definition, evaluation })).toContain(
      '<li data-code="empty-input">',
    );
  });
});

describe('verdictOf', () => {
  const twoArms = rows([
    ['z-control', 10_000, 1_000],
    ['b', 10_000, 1_200],
  ]);
  const verdict = (options: Partial<MetricOptions>, data = twoArms) => {
    const m = metric(1, options);
    const definition = experiment({ metrics: [m] });
    return verdictOf(definition.evaluateAgg(data).metrics.find((row) => row.expVariantId === 'b')!, m);
  };

  it('says better or worse by the preferred direction, increase or decrease without one', () => {
    expect(verdict({})).toBe('increase');
    expect(verdict({ preferredDirection: 'higher' })).toBe('better');
    expect(verdict({ preferredDirection: 'lower' })).toBe('worse');
    expect(verdict({ alternative: 'greater' })).toBe('better');
    const fewer = rows([
      ['z-control', 10_000, 1_000],
      ['b', 10_000, 800],
    ]);
    expect(verdict({}, fewer)).toBe('decrease');
    expect(verdict({ preferredDirection: 'lower' }, fewer)).toBe('better');
  });

  it('says non-inferior, inconclusive and untested where those apply', () => {
    const same = rows([
      ['z-control', 10_000, 1_000],
      ['b', 10_000, 1_005],
    ]);
    expect(verdict({}, same)).toBe('inconclusive');
    expect(verdict({ alternative: 'greater', nonInferiorityMargin: 0.1 }, same)).toBe('non-inferior');
    const empty = rows([['z-control', 10_000, 1_000]]);
    const m = metric(1);
    const definition = experiment({ metrics: [m], variants: ['z-control', 'b'] });
    const row = definition.evaluateAgg(empty).metrics.find((r) => r.expVariantId === 'b')!;
    expect(verdictOf(row, m)).toBe('untested');
  });
});

describe('renderScorecardText', () => {
  const definition = experiment({
    metrics: [
      metric(1, { name: 'Conversion rate', preferredDirection: 'higher' }),
      metric(2, {
        name: 'Revenue | *net*',
        nominator: 'value(u.unit.click)',
        metricFormat: '€{:,.2f}',
        alternative: 'greater',
      }),
    ],
  });
  // Each clicking unit has revenue 3: sum 3 n, sum of squares 9 n.
  const data = rows(ARMS).map((row) =>
    row.goal === 'click'
      ? { ...row, sum_value: Number(row.count) * 3, sum_sqr_value: Number(row.count) * 9 }
      : row,
  );
  const scorecard = buildScorecard(definition, definition.evaluateAgg(data));

  it('writes the control row with its units and mean and — for every comparison', () => {
    const lines = renderScorecardText(scorecard, { legend: false, width: 200 }).split('\n');
    const control = lines.find((line) => line.startsWith('z-control (control)'))!;
    expect(control.split(/ {2,}/)).toEqual([
      'z-control (control)',
      '10,000',
      '10.00%',
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
    ]);
  });

  it('writes absolute differences in percentage points for percentages, in the metric format otherwise', () => {
    const text = renderScorecardText(scorecard, { legend: false, width: 200 });
    // iOS variant: 11.50% - 10.00% = +1.50 pp; revenue per unit 3 * 0.115 - 3 * 0.1 = +€0.045 -> +€0.04
    // (0.045 is stored just below, as Python's format rounds it).
    expect(text).toMatch(/iOS variant .* \+1\.50 pp /);
    expect(text).toMatch(/iOS variant .* \+€0\.04 /);
    // The one-sided revenue metric: its interval is open upwards.
    expect(text).toMatch(/iOS variant .*\[\+[0-9.]+%, \+inf\]/);
  });

  it('keeps every line within the width, switching to a list when a table does not fit', () => {
    for (const width of [200, 120, 72]) {
      const text = renderScorecardText(scorecard, { width });
      for (const line of text.split('\n'))
        expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
    }
    const narrow = renderScorecardText(scorecard, { width: 72, legend: false });
    expect(narrow).toContain('  iOS variant: 10,000 units, mean 11.50%');
    expect(narrow).toMatch(/ {4}p-value [0-9.<]+, level [0-9.]+%: better/);
  });

  it('explains every column and only the marks and verdicts that occur', () => {
    const legend = scorecardLegend(scorecard);
    expect(legend.map((entry) => entry.term)).toEqual([
      'Units',
      'Mean',
      'Diff',
      'Interval',
      'Abs. diff',
      'p-value',
      'Level',
      'Verdict',
      '—',
      '-inf / +inf',
    ]);
    const verdicts = legend.find((entry) => entry.term === 'Verdict')!.meaning;
    const present = new Set(
      scorecard.metrics.flatMap((m) => m.rows.map((row) => row.verdict)).filter(Boolean),
    );
    expect(VERDICTS.length).toBe(7);
    for (const name of VERDICTS) {
      expect(verdicts.includes(`${name}:`), name).toBe(present.has(name));
    }
    expect(legend.find((entry) => entry.term === 'p-value')!.meaning).toContain(
      'Holm-adjusted across the 2 treatments of each metric',
    );
  });

  it("names the O'Brien-Fleming level of the day in a sequential test", () => {
    const sequential = experiment({ dateFrom: '2024-01-01', dateTo: '2024-01-10', dateFor: '2024-01-05' });
    const legend = scorecardLegend(buildScorecard(sequential, sequential.evaluateAgg(rows(ARMS))));
    const level = sequentialConfidenceLevel(0.95, '2024-01-01', '2024-01-10', '2024-01-05');
    expect(legend.find((entry) => entry.term === 'Interval')!.meaning).toContain(
      `at ${+(level * 100).toPrecision(4)}%, the O'Brien-Fleming level of this day of a 95% sequential test`,
    );
  });

  it('writes Markdown tables with escaped cells and a legend list', () => {
    const markdown = renderScorecardText(scorecard, { format: 'markdown' });
    expect(markdown).toContain('### Revenue | \\*net\\* (one-sided test, higher is better)');
    const table = markdown.split('\n').filter((line) => line.startsWith('| '));
    // Two metrics: header, alignment row and 3 variants each.
    expect(table.length).toBe(2 * 5);
    expect(markdown).toContain('- **Verdict**: ');
  });
});
