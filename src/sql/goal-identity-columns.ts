import type { Experiment, GoalReference } from '../index.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlParameters } from './sql-parameters.js';
import type { OutputColumn } from './union-all-sql.js';

/**
 * The identity columns of a goal's output rows: experiment, variant, unit type, aggregation type, goal, the
 * unit id when asked, and every experiment dimension with the goal's stored value (`''` where it has none).
 *
 * @internal
 */
export function goalIdentityColumns(
  experiment: Pick<Experiment, 'id' | 'dimensions'>,
  goal: GoalReference,
  dialect: SqlDialect,
  parameters: SqlParameters,
  unitId: boolean,
): OutputColumn[] {
  const q = (name: string) => dialect.quoteIdentifier(name);
  const column = (name: string, value = q(name)) => ({ value, name: q(name) });
  return [
    column('exp_id', parameters.text(experiment.id)),
    column('exp_variant_id'),
    column('unit_type', parameters.text(goal.unitType)),
    column('agg_type', parameters.text(goal.aggType)),
    column('goal', parameters.text(goal.goal)),
    ...(unitId ? [column('unit_id')] : []),
    ...experiment.dimensions.map((name) => {
      const stored = goal.dimensions.find((condition) => condition.name === name)?.storedValue ?? '';
      return column(name, parameters.text(stored));
    }),
  ];
}
