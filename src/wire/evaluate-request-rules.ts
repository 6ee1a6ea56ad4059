import { collectGoals, type Expression, ExpressionError, parseExpression } from '../index.js';
import { checkAnalysisOptions } from './evaluate-analysis-rules.js';
import { checkTestingOptions } from './evaluate-testing-rules.js';
import type { RequestProblem } from './request-problem.js';

type Path = (string | number)[];
type Problems = RequestProblem[];

const DATE_FIELDS = ['date_from', 'date_to', 'date_for'] as const;

/**
 * The rules of a `POST /evaluate` body that go beyond its structure, checked on any input (members of the
 * wrong type are skipped: the structure reports them), so that every problem is found in one pass.
 *
 * @internal
 */
export function evaluateRequestRules(body: unknown): RequestProblem[] {
  if (!isRecord(body)) return [];
  const problems: Problems = [];
  const dates = checkDates(body, problems);
  checkVariants(body, problems);
  if (Array.isArray(body.metrics)) {
    checkMetrics(body.metrics, problems);
    checkMetricSums(body, body.metrics, problems);
  }
  if (Array.isArray(body.checks)) {
    body.checks.forEach((check, index) => {
      if (isRecord(check)) checkCheck(check, ['checks', index], problems);
    });
  }
  if (Array.isArray(body.filters)) {
    body.filters.forEach((filter, index) => {
      if (isRecord(filter)) checkFilter(filter, ['filters', index], problems);
    });
  }
  const rate = body.null_hypothesis_rate;
  if (typeof rate === 'number' && !(rate >= 0 && rate <= 1)) {
    problems.push(
      valueError(['null_hypothesis_rate'], `null_hypothesis_rate must be between 0 and 1, received ${rate}`),
    );
  }
  checkDateOrder(body, dates, problems);
  checkTestingOptions(body, problems);
  checkAnalysisOptions(body, problems);
  return problems;
}

/** Format of each date field; returns the days of the valid ones. */
function checkDates(body: Record<string, unknown>, problems: Problems): Map<string, number> {
  const days = new Map<string, number>();
  for (const field of DATE_FIELDS) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    const day = calendarDay(value);
    if (day === undefined) {
      problems.push(valueError([field], `we expect ${field} to be in \`2020-06-15\` format`));
    } else {
      days.set(field, day);
    }
  }
  return days;
}

function checkDateOrder(body: Record<string, unknown>, days: Map<string, number>, problems: Problems): void {
  const present = (field: string) => body[field] !== undefined && body[field] !== null;
  if (present('date_for') && !(present('date_from') && present('date_to'))) {
    problems.push(valueError(['date_for'], 'date_for requires date_from and date_to to be present as well'));
  }
  const from = days.get('date_from');
  const to = days.get('date_to');
  const evaluationDay = days.get('date_for');
  if (from === undefined || to === undefined) return;
  if (evaluationDay !== undefined && evaluationDay < from) {
    problems.push(valueError(['date_for'], 'we expect date_for to be greater or equal to date_from'));
  }
  if (evaluationDay !== undefined && evaluationDay > to) {
    problems.push(valueError(['date_for'], 'we expect date_for to be less or equal to date_to'));
  }
  if (to < from) {
    problems.push(valueError(['date_to'], 'we expect date_to to be greater or equal to date_from'));
  }
}

function checkVariants(body: Record<string, unknown>, problems: Problems): void {
  const { variants, control_variant: control } = body;
  if (typeof control !== 'string' || control === '' || !Array.isArray(variants)) return;
  if (!variants.every((variant) => typeof variant === 'string') || variants.includes(control)) return;
  problems.push(
    valueError(
      ['control_variant'],
      `control_variant \`${control}\` is not among the variants ${JSON.stringify(variants)}`,
    ),
  );
}

function checkMetrics(metrics: readonly unknown[], problems: Problems): void {
  const seen = new Set<number>();
  metrics.forEach((metric, index) => {
    if (!isRecord(metric)) return;
    const path: Path = ['metrics', index];
    checkMetricExpressions(metric, path, problems);
    const { id, minimum_effect: minimumEffect } = metric;
    if (typeof minimumEffect === 'number' && minimumEffect < 0) {
      problems.push(valueError([...path, 'minimum_effect'], 'minimum_effect must be greater than zero.'));
    }
    if (typeof id === 'number') {
      if (seen.has(id)) {
        problems.push(
          valueError([...path, 'id'], `Metric ids must be unique. Id=${id} found more than once.`),
        );
      }
      seen.add(id);
    }
  });
}

/**
 * The rules of metric sums and CUPED: goals aggregated per variant carry no per-unit values, let alone their
 * pre-period, so a CUPED metric cannot be evaluated from them; the pre-period ends at `date_from`, which a
 * CUPED metric therefore needs; and metric sums have one row per metric, so evaluating from them needs a
 * metric (the exposures come from those rows).
 */
