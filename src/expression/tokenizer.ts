import {
  AGGREGATION_TYPES,
  type AggregationType,
  BINARY_OPERATORS,
  type BinaryOperator,
  type DimensionCondition,
  type DimensionOperator,
  GOAL_FUNCTIONS,
  type GoalFunction,
  type GoalReference,
  type NumberLiteral,
  type Span,
} from './ast.js';
import { ExpressionError } from './expression-error.js';

/**
 * A token read where an operand is expected: `(` or a whole operand.
 *
 * @internal
 */
export type OperandToken =
  | { readonly kind: 'open'; readonly start: number }
  | { readonly kind: 'operand'; readonly node: NumberLiteral | GoalReference };

/**
 * A token read after a complete operand: a binary operator, `)` or the end of the text.
 *
 * @internal
 */
export type OperatorToken =
  | { readonly kind: 'operator'; readonly operator: BinaryOperator; readonly start: number }
  | { readonly kind: 'close'; readonly start: number }
  | { readonly kind: 'end' };

const EXPECTED_OPERAND = 'expected a number, a goal such as `count(user.unit.click)` or `(`';
const EXPECTED_OPERATOR = 'expected an operator (`*`, `/`, `-`, `+`, `~`), `)` or the end of the expression';
const VALUE_CHARACTERS = 'letters, digits, spaces and `_-.%/|`';

const CHAR = {
  tab: 9,
  lf: 10,
  cr: 13,
  space: 32,
  bang: 33,
  percent: 37,
  open: 40,
  close: 41,
  comma: 44,
  minus: 45,
  dot: 46,
  slash: 47,
  lt: 60,
  eq: 61,
  gt: 62,
  caret: 94,
  underscore: 95,
  backtick: 96,
  bar: 124,
} as const;

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isWordCharacter(code: number): boolean {
  return isLetter(code) || isDigit(code) || code === CHAR.underscore;
}

function isWhitespace(code: number): boolean {
  return code === CHAR.space || code === CHAR.tab || code === CHAR.lf || code === CHAR.cr;
}

function isValueCharacter(code: number): boolean {
  return (
    isWordCharacter(code) ||
    code === CHAR.minus ||
    code === CHAR.dot ||
    code === CHAR.percent ||
    code === CHAR.slash ||
    code === CHAR.bar ||
    code === CHAR.space
  );
}

/** A word as quoted in a message: at most 40 characters, then `…`. */
function clip(word: string): string {
  return word.length > 40 ? `${word.slice(0, 40)}…` : word;
}

function isDelimiter(code: number): boolean {
  return code === CHAR.open || code === CHAR.close || code === CHAR.comma;
}

function binaryOperatorOf(code: number): BinaryOperator | undefined {
  const operator = String.fromCharCode(code);
  return (BINARY_OPERATORS as readonly string[]).includes(operator)
    ? (operator as BinaryOperator)
    : undefined;
}

/**
 * Reads the tokens of a metric expression from left to right, one at a time, as the parser asks for them.
 *
 * @remarks
 * The lexical grammar depends on what the parser expects: where an operand is expected a `-` starts a
 * negative number, after an operand it is the subtraction operator. A goal reference, dimensions included, is
 * read as a single token because its inner grammar (dimension values may contain spaces and `-`) is
 * character-level. Whitespace (space, tab, CR, LF) between tokens is skipped. Every method runs in time
 * linear in the characters it consumes and reports faults as {@link ExpressionError}.
 *
 * @internal
 */
export class ExpressionTokenizer {
  private pos = 0;

  constructor(readonly text: string) {}

  /**
   * Reads `(`, a number or a goal.
   *
   * @param openParen - Position of a `(` read just before, if any (to report `()`).
   */
  readOperand(openParen: number | undefined): OperandToken {
    this.skipWhitespace();
    const code = this.code();
    if (code === CHAR.open) return { kind: 'open', start: this.pos++ };
    if (code === CHAR.minus || isDigit(code)) return { kind: 'operand', node: this.readNumber() };
    if (isLetter(code)) return { kind: 'operand', node: this.readGoal() };
    return this.failOperand(openParen);
  }

  /** Reads a binary operator, `)` or the end of the text. */
  readOperator(): OperatorToken {
    this.skipWhitespace();
    const code = this.code();
    if (Number.isNaN(code)) return { kind: 'end' };
    const operator = binaryOperatorOf(code);
    if (operator !== undefined) return { kind: 'operator', operator, start: this.pos++ };
    if (code === CHAR.close) return { kind: 'close', start: this.pos++ };
    const end = this.snippetEnd(this.pos);
    return this.fail(
      `Unexpected ${this.quote(this.pos, end)} after a complete expression: ${EXPECTED_OPERATOR}`,
      this.pos,
      end,
    );
  }

  /** Throws an {@link ExpressionError} for `[start, end)` of the text. */
  fail(message: string, start: number, end: number): never {
    throw new ExpressionError(message, this.text, { start, end });
  }

