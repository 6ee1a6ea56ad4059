import {
  Experiment,
  type Expression,
  ExpressionError,
  Metric,
  parseExpression,
  // The library's check of unknown keys (one for every options object), with the file's vocabulary.
  rejectUnknownKeys,
  SimpleMetric,
  ValidationError,
} from '../index.js';
// The REST API's request validation and mapping (zod schemas, without the server's HTTP framework).
import {
  checkDefinitionSchema,
  evaluateRequestSchema,
  filterDefinitionSchema,
  metricDefinitionSchema,
  toExperiment,
  validateEvaluateRequest,
} from '../wire/index.js';

/** A field path in the experiment file, outermost first: `['metrics', 0, 'nominator']`. */
type Path = readonly (string | number)[];

/** Options of {@link experimentFromFile}. */
export interface ExperimentFromFileOptions {
  /**
   * The goals are wide rows (one per variant, one column per goal): a metric whose nominator and denominator
   * are each one `value(<unit_type>.global.<column>)` is built as a `SimpleMetric`, whose sample size is the
   * denominator, as the reference's `SimpleMetric`.
   */
  readonly wide?: boolean;
}

/** Fields the file may hold besides the REST request's: options of the library. */
const EXPERIMENT_OPTIONS = ['confidence_level'];
const METRIC_OPTIONS = ['metric_format', 'metric_value_multiplier'];

/** Display options of one metric, by index. */
interface MetricDisplay {
  readonly metricFormat?: string;
  readonly metricValueMultiplier?: number;
}

/**
 * Builds an {@link Experiment} from an experiment file: the body of the REST API's `POST /evaluate`
 * (snake_case), validated and mapped exactly as the server does it, plus a few library options.
 *
 * @remarks
 * The request is checked by the server's `validateEvaluateRequest` and mapped by its `toExperiment` (so a
 * metric's `cuped: { pre_days }` becomes the option `cuped: { preDays }`, and `evaluate_from` is accepted
 * and validated; `ep-stats evaluate` reads it from the file itself; the testing options `correction`,
 * `correction_scope`, `sequential`, `sequential_tuning`, a metric's `alternative` and `non_inferiority_margin`
 * and an SRM check's `expected_weights` are the request's too). On top of the REST request the file
 * may set `confidence_level` (default 0.95) and, per metric, `metric_format` and `metric_value_multiplier`
 * (how the scorecard shows the mean). Unlike the REST API, which drops unknown fields, the file's unknown
 * fields are rejected, naming the closest known field (also in a metric's `cuped`): they are usually typos
 * (`minimum_efect`, did you mean `minimum_effect`?) that would silently change the evaluation.
 *
 * @param definition - The parsed JSON of the file.
 * @param options - Whether the goals are wide rows.
 * @returns The experiment.
 * @throws ValidationError for the first problem found, its `path` the snake_case path of the field
 *   (`metrics[0].nominator`), its `cause` the `ExpressionError` when an expression does not parse; further
 *   problems are listed in the message.
 */
export function experimentFromFile(definition: unknown, options: ExperimentFromFileOptions = {}): Experiment {
  rejectUnknownFields(definition);
  const validation = validateEvaluateRequest(definition);
  if (!validation.ok) {
    const [first, ...others] = validation.problems;
    if (first === undefined) throw new ValidationError('the experiment definition is invalid');
    const more =
      others.length === 0 ? '' : ` (and ${others.length} more: ${others.map(describeProblem).join('; ')})`;
    throw new ValidationError(`${first.message}${more}`, first.path, {
      cause: expressionErrorAt(definition, first.path),
    });
  }
  const body = definition as Record<string, unknown>;
  const confidenceLevel = optionalNumber(body.confidence_level, ['confidence_level']);
  const displays = (validation.value.metrics ?? []).map((_, index) => metricDisplay(body, index));
  const experiment = toExperiment(validation.value);
  const metrics = experiment.metrics.map((metric, index) =>
    withDisplay(metric, displays[index] ?? {}, options.wide === true, ['metrics', index]),
  );
  if (
    confidenceLevel === undefined &&
    metrics.every((metric, index) => metric === experiment.metrics[index])
  ) {
    return experiment;
  }
  return withPath(
    [],
    () =>
      new Experiment({
        id: experiment.id,
        controlVariant: experiment.controlVariant,
        unitType: experiment.unitType,
        metrics,
        checks: experiment.checks,
        dateFrom: experiment.dateFrom,
        dateTo: experiment.dateTo,
        dateFor: experiment.dateFor,
        confidenceLevel: confidenceLevel ?? experiment.confidenceLevel,
        variants: experiment.variants,
        filters: experiment.filters,
        nullHypothesisRate: experiment.nullHypothesisRate,
        queryParameters: experiment.queryParameters,
        correction: experiment.correction,
        correctionScope: experiment.correctionScope,
        sequential: experiment.sequential,
        sequentialTuning: experiment.sequentialTuning ?? null,
        breakdowns: experiment.breakdowns,
        breakdownTop: experiment.breakdownTop,
      }),
  );
}

