import {
  type Evaluation,
  type Experiment,
  type FormattedCell,
  type FormattedWideTable,
  formatPython,
  type MultipleTestingCorrection,
  type WideTable,
} from '../index.js';

/** The open bound of a one-sided interval in the scorecard (the formatter would write `-inf%`). */
export const OPEN_LOWER_BOUND = '-inf';
/** The open bound of a one-sided interval in the scorecard (the formatter would write `+inf%`). */
export const OPEN_UPPER_BOUND = '+inf';

const CORRECTION_NAMES: Readonly<Record<MultipleTestingCorrection, string>> = {
  holm: 'Holm',
  'benjamini-hochberg': 'Benjamini-Hochberg',
  bonferroni: 'Bonferroni',
  none: 'no correction for multiple testing',
};

/**
 * The parts of the scorecard's header line that name a method other than the default, in this order: the
 * confidence sequence with its tuning ("confidence sequence (tuning 5,000)"), the correction for multiple
 * testing and its scope when not Holm per metric ("Benjamini-Hochberg across the report", "Bonferroni per
 * metric", "no correction for multiple testing"), and each one-sided metric ("Checkout time one-sided (lower
 * is better, non-inferiority margin 2%)"). Empty for the reference's defaults.
 *
 * @param experiment - The evaluated experiment.
 * @param evaluation - Its evaluation (its `confidenceSequenceTuning` says a confidence sequence was used).
 * @returns The parts, each a phrase without final punctuation.
 */
export function methodSummary(experiment: Experiment, evaluation: Evaluation): string[] {
  const parts: string[] = [];
  const tuning = evaluation.confidenceSequenceTuning;
  if (tuning !== undefined) {
    parts.push(
      `confidence sequence (tuning ${formatPython(Number.isInteger(tuning) ? '{:,.0f}' : '{:,}', tuning)})`,
    );
  }
  const { correction, correctionScope } = experiment;
  if (correction === 'none') {
    parts.push(CORRECTION_NAMES.none);
  } else if (correction !== 'holm' || correctionScope !== 'metric') {
    parts.push(
      `${CORRECTION_NAMES[correction]} ${correctionScope === 'report' ? 'across the report' : 'per metric'}`,
    );
  }
  for (const metric of experiment.metrics) {
    if (metric.alternative === 'two-sided') continue;
    const direction = metric.alternative === 'greater' ? 'higher is better' : 'lower is better';
    const margin =
      metric.nonInferiorityMargin === undefined
        ? ''
        : `, non-inferiority margin ${formatPython('{:.4g}', metric.nonInferiorityMargin * 100)}%`;
    parts.push(`${metric.name} one-sided (${direction}${margin})`);
  }
  return parts;
}

/**
 * The formatted wide table with the open bound of each one-sided interval (an infinite `confLower` or
 * `confUpper` of `table`) written as {@link OPEN_LOWER_BOUND} or {@link OPEN_UPPER_BOUND}; NaN bounds keep
 * the formatter's text, as in the reference's reports.
 *
 * @param table - The wide table the formatted one was made from (same rows and columns).
 * @param formatted - `formatWideTable(table, ...)`.
 * @returns The formatted table, the same object when no bound is infinite.
 */
export function withOpenBounds(table: WideTable, formatted: FormattedWideTable): FormattedWideTable {
  let changed = false;
  const rows = formatted.rows.map((row, rowIndex) => {
    const values = table.rows[rowIndex]?.values ?? [];
    const cells: FormattedCell[] = row.cells.map((cell, index) => {
      const statistic = formatted.columns[index]?.statistic;
      const value = values[index] ?? Number.NaN;
      if ((statistic !== 'confLower' && statistic !== 'confUpper') || !isInfinite(value)) return cell;
      changed = true;
      return { text: value > 0 ? OPEN_UPPER_BOUND : OPEN_LOWER_BOUND };
    });
    return { ...row, cells };
  });
  return changed ? { ...formatted, rows } : formatted;
}

function isInfinite(value: number): boolean {
  return value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY;
}
