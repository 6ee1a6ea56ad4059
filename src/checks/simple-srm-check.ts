import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { SrmCheck, type SrmCheckOptions } from './srm-check.js';

/**
 * Definition of a {@link SimpleSrmCheck}: a column name instead of an expression.
 *
 * @example
 * ```ts
 * import type { SimpleSrmCheckOptions } from 'ep-stats';
 * const options: SimpleSrmCheckOptions = { id: 1, name: 'SRM', denominator: 'views' };
 * options.denominator; // => 'views'
 * ```
 * @public
 */
export interface SimpleSrmCheckOptions extends SrmCheckOptions {
  /** Unit type of the generated goal, default `'test_unit_type'`. */
  readonly unitType?: string;
}

/** The keys of {@link SimpleSrmCheckOptions}, in the order error messages list them. */
const SIMPLE_SRM_CHECK_OPTIONS = optionKeys<SimpleSrmCheckOptions>({
  id: true,
  name: true,
  denominator: true,
  unitType: true,
  confidenceLevel: true,
  expectedWeights: true,
});

/**
 * An {@link SrmCheck} over wide data: the denominator is `value(<unitType>.global.<denominator>)`.
 *
 * @throws {@link ValidationError} for an unknown option (naming the closest known one), otherwise as
 *   {@link SrmCheck}.
 *
 * @example
 * ```ts
 * import { SimpleSrmCheck } from 'ep-stats';
 * const check = new SimpleSrmCheck({ id: 1, name: 'SRM', denominator: 'views' });
 * check.denominator; // => 'value(test_unit_type.global.views)'
 * ```
 * @public
 */
export class SimpleSrmCheck extends SrmCheck {
  constructor(options: SimpleSrmCheckOptions) {
    rejectUnknownKeys(options, SIMPLE_SRM_CHECK_OPTIONS, 'SimpleSrmCheck');
    const { unitType = 'test_unit_type', ...rest } = options;
    super({ ...rest, denominator: `value(${unitType}.global.${options.denominator})` });
  }
}
