import type { EvaluationWarning } from '../index.js';
import type { ResponseWarning } from './evaluate-response-schema.js';

/**
 * A warning to write: an `EvaluationWarning`, or one of a front end's own with a code of its own.
 *
 * @example
 * ```ts
 * import type { WarningToWrite } from 'ep-stats/server';
 * const own: WarningToWrite = { code: 'filters-not-applied', message: 'the goals file is already filtered' };
 * own.code; // => 'filters-not-applied'
 * ```
 * @public
 */
export type WarningToWrite = Omit<EvaluationWarning, 'code'> & {
  readonly code: string;
  /** The segment of a drill-down whose block raised the warning. */
  readonly segment?: { readonly breakdown: string; readonly value: string };
  /** The day of a timeline whose evaluation raised the warning. */
  readonly day?: string;
};

/**
 * Converts an `EvaluationWarning` into its snake_case wire form (see `responseWarningSchema`).
 *
 * @remarks
 * Members in a fixed order, `code`, `message`, then those of `metric_ids`, `check_id`, `variants`, `goal`,
 * `suggestion`, `count`, `segment`, `day` that the warning has (absent ones are left out, never `null`). The REST API's
 * `warnings` and the `warnings` of `ep-stats evaluate --format json` are written with it.
 *
 * @param warning - A warning of an evaluation.
 * @returns A new plain object.
 *
 * @example
 * ```ts
 * import { toResponseWarning } from 'ep-stats/server';
 * const wire = toResponseWarning({ code: 'no-exposures', message: 'no exposures', metricIds: [1], variants: ['b'] });
 * wire; // => { code: 'no-exposures', message: 'no exposures', metric_ids: [1], variants: ['b'] }
 * ```
 * @public
 */
export function toResponseWarning(warning: WarningToWrite): ResponseWarning {
  return {
    code: warning.code,
    message: warning.message,
    ...(warning.metricIds === undefined ? {} : { metric_ids: [...warning.metricIds] }),
    ...(warning.checkId === undefined ? {} : { check_id: warning.checkId }),
    ...(warning.variants === undefined ? {} : { variants: [...warning.variants] }),
    ...(warning.goal === undefined ? {} : { goal: warning.goal }),
    ...(warning.suggestion === undefined ? {} : { suggestion: warning.suggestion }),
    ...(warning.count === undefined ? {} : { count: warning.count }),
    ...(warning.segment === undefined
      ? {}
      : { segment: { breakdown: warning.segment.breakdown, value: warning.segment.value } }),
    ...(warning.day === undefined ? {} : { day: warning.day }),
  };
}
