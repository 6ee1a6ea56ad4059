import type { Check } from '../checks/check.js';
import type { GoalReference } from '../expression/ast.js';
import type { MultipleTestingCorrection } from '../statistics/correct-for-multiple-testing.js';
import type { CorrectionHook, CorrectionScope } from './correct-evaluation-families.js';
import type { Metric } from './metric.js';

/**
 * What an evaluation reads of an experiment: its validated definition, the goals it needs, and the day and
 * confidence level it is evaluated for.
 *
 * @remarks
 * `Experiment` has every member (its fields and its `evaluationDay` and `evaluationConfidenceLevel`
 * methods). The evaluation functions (`evaluateAggregatedGoals`, `evaluateUnitGoals` and the steps they
 * call) take this narrow view instead of the class, so that they do not import the module that calls them.
 *
 * @internal
 */
export interface EvaluatedExperiment {
  readonly id: string;
  readonly controlVariant: string;
  readonly unitType: string;
  readonly metrics: readonly Metric[];
  readonly checks: readonly Check[];
  readonly dateFrom: string | undefined;
  readonly dateTo: string | undefined;
  /** Day of the evaluation as given, or `undefined`: the day each evaluation runs. */
  readonly dateFor: string | undefined;
  /** Explicit variant ids, or `undefined`: those of the data plus the control. */
  readonly variants: readonly string[] | undefined;
  readonly nullHypothesisRate: number | undefined;
  /** Sequential adjustment (`'obrien-fleming'` when omitted) and the confidence sequence's tuning sample size. */
  readonly sequential?: 'obrien-fleming' | 'confidence-sequence' | undefined;
  readonly sequentialTuning?: number | undefined;
  /** Correction for multiple testing and which p-values it adjusts together. */
  readonly correction: MultipleTestingCorrection;
  readonly correctionScope: CorrectionScope;
  /** Set on a copy of the experiment by a segmented evaluation that corrects several evaluations together. */
  readonly correctionHook?: CorrectionHook | undefined;
  /** Every dimension used by a goal of the experiment, in first-seen order. */
  readonly dimensions: readonly string[];
  /** Every goal the evaluation needs, completed with all dimensions. */
  readonly goals: readonly GoalReference[];
  /** The day the evaluation is for, `YYYY-MM-DD`: `dateFor`, else today (UTC) at the time of the call. */
  evaluationDay(): string;
  /** Confidence level of an evaluation on `day` (sequentially adjusted with `dateFrom` and `dateTo`). */
  evaluationConfidenceLevel(day: string): number;
}
