/**
 * The testing options in an experiment file (the REST request's spelling): `correction`, `correction_scope`,
 * `sequential`, `sequential_tuning`, a metric's `alternative` and `non_inferiority_margin`, a check's
 * `expected_weights`; and how the scorecard shows them. Expected numbers come from the library evaluating
 * the same goals with the options in camelCase. The run of the `ep-stats` program with such a file is in
 * evaluate.test.ts (with the other child processes).
 */
import { describe, expect, it } from 'vitest';
import { experimentFromFile } from '../../src/cli/experiment-file.js';
import { renderScorecard } from '../../src/cli/scorecard.js';
import { type Experiment, formatPython, type SrmCheck, ValidationError } from '../../src/index.js';
import { CHECKOUT_TIME, FILE, GOALS, libraryExperiment, REVENUE } from './testing-options-fixture.js';

function rejection(file: unknown): ValidationError {
  try {
    experimentFromFile(file);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('the experiment file', () => {
  it('maps the testing options to the library options, also when the file rebuilds the experiment', () => {
    const plain = experimentFromFile(FILE);
    // confidence_level and metric_format make the file rebuild the experiment and the metric.
    const rebuilt = experimentFromFile({
      ...FILE,
      confidence_level: 0.9,
      sequential_tuning: 20_000,
      metrics: [REVENUE, { ...FILE.metrics[1], metric_format: '{:.1f}s' }],
    });
    for (const experiment of [plain, rebuilt]) {
      expect([experiment.correction, experiment.correctionScope, experiment.sequential]).toEqual([
        'benjamini-hochberg',
        'report',
        'confidence-sequence',
      ]);
      expect([experiment.metrics[0]?.alternative, experiment.metrics[0]?.nonInferiorityMargin]).toEqual([
        'two-sided',
        undefined,
      ]);
      expect([experiment.metrics[1]?.alternative, experiment.metrics[1]?.nonInferiorityMargin]).toEqual([
        'less',
        0.02,
      ]);
      expect((experiment.checks[0] as SrmCheck).expectedWeights).toEqual({ a: 90, b: 10 });
    }
    expect([plain.sequentialTuning, rebuilt.sequentialTuning]).toEqual([5000, 20_000]);
    expect([rebuilt.confidenceLevel, rebuilt.metrics[1]?.metricFormat]).toEqual([0.9, '{:.1f}s']);
  });

  it('evaluates as the library does with the same options', () => {
    const fromFile = experimentFromFile(FILE).evaluateAgg([...GOALS], { timestamp: 0 });
    const expected = libraryExperiment().evaluateAgg([...GOALS], { timestamp: 0 });
    expect(fromFile).toEqual(expected);
    expect(fromFile.confidenceSequenceTuning).toBe(5000);
  });

  it('names the field of an invalid option in the wire spelling', () => {
    const twoSided = rejection({ ...FILE, metrics: [{ ...CHECKOUT_TIME, non_inferiority_margin: 0.02 }] });
    expect(twoSided.path).toEqual(['metrics', 0, 'non_inferiority_margin']);
    expect(twoSided.message).toMatch(/^non_inferiority_margin needs a one-sided alternative/);
    expect(rejection({ ...FILE, sequential: 'obrien-fleming', sequential_tuning: 100 }).path).toEqual([
      'sequential_tuning',
    ]);
    expect(
      rejection({ ...FILE, checks: [{ ...FILE.checks[0], expected_weights: { a: 90, b: 0 } }] }).path,
    ).toEqual(['checks', 0, 'expected_weights', 'b']);
    const typo = rejection({ ...FILE, metrics: [{ ...CHECKOUT_TIME, alternatve: 'less' }] });
    expect(typo.message).toMatch(/did you mean `alternative`\?/);
  });
});

describe('the scorecard', () => {
  const experiment = experimentFromFile(FILE);
  const evaluation = experiment.evaluateAgg([...GOALS], { timestamp: 0 });

  it('names the methods that are not the default in the header line', () => {
    const text = renderScorecard(experiment, evaluation, { format: 'table', color: false });
    expect(text.split('\n')[0]).toBe(
      'Experiment checkout (control variant a, confidence level 95%; confidence sequence (tuning 5,000); ' +
        'Benjamini-Hochberg across the report; Checkout time one-sided (lower is better, non-inferiority margin 2%))',
    );
    const markdown = renderScorecard(experiment, evaluation, { format: 'markdown', color: false });
    expect(markdown).toContain(
      'Control variant a, confidence level 95%; confidence sequence (tuning 5,000);',
    );
    // The defaults say nothing more than before.
    const plain = experimentFromFile({ ...FILE, correction: null, correction_scope: null, sequential: null });
    const other = experimentFromFile({ ...FILE, correction: 'none', sequential: null, metrics: [REVENUE] });
    const head = (e: Experiment) =>
      renderScorecard(e, e.evaluateAgg([...GOALS]), { format: 'table', color: false }).split('\n')[0];
    expect(
      head(
        experimentFromFile({
          ...FILE,
          correction: null,
          correction_scope: null,
          sequential: null,
          metrics: [REVENUE],
        }),
      ),
    ).toBe('Experiment checkout (control variant a, confidence level 95%)');
    expect(head(plain)).toBe(
      'Experiment checkout (control variant a, confidence level 95%; Checkout time one-sided (lower is better, non-inferiority margin 2%))',
    );
    expect(head(other)).toBe(
      'Experiment checkout (control variant a, confidence level 95%; no correction for multiple testing)',
    );
  });

  it('shows the open bound of a one-sided interval as -inf, the other bound as the library computed it', () => {
    const text = renderScorecard(experiment, evaluation, { format: 'table', color: false });
    expect(text).not.toMatch(/inf%|nan%/);
    const row = evaluation.metrics.find((r) => r.metricId === 2 && r.expVariantId === 'b');
    if (row === undefined) throw new Error('no row');
    expect(row.confidenceLower).toBe(Number.NEGATIVE_INFINITY);
    const upper = formatPython('{:+,.1%}', row.confidenceUpper);
    const impact = formatPython('{:+,.1%}', row.diff);
    const checkout = text.split('Checkout time').at(-1) ?? '';
    expect(checkout).toMatch(
      new RegExp(`\\nb\\s+\\S+\\s+\\S+\\s+${escapeRegExp(impact)}\\s+\\[-inf, ${escapeRegExp(upper)}\\]\\s`),
    );
    // 'greater' opens the upper bound.
    const greater = experimentFromFile({ ...FILE, metrics: [{ ...REVENUE, alternative: 'greater' }] });
    const greaterText = renderScorecard(greater, greater.evaluateAgg([...GOALS]), {
      format: 'html',
      color: false,
    });
    expect(greaterText).toContain('+inf');
    expect(greaterText).not.toMatch(/inf%/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
