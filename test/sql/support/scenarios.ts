/** The experiments of the equivalence tests: definitions x dates x filters, on both datasets. */
import { type Check, type Experiment, type ExperimentOptions, Filter, Metric } from '../../../src/index.js';
import { SYNTHETIC_DIMENSIONS } from '../../../src/sql/index.js';
import { definitions, experimentWith } from './definitions.js';
import { BY_UNIT_DIMENSIONS } from './event-tables.js';

export interface Scenario {
  readonly name: string;
  readonly experiment: Experiment;
}

const demo = definitions('user', SYNTHETIC_DIMENSIONS);
const demoBase = { id: 'demo', unitType: 'user', controlVariant: 'a' };

/** Demo scenarios: plain, sequential dates, each filter scope, and everything at once. */
const DEMO_SCENARIOS: readonly { name: string; options: Partial<ExperimentOptions> }[] = [
  { name: 'no dates, no filters', options: {} },
  {
    name: 'sequential, middle day',
    options: { dateFrom: '2024-01-01', dateTo: '2024-01-10', dateFor: '2024-01-05' },
  },
  {
    name: 'sequential, first day',
    options: { dateFrom: '2024-01-01', dateTo: '2024-01-10', dateFor: '2024-01-01' },
  },
  {
    name: 'sequential, after the last day',
    options: { dateFrom: '2024-01-03', dateTo: '2024-01-08', dateFor: '2024-03-01' },
  },
  { name: 'dateFrom only', options: { dateFrom: '2024-01-04', dateFor: '2024-01-06' } },
  {
    name: 'exposure filter',
    options: { filters: [new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'DE'] })] },
  },
  {
    name: 'goal filter',
    options: {
      filters: [new Filter({ scope: 'goal', dimension: 'element', values: ['button-1', 'button-10'] })],
    },
  },
  { name: 'trigger filter', options: { filters: [new Filter({ scope: 'trigger', goal: 'click' })] } },
  {
    name: 'trigger filter with dimension',
    options: {
      filters: [
        new Filter({ scope: 'trigger', goal: 'conversion', dimension: 'product', values: ['1', 'p_1', 10] }),
      ],
    },
  },
  {
    name: 'every filter scope and dates',
    options: {
      dateFrom: '2024-01-02',
      dateTo: '2024-01-09',
      dateFor: '2024-01-08',
      filters: [
        new Filter({ scope: 'goal', dimension: 'product', values: ['1', '2', '3', '10'] }),
        new Filter({ scope: 'trigger', goal: 'view', dimension: 'element', values: ['button-1'] }),
        new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'US', 'FR'] }),
      ],
    },
  },
];

export const demoScenarios: readonly Scenario[] = DEMO_SCENARIOS.map(({ name, options }) => ({
  name,
  experiment: experimentWith(demoBase, options, demo),
}));

/** The demo definitions, for coverage assertions. */
export const demoDefinitions: { readonly metrics: readonly Metric[]; readonly checks: readonly Check[] } =
  demo;

const reference = definitions('test_unit_type', BY_UNIT_DIMENSIONS, false);
const referenceBase = { unitType: 'test_unit_type', controlVariant: 'a' };

/** Scenarios on the reference's by-unit data (`goals_by_unit.csv`). */
export const referenceScenarios: readonly Scenario[] = [
  {
    name: 'test-real-valued',
    experiment: experimentWith({ ...referenceBase, id: 'test-real-valued' }, {}, reference),
  },
  {
    name: 'test-trigger with the reference filters',
    experiment: experimentWith(
      { ...referenceBase, id: 'test-trigger' },
      {
        filters: [
          new Filter({ scope: 'trigger', goal: 'click', dimension: 'product', values: ['1'] }),
          new Filter({ scope: 'exposure', dimension: 'country', values: ['FR'] }),
        ],
      },
      reference,
    ),
  },
  {
    name: 'test-trigger with goal and exposure filters',
    experiment: experimentWith(
      { ...referenceBase, id: 'test-trigger' },
      {
        filters: [
          new Filter({ scope: 'goal', dimension: 'product', values: ['1'] }),
          new Filter({ scope: 'exposure', dimension: 'country', values: ['US'] }),
        ],
      },
      reference,
    ),
  },
];

/** The reference definitions that fit the by-unit table, for coverage assertions. */
export const referenceDefinitions: {
  readonly metrics: readonly Metric[];
  readonly checks: readonly Check[];
} = reference;

/** A copy of an experiment with winsorized versions of its single-goal value metrics added. */
export function withWinsorizedMetrics(experiment: Experiment): Experiment {
  const winsorized = experiment.metrics
    .filter((metric) => metric.nominatorExpression.kind === 'goal' && metric.nominator.startsWith('value('))
    .map(
      (metric, index) =>
        new Metric({
          id: 1000 + index,
          name: `${metric.name} (winsorized)`,
          nominator: metric.nominator,
          denominator: metric.denominator,
          outlierUpperPercentile: 5,
          outlierLowerPercentile: 1,
        }),
    );
  return withMetrics(experiment, [...experiment.metrics, ...winsorized]);
}

/** The experiment (id, unit type, control, dates, filters and checks) with other metrics. */
function withMetrics(experiment: Experiment, metrics: readonly Metric[]): Experiment {
  return experimentWith(
    { id: experiment.id, unitType: experiment.unitType, controlVariant: experiment.controlVariant },
    {
      dateFrom: experiment.dateFrom,
      dateTo: experiment.dateTo,
      dateFor: experiment.dateFor,
      filters: experiment.filters,
    },
    { metrics: [...metrics], checks: experiment.checks },
  );
}

/**
 * The experiment with every metric of kind `'mean'`: by unit, ratio metrics then keep the reference's formula,
 * the one goal-level evaluation has, so that `evaluateAgg` and `evaluateByUnit` can be compared on every metric.
 */
export function withMeanKinds(experiment: Experiment): Experiment {
  const metrics = experiment.metrics.map(
    (metric) =>
      new Metric({
        id: metric.id,
        name: metric.name,
        nominator: metric.nominator,
        denominator: metric.denominator,
        minimumEffect: metric.minimumEffect ?? null,
        outlierUpperPercentile: metric.outlierUpperPercentile ?? null,
        outlierLowerPercentile: metric.outlierLowerPercentile ?? null,
        kind: 'mean',
      }),
  );
  return withMetrics(experiment, metrics);
}
