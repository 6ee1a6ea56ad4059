import type { GoalReference } from '../expression/ast.js';
import { goalKey } from '../expression/goal-key.js';
import { printExpression } from '../expression/print-expression.js';
import type { GoalNamesSeen } from '../goals/goal-names-seen.js';
import { tableDiagnostics } from '../goals/goal-table-diagnostics.js';
import { closestName } from '../text/closest-name.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { EvaluationWarning } from './evaluation.js';
import type { WarningCollector } from './warning-collector.js';

/** The kind of input an evaluation read: it decides the exposure goal and the words of the warnings. @internal */
export type GoalInputKind = 'aggregated' | 'unit' | 'wide';

/** What {@link warnAboutMissingData} reads of a goal table. @internal */
export interface MissingDataSource {
  readonly variants: readonly string[];
  readonly exposures: Float64Array;
  readonly foreignExperimentRows: number;
  readonly goalsWithoutRows: readonly GoalReference[];
}

/**
 * Warns about everything an evaluation needs that the data lacks, so that no zero-filled result goes
 * unnoticed: `empty-input`, `foreign-experiment-rows`, `no-exposures`, `variant-without-exposures` and
 * `goal-without-rows`, in this order.
 *
 * @remarks
 * - Input without any row of the experiment's variants gets one `empty-input` warning and nothing else
 *   (every goal of such input lacks rows: one warning says it all); its `count` is the number of rows
 *   ignored (of other experiments or other variants), when there are some.
 * - Otherwise rows of other experiments give `foreign-experiment-rows` (with their `count`).
 * - Aggregated and by-unit input without exposures in any variant gets `no-exposures`, suggesting a unit
 *   type of the data close to the experiment's; with exposures in some variants, those without get one
 *   `variant-without-exposures` naming them. Wide input has no exposures (they are 0, as in the
 *   reference), so neither applies to it.
 * - Each goal read by a metric or a check that no row matched gets `goal-without-rows`, with `goal` its text
 *   (e.g. `count(u.unit.purchse)`). The message says why when the data explains it: rows of the same name
 *   with other dimension values, another aggregation type or another unit type; otherwise `suggestion` is
 *   the closest goal name of the data of the same unit type and aggregation type (else of any). The
 *   exposure goal of the input kind is left to `no-exposures`, and goals the experiment adds without reading
 *   them (the implicit exposure goals) are not reported.
 *
 * @param warnings - Where the warnings go.
 * @param experiment - The evaluated experiment.
 * @param table - The goal table built for it.
 * @param kind - The kind of input.
 * @internal
 */
export function warnAboutMissingData(
  warnings: WarningCollector,
  experiment: EvaluatedExperiment,
  table: MissingDataSource,
  kind: GoalInputKind,
): void {
  const diagnostics = tableDiagnostics(table);
  if (diagnostics.rows === 0) {
    warnings.add(emptyInputWarning(experiment, table));
    return;
  }
  if (table.foreignExperimentRows > 0) {
    warnings.add({
      code: 'foreign-experiment-rows',
      message: `Ignored ${table.foreignExperimentRows} goal rows whose exp_id is not \`${experiment.id}\`.`,
      count: table.foreignExperimentRows,
    });
  }
  if (kind !== 'wide') warnAboutExposures(warnings, experiment, table, kind);
  if (table.goalsWithoutRows.length === 0) return;
  const read = new Set([...experiment.metrics, ...experiment.checks].flatMap((d) => d.goals.map(goalKey)));
  const exposureKey = `${experiment.unitType}.${kind === 'unit' ? 'unit' : 'global'}.exposure`;
  for (const goal of table.goalsWithoutRows) {
    const key = goalKey(goal);
    if (!read.has(key) || (kind !== 'wide' && key === exposureKey)) continue;
    // The metrics that read the goal, so that a report can flag their rows, not only list the warning.
    const metricIds = experiment.metrics
      .filter((metric) => metric.goals.some((read) => goalKey(read) === key))
      .map((metric) => metric.id);
    const warning = goalWithoutRowsWarning(goal, diagnostics.names, experiment, kind);
    warnings.add(metricIds.length === 0 ? warning : { ...warning, metricIds });
  }
}

function emptyInputWarning(experiment: EvaluatedExperiment, table: MissingDataSource): EvaluationWarning {
  const { otherVariantRows } = tableDiagnostics(table);
  const foreign = table.foreignExperimentRows;
  const ignored: string[] = [];
  if (foreign > 0) ignored.push(`${foreign} rows of other experiments`);
  if (otherVariantRows > 0) {
    ignored.push(`${otherVariantRows} rows of variants other than ${table.variants.map(quote).join(', ')}`);
  }
  const why = ignored.length === 0 ? 'the input has no rows' : `ignored ${ignored.join(' and ')}`;
  return {
    code: 'empty-input',
    message:
      `No goal rows for experiment \`${experiment.id}\` (${why}); every goal counts as zero and every ` +
      'variant has 0 exposures.',
    ...(foreign + otherVariantRows > 0 ? { count: foreign + otherVariantRows } : {}),
  };
}

