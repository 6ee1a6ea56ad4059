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

/**
 * An {@link SrmCheck} over wide data: the denominator is `value(<unitType>.global.<denominator>)`.
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
    const unitType = options.unitType ?? 'test_unit_type';
    super({ ...options, denominator: `value(${unitType}.global.${options.denominator})` });
  }
}
