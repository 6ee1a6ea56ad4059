import type { RequestProblem } from './request-problem.js';

/**
 * The timelines a `POST /evaluate` body can ask for (`timeline`): `'daily'`, the cumulative evaluation of
 * every day.
 * @internal
 */
export const TIMELINE_KINDS = ['daily'] as const;

/**
 * The rules of a `POST /evaluate` body's drill-down and timeline, checked on any input (members of the wrong
 * type are skipped: the structure reports them): `breakdown_top` needs `breakdowns`; `breakdowns` and
 * `timeline` evaluate goals aggregated per variant, so neither goes with `evaluate_from: 'metric_sums'` or a
 * metric with `cuped`; a timeline starts on `date_from`, which it needs. Breakdown names are checked by the
 * experiment itself (`toExperiment`). Messages use the wire's names, problems are `value_error`s at the
 * offending field.
 *
 * @param body - The body as parsed from JSON.
 * @param problems - Where the problems are appended.
 * @internal
 */
export function checkAnalysisOptions(body: Record<string, unknown>, problems: RequestProblem[]): void {
  const breakdowns = Array.isArray(body.breakdowns) && body.breakdowns.length > 0;
  const top = body.breakdown_top;
  if (top !== undefined && top !== null && !breakdowns) {
    problems.push(
      valueError(
        ['breakdown_top'],
        'breakdown_top applies only to a drill-down: give breakdowns (e.g. ["country"]) or leave breakdown_top out',
      ),
    );
  }
  const timeline = typeof body.timeline === 'string';
  for (const [field, asked, what] of [
    ['breakdowns', breakdowns, 'a drill-down'],
    ['timeline', timeline, 'a timeline'],
  ] as const) {
    if (!asked) continue;
    if (body.evaluate_from === 'metric_sums') {
      problems.push(
        valueError(
          [field],
          `${what} evaluates goals aggregated per variant, but evaluate_from is 'metric_sums'; leave evaluate_from out or set it to 'goals'`,
        ),
      );
    }
    const cuped = Array.isArray(body.metrics)
      ? body.metrics.findIndex(
          (metric) => isRecord(metric) && metric.cuped !== undefined && metric.cuped !== null,
        )
      : -1;
    if (cuped >= 0) {
      const metric = (body.metrics as Record<string, unknown>[])[cuped]!;
      problems.push(
        valueError(
          [field],
          `${what} evaluates goals aggregated per variant, but metric ${typeof metric.name === 'string' ? `'${metric.name}'` : `#${cuped}`} asks for CUPED, which is evaluated from metric sums; evaluate the CUPED metric in a request of its own`,
        ),
      );
    }
  }
  if (timeline && (body.date_from === undefined || body.date_from === null)) {
    problems.push(
      valueError(
        ['timeline'],
        'a daily timeline starts on date_from, which is missing; give date_from (and date_to, its last day)',
      ),
    );
  }
}

function valueError(path: (string | number)[], message: string): RequestProblem {
  return { path, message, type: 'value_error' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
