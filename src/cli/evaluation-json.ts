import type { Evaluation } from '../index.js';
// The REST API's encoder (a leaf module: importing it does not load the web server).
import { encodeResponseBody } from '../server/encode-response-body.js';

/**
 * The evaluation as JSON: its metrics, checks, exposures and warnings as flat rows with the reference's
 * snake_case column names (`exp_variant_id`, `p_value`, `confidence_interval`, ...).
 *
 * @remarks
 * The rows are those of the library's `Evaluation` with the keys in snake_case, the shape of the
 * reference's `Evaluation.metrics`, `.checks` and `.exposures` data frames. Top-level fields: `exp_id`,
 * `method`, `confidence_level`, `timestamp`, `metrics`, `checks`, `exposures`, `warnings`.
 *
 * Encoded like the REST API's responses: by default NaN and infinities are the bare tokens `NaN`,
 * `Infinity`, `-Infinity` (as the reference's REST API and Python's `json` module write them); with
 * `strict`, standard JSON where they are `null` and each row holding one gets a `non_finite` member naming
 * them (`{"power": null, "non_finite": {"power": "NaN"}}`).
 *
 * @param evaluation - The evaluation.
 * @param strict - Whether to write strict JSON.
 * @returns The JSON text (one line).
 */
export function evaluationToJson(evaluation: Evaluation, strict: boolean): string {
  return encodeResponseBody(
    {
      exp_id: evaluation.expId,
      method: evaluation.method,
      confidence_level: evaluation.confidenceLevel,
      timestamp: evaluation.timestamp,
      metrics: evaluation.metrics.map(snakeCaseKeys),
      checks: evaluation.checks.map(snakeCaseKeys),
      exposures: evaluation.exposures.map(snakeCaseKeys),
      warnings: evaluation.warnings.map(snakeCaseKeys),
    },
    strict,
  );
}

function snakeCaseKeys(row: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
