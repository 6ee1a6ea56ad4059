/**
 * Check `experiment-file [goals <file>]`: a `json` sample is an experiment file of `ep-stats evaluate
 * --experiment`. It must be accepted by the command's reader (`experimentFromFile` of
 * src/cli/experiment-file.ts, which rejects unknown fields) and, being in the shape of the REST API's
 * `POST /evaluate` body, by the wire validation (`validateEvaluateRequest` of src/wire). With `goals <file>`
 * (a repository file of goal rows per variant, read by the command's `readGoalsFile`) it is evaluated:
 * every metric gets a row per variant with a p-value, and no warning is raised.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { samplesChecked } from '../../scripts/site-samples.js';
import { experimentFromFile } from '../../src/cli/experiment-file.js';
import { readGoalsFile, recordsAsRows } from '../../src/cli/goals-file.js';
import type { AggregatedGoalRow } from '../../src/index.js';
import { validateEvaluateRequest } from '../../src/wire/index.js';

const samples = samplesChecked('experiment-file');

describe('the experiment files of the documentation', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, () => {
      const definition = JSON.parse(sample.code) as { metrics: unknown[]; variants?: string[] };
      const validation = validateEvaluateRequest(definition);
      expect(validation.ok ? [] : validation.problems, 'problems of the REST request').toEqual([]);
      const experiment = experimentFromFile(definition);
      expect(experiment.metrics.length).toBe(definition.metrics.length);
      const [option, file] = sample.check?.args ?? [];
      if (option === undefined) return;
      expect(option, 'experiment-file goals <file>').toBe('goals');
      const goals = readGoalsFile(join(REPOSITORY_ROOT, file as string));
      const evaluation = experiment.evaluateAgg(recordsAsRows(goals.records) as AggregatedGoalRow[]);
      expect(evaluation.warnings.map((warning) => warning.message)).toEqual([]);
      const variants = evaluation.exposures.map((row) => row.expVariantId);
      if (definition.variants !== undefined) expect(variants).toEqual(definition.variants);
      for (const metric of experiment.metrics) {
        const rows = evaluation.metrics.filter((row) => row.metricId === metric.id);
        expect(
          rows.map((row) => row.expVariantId),
          metric.name,
        ).toEqual(variants);
        for (const row of rows)
          expect(Number.isFinite(row.pValue), `${metric.name} ${row.expVariantId}`).toBe(true);
      }
    });
  }
});
