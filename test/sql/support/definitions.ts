/** Metric and check definitions for the equivalence tests: the reference fixtures' and our own. */
import {
  type Check,
  Experiment,
  type ExperimentOptions,
  Metric,
  SrmCheck,
  SumRatioCheck,
} from '../../../src/index.js';
import { loadReferenceCases } from '../../support/reference-cases.js';

/** Dimension-operator coverage on the demo data (`U` is the unit type). */
const EXTRA_METRICS: readonly (readonly [string, string])[] = [
  ['count(U.unit.view(element=button-1|button-2))', 'count(U.global.exposure)'],
  ['count(U.unit.view(element=button-1|link-%))', 'count(U.global.exposure)'],
  ['count(U.unit.click(element=^button-1|link))', 'count(U.global.exposure)'],
  ['count(U.unit.view(element!=button-1|button-2))', 'count(U.global.exposure)'],
  ['count(U.unit.view(element!=button-%))', 'count(U.global.exposure)'],
  ['count(U.unit.click(product>=3))', 'count(U.global.exposure)'],
  ['count(U.unit.click(product<10))', 'count(U.global.exposure)'],
  ['count(U.unit.click(product<=2.5))', 'count(U.global.exposure)'],
  ['count(U.unit.view(product>p-1))', 'count(U.global.exposure)'],
  ['count(U.unit.view(product<p))', 'count(U.global.exposure)'],
  ['count(U.unit.view(product=p_%))', 'count(U.global.exposure)'],
  ['count(U.unit.view(element=button-%, product=1|10))', 'count(U.unit.exposure)'],
  ['value(U.unit.conversion(product=p_1))', 'count(U.unit.exposure)'],
  ['value(U.unit.conversion(product>1))', 'unique(U.unit.exposure)'],
  ['value(U.unit.conversion)', 'count(U.unit.exposure)'],
  ['value(U.unit.refund)', 'count(U.global.exposure)'],
  ['value(U.unit.conversion) - value(U.unit.refund)', 'count(U.unit.exposure)'],
  // (Not a goal that a scenario's goal filter removes entirely: evaluateByUnit then gives NaN for compound
  // nominators whose other goals have units, see UnitGoalTable.perUnit.)
  ['count(U.unit.click) + count(U.unit.view(element=button-1))', 'count(U.global.exposure)'],
  ['unique(U.unit.conversion)', 'count(U.global.exposure)'],
  ['count(U.unit.view)', 'count(U.unit.exposure)'],
];

/** Nominators that are one goal: aggregated and by-unit evaluation agree on every statistic for them. */
export function hasSingleGoalNominator(metric: Metric): boolean {
  return metric.nominatorExpression.kind === 'goal';
}

function normalise(expression: string, unitType: string): string {
  return expression.replace(/\s+/g, ' ').trim().replaceAll('test_unit_type', unitType);
}

/**
 * Every metric and check definition of the reference fixtures that parses and reads only `dimensions`,
 * with the unit type replaced, plus (with `extras`) {@link EXTRA_METRICS}; distinct, numbered from 1.
 */
export function definitions(
  unitType: string,
  dimensions: readonly string[],
  extras = true,
): { metrics: Metric[]; checks: Check[] } {
  const fits = (goals: readonly { dimensions: readonly { name: string }[] }[]) =>
    goals.every((goal) => goal.dimensions.every((condition) => dimensions.includes(condition.name)));
  const metricPairs = new Map<string, [string, string]>();
  const checkDefinitions = new Map<string, { type: string; nominator: string | null; denominator: string }>();
  for (const referenceCase of loadReferenceCases()) {
    for (const metric of referenceCase.request.metrics) {
      const pair: [string, string] = [
        normalise(metric.nominator, unitType),
        normalise(metric.denominator, unitType),
      ];
      metricPairs.set(pair.join(' / '), pair);
    }
    for (const check of referenceCase.request.checks) {
      const definition = {
        type: check.type,
        nominator: check.nominator === null ? null : normalise(check.nominator, unitType),
        denominator: normalise(check.denominator, unitType),
      };
      checkDefinitions.set(JSON.stringify(definition), definition);
    }
  }
  if (extras) {
    for (const [nominator, denominator] of EXTRA_METRICS) {
      const pair: [string, string] = [
        nominator.replaceAll('U.', `${unitType}.`),
        denominator.replaceAll('U.', `${unitType}.`),
      ];
      metricPairs.set(pair.join(' / '), pair);
    }
  }
  const metrics: Metric[] = [];
  for (const [nominator, denominator] of metricPairs.values()) {
    if (!nominator.includes(`(${unitType}.`) || !denominator.includes(`(${unitType}.`)) continue;
    try {
      const metric = new Metric({
        id: metrics.length + 1,
        name: `${nominator} / ${denominator}`,
        nominator,
        denominator,
      });
      if (fits(metric.goals)) metrics.push(metric);
    } catch {
      // A reference quirk case with an invalid definition (e.g. `sum(...)`): not a definition to run.
    }
  }
  const checks: Check[] = [];
  for (const definition of checkDefinitions.values()) {
    if (!definition.denominator.includes(`(${unitType}.`)) continue;
    const common = { id: checks.length + 1, name: definition.type, denominator: definition.denominator };
    const check =
      definition.type === 'SumRatio'
        ? new SumRatioCheck({ ...common, nominator: definition.nominator ?? '' })
        : new SrmCheck(common);
    if (fits(check.goals)) checks.push(check);
  }
  return { metrics, checks };
}

/** An experiment with the given definitions and scenario (dates, filters). */
export function experimentWith(
  base: Pick<ExperimentOptions, 'id' | 'unitType' | 'controlVariant'>,
  scenario: Partial<ExperimentOptions>,
  defined: { metrics: readonly Metric[]; checks: readonly Check[] },
): Experiment {
  return new Experiment({ ...base, metrics: defined.metrics, checks: defined.checks, ...scenario });
}
