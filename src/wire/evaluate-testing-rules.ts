import type { RequestProblem } from './request-problem.js';

type Path = (string | number)[];

/**
 * The rules of a `POST /evaluate` body's testing options, checked on any input (members of the wrong type
 * are skipped: the structure reports them): a metric's `non_inferiority_margin` needs a one-sided
 * `alternative`; `sequential_tuning` needs `sequential: 'confidence-sequence'`; a check's `expected_weights`
 * belongs to an `SRM` check, names at least one variant and the control, and, with explicit `variants`,
 * exactly those. Messages use the wire's names, problems are `value_error`s at the offending field.
 *
 * @param body - The body as parsed from JSON.
 * @param problems - Where the problems are appended.
 * @internal
 */
export function checkTestingOptions(body: Record<string, unknown>, problems: RequestProblem[]): void {
  if (Array.isArray(body.metrics)) {
    body.metrics.forEach((metric, index) => {
      if (isRecord(metric)) checkHypothesis(metric, ['metrics', index], problems);
    });
  }
  const tuning = body.sequential_tuning;
  if (tuning !== undefined && tuning !== null && body.sequential !== 'confidence-sequence') {
    problems.push(
      valueError(
        ['sequential_tuning'],
        "sequential_tuning applies only to confidence sequences: set sequential to 'confidence-sequence' or leave sequential_tuning out",
      ),
    );
  }
  if (Array.isArray(body.checks)) {
    body.checks.forEach((check, index) => {
      if (isRecord(check)) checkExpectedWeights(body, check, ['checks', index], problems);
    });
  }
}

function checkHypothesis(metric: Record<string, unknown>, path: Path, problems: RequestProblem[]): void {
  const margin = metric.non_inferiority_margin;
  if (margin === undefined || margin === null) return;
  const alternative = metric.alternative;
  if (alternative === 'greater' || alternative === 'less') return;
  problems.push(
    valueError(
      [...path, 'non_inferiority_margin'],
      `non_inferiority_margin needs a one-sided alternative, but alternative is ${alternative === undefined || alternative === null ? "'two-sided' (the default)" : JSON.stringify(alternative)}; set alternative to 'greater' (higher is better) or 'less' (lower is better)`,
    ),
  );
}

function checkExpectedWeights(
  body: Record<string, unknown>,
  check: Record<string, unknown>,
  path: Path,
  problems: RequestProblem[],
): void {
  const weights = check.expected_weights;
  if (!isRecord(weights)) return;
  const field = [...path, 'expected_weights'];
  if (check.type === 'SumRatio') {
    problems.push(
      valueError(field, "expected_weights applies only to SRM checks; remove it from the 'SumRatio' check"),
    );
    return;
  }
  const named = Object.keys(weights);
  if (named.length === 0) {
    problems.push(
      valueError(
        field,
        'expected_weights names no variant; give every variant its planned weight, e.g. {"a": 90, "b": 10}, or leave it out for an equal split',
      ),
    );
    return;
  }
  const control = body.control_variant;
  const variants = body.variants;
  if (Array.isArray(variants) && variants.every((variant) => typeof variant === 'string')) {
    const missing = variants.filter((variant) => !Object.hasOwn(weights, variant));
    if (missing.length > 0) {
      problems.push(
        valueError(
          [...field, missing[0]!],
          `expected_weights has no weight for ${listed(missing)} of variants ${JSON.stringify(variants)}; give every variant its planned weight`,
        ),
      );
    }
    const extra = named.filter((variant) => !variants.includes(variant));
    if (extra.length > 0) {
      problems.push(
        valueError(
          [...field, extra[0]!],
          `expected_weights names ${listed(extra)}, not among variants ${JSON.stringify(variants)}; add ${extra.length === 1 ? 'it' : 'them'} to variants or remove the weight`,
        ),
      );
    }
  } else if (typeof control === 'string' && control !== '' && !Object.hasOwn(weights, control)) {
    problems.push(
      valueError(
        [...field, control],
        `expected_weights has no weight for the control variant '${control}'; give every variant its planned weight`,
      ),
    );
  }
}

function listed(variants: readonly string[]): string {
  const quoted = variants.map((variant) => `'${variant}'`).join(', ');
  return `variant${variants.length === 1 ? '' : 's'} ${quoted}`;
}

function valueError(path: Path, message: string): RequestProblem {
  return { path, message, type: 'value_error' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