  private failOperand(openParen: number | undefined): never {
    const code = this.code();
    const start = this.pos;
    if (Number.isNaN(code)) {
      if (this.text.trim().length === 0) {
        this.fail('Empty expression: write a goal such as `count(user.unit.click)`', 0, this.text.length);
      }
      this.fail(`Unexpected end of expression: ${EXPECTED_OPERAND}`, start, start);
    }
    if (code === CHAR.close && openParen !== undefined) {
      this.fail(
        'Empty parentheses: put an expression inside, e.g. `(count(user.unit.click))`',
        openParen,
        start + 1,
      );
    }
    if (code === CHAR.close) this.fail(`Unexpected \`)\`: ${EXPECTED_OPERAND}`, start, start + 1);
    const operator = binaryOperatorOf(code);
    if (operator !== undefined) {
      this.fail(`Unexpected operator \`${operator}\`: ${EXPECTED_OPERAND}`, start, start + 1);
    }
    const end = this.characterEnd(start);
    return this.fail(`Unexpected character ${this.quote(start, end)}: ${EXPECTED_OPERAND}`, start, end);
  }

  private readNumber(): NumberLiteral {
    const start = this.pos;
    const negative = this.code() === CHAR.minus;
    if (negative) {
      this.pos++;
      this.skipWhitespace();
      if (!isDigit(this.code())) {
        this.fail(
          'A `-` where an operand is expected must start a negative number such as `-5`; write `-1 * x` to negate a goal or a group',
          start,
          start + 1,
        );
      }
    }
    const digitsStart = this.pos;
    while (isDigit(this.code())) this.pos++;
    const magnitude = Number(this.text.slice(digitsStart, this.pos));
    const value = negative && magnitude !== 0 ? -magnitude : magnitude;
    return Object.freeze({ kind: 'number', value, span: Object.freeze({ start, end: this.pos }) });
  }

  private readGoal(): GoalReference {
    const start = this.pos;
    const fn = this.readWord();
    const fnShown = clip(fn);
    if (!(GOAL_FUNCTIONS as readonly string[]).includes(fn)) {
      this.fail(
        `Only \`value\`, \`count\`, \`unique\` functions are supported but \`${fnShown}\` received.`,
        start,
        this.pos,
      );
    }
    this.expect(CHAR.open, `Expected \`(\` after function name \`${fnShown}\``);
    this.skipWhitespace();
    const unitStart = this.pos;
    const unitType = this.readWord();
    const unitShown = clip(unitType);
    if (unitType === '')
      this.failHere(`Expected a unit type after \`${fn}(\`, e.g. \`${fn}(user.unit.click)\``);
    if (/[0-9]/.test(unitType)) {
      this.fail(`Unit type \`${unitShown}\` may contain only letters and \`_\``, unitStart, this.pos);
    }
    this.expect(
      CHAR.dot,
      `Expected \`.\` after unit type \`${unitShown}\`, e.g. \`${unitShown}.unit.click\``,
    );
    this.skipWhitespace();
    const aggStart = this.pos;
    const aggType = clip(this.readWord());
    if (aggType === '')
      this.failHere(`Expected an aggregation type (\`unit\` or \`global\`) after \`${unitShown}.\``);
    if (!(AGGREGATION_TYPES as readonly string[]).includes(aggType)) {
      this.fail(
        `Only \`unit\` and \`global\` aggregation types are supported but \`${aggType}\` received.`,
        aggStart,
        this.pos,
      );
    }
    this.expect(CHAR.dot, `Expected \`.\` after aggregation type \`${aggType}\``);
    this.skipWhitespace();
    const goal = this.readWord();
    const path = `${unitShown}.${aggType}.${clip(goal)}`;
    if (goal === '') this.failHere(`Expected a goal name after \`${unitShown}.${aggType}.\``);
    this.skipWhitespace();
    let dimensions: readonly DimensionCondition[] = Object.freeze([]);
    if (this.code() === CHAR.open) {
      dimensions = this.readDimensions(path);
      this.expect(CHAR.close, `Expected \`)\` after the dimensions of \`${path}\` to close \`${fn}(\``);
    } else {
      this.expect(CHAR.close, `Expected \`(\` with dimensions or \`)\` after goal name \`${path}\``);
    }
    const node: GoalReference = {
      kind: 'goal',
      fn: fn as GoalFunction,
      unitType,
      aggType: aggType as AggregationType,
      goal,
      dimensions,
      span: Object.freeze({ start, end: this.pos }),
    };
    return Object.freeze(node);
  }

