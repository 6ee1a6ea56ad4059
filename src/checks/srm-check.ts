import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import type { Expression, GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import { type AggregatedGoalSource, evaluateAggregated } from '../expression/evaluate-aggregated.js';
import { parseDefinition } from '../expression/parse-definition.js';
import { chiSquareGoodnessOfFit } from '../statistics/chi-square-test.js';
import type { Check, CheckVariable } from './check.js';
import type { DefinitionId } from './definition-id.js';

/**
 * Definition of an {@link SrmCheck}.
 *
 * @example
 * ```ts
 * import type { SrmCheckOptions } from 'ep-stats';
 * const options: SrmCheckOptions = { id: 1, name: 'SRM', denominator: 'count(test_unit_type.global.exposure)' };
 * options.name; // => 'SRM'
 * ```
 * @public
 */
export interface SrmCheckOptions {
  readonly id: DefinitionId;
  readonly name: string;
  /** Expression giving the units (exposures) per variant. */
  readonly denominator: string;
  /** Confidence level reported with the test, default 0.999. */
  readonly confidenceLevel?: number;
}

/** The keys of {@link SrmCheckOptions}, in the order error messages list them. */
const SRM_CHECK_OPTIONS = optionKeys<SrmCheckOptions>({
  id: true,
  name: true,
  denominator: true,
  confidenceLevel: true,
});

/**
 * Sample ratio mismatch check: are units split evenly between the variants?
 *
 * @remarks
 * Pearson's chi-square goodness-of-fit test of the per-variant values of `denominator` against equal
 * expected counts, with `k - 1` degrees of freedom for `k` variants. Variables: `p_value`, `test_stat`,
 * `confidence_level`. A p-value below `1 - confidenceLevel` signals a broken randomisation.
 *
 * @throws {@link ValidationError} for an unknown option (naming the closest known one) or when the
 *   denominator does not parse.
 *
 * @example
 * ```ts
 * import { SrmCheck, parseExpression } from 'ep-stats';
 * const check = new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' });
 * const [pValue, statistic] = check.evaluateAgg({ variantCount: 2, column: () => [21, 26] });
 * pValue?.value; // => ~0.4658028
 * statistic?.value; // => ~0.5319149
 * ```
 * @public
 */
export class SrmCheck implements Check {
  readonly id: DefinitionId;
  readonly name: string;
  readonly denominator: string;
  readonly confidenceLevel: number;
  readonly denominatorExpression: Expression;
  readonly goals: readonly GoalReference[];

  constructor(options: SrmCheckOptions) {
    rejectUnknownKeys(options, SRM_CHECK_OPTIONS, 'SrmCheck');
    this.id = options.id;
    this.name = options.name;
    this.denominator = options.denominator;
    this.confidenceLevel = options.confidenceLevel ?? 0.999;
    this.denominatorExpression = parseDefinition(options.denominator, ['denominator']);
    this.goals = Object.freeze(collectGoals(this.denominatorExpression));
  }

  evaluateAgg(source: AggregatedGoalSource): readonly CheckVariable[] {
    return this.fromExposures(evaluateAggregated(this.denominatorExpression, source).value);
  }

  /** The check's variables for given per-variant exposures. @internal */
  fromExposures(exposures: ArrayLike<number>): readonly CheckVariable[] {
    const { statistic, pValue } = chiSquareGoodnessOfFit(exposures);
    return Object.freeze([
      Object.freeze({ variableId: 'p_value', value: pValue }),
      Object.freeze({ variableId: 'test_stat', value: statistic }),
      Object.freeze({ variableId: 'confidence_level', value: this.confidenceLevel }),
    ]);
  }
}
