import { EpStatsError, type EpStatsErrorOptions } from '../errors/ep-stats-error.js';
import type { Span } from './ast.js';

/** Longest stretch of a line shown in an excerpt before it is cut down to a window around the fault. */
const MAX_EXCERPT_LINE = 80;
/** Width of the window shown around the fault when a line is longer than {@link MAX_EXCERPT_LINE}. */
const EXCERPT_WINDOW = 60;
/** How much of the window precedes the fault. */
const EXCERPT_LEAD = 20;

/**
 * A metric expression that cannot be parsed, with the position of the fault and a caret excerpt.
 *
 * @remarks
 * `message` is `reason (at character N)`, a newline, then {@link ExpressionError.excerpt}: the line of `text`
 * holding `span.start` and below it a line of carets under the faulty range. `N` is the zero-based UTF-16
 * offset `span.start`. Lines longer than 80 characters are cut to a 60-character window around the fault,
 * marked with `…` where text was left out. Control characters are shown as spaces so that carets line up.
 *
 * @param message - What was wrong and what is allowed instead, without the position.
 * @param text - The whole expression text.
 * @param span - The faulty range `[start, end)`; clamped to `[0, text.length]`.
 * @param options - Optional `cause`.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { ExpressionError, parseExpression } from 'ep-stats';
 * let caught: unknown;
 * try { parseExpression('count(user.day.click)'); } catch (error) { caught = error; }
 * const error = caught as ExpressionError;
 * error.reason; // => 'Only `unit` and `global` aggregation types are supported but `day` received.'
 * error.span; // => { start: 11, end: 14 }
 * error.excerpt; // => 'count(user.day.click)\n           ^^^'
 * error.message.split('\n')[0]; // => 'Only `unit` and `global` aggregation types are supported but `day` received. (at character 11)'
 * ```
 * @public
 */
export class ExpressionError extends EpStatsError {
  /** The plain message, without position or excerpt. */
  readonly reason: string;
  /** The whole expression text that failed to parse. */
  readonly text: string;
  /** The faulty range of `text`, `[start, end)` in UTF-16 code units. */
  readonly span: Span;
  /** Two lines: the line of `text` holding the fault, and carets under the fault. */
  readonly excerpt: string;

  constructor(message: string, text: string, span: Span, options?: EpStatsErrorOptions) {
    const start = clamp(span.start, 0, text.length);
    const end = clamp(span.end, start, text.length);
    const excerpt = buildExcerpt(text, start, end);
    super('expression', `${message} (at character ${start})\n${excerpt}`, options);
    this.name = 'ExpressionError';
    this.reason = message;
    this.text = text;
    this.span = Object.freeze({ start, end });
    this.excerpt = excerpt;
  }
}

function clamp(value: number, low: number, high: number): number {
  if (!Number.isFinite(value)) return value > 0 ? high : low;
  return Math.min(Math.max(Math.trunc(value), low), high);
}

/** The line holding `start` (possibly windowed) and a caret line under `[start, end)`. */
function buildExcerpt(text: string, start: number, end: number): string {
  const lineStart = start === 0 ? 0 : text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', start);
  const lineEnd = newline === -1 ? text.length : newline;
  let from = lineStart;
  let to = lineEnd;
  if (lineEnd - lineStart > MAX_EXCERPT_LINE) {
    from = Math.max(lineStart, start - EXCERPT_LEAD);
    to = Math.min(lineEnd, from + EXCERPT_WINDOW);
    from = Math.max(lineStart, to - EXCERPT_WINDOW);
  }
  const prefix = from > lineStart ? '…' : '';
  const suffix = to < lineEnd ? '…' : '';
  const shown = visible(text.slice(from, to));
  const caretCount = Math.max(1, Math.min(end, to) - start);
  const carets = ' '.repeat(prefix.length + start - from) + '^'.repeat(caretCount);
  return `${prefix}${shown}${suffix}\n${carets}`;
}

/**
 * Replaces control characters (tab, carriage return, NUL…) by spaces and unpaired surrogates by U+FFFD, one
 * code unit for one, so that the carets line up and the excerpt is well-formed text.
 */
function visible(line: string): string {
  let out = '';
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) {
      out += ' ';
    } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(line.charCodeAt(index + 1))) {
      out += line.slice(index, index + 2);
      index++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += '\ufffd';
    } else {
      out += line[index];
    }
  }
  return out;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