  /** Parses `(dim, dim, ...)` starting at `(`, through the closing `)`. */
  private readDimensions(path: string): readonly DimensionCondition[] {
    const open = this.pos++;
    const dimensions: DimensionCondition[] = [];
    const seen = new Set<string>();
    const duplicated = new Set<string>();
    let firstDuplicate: Span | undefined;
    for (;;) {
      this.skipWhitespace();
      if (this.code() === CHAR.close && dimensions.length > 0) break;
      if (this.code() === CHAR.close) {
        this.fail(
          `Empty dimension list \`()\` after \`${path}\`: name a dimension, e.g. \`(element=button-1)\`, or remove the parentheses`,
          open,
          this.pos + 1,
        );
      }
      const start = this.pos;
      const name = this.readWord();
      const nameShown = clip(name);
      if (name === '') this.failHere(`Expected a dimension name in \`${path}(\`, e.g. \`element=button-1\``);
      this.skipWhitespace();
      const operator = this.readDimensionOperator(nameShown);
      this.skipWhitespace();
      const valueStart = this.pos;
      while (isValueCharacter(this.code())) this.pos++;
      if (this.pos === valueStart)
        this.failHere(`Expected a value after \`${nameShown}${operator}\` (${VALUE_CHARACTERS})`);
      const value = this.text.slice(valueStart, this.pos);
      const storedValue = operator === '=' ? value : operator === '=^' ? `^${value}` : `${operator}${value}`;
      dimensions.push(Object.freeze({ name, operator, value, storedValue }));
      if (seen.has(name) && !duplicated.has(name)) {
        duplicated.add(name);
        firstDuplicate ??= { start, end: this.pos };
      }
      seen.add(name);
      this.skipWhitespace();
      const next = this.code();
      if (next === CHAR.comma) {
        this.pos++;
      } else if (next === CHAR.close) {
        break;
      } else if (Number.isNaN(next) || isValueCharacter(next)) {
        this.failHere(`Expected \`,\` or \`)\` after the value of dimension \`${nameShown}\``);
      } else {
        const end = this.characterEnd(this.pos);
        this.fail(
          `Unexpected ${this.quote(this.pos, end)} in the value of dimension \`${nameShown}\`: values may contain only ${VALUE_CHARACTERS}`,
          this.pos,
          end,
        );
      }
    }
    if (firstDuplicate !== undefined) {
      this.fail(
        `Multiple values encountered for dimensions: \`[${[...duplicated].map(clip).join(', ')}]\`.`,
        firstDuplicate.start,
        firstDuplicate.end,
      );
    }
    this.pos++;
    return Object.freeze(dimensions);
  }

  private readDimensionOperator(name: string): DimensionOperator {
    const code = this.code();
    const next = this.text.charCodeAt(this.pos + 1);
    let operator: DimensionOperator | undefined;
    if (code === CHAR.eq) operator = next === CHAR.caret ? '=^' : '=';
    else if (code === CHAR.lt) operator = next === CHAR.eq ? '<=' : '<';
    else if (code === CHAR.gt) operator = next === CHAR.eq ? '>=' : '>';
    else if (code === CHAR.bang && next === CHAR.eq) operator = '!=';
    if (operator === undefined) {
      this.failHere(
        `Expected a comparison operator (\`=\`, \`=^\`, \`!=\`, \`<\`, \`>\`, \`<=\`, \`>=\`) after dimension name \`${name}\``,
      );
    }
    this.pos += operator.length;
    return operator;
  }

  /** Reads `[A-Za-z0-9_]*`; callers check the narrower grammar so that messages quote the whole word. */
  private readWord(): string {
    const start = this.pos;
    while (isWordCharacter(this.code())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private expect(code: number, message: string): void {
    this.skipWhitespace();
    if (this.code() !== code) this.failHere(message);
    this.pos++;
  }

  private skipWhitespace(): void {
    while (isWhitespace(this.code())) this.pos++;
  }

  /** The UTF-16 code unit at the cursor, or NaN at the end. */
  private code(): number {
    return this.text.charCodeAt(this.pos);
  }

  /** End of the (possibly surrogate-paired) character at `start`. */
  private characterEnd(start: number): number {
    if (start >= this.text.length) return start;
    const code = this.text.codePointAt(start) as number;
    return start + (code > 0xffff ? 2 : 1);
  }

  /** End of a short run of text worth quoting: up to whitespace, a bracket or comma, at most 20 units. */
  private snippetEnd(start: number): number {
    let end = this.characterEnd(start);
    if (isDelimiter(this.text.charCodeAt(start))) return end;
    while (end < this.text.length && end - start < 20) {
      const code = this.text.charCodeAt(end);
      if (isWhitespace(code) || isDelimiter(code)) break;
      if (code < 0x20 || code === CHAR.backtick || (code >= 0xd800 && code <= 0xdfff)) break;
      end++;
    }
    return end;
  }

  /** The text of `[start, end)` in backticks, or `U+XXXX` for an invisible or unpaired character. */
  private quote(start: number, end: number): string {
    const code = this.text.codePointAt(start) as number;
    const invisible =
      code < 0x20 || code === 0x7f || code === CHAR.backtick || (code >= 0xd800 && code <= 0xdfff);
    if (invisible) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return `\`${this.text.slice(start, end)}\``;
  }

  private failHere(message: string): never {
    return this.fail(message, this.pos, this.characterEnd(this.pos));
  }
}
