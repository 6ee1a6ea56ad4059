import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys.js';
import { ValidationError } from '../errors/validation-error.js';

/**
 * Where a {@link Filter} applies: exposures, goals, or the units that triggered a goal.
 *
 * @example
 * ```ts
 * import { FILTER_SCOPES } from 'ep-stats';
 * FILTER_SCOPES; // => ['exposure', 'goal', 'trigger']
 * ```
 * @public
 */
export type FilterScope = 'exposure' | 'goal' | 'trigger';

/**
 * Every {@link FilterScope}.
 *
 * @example
 * ```ts
 * import { FILTER_SCOPES } from 'ep-stats';
 * FILTER_SCOPES.includes('trigger'); // => true
 * ```
 * @public
 */
export const FILTER_SCOPES: readonly FilterScope[] = Object.freeze(['exposure', 'goal', 'trigger'] as const);

/**
 * Definition of a {@link Filter}.
 *
 * @example
 * ```ts
 * import type { FilterOptions } from 'ep-stats';
 * const options: FilterOptions = { scope: 'goal', dimension: 'element', values: ['button-1'] };
 * options.scope; // => 'goal'
 * ```
 * @public
 */
export interface FilterOptions {
  readonly scope: FilterScope;
  /** Dimension to filter on (required for the `exposure` and `goal` scopes). */
  readonly dimension?: string | null;
  /** Accepted dimension values (required for the `exposure` and `goal` scopes). */
  readonly values?: readonly (string | number)[] | null;
  /** The trigger goal (required for the `trigger` scope). */
  readonly goal?: string | null;
}

/** The keys of {@link FilterOptions}, in the order error messages list them. */
const FILTER_OPTIONS = optionKeys<FilterOptions>({ scope: true, dimension: true, values: true, goal: true });

/**
 * A restriction of the data to evaluate, applied by the data access layer (not by the engine).
 *
 * @remarks
 * `exposure`: only exposures whose dimension is one of the values count; `goal`: only goals whose dimension
 * is one of the values count; `trigger`: only units that have the trigger goal (optionally restricted by
 * dimension and values) count.
 *
 * @throws {@link ValidationError} "Trigger scope requires goal" or "Dimension and value are required for
 *   this scope", for an unknown scope, or for an unknown option (naming the closest known one, e.g.
 *   `values` for `value`).
 *
 * @example
 * ```ts
 * import { Filter, ValidationError } from 'ep-stats';
 * new Filter({ scope: 'trigger', goal: 'click' }).goal; // => 'click'
 * new Filter({ scope: 'exposure' }); // throws ValidationError
 * ```
 * @public
 */
export class Filter {
  readonly scope: FilterScope;
  readonly dimension: string | undefined;
  readonly values: readonly (string | number)[] | undefined;
  readonly goal: string | undefined;

  constructor(options: FilterOptions) {
    rejectUnknownKeys(options, FILTER_OPTIONS, 'Filter');
    if (!FILTER_SCOPES.includes(options.scope)) {
      throw new ValidationError(
        `Unknown filter scope \`${String(options.scope)}\`; expected one of ${FILTER_SCOPES.join(', ')}`,
        ['scope'],
      );
    }
    this.scope = options.scope;
    this.dimension = options.dimension ?? undefined;
    this.values = options.values ? Object.freeze([...options.values]) : undefined;
    this.goal = options.goal ?? undefined;
    if (this.scope === 'trigger') {
      if (!this.goal) throw new ValidationError('Trigger scope requires goal', ['goal']);
    } else if (!this.dimension || !this.values || this.values.length === 0) {
      throw new ValidationError('Dimension and value are required for this scope', [
        this.dimension ? 'values' : 'dimension',
      ]);
    }
  }
}
