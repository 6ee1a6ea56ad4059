import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import type { Expression, GoalReference } from '../expression/ast.js';
import { collectGoals } from '../expression/collect-goals.js';
import { type AggregatedGoalSource, evaluateAggregated } from '../expression/evaluate-aggregated.js';
import { parseDefinition } from '../expression/parse-definition.js';
import { chiSquareGoodnessOfFit } from '../statistics/chi-square-test.js';
import type { Check, CheckVariable } from './check.js';
import type { DefinitionId } from './definition-id.js';
import { validateExpectedWeights, weightsOfVariants } from './expected-weights.js';

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
  /**
   * Planned allocation: a weight per variant id (positive and finite, normalised to proportions, so
   * `{ a: 90, b: 10 }` and `{ a: 0.9, b: 0.1 }` are the same). Default: an equal split. Every evaluated
   * variant needs a weight and every weight an evaluated variant, else the check fails (`check-failed`).
   */
  readonly expectedWeights?: Readonly<Record<string, number>>;
}

/** The keys of {@link SrmCheckOptions}, in the order error messages list them. */
const SRM_CHECK_OPTIONS = optionKeys<SrmCheckOptions>({
  id: true,
  name: true,
  denominator: true,
  confidenceLevel: true,
  expectedWeights: true,
});

/**
 * Sample ratio mismatch check: are units split between the variants as planned (evenly by default)?
 *
 * @remarks
 * Pearson's chi-square goodness-of-fit test of the per-variant values of `denominator` against expected
 * counts `n * w_v / sum(w)` (`n` the total, `w` the `expectedWeights`; `n / k` without them), with `k - 1`
 * degrees of freedom for `k` variants. Variables: `p_value`, `test_stat`, `confidence_level`. A p-value
 * below `1 - confidenceLevel` signals a broken randomisation.
 *
 * With `expectedWeights`, the weights are matched to the source's `variants` by id. A variant of the data
 * without a weight, or a weight of a variant that is not evaluated, makes `evaluateAgg` throw a
 * {@link ValidationError} with path `['expectedWeights', variant]`; an evaluation reports it as a
 * `check-failed` warning and leaves the check out. A planned variant without any rows is evaluated (with
 * zero exposures, which the test flags) when it is among the experiment's explicit `variants`.
 *
 * @throws {@link ValidationError} for an unknown option (naming the closest known one), when the
 *   denominator does not parse, or for `expectedWeights` that is not an object of positive finite numbers
 *   (path `['expectedWeights', variant]`) or is empty (path `['expectedWeights']`).
 *
 * @example
 * ```ts
 * import { SrmCheck, parseExpression } from 'ep-stats';
 * const check = new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(u.global.exposure)' });
 * const [pValue, statistic] = check.evaluateAgg({ variantCount: 2, column: () => [21, 26] });
 * pValue?.value; // => ~0.4658028
 * statistic?.value; // => ~0.5319149
 *
 * // A planned 90/10 rollout: 9,000 / 1,000 exposures fit it exactly.
 * const rollout = new SrmCheck({
 *   id: 2, name: 'SRM 90/10', denominator: 'count(u.global.exposure)', expectedWeights: { a: 90, b: 10 },
 * });
 * const [planned] = rollout.evaluateAgg({ variantCount: 2, variants: ['a', 'b'], column: () => [9000, 1000] });
 * planned?.value; // => 1
 * ```
 * @public
 */
export class SrmCheck implements Check {
  readonly id: DefinitionId;
  readonly name: string;
  readonly denominator: string;
  readonly confidenceLevel: number;
  /** The planned allocation (a frozen copy), or `undefined` for an equal split. */
  readonly expectedWeights: Readonly<Record<string, number>> | undefined;
  readonly denominatorExpression: Expression;
  readonly goals: readonly GoalReference[];

  constructor(options: SrmCheckOptions) {
    rejectUnknownKeys(options, SRM_CHECK_OPTIONS, 'SrmCheck');
    this.id = options.id;
    this.name = options.name;
    this.denominator = options.denominator;
    this.confidenceLevel = options.confidenceLevel ?? 0.999;
    this.expectedWeights =
      options.expectedWeights === undefined ? undefined : validateExpectedWeights(options.expectedWeights);
    this.denominatorExpression = parseDefinition(options.denominator, ['denominator']);
    this.goals = Object.freeze(collectGoals(this.denominatorExpression));
  }

  evaluateAgg(source: AggregatedGoalSource): readonly CheckVariable[] {
    const weights =
      this.expectedWeights === undefined
        ? undefined
        : weightsOfVariants(this.expectedWeights, source.variants);
    return this.fromExposures(evaluateAggregated(this.denominatorExpression, source).value, weights);
  }

  /** The check's variables for given per-variant exposures (and weights in their order). @internal */
  fromExposures(exposures: ArrayLike<number>, weights?: ArrayLike<number>): readonly CheckVariable[] {
    const { statistic, pValue } = chiSquareGoodnessOfFit(exposures, weights);
    return Object.freeze([
      Object.freeze({ variableId: 'p_value', value: pValue }),
      Object.freeze({ variableId: 'test_stat', value: statistic }),
      Object.freeze({ variableId: 'confidence_level', value: this.confidenceLevel }),
    ]);
  }
}
