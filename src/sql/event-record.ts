/**
 * One row of the events table as a record: the fixed columns and any dimension columns.
 *
 * @example
 * ```ts
 * import type { EventRecord } from 'ep-stats/sql';
 * const event: EventRecord = {
 *   exp_id: 'e1', exp_variant_id: 'a', unit_type: 'user', unit_id: '7', date: null, goal: 'click', count: 1, value: 0, element: 'button-1',
 * };
 * event.element; // => 'button-1'
 * ```
 * @public
 */
export interface EventRecord {
  readonly exp_id: string;
  readonly exp_variant_id: string;
  readonly unit_type: string;
  readonly unit_id: string;
  /** `YYYY-MM-DD`, or null for an undated event. */
  readonly date: string | null;
  readonly goal: string;
  readonly count: number;
  readonly value: number;
  /** Dimension columns (text; `''` or null for none). */
  readonly [dimension: string]: string | number | null;
}
