import type { EvaluatedExperiment } from './evaluated-experiment.js';
import type { EvaluationWarning } from './evaluation.js';

/**
 * The `evaluated-before-start` warning of an evaluation for a day before the experiment's `dateFrom`, or
 * `undefined` when the day is not before the start.
 *
 * @param experiment - The experiment (its `dateFrom`, `dateTo`, `dateFor` and `sequential` are read; a
 *   confidence sequence spends no alpha by day, so its message names no sequential level).
 * @param day - Day of the evaluation, `YYYY-MM-DD` ({@link EvaluatedExperiment.evaluationDay}).
 * @param confidenceLevel - Confidence level applied on that day.
 * @returns The warning, naming both days.
 * @internal
 */
export function beforeStartWarning(
  experiment: Pick<EvaluatedExperiment, 'dateFrom' | 'dateTo' | 'dateFor' | 'sequential'>,
  day: string,
  confidenceLevel: number,
): EvaluationWarning | undefined {
  const { dateFrom, dateTo } = experiment;
  if (dateFrom === undefined || !(day < dateFrom)) return undefined;
  const today = experiment.dateFor === undefined ? ' (today, UTC)' : '';
  const level =
    dateTo === undefined || experiment.sequential === 'confidence-sequence'
      ? ''
      : ` The sequential confidence level before the start is ${confidenceLevel} (no alpha spent yet).`;
  return {
    code: 'evaluated-before-start',
    message:
      `Evaluated for ${day}${today}, before the experiment starts on ${dateFrom} (\`dateFrom\`): ` +
      `the results do not describe the experiment yet.${level}`,
  };
}
