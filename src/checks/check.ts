import type { GoalReference } from '../expression/ast.js';
import type { AggregatedGoalSource } from '../expression/evaluate-aggregated.js';
import type { DefinitionId } from './definition-id.js';

/**
 * One output variable of a check, e.g. `{ variableId: 'p_value', value: 0.47 }`.
 *
 * @example
 * ```ts
 * import type { CheckVariable } from 'ep-stats';
 * const variable: CheckVariable = { variableId: 'p_value', value: 0.465803 };
 * variable.variableId; // => 'p_value'
 * ```
 * @public
 */
export interface CheckVariable {
  readonly variableId: string;
  readonly value: number;
}

/**
 * A data-quality check evaluated alongside the metrics of an experiment.
 *
 * @remarks
 * Implement it to add a check of your own: `goals` are the goals it reads (they are summed with the
 * metrics' goals), and `evaluateAgg` computes its variables from the per-variant sums. The evaluations give
 * it a source whose `variants` name the variant of each position; a check that throws is left out of the
 * evaluation with a `check-failed` warning carrying the error's message.
 *
 * @example
 * ```ts
 * import { SrmCheck, type Check } from 'ep-stats';
 * const check: Check = new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' });
 * check.goals.length; // => 1
 * ```
 * @public
 */
export interface Check {
  readonly id: DefinitionId;
  readonly name: string;
  /** Goals the check reads. */
  readonly goals: readonly GoalReference[];
  /** Evaluates the check from per-variant goal sums. */
  evaluateAgg(source: AggregatedGoalSource): readonly CheckVariable[];
}
