/**
 * Identifier of a metric or a check, unique within an experiment.
 *
 * @example
 * ```ts
 * import type { DefinitionId } from 'ep-stats';
 * const ids: DefinitionId[] = [1, 'ctr'];
 * ids.length; // => 2
 * ```
 * @public
 */
export type DefinitionId = number | string;
