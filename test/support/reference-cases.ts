import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Check,
  Experiment,
  type ExperimentOptions,
  Metric,
  SimpleMetric,
  SimpleSrmCheck,
  SrmCheck,
  SumRatioCheck,
} from '../../src/index.js';

import { FIXTURES, type FixtureNumber, readFixture } from './fixtures.js';

export interface ReferenceMetricRequest {
  id: number;
  name: string;
  nominator: string;
  denominator: string;
  minimum_effect: number | null;
  outlier_upper_percentile: number | null;
  outlier_lower_percentile: number | null;
}

export interface ReferenceRequest {
  id: string;
  control_variant: string;
  variants: string[] | null;
  unit_type: string;
  date_from: string | null;
  date_to: string | null;
  date_for: string | null;
  null_hypothesis_rate: number | null;
  confidence_level?: number;
  metrics: ReferenceMetricRequest[];
  checks: {
    id: number;
    name: string;
    type: 'SRM' | 'SumRatio';
    nominator: string | null;
    denominator: string;
  }[];
  filters?: { scope: string; dimension?: string; value?: string[]; goal?: string }[];
}

export interface ReferenceCase {
  name: string;
  kind: 'agg' | 'by_unit' | 'wide_agg';
  source: 'fixture' | 'quirk';
  note?: string;
  simple_metrics?: boolean;
  request: ReferenceRequest;
  goals: Record<string, string | number | null>[];
  expected:
    | {
        metrics: Record<string, string | FixtureNumber>[];
        checks: Record<string, string | FixtureNumber>[];
        exposures: Record<string, string | FixtureNumber>[];
      }
    | { error: { type: string; message: string } };
  warnings: string[];
}

/** Every committed reference case, sorted by name. */
export function loadReferenceCases(): ReferenceCase[] {
  const folder = join(FIXTURES, 'reference-outputs');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => readFixture<ReferenceCase>(join('reference-outputs', file)));
}

/** Builds the experiment of a reference request (the library-level mapping used by these tests). */
export function experimentOfRequest(request: ReferenceRequest, simple = false): Experiment {
  const metrics = request.metrics.map((metric) => {
    const common = {
      id: metric.id,
      name: metric.name,
      minimumEffect: metric.minimum_effect,
      outlierUpperPercentile: metric.outlier_upper_percentile,
      outlierLowerPercentile: metric.outlier_lower_percentile,
    };
    if (simple) {
      return new SimpleMetric({
        ...common,
        numerator: goalName(metric.nominator),
        denominator: goalName(metric.denominator),
      });
    }
    return new Metric({ ...common, nominator: metric.nominator, denominator: metric.denominator });
  });
  const checks: Check[] = request.checks.map((check) => {
    if (check.type === 'SumRatio') {
      return new SumRatioCheck({
        id: check.id,
        name: check.name,
        nominator: check.nominator ?? '',
        denominator: check.denominator,
      });
    }
    if (simple)
      return new SimpleSrmCheck({ id: check.id, name: check.name, denominator: goalName(check.denominator) });
    return new SrmCheck({ id: check.id, name: check.name, denominator: check.denominator });
  });
  const options: ExperimentOptions = {
    id: request.id,
    controlVariant: request.control_variant,
    unitType: request.unit_type,
    metrics,
    checks,
    dateFrom: request.date_from,
    dateTo: request.date_to,
    dateFor: request.date_for,
    variants: request.variants,
    nullHypothesisRate: request.null_hypothesis_rate,
    ...(request.confidence_level === undefined ? {} : { confidenceLevel: request.confidence_level }),
  };
  return new Experiment(options);
}

/** `value(u.global.clicks)` -> `clicks`. */
function goalName(expression: string): string {
  const match = /\.global\.([A-Za-z0-9_]+)\)$/.exec(expression);
  if (!match?.[1]) throw new Error(`not a simple metric expression: ${expression}`);
  return match[1];
}
