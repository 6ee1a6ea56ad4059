import { EpStatsError } from '../errors/ep-stats-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Metric } from '../experiment/metric.js';
import { pythonFormatter } from './format-python.js';
import type { WideColumn, WideStatistic, WideTable } from './metric-wide-table.js';

/**
 * What {@link formatWideTable} needs of a metric: its id and how to display its mean. A {@link Metric} is one.
 *
 * @example
 * ```ts
 * import type { MetricDisplay } from 'ep-stats';
 * const revenuePerMille: MetricDisplay = { id: 2, metricFormat: '${:,.2f}', metricValueMultiplier: 1000 };
 * revenuePerMille.metricValueMultiplier; // => 1000
 * ```
 * @public
 */
export type MetricDisplay = Pick<Metric, 'id' | 'metricFormat' | 'metricValueMultiplier'>;

/**
 * Options of {@link formatWideTable}.
 *
 * @example
 * ```ts
 * import type { FormatWideTableOptions } from 'ep-stats';
 * const options: FormatWideTableOptions = { impactFormat: '{:+,.2%}', pValueFormat: '{:.4f}' };
 * options.impactFormat; // => '{:+,.2%}'
 * ```
 * @public
 */
export interface FormatWideTableOptions {
  /** Python format template of the impact and the interval bounds, default `'{:+,.1%}'`. */
  readonly impactFormat?: string;
  /** Python format template of the p-value, default `'{:,.3f}'`. */
  readonly pValueFormat?: string;
  /** P-values below it are marked significant, default 0.05. */
  readonly significanceLevel?: number;
}

/**
 * A column of a {@link FormattedWideTable}: a {@link WideColumn} with its display label.
 *
 * @example
 * ```ts
 * import type { FormattedColumn } from 'ep-stats';
 * const column: FormattedColumn = { metricId: 1, metricName: 'CTR', statistic: 'diff', label: 'Impact' };
 * column.label; // => 'Impact'
 * ```
 * @public
 */
export interface FormattedColumn extends WideColumn {
  /** `Mean`, `Impact`, `Conf. interval lower bound`, `Conf. interval upper bound` or `p-value`. */
  readonly label: string;
}

/**
 * A formatted value; p-value cells also say whether the p-value is significant (for colouring).
 *
 * @example
 * ```ts
 * import type { FormattedCell } from 'ep-stats';
 * const cell: FormattedCell = { text: '0.824', significant: false };
 * cell.significant; // => false
 * ```
 * @public
 */
export interface FormattedCell {
  readonly text: string;
  /** For p-value cells only: whether the p-value is below the significance level (false for NaN). */
  readonly significant?: boolean;
}

/**
 * A row of a {@link FormattedWideTable}.
 *
 * @example
 * ```ts
 * import type { FormattedRow } from 'ep-stats';
 * const row: FormattedRow = { expId: 'x', expVariantId: 'b', variantLabel: 'B', cells: [{ text: '26.92%' }] };
 * row.variantLabel; // => 'B'
 * ```
 * @public
 */
export interface FormattedRow {
  readonly expId: string;
  readonly expVariantId: string;
  /** The variant id with each word capitalised (`b` becomes `B`), as the reference's reports show it. */
  readonly variantLabel: string;
  /** One cell per column of the table. */
  readonly cells: readonly FormattedCell[];
}

/**
 * A {@link WideTable} formatted for display: labels, text cells and significance marks.
 *
 * @example
 * ```ts
 * import type { FormattedWideTable } from 'ep-stats';
 * const empty: FormattedWideTable = { indexLabels: ['Experiment Id', 'Variant'], columns: [], rows: [], significanceLevel: 0.05 };
 * empty.indexLabels; // => ['Experiment Id', 'Variant']
 * ```
 * @public
 */
export interface FormattedWideTable {
  /** Labels of the two row-identifying columns: `['Experiment Id', 'Variant']`. */
  readonly indexLabels: readonly string[];
  readonly columns: readonly FormattedColumn[];
  readonly rows: readonly FormattedRow[];
  /** The level below which p-values are marked significant. */
  readonly significanceLevel: number;
}

const LABELS: Readonly<Record<WideStatistic, string>> = {
  mean: 'Mean',
  diff: 'Impact',
  confLower: 'Conf. interval lower bound',
  confUpper: 'Conf. interval upper bound',
  pValue: 'p-value',
};