/** The metric with its display options, and as a `SimpleMetric` for wide rows where it reads two columns. */
function withDisplay(metric: Metric, display: MetricDisplay, wide: boolean, path: Path): Metric {
  const numerator = wide ? wideColumn(metric.nominatorExpression) : undefined;
  const denominator = wide ? wideColumn(metric.denominatorExpression) : undefined;
  const simple =
    numerator !== undefined && denominator?.unitType === numerator.unitType && metric.cuped === undefined;
  if (!simple && display.metricFormat === undefined && display.metricValueMultiplier === undefined)
    return metric;
  const common = {
    id: metric.id,
    name: metric.name,
    minimumEffect: metric.minimumEffect,
    outlierUpperPercentile: metric.outlierUpperPercentile,
    outlierLowerPercentile: metric.outlierLowerPercentile,
    kind: metric.kind,
    alternative: metric.alternative,
    nonInferiorityMargin: metric.nonInferiorityMargin ?? null,
    preferredDirection: metric.preferredDirection ?? null,
    ...display,
  };
  return withPath(path, () =>
    simple
      ? new SimpleMetric({
          ...common,
          numerator: numerator.column,
          denominator: denominator.column,
          unitType: numerator.unitType,
        })
      : new Metric({
          ...common,
          cuped: metric.cuped,
          nominator: metric.nominator,
          denominator: metric.denominator,
        }),
  );
}

/** The column of a `value(<unit_type>.global.<column>)` expression, the shape of wide-row goals. */
function wideColumn(expression: Expression): { unitType: string; column: string } | undefined {
  if (expression.kind !== 'goal' || expression.fn !== 'value' || expression.aggType !== 'global') return;
  if (expression.dimensions.length > 0) return;
  return { unitType: expression.unitType, column: expression.goal };
}

function metricDisplay(body: Record<string, unknown>, index: number): MetricDisplay {
  const metric = (body.metrics as Record<string, unknown>[])[index] ?? {};
  const path = ['metrics', index];
  const format = metric.metric_format ?? undefined;
  if (format !== undefined && typeof format !== 'string') {
    throw new ValidationError('`metric_format` must be a Python format string such as "{:.2%}"', [
      ...path,
      'metric_format',
    ]);
  }
  const multiplier = optionalNumber(metric.metric_value_multiplier, [...path, 'metric_value_multiplier']);
  return {
    ...(format === undefined ? {} : { metricFormat: format }),
    ...(multiplier === undefined ? {} : { metricValueMultiplier: multiplier }),
  };
}

function optionalNumber(value: unknown, path: Path): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number')
    throw new ValidationError(`\`${String(path.at(-1))}\` must be a number`, path);
  return value;
}

/**
 * Rejects fields that neither the REST request nor the library options know, in the file's (snake_case)
 * vocabulary: "Unknown field `minimum_efect` of metrics[0] (did you mean `minimum_effect`?). Known fields:
 * ...".
 */
function rejectUnknownFields(definition: unknown): void {
  if (!isRecord(definition)) return;
  const fieldsOf = (shape: object, extra: readonly string[]) => new Set([...Object.keys(shape), ...extra]);
  rejectUnknownKeys(
    definition,
    fieldsOf(evaluateRequestSchema.shape, EXPERIMENT_OPTIONS),
    'the experiment file',
    { noun: 'field' },
  );
  const lists = [
    ['metrics', fieldsOf(metricDefinitionSchema.shape, METRIC_OPTIONS)],
    ['checks', fieldsOf(checkDefinitionSchema.shape, [])],
    ['filters', fieldsOf(filterDefinitionSchema.shape, [])],
  ] as const;
  for (const [field, known] of lists) {
    const items = definition[field];
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      const path = [field, index];
      rejectUnknownKeys(item, known, fieldPath(path), { noun: 'field', path });
    });
  }
  // A metric's `cuped` object: `preDays` (the library's spelling) suggests `pre_days`.
  const metrics = definition.metrics;
  if (!Array.isArray(metrics)) return;
  metrics.forEach((metric, index) => {
    if (!isRecord(metric) || !isRecord(metric.cuped)) return;
    const path = ['metrics', index, 'cuped'];
    rejectUnknownKeys(metric.cuped, CUPED_FIELDS, fieldPath(path), { noun: 'field', path });
  });
}

/** The fields of a metric's `cuped` in the file (the REST request's). */
const CUPED_FIELDS: ReadonlySet<string> = new Set(
  Object.keys(metricDefinitionSchema.shape.cuped.unwrap().unwrap().shape),
);

/** The parse error of the expression at `path`, for the excerpt with carets under the fault. */
function expressionErrorAt(definition: unknown, path: Path): ExpressionError | undefined {
  let value = definition;
  for (const part of path)
    value = isRecord(value) || Array.isArray(value) ? (value as never)[part] : undefined;
  if (typeof value !== 'string') return undefined;
  try {
    parseExpression(value);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
  }
  return undefined;
}

function describeProblem(problem: { readonly path: Path; readonly message: string }): string {
  return `${fieldPath(problem.path)}: ${problem.message}`;
}

/**
 * Runs a library constructor, re-raising its {@link ValidationError} with the snake_case path of the field
 * in the file (the library's paths are relative and camelCase).
 */
function withPath<T>(prefix: Path, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const path = error.path.map((part) =>
      typeof part === 'string' ? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : part,
    );
    const message = error.message.replace(/`([a-z]+(?:[A-Z][a-z]*)+)`/g, (_match, name: string) => {
      return `\`${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}\``;
    });
    throw new ValidationError(message, [...prefix, ...path], { cause: error.cause ?? error });
  }
}

/**
 * `metrics[0].nominator`-style text of a field path.
 *
 * @param path - The path, outermost first.
 * @returns The path as text (`''` for the whole file).
 */
export function fieldPath(path: Path): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
