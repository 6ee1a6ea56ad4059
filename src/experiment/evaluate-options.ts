import type { EvaluationWarning } from './evaluation.js';

/**
 * Options of {@link Experiment.evaluateAgg}.
 *
 * @example
 * ```ts
 * import type { EvaluateOptions, EvaluationWarning } from 'ep-stats';
 * const seen: EvaluationWarning[] = [];
 * const options: EvaluateOptions = { onWarning: (warning) => seen.push(warning) };
 * typeof options.onWarning; // => 'function'
 * ```
 * @public
 */
export interface EvaluateOptions {
  /** Called with each warning as it is raised (they are also in {@link Evaluation.warnings}). */
  readonly onWarning?: (warning: EvaluationWarning) => void;
  /** Evaluation time in unix seconds for the rows' `timestamp` (default: now). */
  readonly timestamp?: number;
}
