import type { Scorecard } from './build-scorecard.js';
import {
  formatLevel,
  NOT_APPLICABLE,
  NOT_COMPUTABLE,
  OPEN_LOWER,
  OPEN_UPPER,
  scorecardCells,
} from './scorecard-cells.js';
import type { Verdict } from './verdict.js';

/**
 * One entry of a scorecard's legend: a column or mark and what it means for this scorecard.
 *
 * @example
 * ```ts
 * import type { LegendEntry } from 'ep-stats/report';
 * const entry: LegendEntry = { term: 'Units', meaning: 'exposed units of the variant' };
 * entry.term; // => 'Units'
 * ```
 * @public
 */
export interface LegendEntry {
  readonly term: string;
  readonly meaning: string;
}

const VERDICT_MEANINGS: Readonly<Record<Verdict, string>> = {
  better: 'better: significant, in the direction the metric should move',
  worse: 'worse: significant, against the direction the metric should move',
  increase: 'increase: significant rise of a metric without a declared preferred direction',
  decrease: 'decrease: significant fall of a metric without a declared preferred direction',
  'non-inferior': 'non-inferior: not worse than the control by more than the non-inferiority margin',
  inconclusive: 'inconclusive: the interval contains no difference (0, or the margin); more data may decide',
  untested: 'untested: no test was possible (a variant without units or without variance)',
};

/** What the p-values and interval levels of a scorecard were adjusted for, in one sentence. */
function adjustment(scorecard: Scorecard): string {
  const treatments = scorecard.variants.length - 1;
  const names = {
    holm: 'Holm',
    bonferroni: 'Bonferroni',
    'benjamini-hochberg': 'Benjamini-Hochberg',
  } as const;
  if (scorecard.correction === 'none') return 'not adjusted for multiple testing';
  const name = names[scorecard.correction];
  if (scorecard.correctionScope === 'report') {
    return `${name}-adjusted across every comparison of the report (each interval widened to match)`;
  }
  return treatments > 1
    ? `${name}-adjusted across the ${treatments} treatments of each metric (each interval widened to match)`
    : 'not adjusted: one comparison per metric';
}

/**
 * The legend of a scorecard: every column, and only the marks and verdicts that occur in it, worded for its
 * method (the level of its intervals, the correction of its p-values, a sequential or always-valid test).
 *
 * @param scorecard - The scorecard.
 * @returns The entries in the order of the columns, then the marks.
 *
 * @example
 * ```ts
 * import { Experiment, Metric } from 'ep-stats';
 * import { buildScorecard, scorecardLegend } from 'ep-stats/report';
 * const experiment = new Experiment({
 *   id: 'e', controlVariant: 'a', unitType: 'u', variants: ['a', 'b', 'c'],
 *   metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' })],
 * });
 * const legend = scorecardLegend(buildScorecard(experiment, experiment.evaluateAgg([])));
 * legend.find((entry) => entry.term === 'p-value')?.meaning; // => "probability of a difference at least this large if the variants did not differ; Holm-adjusted across the 2 treatments of each metric (each interval widened to match)"
 * ```
 * @public
 */
export function scorecardLegend(scorecard: Scorecard): LegendEntry[] {
  const rows = scorecard.metrics.flatMap((metric) =>
    metric.rows.map((row) => ({ metric, row, cells: scorecardCells(metric, row) })),
  );
  const treatments = rows.filter(({ row }) => !row.control);
  const cellTexts = rows.flatMap(({ cells }) => Object.values(cells));
  const level = formatLevel(scorecard.evaluationLevel);
  const sequentialLevel = scorecard.evaluationLevel !== scorecard.confidenceLevel;
  const levelText = sequentialLevel
    ? `${level}, the O'Brien-Fleming level of this day of a ${formatLevel(scorecard.confidenceLevel)} sequential test`
    : level;
  const widened = treatments.some(
    ({ row }) => row.level !== undefined && row.level !== scorecard.evaluationLevel,
  );
  const entries: LegendEntry[] = [
    {
      term: 'Units',
      meaning:
        "the metric's denominator: the variant's exposed units, or what a ratio counts (views, orders)",
    },
    { term: 'Mean', meaning: 'the metric: its nominator divided by its denominator' },
    { term: 'Diff', meaning: "relative difference to the control's mean: (mean - control) / |control|" },
    {
      term: 'Interval',
      meaning:
        scorecard.confidenceSequenceTuning !== undefined
          ? `always-valid confidence interval of Diff at ${level} (a confidence sequence: valid however often the results are read)`
          : `confidence interval of Diff at ${levelText}${widened ? ', or at the higher level in Level where the correction widened it' : ''}`,
    },
    {
      term: 'Abs. diff',
      meaning: "mean minus the control's mean, with its interval at the same level (pp: percentage points)",
    },
    {
      term: 'p-value',
      meaning: `probability of a difference at least this large if the variants did not differ; ${adjustment(scorecard)}`,
    },
  ];
  if (widened) {
    entries.push({ term: 'Level', meaning: "confidence level of the row's interval after the correction" });
  }
  const verdicts = [...new Set(treatments.map(({ row }) => row.verdict).filter((v) => v !== undefined))];
  if (verdicts.length > 0) {
    entries.push({
      term: 'Verdict',
      meaning: verdicts.map((verdict) => VERDICT_MEANINGS[verdict]).join('; '),
    });
  }
  if (rows.some(({ row }) => row.control)) {
    entries.push({
      term: NOT_APPLICABLE,
      meaning: 'does not apply: the control is not compared with itself',
    });
  }
  if (cellTexts.some((text) => text.includes(NOT_COMPUTABLE))) {
    entries.push({
      term: NOT_COMPUTABLE,
      meaning: 'could not be computed, e.g. for a variant without units or a control mean of 0',
    });
  }
  if (cellTexts.some((text) => text.includes(OPEN_LOWER) || text.includes(OPEN_UPPER))) {
    entries.push({
      term: `${OPEN_LOWER} / ${OPEN_UPPER}`,
      meaning: 'open end of the interval of a one-sided test',
    });
  }
  return entries;
}
