/**
 * The text that dimension comparisons (`<`, `<=`, `>`, `>=`) treat as a number: an optional sign, then
 * digits with an optional decimal fraction (`12`, `-3.5`, `.25`, `7.`), at most 30 digits on either side of
 * the point, no exponent.
 *
 * @remarks
 * The bound keeps every such number castable to double precision in every engine (no overflow), so that
 * the SQL and {@link isNumericText} agree on which cells are numbers.
 *
 * @example
 * ```ts
 * import { NUMERIC_TEXT_PATTERN } from 'ep-stats/sql';
 * new RegExp(NUMERIC_TEXT_PATTERN).test('-3.5'); // => true
 * new RegExp(NUMERIC_TEXT_PATTERN).test('1e5'); // => false
 * ```
 * @public
 */
export const NUMERIC_TEXT_PATTERN = '^[+-]?([0-9]{1,30}([.][0-9]{0,30})?|[.][0-9]{1,30})$';

const NUMERIC_TEXT = new RegExp(NUMERIC_TEXT_PATTERN);

/**
 * Whether text is a number for dimension comparisons (see {@link NUMERIC_TEXT_PATTERN}).
 *
 * @param text - A dimension value or cell.
 * @returns `true` for `12`, `-3.5`, `.25`; `false` for `''`, `1e5`, `p-1`, ` 1`.
 *
 * @example
 * ```ts
 * import { isNumericText } from 'ep-stats/sql';
 * [isNumericText('10'), isNumericText('p-1'), isNumericText('')]; // => [true, false, false]
 * ```
 * @public
 */
export function isNumericText(text: string): boolean {
  return NUMERIC_TEXT.test(text);
}
