import { variantsOfRows } from '../goals/variants-of-rows.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';

/**
 * What both goal tables are built with for an experiment: its variants (explicit, else those of the rows
 * plus the control, sorted), goals, dimensions, id and exposure unit type.
 *
 * @internal
 */
export function goalTableSetup(experiment: EvaluatedExperiment, goals: unknown) {
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