/**
 * Formats a wide table of metric results for display, as the reference's notebook reports do.
 *
 * @remarks
 * The mean of each metric is multiplied by the metric's `metricValueMultiplier` (e.g. 1000 for a per-mille
 * metric) and formatted with its `metricFormat`; the impact and the interval bounds with `impactFormat`
 * (`'{:+,.1%}'`), the p-value with `pValueFormat` (`'{:,.3f}'`), all Python format templates (see
 * {@link formatPython}). A p-value cell is marked `significant` when the p-value is below
 * `significanceLevel` (0.05); NaN is not significant. Metrics are matched to columns by id. Render the result
 * with {@link renderTerminalTable}, {@link renderMarkdownTable} or {@link renderHtmlTable}.
 *
 * @param table - The wide table, from {@link toWideTable}.
 * @param metrics - The display definitions of the table's metrics, e.g. `experiment.metrics`.
 * @param options - Templates of impact and p-value, and the significance level.
 * @returns The formatted table, frozen.
 * @throws {@link ValidationError} when a metric of the table is missing from `metrics`, when a format template
 *   is invalid (the path names it, e.g. `['metrics', 0, 'metricFormat']`) or when `significanceLevel` is not
 *   in `(0, 1)`.
 *
 * @example
 * ```ts
 * import { ValidationError, WIDE_STATISTICS, formatWideTable, type WideTable } from 'ep-stats';
 * const table: WideTable = {
 *   columns: WIDE_STATISTICS.map((statistic) => ({ metricId: 1, metricName: 'CTR', statistic })),
 *   rows: [{ expId: 'ctr', expVariantId: 'b', values: [0.2692307692, 0.1307692308, -1.0510294626, 1.3125679241, 0.8244735669] }],
 * };
 * const formatted = formatWideTable(table, [{ id: 1, metricFormat: '{:.2%}', metricValueMultiplier: 1 }]);
 * formatted.rows[0]!.cells.map((cell) => cell.text); // => ['26.92%', '+13.1%', '-105.1%', '+131.3%', '0.824']
 * formatted.rows[0]!.cells[4]; // => { text: '0.824', significant: false }
 * formatted.columns.map((column) => column.label)[1]; // => 'Impact'
 * formatWideTable(table, []); // throws ValidationError
 * ```
 * @public
 */
export function formatWideTable(
  table: WideTable,
  metrics: readonly MetricDisplay[],
  options: FormatWideTableOptions = {},
): FormattedWideTable {
  const significanceLevel = options.significanceLevel ?? 0.05;
  if (!(significanceLevel > 0 && significanceLevel < 1)) {
    throw new ValidationError(
      `\`significanceLevel\` must be in (0, 1) but ${String(significanceLevel)} received`,
      ['significanceLevel'],
    );
  }
  const impact = compile(options.impactFormat ?? '{:+,.1%}', ['impactFormat']);
  const pValue = compile(options.pValueFormat ?? '{:,.3f}', ['pValueFormat']);
  const means = new Map(
    metrics.map((metric, index) => {
      const format = compile(metric.metricFormat, ['metrics', index, 'metricFormat']);
      const multiplier = metric.metricValueMultiplier;
      return [metric.id, (value: number) => format(value * multiplier)] as const;
    }),
  );
  const formatters = table.columns.map((column) => {
    if (column.statistic === 'pValue') return pValue;
    if (column.statistic !== 'mean') return impact;
    const mean = means.get(column.metricId);
    if (mean === undefined) {
      throw new ValidationError(
        `Metric ${JSON.stringify(column.metricId)} (${JSON.stringify(column.metricName)}) of the table is not ` +
          `among the metrics passed (ids ${JSON.stringify(metrics.map((metric) => metric.id))}); pass the ` +
          "experiment's metrics",
        ['metrics'],
      );
    }
    return mean;
  });
  const rows = table.rows.map((row) => {
    const cells = table.columns.map((column, index) => {
      const value = row.values[index] ?? Number.NaN;
      const text = formatters[index]!(value);
      return Object.freeze(
        column.statistic === 'pValue' ? { text, significant: value < significanceLevel } : { text },
      );
    });
    return Object.freeze({
      expId: row.expId,
      expVariantId: row.expVariantId,
      variantLabel: titleCase(row.expVariantId),
      cells: Object.freeze(cells),
    });
  });
  const columns = table.columns.map((column) =>
    Object.freeze({ ...column, label: LABELS[column.statistic] }),
  );
  return Object.freeze({
    indexLabels: Object.freeze(['Experiment Id', 'Variant']),
    columns: Object.freeze(columns),
    rows: Object.freeze(rows),
    significanceLevel,
  });
}

function compile(template: string, path: readonly (string | number)[]): (value: number) => string {
  try {
    return pythonFormatter(template);
  } catch (error) {
    if (!(error instanceof EpStatsError)) throw error;
    throw new ValidationError(error.message, path, { cause: error });
  }
}

/** `control` -> `Control`, `variant-b` -> `Variant-B`: each run of letters capitalised. */
function titleCase(text: string): string {
  return text.replace(/\p{L}+/gu, (word) => `${word.charAt(0).toUpperCase()}${word.slice(1).toLowerCase()}`);
}
