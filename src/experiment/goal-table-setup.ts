import { variantsOfRows } from '../goals/variants-of-rows.js';
import type { Experiment } from './experiment.js';
import type { WarningCollector } from './warning-collector.js';

/**
 * What both goal tables are built with for an experiment: its variants (explicit, else those of the rows
 * plus the control, sorted), goals, dimensions, id and exposure unit type.
 *
 * @internal
 */
export function goalTableSetup(experiment: Experiment, goals: unknown) {
  const variants = experiment.variants
    ? [...new Set(experiment.variants)].sort()
    : variantsOfRows(goals, experiment.id, experiment.controlVariant);
  return {
    variants,
    goals: experiment.goals,
    dimensions: experiment.dimensions,
    expId: experiment.id,
    exposureUnitType: experiment.unitType,
  };
}

/** Warns that rows of other experiments were ignored. @internal */
export function warnAboutForeignRows(warnings: WarningCollector, count: number, expId: string): void {
  if (count === 0) return;
  warnings.add({
    code: 'foreign-experiment-rows',
    message: `Ignored ${count} goal rows whose exp_id is not \`${expId}\`.`,
  });
}
