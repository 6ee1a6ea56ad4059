import type { GoalReference } from '../expression/ast.js';
import { completeDimensions } from '../expression/complete-dimensions.js';
import type { EvaluatedExperiment } from './evaluated-experiment.js';

/**
 * The exposure goal of an experiment's unit type in per-unit data, `count(<unitType>.unit.exposure)`,
 * completed with the experiment's dimensions (empty).
 *
 * @internal
 */
export function unitExposureGoal(experiment: EvaluatedExperiment): GoalReference {
  const goal: GoalReference = Object.freeze({
    kind: 'goal',
    fn: 'count',
    unitType: experiment.unitType,
    aggType: 'unit',
    goal: 'exposure',
    dimensions: Object.freeze([]),
    span: Object.freeze({ start: 0, end: 0 }),
  });
  return completeDimensions(goal, experiment.dimensions);
}
