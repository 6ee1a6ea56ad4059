import type { DimensionCondition } from '../index.js';
import { isNumericText, NUMERIC_TEXT_PATTERN } from './numeric-text.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlParameters } from './sql-parameters.js';

/** SQL that is never true, in every engine. @internal */
export const NEVER = '1 = 0';

/** A value as a LIKE pattern in which `%` stays a wildcard and `_` and `\` are literal. @internal */
export function likePattern(value: string): string {
  return value.replace(/[\\_]/g, (character) => `\\${character}`);
}

/** Whether a (completed) condition does not constrain the dimension: `=` with an empty value. @internal */
export function isUnconstrained(condition: DimensionCondition): boolean {
  return condition.operator === '=' && condition.value === '';
}

/**
 * The SQL condition of one goal dimension on the text column `column` (`''` where the event has no value
 * for the dimension), or `undefined` when the condition does not constrain it.
 *
 * @remarks
 * - `=`: the value's `|`-separated alternatives, each an equality, or a LIKE pattern when it contains `%`;
 * - `=^`: each alternative is a prefix (LIKE `alternative%`);
 * - `!=`: none of the alternatives of `=` matches;
 * - `<`, `<=`, `>`, `>=` (no alternatives): when the value is numeric text ({@link isNumericText}), cells that
 *   are numeric text compare as double precision numbers and other cells as text; otherwise as text. Text
 *   compares by code points.
 * An empty cell matches no condition (not even `!=`), and empty alternatives are ignored. In LIKE patterns
 * `_` and `\` are literal. Every value is a bound parameter.
 *
 * @internal
 */
export function dimensionConditionSql(
  condition: DimensionCondition,
  column: string,
  dialect: SqlDialect,
  parameters: SqlParameters,
  path: readonly (string | number)[],
): string | undefined {
  if (isUnconstrained(condition)) return undefined;
  const { operator, value } = condition;
  const present = `${column} <> ''`;
  if (operator === '=' || operator === '=^' || operator === '!=') {
    const alternatives = value.split('|').filter((alternative) => alternative !== '');
    const matches = alternatives.map((alternative) => {
      if (operator === '=^')
        return dialect.like(column, parameters.text(`${likePattern(alternative)}%`, path));
      if (alternative.includes('%'))
        return dialect.like(column, parameters.text(likePattern(alternative), path));
      return `${column} = ${parameters.text(alternative, path)}`;
    });
    const any = matches.length === 0 ? NEVER : matches.join(' OR ');
    return operator === '!=' ? `(${present} AND NOT (${any}))` : `(${present} AND (${any}))`;
  }
  // Placeholders are bound in the order they appear in the text (positional dialects need that).
  const asText = () =>
    `${dialect.binaryText(column)} ${operator} ${dialect.binaryText(parameters.text(value, path))}`;
  if (!isNumericText(value)) return `(${present} AND ${asText()})`;
  const isNumber = dialect.matchesRegex(column, NUMERIC_TEXT_PATTERN);
  const asNumber = `${dialect.castToDouble(column)} ${operator} ${parameters.number(Number(value))}`;
  return `(${present} AND CASE WHEN ${isNumber} THEN ${asNumber} ELSE ${asText()} END)`;
}

/**
 * `column` is one of the filter's values (as text; empty values match nothing, as empty cells never do).
 *
 * @internal
 */
export function oneOfSql(
  column: string,
  values: readonly (string | number)[] | undefined,
  parameters: SqlParameters,
  path: readonly (string | number)[],
): string {
  const texts = (values ?? [])
    .map((value, index) => ({ text: String(value), index }))
    .filter(({ text }) => text !== '');
  if (texts.length === 0) return NEVER;
  const list = texts.map(({ text, index }) => parameters.text(text, [...path, index])).join(', ');
  return `${column} IN (${list})`;
}
