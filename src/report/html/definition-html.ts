import { type Experiment, escapeMarkup, formatPython, SrmCheck } from '../../index.js';

/** A `<dt>`/`<dd>` pair; the value is escaped unless it is given as markup. */
function item(term: string, value: string, markup = false): string {
  return `<dt>${escapeMarkup(term)}</dt><dd>${markup ? value : escapeMarkup(value)}</dd>`;
}

const CORRECTION_NAMES = {
  holm: 'Holm',
  bonferroni: 'Bonferroni',
  'benjamini-hochberg': 'Benjamini-Hochberg',
} as const;
const code = (text: string) => `<code>${escapeMarkup(text)}</code>`;
const percent = (value: number) => `${formatPython('{:.4g}', value * 100)}%`;

/**
 * The experiment's definition as a definition list: unit type, control and variants, dates, the testing
 * options, each metric with its expressions and options, the checks, filters and breakdowns.
 * @internal
 */
export function definitionHtml(experiment: Experiment): string {
  const items = [
    item('Unit type', experiment.unitType),
    item('Control variant', experiment.controlVariant),
    item('Variants', experiment.variants?.join(', ') ?? 'those of the data'),
  ];
  const dates = [
    experiment.dateFrom === undefined ? undefined : `from ${experiment.dateFrom}`,
    experiment.dateTo === undefined ? undefined : `to ${experiment.dateTo}`,
    experiment.dateFor === undefined ? undefined : `evaluated for ${experiment.dateFor}`,
  ].filter((part) => part !== undefined);
  if (dates.length > 0) items.push(item('Dates', dates.join(', ')));
  const sequential =
    experiment.sequential === 'confidence-sequence'
      ? `confidence sequence (always valid), tuning ${formatPython('{:,}', experiment.sequentialTuning ?? 5000)}`
      : experiment.dateFrom !== undefined && experiment.dateTo !== undefined
        ? "O'Brien-Fleming (the level rises before the last day)"
        : 'none (fixed horizon)';
  items.push(
    item('Confidence level', percent(experiment.confidenceLevel)),
    item('Sequential adjustment', sequential),
    item(
      'Multiple testing',
      experiment.correction === 'none'
        ? 'no correction'
        : `${CORRECTION_NAMES[experiment.correction]} ${experiment.correctionScope === 'report' ? 'across the report' : 'per metric'}`,
    ),
  );
  if (experiment.nullHypothesisRate !== undefined) {
    items.push(item('Null hypothesis rate', String(experiment.nullHypothesisRate)));
  }
  const metrics = experiment.metrics.map((metric) => {
    const options = [
      metric.minimumEffect === undefined ? undefined : `minimum effect ${percent(metric.minimumEffect)}`,
      metric.alternative === 'two-sided' ? undefined : `one-sided (${metric.alternative})`,
      metric.nonInferiorityMargin === undefined
        ? undefined
        : `non-inferiority margin ${percent(metric.nonInferiorityMargin)}`,
      metric.preferredDirection === undefined ? undefined : `${metric.preferredDirection} is better`,
      metric.cuped === undefined ? undefined : `CUPED over ${metric.cuped.preDays} days`,
    ].filter((option) => option !== undefined);
    const suffix = options.length === 0 ? '' : `; ${escapeMarkup(options.join(', '))}`;
    return `<li>${escapeMarkup(metric.name)}: ${code(metric.nominator)} / ${code(metric.denominator)}${suffix}</li>`;
  });
  items.push(item('Metrics', `<ul>${metrics.join('')}</ul>`, true));
  if (experiment.checks.length > 0) {
    const checks = experiment.checks.map((check) => {
      const weights =
        check instanceof SrmCheck && check.expectedWeights !== undefined
          ? `; planned split ${Object.entries(check.expectedWeights)
              .map(([variant, weight]) => `${variant} ${weight}`)
              .join(', ')}`
          : '';
      return `<li>${escapeMarkup(check.name)}${escapeMarkup(weights)}</li>`;
    });
    items.push(item('Checks', `<ul>${checks.join('')}</ul>`, true));
  }
  if (experiment.filters.length > 0) {
    const filters = experiment.filters.map((filter) => {
      const what =
        filter.scope === 'trigger'
          ? `trigger goal ${filter.goal ?? ''}`
          : `${filter.dimension ?? ''} in ${(filter.values ?? []).join(', ')}`;
      return `<li>${escapeMarkup(`${filter.scope}: ${what}`)}</li>`;
    });
    items.push(item('Filters', `<ul>${filters.join('')}</ul>`, true));
  }
  if (experiment.breakdowns.length > 0) {
    items.push(item('Breakdowns', `${experiment.breakdowns.join(', ')} (top ${experiment.breakdownTop})`));
  }
  return `<dl class="definition">\n${items.join('\n')}\n</dl>`;
}
