import type { Evaluation } from '../index.js';
// The REST API's encoder and warning mapping (leaf modules: importing them does not load the web server).
import { encodeResponseBody, type ResponseAnalysis, toResponseWarning } from '../wire/index.js';
import type { CommandWarning, TaggedWarning } from './command-warning.js';

/**
 * The evaluation as JSON: its metrics, checks, exposures and warnings as flat rows with the reference's
 * snake_case column names (`exp_variant_id`, `p_value`, `confidence_interval`, ...).
 *
 * @remarks
 * The rows are those of the library's `Evaluation` with the keys in snake_case, the shape of the
 * reference's `Evaluation.metrics`, `.checks` and `.exposures` data frames (metric rows also carry
 * `confidence_lower`, `confidence_upper`, `absolute_diff`, `absolute_diff_lower`, `absolute_diff_upper` and
 * `significant`). Top-level fields: `exp_id`, `method`, `confidence_level`, `timestamp`, `metrics`,
 * `checks`, `exposures`, `warnings`, and `confidence_sequence_tuning` after `confidence_level` when the
 * experiment asks for `sequential: 'confidence-sequence'`. `warnings` holds the command's own warnings,
 * then the evaluations', each as the REST API writes them: `{code, message, metric_ids?, check_id?,
 * variants?, goal?, suggestion?, count?, segment?, day?}`. With a drill-down, `segments` follows: per
 * segment `{breakdown, value, folded?, exposed_units, metrics, checks, exposures}` (the rows of its
 * evaluation); with a timeline, `timeline`: the metric rows of every day, each with its `day` first (a long
 * table).
 *
 * Encoded like the REST API's responses: by default NaN and infinities are the bare tokens `NaN`,
 * `Infinity`, `-Infinity` (as the reference's REST API and Python's `json` module write them); with
 * `strict`, standard JSON where they are `null` and each row holding one gets a `non_finite` member naming
 * them (`{"power": null, "non_finite": {"power": "NaN"}}`).
 *
 * @param evaluation - The evaluation.
 * @param strict - Whether to write strict JSON.
 * @param commandWarnings - Warnings of the command itself, written before the evaluation's.
 * @param analysis - The segments and the timeline, when the experiment has them.
 * @param warnings - The warnings of every evaluation, tagged (default: the evaluation's own).
 * @returns The JSON text (one line).
 */
export function evaluationToJson(
  evaluation: Evaluation,
  strict: boolean,
  commandWarnings: readonly CommandWarning[] = [],
  analysis: ResponseAnalysis = {},
  warnings: readonly TaggedWarning[] = evaluation.warnings,
): string {
  const { segments, timeline } = analysis;
  return encodeResponseBody(
    {
      exp_id: evaluation.expId,
      method: evaluation.method,
      confidence_level: evaluation.confidenceLevel,
      ...(evaluation.confidenceSequenceTuning === undefined
        ? {}
        : { confidence_sequence_tuning: evaluation.confidenceSequenceTuning }),
      timestamp: evaluation.timestamp,
      metrics: evaluation.metrics.map(snakeCaseKeys),
      checks: evaluation.checks.map(snakeCaseKeys),
      exposures: evaluation.exposures.map(snakeCaseKeys),
      warnings: [...commandWarnings, ...warnings].map(toResponseWarning),
      ...(segments === undefined
        ? {}
        : {
            segments: segments.map((segment) => ({
              breakdown: segment.breakdown,
              value: segment.value,
              ...(segment.folded === undefined ? {} : { folded: segment.folded }),
              exposed_units: segment.exposures,
              metrics: segment.evaluation.metrics.map(snakeCaseKeys),
              checks: segment.evaluation.checks.map(snakeCaseKeys),
              exposures: segment.evaluation.exposures.map(snakeCaseKeys),
            })),
          }),
      ...(timeline === undefined ? {} : { timeline: timeline.metrics.map(snakeCaseKeys) }),
    },
    strict,
  );
}

function snakeCaseKeys(row: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