function checkMetricSums(
  body: Record<string, unknown>,
  metrics: readonly unknown[],
  problems: Problems,
): void {
  const cupedMetrics = metrics.flatMap((metric, index) =>
    isRecord(metric) && metric.cuped !== undefined && metric.cuped !== null ? [{ metric, index }] : [],
  );
  const named = (metric: Record<string, unknown>) =>
    typeof metric.name === 'string' ? `metric '${metric.name}'` : 'the metric';
  if (body.evaluate_from === 'goals') {
    for (const { metric, index } of cupedMetrics) {
      problems.push(
        valueError(
          ['metrics', index, 'cuped'],
          `${named(metric)} asks for CUPED, which needs per-unit metric sums with their pre-period, but evaluate_from is 'goals' (goals aggregated per variant); set evaluate_from to 'metric_sums' or leave it out`,
        ),
      );
    }
  }
  const first = cupedMetrics[0];
  if (first !== undefined && (body.date_from === undefined || body.date_from === null)) {
    const preDays = isRecord(first.metric.cuped) ? first.metric.cuped.pre_days : undefined;
    const days = typeof preDays === 'number' ? `${preDays} days` : 'days';
    problems.push(
      valueError(
        ['date_from'],
        `${named(first.metric)} asks for CUPED, whose pre-period is the ${days} before date_from; set date_from`,
      ),
    );
  }
  if (body.evaluate_from === 'metric_sums' && metrics.length === 0) {
    problems.push(
      valueError(
        ['metrics'],
        "evaluate_from is 'metric_sums', which has one row per metric and variant (the exposures among them); add a metric",
      ),
    );
  }
}

function checkMetricExpressions(metric: Record<string, unknown>, path: Path, problems: Problems): void {
  const { nominator, denominator } = metric;
  let complete = true;
  for (const [field, text] of [
    ['nominator', nominator],
    ['denominator', denominator],
  ] as const) {
    if (text === '') problems.push(valueError([...path, field], `we expect ${field} to be non-empty`));
    if (typeof text !== 'string' || text === '') complete = false;
  }
  if (!complete) return;
  const expressions: Expression[] = [];
  for (const [field, text] of [
    ['nominator', nominator as string],
    ['denominator', denominator as string],
  ] as const) {
    const parsed = parse(text);
    if (typeof parsed === 'string') {
      problems.push(
        valueError(
          [...path, field],
          `Cannot parse nominator '${nominator}' or '${denominator}' because of '${parsed}'`,
        ),
      );
    } else {
      expressions.push(parsed);
    }
  }
  if (expressions.length === 2 && collectGoals(...expressions).length === 0) {
    problems.push(
      valueError(path, 'We expect the metric to have at least one goal in nominator and denominator'),
    );
  }
}

function checkCheck(check: Record<string, unknown>, path: Path, problems: Problems): void {
  checkCheckExpression(check.denominator, 'denominator', path, problems);
  // Only SumRatio reads a nominator; SRM ignores it. The type defaults to SRM.
  if (check.type === 'SumRatio') checkCheckExpression(check.nominator, 'nominator', path, problems);
}

function checkCheckExpression(text: unknown, field: string, path: Path, problems: Problems): void {
  if (text === '' || ((text === undefined || text === null) && field === 'nominator')) {
    problems.push(valueError([...path, field], `we expect ${field} to be non-empty`));
    return;
  }
  if (typeof text !== 'string') return;
  const parsed = parse(text);
  if (typeof parsed === 'string') {
    problems.push(valueError([...path, field], `Cannot parse '${text}' because of '${parsed}'`));
  } else if (collectGoals(parsed).length === 0) {
    problems.push(valueError([...path, field], `We expect the check to have at least one goal in ${field}`));
  }
}

function checkFilter(filter: Record<string, unknown>, path: Path, problems: Problems): void {
  const { scope, dimension, value, goal } = filter;
  if (scope === 'trigger') {
    if (typeof goal !== 'string' || goal === '') {
      problems.push(valueError([...path, 'goal'], "Goal is required for scope 'trigger'"));
    }
  } else if (scope === 'exposure' || scope === 'goal') {
    const hasDimension = typeof dimension === 'string' && dimension !== '';
    const hasValues = Array.isArray(value) && value.length > 0;
    if (!hasDimension || !hasValues) {
      problems.push(
        valueError(
          [...path, hasDimension ? 'value' : 'dimension'],
          'Dimension and value are required for this scope',
        ),
      );
    }
  }
}

/** The parsed expression, or the parser's message with the position. */
function parse(text: string): Expression | string {
  try {
    return parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionError) return `${error.reason} (at character ${error.span.start})`;
    throw error;
  }
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date that exists, else undefined. */
function calendarDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (
    year < 1 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return Math.round(date.getTime() / 86_400_000);
}

function valueError(path: Path, message: string): RequestProblem {
  return { path, message, type: 'value_error' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
