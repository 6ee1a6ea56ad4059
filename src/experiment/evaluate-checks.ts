import type { CheckVariable } from '../checks/check.js';
import type { AggregatedGoalSource } from '../expression/evaluate-aggregated.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { WarningCollector } from './warning-collector.js';

/**
 * Evaluates every check of the experiment; a check that throws is skipped with a `check-failed` warning.
 *
 * @internal
 */
export function evaluateChecks(
  experiment: EvaluatedExperiment,
  source: AggregatedGoalSource,
  warnings: WarningCollector,
): (readonly CheckVariable[] | undefined)[] {
  return experiment.checks.map((check) => {
    try {
      return check.evaluateAgg(source);
    } catch (error) {
      warnings.add({
        code: 'check-failed',
        message: `Cannot evaluate check [${String(check.id)}] in experiment [${experiment.id}] because of ${error instanceof Error ? error.message : String(error)}`,
        checkId: check.id,
      });
      return undefined;
    }
  });
}