function warnAboutExposures(
  warnings: WarningCollector,
  experiment: EvaluatedExperiment,
  table: MissingDataSource,
  kind: 'aggregated' | 'unit',
): void {
  const { exposures, variants } = table;
  const diagnostics = tableDiagnostics(table);
  const without = variants.filter((_, v) => !(exposures[v]! > 0));
  if (without.length === 0) return;
  const aggType = kind === 'unit' ? 'unit' : 'global';
  const unitType = experiment.unitType;
  const goal = `count(${unitType}.${aggType}.exposure)`;
  if (without.length < variants.length) {
    const control = without.includes(experiment.controlVariant)
      ? ` (the control${without.length > 1 ? ' among them' : ''})`
      : '';
    warnings.add({
      code: 'variant-without-exposures',
      message:
        `No exposures (\`${goal}\`) in variant${without.length > 1 ? 's' : ''} ${without.map(quote).join(', ')}` +
        `${control}, while other variants have some; is the variant missing from the data or misspelled? ` +
        'Metrics over exposures are NaN or infinite there.',
      variants: without,
    });
    return;
  }
  if (diagnostics.exposureRows > 0) {
    warnings.add({
      code: 'no-exposures',
      message: `The exposure rows (\`${goal}\`) count 0 exposures in every variant.`,
    });
    return;
  }
  const names = diagnostics.names;
  const otherAggTypes = names.aggTypesOf(unitType, 'exposure');
  const withExposures = names.unitTypes().filter((type) => names.has(type, aggType, 'exposure'));
  const suggestion = closestName(unitType, withExposures) ?? closestName(unitType, names.unitTypes());
  const hint =
    otherAggTypes.length > 0
      ? ` (rows of \`exposure\` of unit type \`${unitType}\` exist with agg_type ${otherAggTypes.map(quote).join(', ')})`
      : suggestion !== undefined
        ? ` (did you mean \`${suggestion}\`?)`
        : withExposures.length > 0
          ? ` (the data has exposures of unit type ${withExposures.map(quote).join(', ')})`
          : '';
  warnings.add({
    code: 'no-exposures',
    message: `No exposure rows for unit type \`${unitType}\` (\`${goal}\`); every variant has 0 exposures${hint}.`,
    ...(suggestion === undefined || otherAggTypes.length > 0 ? {} : { suggestion }),
  });
}

function goalWithoutRowsWarning(
  goal: GoalReference,
  names: GoalNamesSeen,
  experiment: EvaluatedExperiment,
  kind: GoalInputKind,
): EvaluationWarning {
  const text = printExpression(goal);
  const { unitType, aggType, goal: name } = goal;
  const zero = 'it counts as zero in every variant';
  const warning = (message: string, suggestion?: string): EvaluationWarning => ({
    code: 'goal-without-rows',
    message,
    goal: text,
    ...(suggestion === undefined ? {} : { suggestion }),
  });
  if (kind === 'wide' && (unitType !== experiment.unitType || aggType !== 'global')) {
    return warning(
      `No row of goal \`${text}\`; ${zero} (the columns of wide rows are goals \`${experiment.unitType}.global.<column>\`, ` +
        `of the experiment's unit type).`,
    );
  }
  if (names.has(unitType, aggType, name)) {
    const conditions = goal.dimensions.filter((dimension) => dimension.storedValue !== '');
    const none =
      conditions.length > 0
        ? `none with ${conditions.map((c) => `\`${goalKeyCondition(c.name, c.storedValue)}\``).join(' and ')}`
        : `each has a value of ${experiment.dimensions.map(quote).join(' or ')}`;
    return warning(`No row of goal \`${text}\`; ${zero} (rows of \`${name}\` exist, but ${none}).`);
  }
  const aggTypes = names.aggTypesOf(unitType, name);
  if (aggTypes.length > 0) {
    const byUnit = kind === 'unit' && aggType === 'global' ? '; by-unit data has no `global` goals' : '';
    return warning(
      `No row of goal \`${text}\`; ${zero} (rows of \`${name}\` exist with agg_type ${aggTypes.map(quote).join(', ')}${byUnit}).`,
    );
  }
  const unitTypes = names.unitTypesOf(aggType, name);
  if (unitTypes.length > 0) {
    return warning(
      `No row of goal \`${text}\`; ${zero} (rows of \`${name}\` exist for unit type ${unitTypes.map(quote).join(', ')}).`,
    );
  }
  const suggestion =
    closestName(name, names.goalsOf(unitType, aggType)) ?? closestName(name, names.allGoals());
  const subject = kind === 'wide' ? `No column \`${name}\` in the wide rows` : `No row of goal \`${text}\``;
  const byUnit = kind === 'unit' && aggType === 'global' ? ' (by-unit data has no `global` goals)' : '';
  const hint = suggestion === undefined ? byUnit : ` (did you mean \`${suggestion}\`?)`;
  const what = kind === 'wide' ? `goal \`${text}\` counts as zero in every variant` : zero;
  return warning(`${subject}; ${what}${hint}.`, suggestion);
}

/** A dimension condition as the goal key writes it: `product=x`, `product>1`, `element=^button`. */
function goalKeyCondition(name: string, storedValue: string): string {
  const first = storedValue[0];
  const joined = first === '>' || first === '<' || first === '=' || first === '!';
  return joined ? `${name}${storedValue}` : `${name}=${storedValue}`;
}

function quote(text: string): string {
  return `\`${text}\``;
}
