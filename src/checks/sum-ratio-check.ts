import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import type { Expression, GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import { type AggregatedGoalSource, evaluateAggregated } from '../expression/evaluate-aggregated.js';
import { parseDefinition } from '../expression/parse-definition.js';
import { chiSquareGoodnessOfFit } from '../statistics/chi-square-test.js';
import type { Check, CheckVariable } from './check.js';
import type { DefinitionId } from './definition-id.js';

/**
 * Definition of a {@link SumRatioCheck}.
 *
 * @example
 * ```ts
 * import type { SumRatioCheckOptions } from 'ep-stats';
 * const options: SumRatioCheckOptions = {
 *   id: 2, name: 'SumRatio',
 *   nominator: 'count(test_unit_type.global.inconsistent_exposure)',
 *   denominator: 'count(test_unit_type.global.exposure)',
 * };
 * options.id; // => 2
 * ```
 * @public
 */
export interface SumRatioCheckOptions {
  readonly id: DefinitionId;
  readonly name: string;
  /** Expression counting the problematic units (e.g. inconsistent exposures). */
  readonly nominator: string;
  /** Expression counting all units. */
  readonly denominator: string;
  /** Largest acceptable `sum_ratio`, default 0.01. */
  readonly maxSumRatio?: number;
  /** Confidence level reported with the test, default 0.999. */
  readonly confidenceLevel?: number;
}

/** The keys of {@link SumRatioCheckOptions}, in the order error messages list them. */
const SUM_RATIO_CHECK_OPTIONS = optionKeys<SumRatioCheckOptions>({
  id: true,
  name: true,
  nominator: true,
  denominator: true,
  maxSumRatio: true,
  confidenceLevel: true,
});

/**
 * Sum ratio check: the share of problematic units summed over all variants.
 *
 * @remarks
 * With `N` the nominator and `D` the denominator summed over the variants, `sum_ratio = N / (D + N)`, and a
 * chi-square goodness-of-fit test of the two counts `[D, |D - N|]` against equal expected counts.
 * Variables: `sum_ratio`, `max_sum_ratio`, `p_value`, `test_stat`, `confidence_level`.
 *
 * @throws {@link ValidationError} for an unknown option (naming the closest known one) or when an
 *   expression does not parse.
 *
 * @example
 * ```ts
 * import { SumRatioCheck } from 'ep-stats';
 * const check = new SumRatioCheck({
 *   id: 1, name: 'SumRatio', nominator: 'count(u.global.bad)', denominator: 'count(u.global.exposure)',
 * });
 * const counts: Record<string, number[]> = { bad: [1, 2], exposure: [100, 97] };
 * const [sumRatio] = check.evaluateAgg({ variantCount: 2, column: (goal) => counts[goal.goal] ?? [0, 0] });
 * sumRatio?.value; // => 0.015
 * ```
 * @public
 */
export class SumRatioCheck implements Check {
  readonly id: DefinitionId;
  readonly name: string;
  readonly nominator: string;
  readonly denominator: string;
  readonly maxSumRatio: number;
  readonly confidenceLevel: number;
  readonly nominatorExpression: Expression;
  readonly denominatorExpression: Expression;
  readonly goals: readonly GoalReference[];

  constructor(options: SumRatioCheckOptions) {
    rejectUnknownKeys(options, SUM_RATIO_CHECK_OPTIONS, 'SumRatioCheck');
    this.id = options.id;
    this.name = options.name;
    this.nominator = options.nominator;
    this.denominator = options.denominator;
    this.maxSumRatio = options.maxSumRatio ?? 0.01;
    this.confidenceLevel = options.confidenceLevel ?? 0.999;
    this.nominatorExpression = parseDefinition(options.nominator, ['nominator']);
    this.denominatorExpression = parseDefinition(options.denominator, ['denominator']);
    this.goals = Object.freeze(collectGoals(this.denominatorExpression, this.nominatorExpression));
  }

  evaluateAgg(source: AggregatedGoalSource): readonly CheckVariable[] {
    const nominator = sum(evaluateAggregated(this.nominatorExpression, source).value);
    const denominator = sum(evaluateAggregated(this.denominatorExpression, source).value);
    return this.fromTotals(nominator, denominator);
  }

  /** The check's variables for given totals over all variants. @internal */
  fromTotals(nominator: number, denominator: number): readonly CheckVariable[] {
    const { statistic, pValue } = chiSquareGoodnessOfFit([denominator, Math.abs(denominator - nominator)]);
    return Object.freeze(
      [
        { variableId: 'sum_ratio', value: nominator / (denominator + nominator) },
        { variableId: 'max_sum_ratio', value: this.maxSumRatio },
        { variableId: 'p_value', value: pValue },
        { variableId: 'test_stat', value: statistic },
        { variableId: 'confidence_level', value: this.confidenceLevel },
      ].map((variable) => Object.freeze(variable)),
    );
  }
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
